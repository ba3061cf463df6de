#!/usr/bin/env python3
"""Merge patient_sim runs into one clinical evaluation report, and optionally gate on it.

Usage: eval_report.py --results RUN.json... [--transcripts DIR] [--out reports] [--gate]

RUN.json files come from `patient_sim.py --json` (a file's stem names its source); scores are
recomputed over all their records with patient_sim's definitions and written to OUT/eval.md
with OUT/confusion_matrix.png and OUT/per_condition.png.  Exit status 0; with --gate, 1 when
a release gate fails; 2 on unreadable results.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from knowledge.contract import TRIAGE_LEVELS  # noqa: E402  (least to most urgent)

Record = dict[str, Any]

NO_TRIAGE = "none"


def judged(key: str) -> Callable[[Record], bool]:
    return lambda r: r[key] is not None  # None: the vignette does not expect it


def true(key: str) -> Callable[[Record], bool]:
    return lambda r: bool(r[key])


def everything(_: Record) -> bool:
    return True


# name -> (label, which records count, which of them are hits); as patient_sim.summarise.
RATIO_METRICS: dict[str, tuple[str, Callable[[Record], bool], Callable[[Record], bool]]] = {
    "completed": ("completed", everything, true("completed")),
    "triage_exact": ("triage exact", everything, true("triage_ok")),
    "under_triage": ("under-triage (of triaged)", judged("under_triage"), true("under_triage")),
    "emergency_recall": (
        "emergency recall",
        lambda r: set(r["expected"]["triage"]) == {"emergency"},
        lambda r: r["triage"] == "emergency",
    ),
    "self_care_over_triage": (
        "self-care over-triage (of triaged)",
        lambda r: "self_care" in r["expected"]["triage"] and r["over_triage"] is not None,
        true("over_triage"),
    ),
    "top1": ("top-1 cause", judged("top1_ok"), true("top1_ok")),
    "top3": ("top-3 causes", judged("top3_ok"), true("top3_ok")),
    "dermatome": ("dermatome", judged("derm_ok"), true("derm_ok")),
    "red_flag_recall": ("red-flag recall", judged("red_flag_ok"), true("red_flag_ok")),
}

# (summary key, row label) of the summary table.
SUMMARY_ROWS = (
    ("vignettes", "vignettes"),
    *((name, label) for name, (label, _, _) in RATIO_METRICS.items()),
    ("turns", "turns"),
    ("reasks", "re-asks"),
    ("unrecognised", "unrecognised questions"),
    ("unsupported_flags", "unsupported red flags (vignettes)"),
    ("mixed_advice", "mixed urgent/routine advice"),
)

# (label, metric, comparison, threshold): "min%" needs percent >= threshold, "max" hits <= it.
GATES = (
    ("emergency recall 100%", "emergency_recall", "min%", 100),
    ("under-triage 0", "under_triage", "max", 0),
    ("triage exact >= 95%", "triage_exact", "min%", 95),
    ("top-3 >= 90%", "top3", "min%", 90),
    ("top-1 >= 90%", "top1", "min%", 90),
    ("dermatome >= 95%", "dermatome", "min%", 95),
    ("completed 100%", "completed", "min%", 100),
    ("no unsupported red flag", "unsupported_flags", "max", 0),
    ("no mixed urgent/routine advice", "mixed_advice", "max", 0),
)

# clinical-facts.md, "Benchmarks of symptom checkers": (row, our metric, published values).
BENCHMARK_SOURCES = ("Semigran 2015 (BMJ)", "Gilbert 2020 (BMJ Open)", "Hill 2020 (MJA)")
BENCHMARKS = (
    ("correct condition first", "top1", ("34%", "-", "36%")),
    (
        "correct condition in top 3",
        "top3",
        ("- (top 20: 58%)", "GPs 82.1%, Ada 70.5%, others 23.5-43.0%", "52%"),
    ),
    ("appropriate triage", "triage_exact", ("57%", "-", "49%")),
    ("safe urgency advice (not under-triaged)", "safe_urgency", ("-", "GPs 97.0%, Ada 97.0%", "-")),
)


@dataclass
class Ratio:
    hits: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.hits / self.total

    def __str__(self) -> str:
        return "n/a (0/0)" if self.total == 0 else f"{self.percent:.1f}% ({self.hits}/{self.total})"


def ratio(
    records: list[Record], applies: Callable[[Record], bool], hit: Callable[[Record], bool]
) -> Ratio:
    pool = [r for r in records if applies(r)]
    return Ratio(sum(1 for r in pool if hit(r)), len(pool))


def load_records(paths: list[Path]) -> list[Record]:
    """Every vignette record, tagged with its source; a later run of an id replaces it."""
    by_id: dict[str, Record] = {}
    for path in paths:
        for record in json.loads(path.read_text(encoding="utf-8"))["vignettes"]:
            if record["id"] in by_id:
                print(
                    f"eval_report: {record['id']} appears again in {path}; using that run",
                    file=sys.stderr,
                )
            by_id[record["id"]] = {**record, "source": path.stem}
    return list(by_id.values())


def summarise(records: list[Record]) -> dict[str, Any]:
    turns = [r["turns"] for r in records]
    summary: dict[str, Any] = {"vignettes": len(records)}
    summary.update(
        {name: ratio(records, applies, hit) for name, (_, applies, hit) in RATIO_METRICS.items()}
    )
    summary["turns_median"] = statistics.median(turns) if turns else None
    summary["turns_max"] = max(turns) if turns else None
    summary["turns"] = f"median {summary['turns_median']:g}, max {max(turns)}" if turns else "-"
    summary["reasks"] = sum(r["reasked"] for r in records)
    summary["unrecognised"] = sum(r["unrecognised"] for r in records)
    # Counts of vignettes, as patient_sim gives them.
    summary["unsupported_flags"] = sum(1 for r in records if r.get("unsupported_flags"))
    summary["mixed_advice"] = sum(1 for r in records if r.get("mixed_advice"))
    summary["safe_urgency"] = ratio(
        records, everything, lambda r: r["triage"] is not None and not r["under_triage"]
    )
    return summary


def misses(record: Record) -> list[str]:
    found = ["error: " + record["error"]] if record["error"] else []
    if not record["completed"] and not record["error"]:
        found.append("no assessment")
    if record["completed"] and not record["triage_ok"]:
        found.append(
            "under-triage"
            if record["under_triage"]
            else "over-triage"
            if record["over_triage"]
            else "triage miss"
        )
    for key, name in (
        ("top1_ok", "top-1"),
        ("top3_ok", "top-3"),
        ("derm_ok", "dermatome"),
        ("red_flag_ok", "red flag"),
    ):
        if record[key] is False:
            found.append(f"{name} miss")
    return found


def expected_row(record: Record) -> str:
    """The got level when acceptable, else the most urgent acceptable level."""
    acceptable, got = record["expected"]["triage"], record["triage"]
    return got if got in acceptable else max(acceptable, key=TRIAGE_LEVELS.index)


def confusion(records: list[Record]) -> Counter:
    return Counter((expected_row(r), r["triage"] or NO_TRIAGE) for r in records)


def expected_first(record: Record) -> list[str]:
    return record["expected"].get("cause_top1_any") or []


def found_within(record: Record, depth: int) -> bool:
    return any(cause in record["causes"][:depth] for cause in expected_first(record))


def condition_recall(records: list[Record]) -> dict[str, tuple[Ratio, Ratio]]:
    """Cause id -> (top-1, top-3 hit rate) over the vignettes naming it in cause_top1_any."""
    recall = {}
    for cause in sorted({c for r in records for c in expected_first(r)}):
        pool = [r for r in records if cause in expected_first(r)]
        recall[cause] = (
            ratio(pool, everything, lambda r: found_within(r, 1)),
            ratio(pool, everything, lambda r: found_within(r, 3)),
        )
    return recall


def gate_passes(value: Ratio | int, kind: str, threshold: int) -> bool:
    if isinstance(value, int):  # a count of vignettes
        return value <= threshold
    if kind == "max":
        return value.hits <= threshold
    return value.total > 0 and value.hits * 100 >= threshold * value.total  # no float rounding


def gate_results(summary: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [
        (label, str(summary[metric]), gate_passes(summary[metric], kind, threshold))
        for label, metric, kind, threshold in GATES
    ]


def plot_confusion(matrix: Counter, path: Path) -> None:
    columns = TRIAGE_LEVELS + (NO_TRIAGE,)
    grid = [[matrix[(row, col)] for col in columns] for row in TRIAGE_LEVELS]
    darkest = max(max(row) for row in grid) or 1
    fig, ax = plt.subplots(figsize=(6.5, 5))
    ax.imshow(grid, cmap="Blues", vmin=0, vmax=darkest)
    ax.set_xticks(range(len(columns)), columns, rotation=30)
    ax.set_yticks(range(len(TRIAGE_LEVELS)), TRIAGE_LEVELS)
    ax.set(xlabel="assistant's triage", ylabel="expected triage", title="Triage confusion matrix")
    for y, row in enumerate(grid):
        for x, count in enumerate(row):
            colour = "white" if count > darkest / 2 else "black"
            ax.text(x, y, str(count), ha="center", va="center", color=colour)
    save(fig, path)


def plot_per_condition(recall: dict[str, tuple[Ratio, Ratio]], path: Path) -> None:
    names = list(recall)
    fig, ax = plt.subplots(figsize=(8, 1 + 0.45 * max(len(names), 1)))
    for offset, index, label in ((-0.2, 0, "top-1"), (0.2, 1, "top-3")):
        values = [recall[name][index].percent or 0 for name in names]
        ax.barh([y + offset for y in range(len(names))], values, height=0.4, label=label)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set(xlim=(0, 100), xlabel="hit rate (%)", title="Per-condition recall")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    save(fig, path)


def save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def summary_section(summaries: dict[str, dict[str, Any]]) -> list[str]:
    rows = [[label] + [str(s[key]) for s in summaries.values()] for key, label in SUMMARY_ROWS]
    return ["## Summary", ""] + md_table(["metric", *summaries], rows)


def gates_section(summary: dict[str, Any]) -> list[str]:
    rows = [[label, value, "PASS" if ok else "FAIL"] for label, value, ok in gate_results(summary)]
    return ["## Release gates", ""] + md_table(["gate", "value", "result"], rows)


def benchmark_section(summary: dict[str, Any]) -> list[str]:
    rows = [[label, str(summary[metric]), *published] for label, metric, published in BENCHMARKS]
    note = (
        "Published figures are from other vignette sets (clinical-facts.md); ours are "
        "from our own vignettes, so the comparison is indicative only."
    )
    return ["## Comparison with published symptom checkers", "", note, ""] + md_table(
        ["measure", "this assistant", *BENCHMARK_SOURCES], rows
    )


def confusion_section(matrix: Counter) -> list[str]:
    columns = list(TRIAGE_LEVELS) + [NO_TRIAGE]
    rows = [[row] + [str(matrix[(row, col)]) for col in columns] for row in TRIAGE_LEVELS]
    intro = (
        "Rows: expected level (the assistant's level when it was acceptable, else the "
        "most urgent acceptable level). Columns: the assistant's level."
    )
    return [
        "## Triage confusion matrix",
        "",
        intro,
        "",
        "![Triage confusion matrix](confusion_matrix.png)",
        "",
    ] + md_table(["expected \\ got"] + columns, rows)


def condition_section(recall: dict[str, tuple[Ratio, Ratio]]) -> list[str]:
    rows = [[cause, str(top1), str(top3)] for cause, (top1, top3) in recall.items()]
    return [
        "## Per-condition recall",
        "",
        "![Per-condition recall](per_condition.png)",
        "",
    ] + md_table(["cause (cause_top1_any)", "top-1", "top-3"], rows)


def transcript_name(vignette_id: str) -> str:
    """As patient_sim.transcript_name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", vignette_id) + ".txt"


