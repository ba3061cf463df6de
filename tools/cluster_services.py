"""PostgreSQL, Redis and HAProxy for `make cluster`, from Debian's packages, on loopback ports.

Each service keeps its data and its (patient-free) log under the cluster's state directory.
None of them logs what patients write: PostgreSQL does not log failing statements (they would
hold the events' text), HAProxy has no access log (paths hold sender ids), Redis logs warnings
only.
"""

import os
import pwd
import secrets
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional


def _pg_bin() -> Path:
    """Debian keeps PostgreSQL's server programs off PATH: the newest /usr/lib/postgresql/N."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
PG_USER = "rasa"
PG_DATABASE = "rasa"
STOP_TIMEOUT_S = 20
REST_PATH = "/webhooks/rest/webhook"
REST_SENDER = "req.body,json_query('$.sender')"  # the REST channel's {"sender": ...}
SERVER_CHECKS = "inter 1s fastinter 500ms downinter 1s fall 3 rise 2 init-addr last,libc,none"


def service_user(name: str, required: bool) -> Optional[str]:
    """The unprivileged account a service runs as when this runs as root (PostgreSQL
    refuses to run as root; Debian's packages create `postgres`, `redis`, `haproxy`)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
        return name
    except KeyError:
        if required:
            raise RuntimeError(
                f"running as root needs the '{name}' user to start {name} "
                f"(Debian's package creates it)"
            ) from None
        return None


def launch(command: List[str], log: Path, user: Optional[str]) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as sink:
        return subprocess.Popen(
            command,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=user,
            group=user,
            extra_groups=[] if user else None,
            start_new_session=True,
        )


def stop_process(proc: Optional[subprocess.Popen], signum: int = signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signum)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Postgres:
    """One PostgreSQL server; `initdb` on first use, a generated password kept beside it."""

    def __init__(self, state: Path, port: int):
        self.state = state
        self.port = port
        self.data = state / "postgres"
        self.password_file = state / "postgres.password"
        self.log = state / "postgres.log"
        self.user = service_user("postgres", required=True)
        self.proc: Optional[subprocess.Popen] = None

    @property
    def password(self) -> str:
        return self.password_file.read_text().strip()

    @property
    def url(self) -> str:
        return f"postgresql://{PG_USER}:{self.password}@127.0.0.1:{self.port}/{PG_DATABASE}"

    def _initdb(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            self.password_file.write_text(secrets.token_urlsafe(24))
            self.password_file.chmod(0o600)
        if self.user:  # the service's account must reach its data directory
            self.state.chmod(self.state.stat().st_mode | 0o711)
        self.data.mkdir(mode=0o700, exist_ok=True)
        pwfile = self.state / "initdb.pw"
        pwfile.write_text(self.password)
        if self.user:
            for path in (self.data, pwfile):
                os.chown(path, pwd.getpwnam(self.user).pw_uid, pwd.getpwnam(self.user).pw_gid)
        try:
            subprocess.run(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    PG_USER,
                    f"--pwfile={pwfile}",
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--no-instructions",
                ],
                check=True,
                user=self.user,
                group=self.user,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"initdb failed: {exc.stderr.decode(errors='replace')}") from None
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self) -> subprocess.Popen:
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        self.proc = launch(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200",
                "-c",
                "log_min_error_statement=panic",
                "-c",
                "log_min_messages=warning",
                "-c",
                "logging_collector=off",
            ],
            self.log,
            self.user,
        )
        return self.proc

    def wait_ready(self, timeout_s: float = 60) -> None:
        """Until it accepts connections; then the `rasa` database exists."""
        import psycopg2

        deadline = time.time() + timeout_s
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"PostgreSQL exited (code {self.proc.returncode}); see {self.log}"
                )
            try:
                conn = psycopg2.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user=PG_USER,
                    password=self.password,
                    dbname="postgres",
                    connect_timeout=2,
                )
                break
            except psycopg2.OperationalError:
                if time.time() > deadline:
                    raise RuntimeError(f"PostgreSQL not ready after {timeout_s}s") from None
                time.sleep(0.3)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,))
            if cur.fetchone() is None:
                cur.execute(f"CREATE DATABASE {PG_DATABASE}")
        conn.close()

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGINT)  # SIGINT: "fast" shutdown, clients cut off


