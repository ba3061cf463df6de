"""The benchmark's load: closed-loop REST conversations against one Rasa server.

Closed loop: each simulated user sends a message, waits for the whole reply, then sends the
next one, so the offered load adapts to the server (throughput is what the server sustains,
not what the client pushes). All traffic goes to 127.0.0.1, bounded in count and in time.
"""

import asyncio
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp

REQUEST_TIMEOUT_S = 180


@dataclass
class LoadResult:
    latencies: List[float] = field(default_factory=list)
    wall_s: float = 0.0
    errors: int = 0
    cpu_s: Dict[str, float] = field(default_factory=dict)  # CPU seconds, by server process

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall_s if self.wall_s else 0.0

    def percentile(self, share: float) -> float:
        return percentile(self.latencies, share)

    def cpu_ms_per_message(self, process: str) -> Optional[float]:
        if process not in self.cpu_s or not self.latencies:
            return None
        return 1000 * self.cpu_s[process] / len(self.latencies)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


async def _send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, result: LoadResult
) -> float:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as reply:
            await reply.read()
            if reply.status != 200:
                result.errors += 1
    except (aiohttp.ClientError, asyncio.TimeoutError):
        result.errors += 1
    elapsed = time.perf_counter() - started
    result.latencies.append(elapsed)
    return elapsed


def _session(users: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=users),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
    )


async def _closed_loop(
    url: str,
    users: int,
    conversations: int,
    script: Sequence[str],
    prefix: str,
    pids: Dict[str, int],
) -> LoadResult:
    result = LoadResult()
    async with _session(users) as session:

        async def user(number: int) -> None:
            for conversation in range(conversations):
                sender = f"{prefix}-u{number}-c{conversation}"
                for text in script:
                    await _send(session, url, sender, text, result)

        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        started = time.perf_counter()
        await asyncio.gather(*(user(n) for n in range(users)))
        result.wall_s = time.perf_counter() - started
        result.cpu_s = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    return result


def closed_loop(
    url: str,
    users: int,
    conversations: int,
    script: Sequence[str],
    prefix: str,
    pids: Optional[Dict[str, int]] = None,
) -> LoadResult:
    """`users` concurrent users, each holding `conversations` conversations in a row; the
    CPU time of the `pids` processes ({"rasa": pid, ...}) is measured over the run."""
    return asyncio.run(_closed_loop(url, users, conversations, script, prefix, pids or {}))


async def _long(url: str, sender: str, script: Sequence[str]) -> List[float]:
    result = LoadResult()
    async with _session(1) as session:
        for text in script:
            await _send(session, url, sender, text, result)
    return result.latencies


def long_conversation(url: str, sender: str, script: Sequence[str]) -> List[float]:
    """Latency of every message of one long conversation, in order."""
    return asyncio.run(_long(url, sender, script))


async def _sized(url: str, prefix: str, text: str, repeats: int) -> List[float]:
    result = LoadResult()
    async with _session(1) as session:
        for attempt in range(repeats):
            await _send(session, url, f"{prefix}-{attempt}", text, result)
    return result.latencies


def sized_messages(url: str, prefix: str, text: str, repeats: int) -> List[float]:
    """A long message as the first message of `repeats` fresh conversations (a new
    conversation each time, so only the message's length varies)."""
    return asyncio.run(_sized(url, prefix, text, repeats))


def text_of_size(sentence: str, size: int) -> str:
    """`sentence` repeated, then cut, to exactly `size` characters (ASCII: bytes)."""
    return (sentence * (size // len(sentence) + 1))[:size]