def read_transcript(directory: Path | None, vignette_id: str) -> str | None:
    path = directory / transcript_name(vignette_id) if directory else None
    return path.read_text(encoding="utf-8") if path and path.is_file() else None


def listed(values: list[str]) -> str:
    return ", ".join(values) or "-"


def fenced(text: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", text.rstrip("\n"), fence, ""]


def failures_section(records: list[Record], transcripts: Path | None) -> list[str]:
    failing = [r for r in records if misses(r)]
    lines = [
        "## Failing vignettes",
        "",
        f"{len(failing)} of {len(records)} vignettes missed at least one expectation.",
        "",
    ]
    for r in failing:
        expected = "/".join(r["expected"]["triage"])
        lines += [
            f"### {r['id']} ({r['source']})",
            "",
            f"- misses: {', '.join(misses(r))}",
            f"- expected triage {expected}, got {r['triage'] or '-'}",
            f"- top-3 causes: {listed(r['causes'][:3])}; dermatomes: "
            f"{listed(r['dermatomes'])}; red flags: {listed(r['red_flags'])}",
            "",
        ]
        text = read_transcript(transcripts, r["id"])
        lines += fenced(text) if text is not None else ["(no transcript found)", ""]
    return lines


def write_report(records: list[Record], transcripts: Path | None, out: Path) -> dict[str, Any]:
    summary = summarise(records)
    sources = sorted({r["source"] for r in records})
    summaries = {"all": summary} | {
        s: summarise([r for r in records if r["source"] == s]) for s in sources
    }
    matrix, recall = confusion(records), condition_recall(records)
    plot_confusion(matrix, out / "confusion_matrix.png")
    plot_per_condition(recall, out / "per_condition.png")
    lines = [
        "# Clinical evaluation",
        "",
        f"{len(records)} vignettes from {len(sources)} source(s): {', '.join(sources)}.",
        "",
    ]
    lines += summary_section(summaries) + gates_section(summary) + benchmark_section(summary)
    lines += confusion_section(matrix) + condition_section(recall)
    lines += failures_section(records, transcripts)
    (out / "eval.md").write_text("\n".join(lines), encoding="utf-8")
    return summary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--results",
        type=Path,
        nargs="+",
        required=True,
        help="JSON files written by patient_sim.py --json",
    )
    parser.add_argument("--transcripts", type=Path, help="patient_sim.py --transcripts directory")
    parser.add_argument("--out", type=Path, default=Path("reports"))
    parser.add_argument("--gate", action="store_true", help="exit 1 when a release gate fails")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        records = load_records(args.results)
        args.out.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"eval_report: cannot read the results: {exc!r}", file=sys.stderr)
        return 2
    summary = write_report(records, args.transcripts, args.out)
    print(f"eval_report: wrote {args.out / 'eval.md'} ({len(records)} vignettes)")
    if not args.gate:
        return 0
    gates = gate_results(summary)
    for label, value, ok in gates:
        print(f"{'PASS' if ok else 'FAIL'}  {label}: {value}")
    return 0 if all(ok for _, _, ok in gates) else 1


if __name__ == "__main__":
    sys.exit(main())
