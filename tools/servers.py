"""Start the real assistant (action server, Rasa server, web page) on free ports, via the
same launcher as `make run`, and talk to it over HTTP: for `make eval`, the benchmark and
the tests."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[1]
READY_LINE = "serve: ready"
START_TIMEOUT_S = 300
# Test conversations run back to back from one address, and the browser tests embed the
# widget in pages served from other local ports: these servers run without rate limits and
# allow any local origin, unless told otherwise (tests/e2e/test_bounds.py sets real limits).
TEST_SETTINGS = {
    "RATE_LIMIT_PER_SENDER": "0",
    "RATE_LIMIT_PER_ADDRESS": "0",
    "ALLOWED_ORIGINS": "http://localhost:*,http://127.0.0.1:*",
    # Test diaries span simulated days: a message's metadata may say which day it is for
    # (actions/diary.py); never in production, where the day is the server's.
    "DIARY_DATES_FROM_METADATA": "1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    rasa_port: int
    action_port: int
    web_port: int
    token: str
    process: subprocess.Popen
    log: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)  # what start_servers added

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def send(self, sender: str, message: str) -> List[Dict[str, Any]]:
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        reply.raise_for_status()
        return reply.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        # Rasa does not decode the path: keep the characters senders use ("whatsapp:+44...").
        url = f"{self.rasa_url}/conversations/{urllib.parse.quote(sender, safe=':+@')}/tracker"
        reply = requests.get(url, params={"token": self.token}, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        return self.tracker(sender)["slots"]

    def restart(self) -> None:
        """A server restart: stopped, then started again on the same ports with the same token
        and conversation store."""
        self.stop()
        again = start_servers(self.env)
        self.process, self.log = again.process, again.log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _pump(stream, sink: List[str], ready: threading.Event) -> None:
    for line in stream:
        sink.append(line)
        if READY_LINE in line:
            ready.set()


def start_servers(extra_env: Optional[Dict[str, str]] = None, **ports: int) -> Servers:
    env = {**TEST_SETTINGS, **os.environ}
    env.update(
        {
            "RASA_PORT": str(ports.get("rasa_port") or free_port()),
            "ACTION_PORT": str(ports.get("action_port") or free_port()),
            "WEB_PORT": str(ports.get("web_port") or free_port()),
            "RASA_AUTH_TOKEN": secrets.token_hex(12),
            "TRACKER_DB": str(ROOT / ".state" / f"test-tracker-{secrets.token_hex(4)}.db"),
        }
    )
    env.update(extra_env or {})
    added = {k: v for k, v in env.items() if os.environ.get(k) != v}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "serve.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    servers = Servers(
        int(env["RASA_PORT"]),
        int(env["ACTION_PORT"]),
        int(env["WEB_PORT"]),
        env["RASA_AUTH_TOKEN"],
        process,
        env=added,
    )
    ready = threading.Event()
    threading.Thread(target=_pump, args=(process.stdout, servers.log, ready), daemon=True).start()
    deadline = time.time() + START_TIMEOUT_S
    while not ready.wait(1):
        if process.poll() is not None or time.time() > deadline:
            servers.stop()
            tail = "".join(servers.log[-40:])
            raise RuntimeError(f"the assistant did not start:\n{tail}")
    return servers
