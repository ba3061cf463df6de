#!/usr/bin/env python3
"""Start the action server, the Rasa server and the demo web page; stop them all together.

Used by `make run` and by the test fixtures, so there is one way to start the assistant.
Ports and the API token come from RASA_PORT, ACTION_PORT, WEB_PORT and RASA_AUTH_TOKEN
(CONTRACT section 1); TRACKER_DB moves the conversation store; ACTION_SERVER=off leaves the
action server down (to test that emergencies are still handled). Ctrl-C (or SIGTERM) stops
every process this started.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from rasa_ext.limits import cors_origins, default_origins

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".state"
VENV_BIN = Path(sys.executable).parent
DEFAULTS = {"RASA_PORT": "5005", "ACTION_PORT": "5055", "WEB_PORT": "8000"}
ENV_VAR = re.compile(r"\$\{([^}]+)\}")
START_TIMEOUT_S = 240


def settings() -> Dict[str, str]:
    env = dict(os.environ)
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    env.setdefault("TRACKER_DB", str(STATE / "tracker.db"))
    env.setdefault("WEB_PUBLIC_URL", f"http://localhost:{env['WEB_PORT']}")
    env.setdefault("RASA_PUBLIC_URL", f"http://localhost:{env['RASA_PORT']}")
    return env


def _fill(value: Any, env: Dict[str, str]) -> Any:
    """${VARIABLES} replaced inside the parsed YAML, so values stay strings ("+1415...")."""
    if isinstance(value, dict):
        return {key: _fill(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, env) for item in value]
    if isinstance(value, str):
        return ENV_VAR.sub(lambda m: env[m.group(1)], value)
    return value


def render(name: str, env: Dict[str, str], optional_sections: bool) -> Path:
    """The YAML file with its ${VARIABLES} filled in, written under .state/ with this run's
    Rasa port in its name (runs side by side must not read each other's files). With
    `optional_sections` (credentials.yml), a channel whose variables are not all set is
    left out, so a Telegram or Twilio section costs nothing until it is configured."""
    sections = yaml.safe_load((ROOT / name).read_text()) or {}
    kept = {}
    for section, config in sections.items():
        missing = [v for v in ENV_VAR.findall(yaml.safe_dump(config or {})) if not env.get(v)]
        if missing and not optional_sections:
            raise RuntimeError(f"{name}: set {', '.join(missing)} for '{section}'")
        if not missing:
            kept[section] = _fill(config, env)
    if Path(name).name == "endpoints.yml":
        kept = _with_store_urls(kept, env)
    STATE.mkdir(exist_ok=True)
    path = STATE / f"{Path(name).stem}-{env.get('RASA_PORT', 'run')}.yml"
    path.write_text(yaml.safe_dump(kept, sort_keys=False))
    path.chmod(0o600)  # it may hold the tracker or lock store's password
    return path


def _with_store_urls(sections: Dict[str, Any], env: Dict[str, str]) -> Dict[str, Any]:
    """TRACKER_STORE_URL / LOCK_STORE_URL (PostgreSQL, Redis) as endpoints.yml's keys."""
    project = str(Path(__file__).resolve().parents[1])
    if project not in sys.path:  # run as a script, tools/ is on the path but not the project
        sys.path.insert(0, project)
    from tools.store_urls import apply_store_urls

    return apply_store_urls(sections, env)


def allowed_origins(env: Dict[str, str]) -> List[str]:
    """ALLOWED_ORIGINS (comma-separated; `*` wildcards, README "Limits and security") as
    `--cors` arguments; by default only the demo page's own origin may use Rasa."""
    setting = env.get("ALLOWED_ORIGINS") or ",".join(default_origins(env["WEB_PUBLIC_URL"]))
    return cors_origins(setting)


def commands(env: Dict[str, str]) -> Dict[str, List[str]]:
    rasa = str(VENV_BIN / "rasa")
    # Rasa's own `rasa run`, with the input bounds installed on its app (rasa_ext/server.py).
    server = [
        sys.executable,
        "-m",
        "rasa_ext.server",
        "run",
        "--model",
        str(ROOT / "models"),
        "--port",
        env["RASA_PORT"],
        "--endpoints",
        str(render("endpoints.yml", env, optional_sections=False)),
        "--credentials",
        str(render("credentials.yml", env, optional_sections=True)),
        "--cors",
        *allowed_origins(env),
    ]
    if env.get("RASA_AUTH_TOKEN"):
        server += ["--enable-api", "--auth-token", env["RASA_AUTH_TOKEN"]]
    actions = [rasa, "run", "actions", "--actions", "actions", "--port", env["ACTION_PORT"]]
    return {
        **({} if env.get("ACTION_SERVER") == "off" else {"actions": actions}),
        "rasa": server,
        "web": [sys.executable, str(ROOT / "web" / "serve_web.py"), "--port", env["WEB_PORT"]],
    }


# Third-party deprecation noise (TensorFlow, jax, SQLAlchemy, pyparsing...: some 400 lines
# before "ready") is silenced; the project's own warnings and Rasa's log stay. An operator's
# own PYTHONWARNINGS or TF_CPP_MIN_LOG_LEVEL wins.
QUIET = {
    "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning,"
    "ignore::FutureWarning",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "QUIET_DEPRECATIONS": "1",  # rasa_ext/server.py: again after sanic re-enables them
}


def process_env(name: str, env: Dict[str, str]) -> Dict[str, str]:
    """The action server listens on 127.0.0.1 only (CONTRACT section 1): rasa-sdk reads the
    interface from SANIC_HOST. ACTION_HOST overrides it, e.g. for a separate container."""
    env = {**QUIET, **env}
    if name != "actions":
        return env
    return {**env, "SANIC_HOST": env.get("ACTION_HOST", "127.0.0.1")}


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except Exception:
        return False


def wait_until_ready(env: Dict[str, str], procs: Dict[str, subprocess.Popen]) -> None:
    checks = {
        "actions": f"http://127.0.0.1:{env['ACTION_PORT']}/health",
        "rasa": f"http://127.0.0.1:{env['RASA_PORT']}/",
        "web": f"http://127.0.0.1:{env['WEB_PORT']}/",
    }
    deadline = time.time() + START_TIMEOUT_S
    pending = {name for name in checks if name in procs}
    while pending and time.time() < deadline:
        for name in sorted(pending):
            if procs[name].poll() is not None:
                raise RuntimeError(f"the {name} server exited with code {procs[name].returncode}")
            if ready(checks[name]):
                pending.discard(name)
        time.sleep(0.5)
    if pending:
        raise RuntimeError(f"not ready after {START_TIMEOUT_S}s: {', '.join(sorted(pending))}")


def stop(procs: Dict[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    for proc in procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> int:
    env = settings()
    STATE.mkdir(exist_ok=True)
    if not any((ROOT / "models").glob("*.tar.gz")):
        print("serve: no trained model in models/; run `make model` first", file=sys.stderr)
        return 2
    procs: Dict[str, subprocess.Popen] = {}
    stopping: Optional[int] = None

    def on_signal(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for name, command in commands(env).items():  # may raise RuntimeError
            procs[name] = subprocess.Popen(command, cwd=ROOT, env=process_env(name, env))
        wait_until_ready(env, procs)
        print(
            f"serve: ready - chat page http://localhost:{env['WEB_PORT']}/ , "
            f"Rasa http://localhost:{env['RASA_PORT']}/ (Ctrl-C stops everything)",
            flush=True,
        )
        while stopping is None:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(
                        f"serve: the {name} server stopped (code {proc.returncode})",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(0.5)
        return 0
    except RuntimeError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(procs)


if __name__ == "__main__":
    sys.exit(main())
