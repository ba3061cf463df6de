"""`make bench` runs and prints its table (on a tiny load: the benchmark's figures are never a
pass/fail criterion; the README's "Performance" section has a full run)."""

import subprocess

from tests.support.servers import ROOT

# The first run also trains Rasa's `rasa init` bot (a few minutes on two cores).
TIMEOUT_S = 1500


def test_the_benchmark_runs_and_prints_its_table():
    # -o: the model and the venv are what `make test` has just made; never retrain here.
    command = [
        "make",
        "--no-print-directory",
        "-o",
        "models/.trained",
        "-o",
        ".venv/.installed",
        "bench",
        "BENCH_ARGS=--tiny",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "| | `rasa init` bot | this assistant | ratio (assistant / init) |" in out
    for row in (
        "| 1 user, p50 |",
        "| 1 user, p95 |",
        "| 2 users, throughput |",
        "| long conversation, msgs 1-3, p95 |",
        "| one 1 KB message (median) |",
    ):
        assert row in out, f"missing row {row!r}:\n{out[-3000:]}"
    assert "| non-200 replies under load | 0 | 0 | |" in out
    assert "throughput at 2 users >= 1.5x the init bot" in out
