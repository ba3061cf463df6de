#!/usr/bin/env python3
"""`make eval`: start the real servers, play every vignette (the shared public ones and the
project's own) with the shared harness, and write reports/eval.md with charts.

    .venv/bin/python tools/evaluate.py [--gate]
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.servers import start_servers  # noqa: E402
from tools.shared_paths import OWN_VIGNETTES, PATIENT_SIM, PUBLIC_VIGNETTES  # noqa: E402

REPORTS = ROOT / "reports"
RUNS = REPORTS / "runs"
TRANSCRIPTS = REPORTS / "transcripts"


def summary_of(result: subprocess.CompletedProcess) -> str:
    return result.stdout[result.stdout.find("Summary (") :].rstrip()


def play(vignettes: Path, rasa_url: str, token: str, shown=None) -> Path:
    """One vignette file through patient_sim; prints its table and summary."""
    out = RUNS / f"{vignettes.stem}.json"
    result = subprocess.run(
        [
            sys.executable,
            str(PATIENT_SIM),
            str(vignettes),
            "--url",
            rasa_url,
            "--token",
            token,
            "--json",
            str(out),
            "--transcripts",
            str(TRANSCRIPTS),
            "--concurrency",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    print(
        f"\n=== patient_sim {vignettes.name} ===\n{result.stdout}{result.stderr[-2000:]}",
        flush=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"patient_sim failed on {vignettes.name}")
    if shown:
        shown(f"patient_sim {vignettes.name}", summary_of(result))
    return out


def run_suite(rasa_url: str, token: str, shown=None) -> List[Path]:
    """Every vignette file through patient_sim; `shown(title, text)` receives each summary."""
    shutil.rmtree(RUNS, ignore_errors=True)
    shutil.rmtree(TRANSCRIPTS, ignore_errors=True)
    RUNS.mkdir(parents=True)
    TRANSCRIPTS.mkdir(parents=True)
    return [play(path, rasa_url, token, shown) for path in [PUBLIC_VIGNETTES, *OWN_VIGNETTES]]


def report(results: List[Path], gate: bool, shown=None) -> int:
    command = [
        sys.executable,
        str(ROOT / "tools" / "eval_report.py"),
        "--results",
        *map(str, results),
        "--transcripts",
        str(TRANSCRIPTS),
        "--out",
        str(REPORTS),
    ]
    result = subprocess.run(command + (["--gate"] if gate else []), capture_output=True, text=True)
    print(result.stdout, result.stderr, flush=True)
    if shown:
        shown("release gates (whole suite)", result.stdout.strip())
    return result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gate", action="store_true", help="exit 1 when a release gate fails")
    args = parser.parse_args()
    servers = start_servers()
    try:
        results = run_suite(servers.rasa_url, servers.token)
    finally:
        servers.stop()
    code = report(results, args.gate)
    print(f"\nreport: {REPORTS / 'eval.md'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
