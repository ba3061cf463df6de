#!/usr/bin/env python3
"""`make cluster`: several Rasa servers sharing one PostgreSQL tracker store and one Redis lock
store, action servers beside them, HAProxy in front on RASA_PORT, the web page on WEB_PORT.

The Rasa, action and web processes are started exactly as `make run` starts them (the
commands, rendered endpoints and environment come from tools/serve.py); only their ports
and the two store URLs differ. Settings (README, "Running at scale"):

  RASA_REPLICAS (2), ACTION_REPLICAS (1)   processes behind the load balancer
  RASA_PORT, ACTION_PORT, WEB_PORT         as for `make run`: the load balancer's ports
  REPLICA_BASE_PORT (RASA_PORT+1)          replica i listens on REPLICA_BASE_PORT+i
  ACTION_BASE_PORT (ACTION_PORT+1)         action server i on ACTION_BASE_PORT+i
  REPLICA_PORTS, ACTION_PORTS              or the ports listed, comma-separated
  POSTGRES_PORT (5433), REDIS_PORT (6380)  the PostgreSQL and Redis started here (beside, not
                                           on, the ports of a system-wide server)
  TRACKER_STORE_URL, LOCK_STORE_URL        set: use that PostgreSQL / Redis, start none
  CLUSTER_STATE (.state/cluster)           PostgreSQL's data, the services' logs
  TICKET_LOCK_LIFETIME (20)                seconds a dead replica's conversation lock lasts

Ctrl-C (or SIGTERM) stops everything this started. `tools/cluster.py replica` (or `actions`,
`web`) runs just one such process in the foreground, for a container.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import serve  # noqa: E402
from tools.cluster_services import HAProxy, Postgres, Redis, haproxy_config  # noqa: E402

CLUSTER_DEFAULTS = {
    "RASA_REPLICAS": "2",
    "ACTION_REPLICAS": "1",
    "POSTGRES_PORT": "5433",
    "REDIS_PORT": "6380",
    "TICKET_LOCK_LIFETIME": "20",
    # One Rasa process runs one SQL query at a time (its event loop waits on
    # it), so a few pooled connections are plenty; Rasa's default is 50 + 100.
    "SQL_POOL_SIZE": "5",
    "SQL_MAX_OVERFLOW": "10",
    "LOAD_BALANCER_BIND": "*",
    # The replicas see HAProxy's address; the patient's is the last
    # X-Forwarded-For entry (option forwardfor), for the per-address limits.
    "SANIC_PROXIES_COUNT": "1",
}


# Two or more Rasa processes load their models at the same time: on a busy 2-core machine
# that takes several minutes.
START_TIMEOUT_S = int(os.environ.get("CLUSTER_START_TIMEOUT_S", "600"))


def cluster_settings(overrides: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    saved = dict(os.environ)
    try:
        os.environ.update(overrides or {})
        env = serve.settings()  # RASA_PORT, ACTION_PORT, WEB_PORT, public URLs, ...
    finally:
        os.environ.clear()
        os.environ.update(saved)
    for name, value in CLUSTER_DEFAULTS.items():
        env.setdefault(name, value)
    env.setdefault("REPLICA_BASE_PORT", str(int(env["RASA_PORT"]) + 1))
    env.setdefault("ACTION_BASE_PORT", str(int(env["ACTION_PORT"]) + 1))
    env.setdefault("CLUSTER_STATE", str(serve.STATE / "cluster"))
    for name in ("RASA_REPLICAS", "ACTION_REPLICAS"):
        if not env[name].isdigit() or int(env[name]) < 1:
            raise RuntimeError(f"{name}={env[name]!r}: a whole number of processes, at least 1")
    return env


def _ports(prefix: str, env: Dict[str, str], count_name: str, kind: str) -> Dict[str, int]:
    """{"rasa-1": port, ...}: from {kind}_PORTS (a comma-separated list) or, by default,
    consecutive ports from {kind}_BASE_PORT."""
    count = int(env[count_name])
    listed = [p.strip() for p in env.get(f"{kind}_PORTS", "").split(",") if p.strip()]
    if listed and len(listed) != count:
        raise RuntimeError(f"{kind}_PORTS lists {len(listed)} ports for {count_name}={count}")
    ports = [int(p) for p in listed] or [int(env[f"{kind}_BASE_PORT"]) + i for i in range(count)]
    return {f"{prefix}-{i + 1}": port for i, port in enumerate(ports)}


class Cluster:
    """Start, watch and stop every process of the cluster (the tests drive one directly)."""

    def __init__(self, env: Dict[str, str]):
        self.env = env
        self.state = Path(env["CLUSTER_STATE"])
        self.postgres: Optional[Postgres] = None
        self.redis: Optional[Redis] = None
        self.proxy: Optional[HAProxy] = None
        self.procs: Dict[str, subprocess.Popen] = {}
        self.replica_ports = _ports("rasa", env, "RASA_REPLICAS", "REPLICA")
        self.action_ports = _ports("actions", env, "ACTION_REPLICAS", "ACTION")

    # --- the stores -------------------------------------------------------------------
    def start_stores(self) -> None:
        if not self.env.get("TRACKER_STORE_URL"):
            self.postgres = Postgres(self.state, int(self.env["POSTGRES_PORT"]))
            self.postgres.start()
            self.postgres.wait_ready()
            self.env["TRACKER_STORE_URL"] = self.postgres.url
        if not self.env.get("LOCK_STORE_URL"):
            self.redis = Redis(self.state, int(self.env["REDIS_PORT"]))
            self.redis.start()
            self.redis.wait_ready()
            self.env["LOCK_STORE_URL"] = self.redis.url

    # --- the Rasa, action and web processes, as `make run` starts them ------------------
    def replica_env(self, name: str) -> Dict[str, str]:
        return {**self.env, "RASA_PORT": str(self.replica_ports[name])}

    def _spawn(self, name: str, kind: str, env: Dict[str, str], extra: List[str]) -> None:
        command = serve.commands(env)[kind] + extra
        self.procs[name] = subprocess.Popen(
            command, cwd=serve.ROOT, env=serve.process_env(kind, env)
        )

    def start_replica(self, name: str) -> None:
        # Replicas are reached through the load balancer only: loopback interface.
        self._spawn(name, "rasa", self.replica_env(name), ["--interface", "127.0.0.1"])

    def start_apps(self) -> None:
        for name, port in self.action_ports.items():
            self._spawn(name, "actions", {**self.env, "ACTION_PORT": str(port)}, [])
        for name in self.replica_ports:
            self.start_replica(name)
        checks = {
            **{name: f"http://127.0.0.1:{port}/health" for name, port in self.action_ports.items()},
            **{name: f"http://127.0.0.1:{port}/" for name, port in self.replica_ports.items()},
        }
        self.wait_for(checks)
        self.proxy = HAProxy(
            self.state,
            haproxy_config(
                self.env["LOAD_BALANCER_BIND"],
                int(self.env["RASA_PORT"]),
                {name: f"127.0.0.1:{port}" for name, port in self.replica_ports.items()},
                "127.0.0.1",
                int(self.env["ACTION_PORT"]),
                {name: f"127.0.0.1:{port}" for name, port in self.action_ports.items()},
            ),
            self.env["RASA_PORT"],
        )
        self.procs["haproxy"] = self.proxy.start()
        self._spawn("web", "web", self.env, [])
        self.wait_for(
            {
                "haproxy": f"http://127.0.0.1:{self.env['RASA_PORT']}/",
                "web": f"http://127.0.0.1:{self.env['WEB_PORT']}/",
            }
        )

    def wait_for(self, checks: Dict[str, str]) -> None:
        deadline = time.time() + START_TIMEOUT_S
        pending = set(checks)
        while pending:
            for name in sorted(pending):
                if self.procs[name].poll() is not None:
                    raise RuntimeError(f"{name} exited with code {self.procs[name].returncode}")
                if serve.ready(checks[name]):
                    pending.discard(name)
            if time.time() > deadline:
                raise RuntimeError(
                    f"not ready after {START_TIMEOUT_S}s: {', '.join(sorted(pending))}"
                )
            time.sleep(0.5)

    def start(self) -> "Cluster":
        try:
            self.start_stores()
            self.start_apps()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """The proxy first (no new requests), then the apps, then the stores."""
        if self.proxy:
            self.proxy.stop()
        serve.stop({name: proc for name, proc in self.procs.items() if name != "haproxy"})
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()

    def ready_line(self) -> str:
        return (
            f"cluster: ready - chat page http://localhost:{self.env['WEB_PORT']}/ , "
            f"Rasa http://localhost:{self.env['RASA_PORT']}/ (HAProxy over "
            f"{len(self.replica_ports)} Rasa replicas, {len(self.action_ports)} action "
            f"server(s), PostgreSQL, Redis; Ctrl-C stops everything)"
        )

    def exited(self) -> Dict[str, int]:
        running = {
            **self.procs,
            **({"postgres": self.postgres.proc} if self.postgres else {}),
            **({"redis": self.redis.proc} if self.redis else {}),
        }
        return {
            name: proc.returncode
            for name, proc in running.items()
            if proc is not None and proc.poll() is not None
        }


ESSENTIAL = {"haproxy", "web", "postgres", "redis"}


# The same load balancer in deploy/: servers named as in `make cluster`, found by host name.
DEPLOY_PROXIES = {
    "compose": (
        {"rasa-1": "rasa-1:5005", "rasa-2": "rasa-2:5005"},
        {"actions-1": "actions-1:5055"},
    ),
    # Full names: HAProxy's own DNS lookups do not use resolv.conf's search domains.
    "kubernetes": (
        {
            "rasa-1": "rasa-0.rasa.default.svc.cluster.local:5005",
            "rasa-2": "rasa-1.rasa.default.svc.cluster.local:5005",
        },
        {"actions-1": "actions.default.svc.cluster.local:5055"},
    ),
}


def deploy_haproxy_config(platform: str) -> str:
    replicas, actions = DEPLOY_PROXIES[platform]
    return haproxy_config("*", 5005, replicas, "*", 5055, actions, platform_dns=True)


ONE_PROCESS = {"replica": "rasa", "actions": "actions", "web": "web"}


def one_process(kind: str) -> int:
    """`tools/cluster.py replica|actions|web`: one process of the cluster in the foreground,
    started as `make run` starts it (the containers of deploy/ run this)."""
    env = cluster_settings()
    command = serve.commands(env)[ONE_PROCESS[kind]]
    os.chdir(serve.ROOT)
    os.execve(command[0], command, serve.process_env(ONE_PROCESS[kind], env))
    return 1  # not reached


def main(argv: List[str]) -> int:
    if argv[:1] and argv[0] in ONE_PROCESS:
        return one_process(argv[0])
    if argv[:1] == ["haproxy-config"] and argv[1:] and argv[1] in DEPLOY_PROXIES:
        print(deploy_haproxy_config(argv[1]), end="")  # deploy/haproxy*.cfg
        return 0
    if argv:
        print(
            f"usage: tools/cluster.py [{'|'.join(ONE_PROCESS)}|haproxy-config "
            f"{'|'.join(DEPLOY_PROXIES)}]",
            file=sys.stderr,
        )
        return 2
    if not any((serve.ROOT / "models").glob("*.tar.gz")):
        print("cluster: no trained model in models/; run `make model` first", file=sys.stderr)
        return 2
    stopping: List[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.append(signum))
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    cluster: Optional[Cluster] = None
    try:
        cluster = Cluster(cluster_settings())
        cluster.start()
        print(cluster.ready_line(), flush=True)
        reported: Dict[str, int] = {}
        while not stopping:
            for name, code in cluster.exited().items():
                if name in ESSENTIAL:
                    print(f"cluster: {name} stopped (code {code}); stopping", file=sys.stderr)
                    return 1
                if name not in reported:  # a replica: the load balancer routes around it
                    reported[name] = code
                    print(
                        f"cluster: {name} stopped (code {code}); the others carry on",
                        file=sys.stderr,
                        flush=True,
                    )
            time.sleep(0.5)
        return 0
    except RuntimeError as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 1
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
