"""The two bots of the benchmark: Rasa's own `rasa init` bot and this assistant.

The init bot is built with the project's own environment (`rasa init --no-prompt` trains
it) in a temporary folder, then kept under .state/bench/ so later runs reuse it (`--rebuild`
builds it again). It runs as Rasa's defaults have it: in-memory tracker store, no action
server. This assistant starts through tools/serve.py, exactly as `make run` and the tests
start it. Both listen on 127.0.0.1 ports chosen free at start.
"""

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from tools.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
CACHE = ROOT / ".state" / "bench"
TRAIN_LOCK = Path("/tmp/rasa-train.lock")  # every Rasa training on this machine is serialised
START_TIMEOUT_S = 300
READY_LINE = "serve: ready"


@dataclass
class RunningBot:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"

    def server_pids(self) -> Dict[str, int]:
        """{"rasa": pid, "actions": pid} of the processes whose CPU the benchmark counts
        (the launcher and the demo web page are left out: the load never touches them)."""
        pids: Dict[str, int] = {}
        for pid in [self.process.pid] + _descendants(self.process.pid):
            command = _cmdline(pid)
            if "rasa run actions" in command:
                pids["actions"] = pid
            elif "rasa run" in command or "rasa_ext.server run" in command:
                pids["rasa"] = pid
        return pids


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _descendants(pid: int) -> List[int]:
    found: List[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found += [child] + _descendants(child)
    return found


def _env(**extra: str) -> Dict[str, str]:
    env = dict(os.environ)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.update(extra)
    return env


@contextmanager
def _training_lock() -> Iterator[None]:
    with open(TRAIN_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


def init_bot(rebuild: bool = False) -> Path:
    """The folder of a trained `rasa init` bot, built if missing."""
    target = CACHE / f"init-bot-rasa-{_rasa_version()}"
    if target.exists() and any((target / "models").glob("*.tar.gz")) and not rebuild:
        return target
    print("bench: building Rasa's `rasa init` bot (trains once, then reused)", flush=True)
    with tempfile.TemporaryDirectory(prefix="rasa-init-") as scratch, _training_lock():
        folder = Path(scratch) / "bot"
        folder.mkdir()
        with open(Path(scratch) / "init.log", "w") as log:
            done = subprocess.run(
                [str(VENV_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
                cwd=scratch,
                env=_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=1800,
            )
        if done.returncode or not any((folder / "models").glob("*.tar.gz")):
            tail = (Path(scratch) / "init.log").read_text()[-2000:]
            raise RuntimeError(f"rasa init failed (code {done.returncode}):\n{tail}")
        shutil.rmtree(target, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copytree(folder, target)
    return target


def wait_until_answering(bot: "RunningBot") -> None:
    """Rasa may listen before its model is loaded: wait for a real reply to a greeting."""
    deadline = time.time() + START_TIMEOUT_S
    body = json.dumps({"sender": "bench-ready", "message": "hi"}).encode()
    while time.time() < deadline:
        request = urllib.request.Request(
            bot.webhook, data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                if json.loads(reply.read() or b"[]"):
                    return
        except Exception:
            pass
        time.sleep(1)
    raise RuntimeError(f"{bot.name} never answered; see {bot.log_path}")


def _wait_http(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.time() + START_TIMEOUT_S
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with code {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"not ready after {START_TIMEOUT_S}s; see {log_path}")


def start_init_bot(folder: Path, work: Path) -> RunningBot:
    port = free_port()
    log_path = work / "init-bot.log"
    command = [
        str(VENV_BIN / "rasa"),
        "run",
        "--model",
        str(folder / "models"),
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--credentials",
        str(folder / "credentials.yml"),
        "--endpoints",
        str(folder / "endpoints.yml"),
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=folder, env=_env(), stdout=log, stderr=subprocess.STDOUT
        )
    bot = RunningBot("rasa init bot", port, process, log_path)
    try:
        _wait_http(f"http://127.0.0.1:{port}/", process, log_path)
        wait_until_answering(bot)
    except RuntimeError:
        stop(bot)
        raise
    return bot


def start_assistant(work: Path, extra_env: Optional[Dict[str, str]] = None) -> RunningBot:
    """This assistant via tools/serve.py (action server, Rasa server, web page)."""
    port = free_port()
    log_path = work / "assistant.log"
    env = _env(
        RASA_PORT=str(port),
        ACTION_PORT=str(free_port()),
        WEB_PORT=str(free_port()),
        TRACKER_DB=str(work / "tracker.db"),
        **(extra_env or {}),
    )
    env.pop("RASA_AUTH_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "serve.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    bot = RunningBot("this assistant", port, process, log_path)
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        with open(log_path, "w") as log:
            for line in process.stdout:
                log.write(line)
                log.flush()
                if READY_LINE in line:
                    ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.time() + START_TIMEOUT_S
    while not ready.wait(1):
        if process.poll() is not None or time.time() > deadline:
            stop(bot)
            raise RuntimeError(f"the assistant did not start; see {log_path}")
    try:
        wait_until_answering(bot)
    except RuntimeError:
        stop(bot)
        raise
    return bot


def stop(bot: RunningBot) -> None:
    if bot.process.poll() is None:
        bot.process.send_signal(signal.SIGINT)
        try:
            bot.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.process.kill()
            bot.process.wait(timeout=10)
