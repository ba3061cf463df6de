#!/usr/bin/env python3
"""`make bench`: this assistant against Rasa's own `rasa init` bot, one after the other in the
same run, under the same closed-loop REST load; prints a table of p50 / p95 / throughput and
the ratios, the first against the last messages of a long conversation, and the time of 1, 10
and 20 KB messages. `--tiny` (or BENCH_TINY=1) runs a few messages only: `make test` checks
that the benchmark runs and prints its table. The benchmark is never a pass/fail test.

This assistant's long-message limit (MAX_MESSAGE_CHARS, 2,000 by default: longer messages
skip the NLU) is raised for the benchmark so that the 1-20 KB rows time the NLU itself.
"""

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import bench_bots  # noqa: E402
from tools.bench_load import (  # noqa: E402
    LoadResult,
    closed_loop,
    long_conversation,
    percentile,
    sized_messages,
    text_of_size,
)

# A patient with S1 sciatica, one message per question in the order the interview asks them,
# through the warning-sign screening to the assessment, then a thank-you.
INTERVIEW = [
    "hi",
    "I get a shooting pain down the outer edge of my left foot into my little toe",
    "about 10 days",
    "sitting and coughing make it worse",
    "walking about helps",
    "5",
    "yes",
    "38",
    "no",
    "yes",
    "no",
    "no, none of these",
    "no, none of these",
    "no, none of these",
    "thanks",
]
# The `rasa init` bot's own kind of messages (its intents: greet, mood, bot challenge...).
INIT_SCRIPT = [
    "hi",
    "I am feeling sad",
    "yes",
    "hello there",
    "I feel great",
    "are you a bot?",
    "bye",
    "good morning",
    "not good",
    "no",
    "hey",
    "very good",
    "am I talking to a human?",
    "goodbye",
    "see you later",
]
# Long conversations repeat a 10-message cycle, so the first and the last ten messages are
# the same texts in the same order: only the length of the conversation differs.
ASSISTANT_CYCLE = [
    "hello",
    "what can you do?",
    "what is a dermatome?",
    "are you a bot?",
    "what is sciatica?",
    "thank you",
    "what causes shingles?",
    "hi there",
    "is this a diagnosis?",
    "thanks",
]
INIT_CYCLE = INIT_SCRIPT[:10]
# Message-length rows: a patient's sentence (or the init bot's kind of sentence) repeated.
ASSISTANT_SENTENCE = "The pain burns along the outside of my left foot and gets worse when I sit. "
INIT_SENTENCE = "I am feeling really great today and everything is fine, thanks for asking. "
SIZES_KB = (1, 10, 20)
BENCH_LIMIT_CHARS = 25_000
# The benchmark is one client address and a few senders sending fast: the launcher's rate
# limits would measure the limiter, not the assistant. Raised for this run only.
ASSISTANT_ENV = {
    "MAX_MESSAGE_CHARS": str(BENCH_LIMIT_CHARS),
    "MAX_REQUEST_BYTES": str(8 * BENCH_LIMIT_CHARS),
    "RATE_LIMIT_PER_SENDER": "off",
    "RATE_LIMIT_PER_ADDRESS": "off",
}


@dataclass
class Plan:
    conversations_1_user: int
    users: int
    conversations_per_user: int
    script_length: int
    long_length: int
    long_window: int
    long_repeats: int
    sizes_kb: Sequence[int]
    size_repeats: int
    warmup: bool


FULL = Plan(
    conversations_1_user=4,
    users=20,
    conversations_per_user=2,
    script_length=15,
    long_length=150,
    long_window=10,
    long_repeats=2,
    sizes_kb=SIZES_KB,
    size_repeats=3,
    warmup=True,
)
TINY = Plan(
    conversations_1_user=1,
    users=2,
    conversations_per_user=1,
    script_length=3,
    long_length=12,
    long_window=3,
    long_repeats=1,
    sizes_kb=(1,),
    size_repeats=1,
    warmup=False,
)


