#!/usr/bin/env python3
"""`make bench-cluster`: the cluster (`make cluster`: HAProxy, RASA_REPLICAS Rasa replicas on
PostgreSQL and Redis) against one `make run` process (SQLite, in-memory lock), both started
in this run and measured in turns under the same closed-loop REST load (tools/bench_load.py:
each user sends the next message when the whole reply is in), at 20 and 50 concurrent users.
Both are up for the whole run and measured alternately, so that a change in the machine's
other load hits both alike. Prints a table of throughput, p50 and p95, and the ratios, and
writes it to reports/bench-cluster.md. Never a pass/fail test: the target (cluster >= 1.4x
the single process at 20 users, p95 not worse) is reported, not enforced.
"""

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import bench_bots  # noqa: E402
from tools.bench import INTERVIEW  # noqa: E402  (the same patient as `make bench`)
from tools.bench_load import LoadResult, closed_loop  # noqa: E402
from tools.cluster import Cluster, cluster_settings  # noqa: E402

REPORT = Path(__file__).resolve().parents[1] / "reports" / "bench-cluster.md"
# Every user comes from 127.0.0.1 and replays the same script: no rate limit in either setup.
NO_LIMITS = {"RATE_LIMIT_PER_ADDRESS": "off", "RATE_LIMIT_PER_SENDER": "off"}


def start_cluster(replicas: int) -> Cluster:
    free = bench_bots.free_port
    state = Path(tempfile.mkdtemp(prefix="bench-cluster-", dir=bench_bots.ROOT / ".state"))
    env = cluster_settings(
        {
            "RASA_PORT": str(free()),
            "ACTION_PORT": str(free()),
            "WEB_PORT": str(free()),
            "POSTGRES_PORT": str(free()),
            "REDIS_PORT": str(free()),
            "REPLICA_PORTS": ",".join(str(free()) for _ in range(replicas)),
            "ACTION_PORTS": str(free()),
            "RASA_REPLICAS": str(replicas),
            "CLUSTER_STATE": str(state),
            "LOAD_BALANCER_BIND": "127.0.0.1",
            "TRACKER_STORE_URL": "",
            "LOCK_STORE_URL": "",
            "RASA_AUTH_TOKEN": "",
            **NO_LIMITS,
        }
    )
    return Cluster(env).start()


def row(name: str, users: int, result: LoadResult) -> Dict[str, Any]:
    return {
        "setup": name,
        "users": users,
        "messages": len(result.latencies),
        "errors": result.errors,
        "throughput": result.throughput,
        "p50": result.percentile(0.50),
        "p95": result.percentile(0.95),
    }


def table(rows: List[Dict], replicas: int) -> List[str]:
    lines = [
        "| setup | users | messages | errors | throughput (msg/s) | p50 (ms) | p95 (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['setup']} | {r['users']} | {r['messages']} | {r['errors']} | "
            f"{r['throughput']:.2f} | {1000 * r['p50']:.0f} | {1000 * r['p95']:.0f} |"
        )
    lines.append("")
    for users in sorted({r["users"] for r in rows}):
        single = next(r for r in rows if r["users"] == users and r["setup"] == "make run")
        many = next(r for r in rows if r["users"] == users and r["setup"] != "make run")
        speedup = many["throughput"] / single["throughput"] if single["throughput"] else 0
        p95 = many["p95"] / single["p95"] if single["p95"] else 0
        verdict = ""
        if users == 20:
            met = speedup >= 1.4 and p95 <= 1.0
            verdict = f" - target (>= 1.4x, p95 not worse): {'met' if met else 'NOT met'}"
        lines.append(
            f"- {users} users: cluster of {replicas} = {speedup:.2f}x the throughput "
            f"of one process, p95 {p95:.2f}x{verdict}"
        )
    return lines


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="20,50", help="concurrent users, comma-separated")
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("RASA_REPLICAS", 2)))
    parser.add_argument(
        "--conversations", type=int, default=1, help="interviews each user plays in a row"
    )
    args = parser.parse_args(argv)
    users = [int(u) for u in args.users.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-single-", dir=bench_bots.ROOT / ".state"))
    single = cluster = None
    rows: List[Dict] = []
    try:
        single = bench_bots.start_assistant(work, NO_LIMITS)
        cluster = start_cluster(args.replicas)
        targets = {
            "make run": f"http://127.0.0.1:{single.port}",
            f"cluster ({args.replicas} replicas)": f"http://127.0.0.1:{cluster.env['RASA_PORT']}",
        }
        for name, url in targets.items():  # warm-up: first messages load lazily
            closed_loop(f"{url}/webhooks/rest/webhook", 2, 1, INTERVIEW[:4], f"warm-{name[:4]}")
        for count in users:
            for name, url in targets.items():
                result = closed_loop(
                    f"{url}/webhooks/rest/webhook",
                    count,
                    args.conversations,
                    INTERVIEW,
                    f"bench-{count}-{name[:4]}",
                )
                rows.append(row(name, count, result))
                print(
                    f"bench-cluster: {name}, {count} users: {result.throughput:.2f} msg/s, "
                    f"p95 {1000 * result.percentile(0.95):.0f} ms",
                    flush=True,
                )
    finally:
        if single:
            bench_bots.stop(single)
        if cluster:
            cluster.stop()
    lines = table(rows, args.replicas)
    header = [
        f"# Cluster benchmark ({dt.date.today()}, {platform.machine()}, {os.cpu_count()} CPUs)",
        "",
        f"`make bench-cluster`: {len(INTERVIEW)}-message interviews, "
        f"{args.conversations} per user, closed loop, REST.",
        "",
    ]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(header + lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