class Redis:
    """The lock store: nothing worth keeping across a restart, so no persistence."""

    def __init__(self, state: Path, port: int):
        self.state = state
        self.port = port
        self.log = state / "redis.log"
        self.proc: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> subprocess.Popen:
        self.state.mkdir(parents=True, exist_ok=True)
        self.proc = launch(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
                "--daemonize",
                "no",
                "--dir",
                "/tmp",
            ],
            self.log,
            service_user("redis", required=False),
        )
        return self.proc

    def wait_ready(self, timeout_s: float = 30) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        deadline = time.time() + timeout_s
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.time() > deadline or (self.proc and self.proc.poll() is not None):
                    raise RuntimeError(f"Redis not ready; see {self.log}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        stop_process(self.proc)


def haproxy_config(
    bind: str,
    rasa_port: int,
    replicas: Dict[str, str],
    action_bind: str,
    action_port: int,
    actions: Dict[str, str],
    platform_dns: bool = False,
) -> str:
    """REST spread over the replicas by conversation; socket.io kept on the replica that opened the
    session (the engine.io `sid` of the handshake reply is stored in a stick table and
    matched on every later request, so it works without cookies, which the widget does not
    send cross-origin); connection checks every second take a dead replica out after
    three misses (~2s); a request whose replica dropped the connection without answering
    is sent once more to another one (safe: Rasa saves a turn only after handling it
    completely).
    `replicas` and `actions` map server names to host:port addresses; with `platform_dns`
    (Docker, Kubernetes) host names are looked up again, with /etc/resolv.conf's servers,
    when containers move."""
    rasa_servers = "\n".join(
        f"    server {name} {address} check" for name, address in replicas.items()
    )
    action_servers = "\n".join(
        f"    server {name} {address} check" for name, address in actions.items()
    )
    dns = "\nresolvers platform\n    parse-resolv-conf\n    hold valid 5s\n" if platform_dns else ""
    resolve = " resolvers platform" if platform_dns else ""
    return f"""# Written by tools/cluster.py (tools/cluster_services.py: haproxy_config).
global
    maxconn 4096
{dns}
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    # A retried request may wait for the lock its dead replica held (TICKET_LOCK_LIFETIME).
    timeout server 90s
    timeout tunnel 1h
    timeout http-keep-alive 10s
    option redispatch 1
    retries 2
    # A replica killed mid-request closes or resets its connections: either way the request
    # goes to another one (junk-response covers the reset).
    retry-on conn-failure empty-response junk-response
    # Connection checks: a dead replica refuses connections at once and is out after 3
    # checks (~2s), while a busy one (CPU-bound turns hold its event loop for seconds under
    # load) still accepts them and stays in. A hung one is cut off by `timeout server`.
    default-server {SERVER_CHECKS}{resolve}

frontend rasa
    bind {bind}:{rasa_port}
    acl socketio path_beg /socket.io/
    use_backend socketio if socketio
    # Rate limits and logs behind the proxy need the patient's address, not the proxy's.
    option forwardfor
    # Each request's own id, the same when it is retried on another replica below: a turn
    # that a dying replica saved before answering is answered again, never taken in twice
    # (rasa_ext/resends.py). A client's own X-Request-ID is kept.
    http-request set-header X-Request-ID %[uuid] unless {{ req.hdr(X-Request-ID) -m found }}
    default_backend rasa

backend rasa
    # One conversation, one replica while it is up (consistent hash of the REST sender or
    # the tracker API's conversation id): its turns find their tracker in that replica's
    # memory (rasa_ext/tracker_cache.py) and never wait for the lock on another replica.
    # When a replica is out, only its conversations move. Anything else: round robin.
    # Bounded load: a replica never holds more than 1.25x the average of open requests, so
    # an unlucky hash (13 of 20 patients on one replica) does not queue behind one event
    # loop while the other idles; the conversations over the bound go to the next replica.
    option http-buffer-request
    http-request set-var(txn.conversation) {REST_SENDER} if {{ method POST }} {{ path {REST_PATH} }}
    http-request set-var(txn.conversation) path,field(3,/) if {{ path_beg /conversations/ }}
    balance hash var(txn.conversation)
    hash-type consistent
    hash-balance-factor 125
{rasa_servers}

backend socketio
    balance roundrobin
    stick-table type string len 64 size 200k expire 2h
    stick match url_param(sid)
    # The handshake is the request without a sid; its reply body is "0" + JSON with the sid.
    http-request set-var(txn.handshake) bool(true) if !{{ url_param(sid) -m found }}
    http-response wait-for-body time 2s if {{ var(txn.handshake) -m bool }}
    stick store-response res.body,bytes(1),json_query('$.sid') if {{ var(txn.handshake) -m bool }}
{rasa_servers}

frontend actions
    bind {action_bind}:{action_port}
    default_backend actions

backend actions
    balance roundrobin
{action_servers}
"""


class HAProxy:
    def __init__(self, state: Path, config: str, name: str):
        self.state = state
        self.config_file = state / f"haproxy-{name}.cfg"
        self.config = config
        self.log = state / "haproxy.log"
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> subprocess.Popen:
        self.state.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(self.config)
        check = subprocess.run(
            ["haproxy", "-c", "-q", "-f", str(self.config_file)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise RuntimeError(f"HAProxy refused its configuration: {check.stdout}{check.stderr}")
        self.proc = launch(
            ["haproxy", "-db", "-f", str(self.config_file)],
            self.log,
            service_user("haproxy", required=False),
        )
        return self.proc

    def stop(self) -> None:
        stop_process(self.proc)