@dataclass
class Figures:
    one_user: LoadResult
    many_users: LoadResult
    long_first: List[float] = field(default_factory=list)
    long_last: List[float] = field(default_factory=list)
    sizes: Dict[int, float] = field(default_factory=dict)  # KB -> median seconds


def measure(
    bot: bench_bots.RunningBot,
    plan: Plan,
    script: Sequence[str],
    cycle: Sequence[str],
    sentence: str,
) -> Figures:
    url, name = bot.webhook, bot.name.split()[0]
    script = list(script)[: plan.script_length]
    pids = bot.server_pids()
    if plan.warmup:
        closed_loop(url, 1, 1, script, f"bench-{name}-warm")
    print(f"bench: {bot.name}: 1 user", flush=True)
    one = closed_loop(url, 1, plan.conversations_1_user, script, f"bench-{name}-one", pids)
    print(f"bench: {bot.name}: {plan.users} users", flush=True)
    many = closed_loop(
        url, plan.users, plan.conversations_per_user, script, f"bench-{name}-many", pids
    )
    figures = Figures(one, many)
    print(f"bench: {bot.name}: {plan.long_length}-message conversation", flush=True)
    long_script = (list(cycle) * (plan.long_length // len(cycle) + 1))[: plan.long_length]
    for attempt in range(plan.long_repeats):
        latencies = long_conversation(url, f"bench-{name}-long-{attempt}", long_script)
        figures.long_first += latencies[: plan.long_window]
        figures.long_last += latencies[-plan.long_window :]
    for kb in plan.sizes_kb:
        print(f"bench: {bot.name}: {kb} KB messages", flush=True)
        times = sized_messages(
            url, f"bench-{name}-size{kb}", text_of_size(sentence, kb * 1024), plan.size_repeats
        )
        figures.sizes[kb] = percentile(times, 0.5)
    return figures


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "-"


def table(init: Figures, ours: Figures, plan: Plan) -> List[str]:
    w = plan.long_window
    first = f"msgs 1-{w}" if w > 1 else "msg 1"
    last = f"msgs {plan.long_length - w + 1}-{plan.long_length}"
    rows = [
        ("| | `rasa init` bot | this assistant | ratio (assistant / init) |"),
        "|---|---|---|---|",
    ]

    def row(label: str, a: float, b: float, fmt=ms) -> None:
        rows.append(f"| {label} | {fmt(a)} | {fmt(b)} | {ratio(b, a)} |")

    def rate(value: float) -> str:
        return f"{value:.1f} msg/s"

    row("1 user, p50", init.one_user.percentile(0.5), ours.one_user.percentile(0.5))
    row("1 user, p95", init.one_user.percentile(0.95), ours.one_user.percentile(0.95))
    row("1 user, throughput", init.one_user.throughput, ours.one_user.throughput, rate)
    n = plan.users
    row(f"{n} users, p50", init.many_users.percentile(0.5), ours.many_users.percentile(0.5))
    row(f"{n} users, p95", init.many_users.percentile(0.95), ours.many_users.percentile(0.95))
    row(f"{n} users, throughput", init.many_users.throughput, ours.many_users.throughput, rate)
    for label, result in (("1 user", "one_user"), (f"{n} users", "many_users")):
        a, b = getattr(init, result), getattr(ours, result)
        cpu_a, cpu_b = a.cpu_ms_per_message("rasa"), b.cpu_ms_per_message("rasa")
        if cpu_a is not None and cpu_b is not None:
            rows.append(
                f"| {label}, Rasa server CPU per message | {cpu_a:.0f} ms | "
                f"{cpu_b:.0f} ms | {ratio(cpu_b, cpu_a)} |"
            )
    actions = ours.many_users.cpu_ms_per_message("actions")
    if actions is not None:
        rows.append(f"| {n} users, action server CPU per message | - | {actions:.0f} ms | - |")
    for label, values_a, values_b in (
        (first, init.long_first, ours.long_first),
        (last, init.long_last, ours.long_last),
    ):
        row(
            f"long conversation, {label}, p50", percentile(values_a, 0.5), percentile(values_b, 0.5)
        )
        row(
            f"long conversation, {label}, p95",
            percentile(values_a, 0.95),
            percentile(values_b, 0.95),
        )
    for figures, who in ((init, "`rasa init` bot"), (ours, "this assistant")):
        growth = percentile(figures.long_last, 0.95) / percentile(figures.long_first, 0.95)
        rows.append(f"| long conversation p95 growth, {who} | | | {growth:.2f}x |")
    for kb in plan.sizes_kb:
        row(f"one {kb} KB message (median)", init.sizes[kb], ours.sizes[kb])
    errors_a = init.one_user.errors + init.many_users.errors
    errors_b = ours.one_user.errors + ours.many_users.errors
    rows.append(f"| non-200 replies under load | {errors_a} | {errors_b} | |")
    return rows


def verdicts(init: Figures, ours: Figures, plan: Plan) -> List[str]:
    """The issue's targets, each with the measured value (information, never an exit code)."""
    lines = []

    def check(text: str, value: float, ok: bool) -> None:
        lines.append(f"- {'met' if ok else 'NOT met'}: {text} (measured {value:.2f}x)")

    tp = ours.many_users.throughput / init.many_users.throughput
    check(f"throughput at {plan.users} users >= 1.5x the init bot", tp, tp >= 1.5)
    p95 = ours.one_user.percentile(0.95) / init.one_user.percentile(0.95)
    check("p95 at 1 user <= 1.0x the init bot", p95, p95 <= 1.0)
    growth = percentile(ours.long_last, 0.95) / percentile(ours.long_first, 0.95)
    check(
        f"p95 of the last {plan.long_window} messages of {plan.long_length} <= 1.2x the first",
        growth,
        growth <= 1.2,
    )
    kbs = sorted(ours.sizes)
    if len(kbs) >= 3:
        small, mid, big = (ours.sizes[k] for k in kbs[:3])
        per_kb_low = (mid - small) / (kbs[1] - kbs[0])
        per_kb_high = (big - mid) / (kbs[2] - kbs[1])
        slope = per_kb_high / per_kb_low if per_kb_low > 0 else float("inf")
        check(
            f"time linear in length (ms per extra KB {kbs[1]}->{kbs[2]} KB vs "
            f"{kbs[0]}->{kbs[1]} KB within 1.5x)",
            slope,
            slope <= 1.5,
        )
    return lines


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    from importlib.metadata import version

    return (
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {cpu}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Rasa {version('rasa')}"
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tiny",
        action="store_true",
        default=bool(os.environ.get("BENCH_TINY")),
        help="a few messages only (make test checks the benchmark runs)",
    )
    parser.add_argument("--users", type=int, help="concurrent users of the load (default 20)")
    parser.add_argument("--rebuild", action="store_true", help="train the init bot again")
    args = parser.parse_args(argv)
    plan = TINY if args.tiny else FULL
    if args.users:
        plan.users = args.users
    folder = bench_bots.init_bot(rebuild=args.rebuild)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        bot = bench_bots.start_init_bot(folder, work)
        try:
            init = measure(bot, plan, INIT_SCRIPT, INIT_CYCLE, INIT_SENTENCE)
        finally:
            bench_bots.stop(bot)
        bot = bench_bots.start_assistant(work, ASSISTANT_ENV)
        try:
            ours = measure(bot, plan, INTERVIEW, ASSISTANT_CYCLE, ASSISTANT_SENTENCE)
        finally:
            bench_bots.stop(bot)
    print()
    print(f"Benchmark{' (tiny load)' if args.tiny else ''}: {machine()}")
    print(
        f"Closed-loop REST load: 1 user x {plan.conversations_1_user} conversations, then "
        f"{plan.users} users x {plan.conversations_per_user} conversations, "
        f"{plan.script_length} messages each; long conversation: {plan.long_repeats} x "
        f"{plan.long_length} messages; this assistant with MAX_MESSAGE_CHARS="
        f"{BENCH_LIMIT_CHARS} so long messages go through the NLU."
    )
    print()
    print("\n".join(table(init, ours, plan)))
    print()
    print("\n".join(verdicts(init, ours, plan)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
