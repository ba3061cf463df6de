"""tools/eval_report.py against records made by patient_sim's own Result.to_record/write_json."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_tool(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


report = load_tool("eval_report")
sim = load_tool("check_vignettes").load_patient_sim()  # ../shared/tools/patient_sim.py


def assessment(
    triage: str,
    causes: tuple[str, ...] = (),
    dermatomes: tuple[str, ...] = (),
    red_flags: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "triage": triage,
        "causes": [{"id": c, "name": c, "score": 0.5} for c in causes],
        "dermatomes": list(dermatomes),
        "red_flags": list(red_flags),
    }


def result(
    vignette_id: str,
    expect: dict[str, Any],
    got: dict[str, Any] | None,
    turns: int = 6,
    reasks: int = 0,
    unrecognised: int = 0,
) -> Any:
    """A patient_sim Result, scored by patient_sim itself."""
    vignette = sim.Vignette(
        id=vignette_id, opening="...", answers={}, expect=sim.Expectation(**expect)
    )
    convo = sim.Conversation(
        vignette_id=vignette_id, sender=f"sim-{vignette_id}", turns=turns, assessment=got
    )
    convo.questions = [
        sim.Question(
            text="Which side?",
            requested_slot="pain_side",
            topic=None if i < unrecognised else "pain_side",
            source="tracker",
            reask=i < reasks,
            answer="left",
        )
        for i in range(max(reasks, unrecognised, 1))
    ]
    convo.transcript = [f"USER: opening of {vignette_id}", "BOT:  a reply with ``` inside"]
    return sim.Result(vignette=vignette, conversation=convo, scores=sim.score(vignette.expect, got))


def mixed_results() -> list[Any]:
    return [
        result(
            "ok-sciatica",
            {
                "triage": ["self_care"],
                "cause_top1_any": ["sciatica"],
                "causes_top3_any": ["sciatica", "herniated_disc"],
                "dermatomes_any": ["S1"],
            },
            assessment("self_care", ("sciatica", "herniated_disc", "spinal_stenosis"), ("S1",)),
            turns=8,
        ),
        result(
            "under-ces",
            {
                "triage": ["emergency"],
                "cause_top1_any": ["cauda_equina_syndrome"],
                "red_flags_any": ["saddle_numbness"],
            },
            assessment("urgent", ("herniated_disc", "cauda_equina_syndrome")),
            turns=4,
            reasks=2,
        ),
        result(
            "over-selfcare",
            {"triage": ["self_care"], "dermatomes_any": ["L5"]},
            assessment("see_doctor", ("herniated_disc",), ("L4",)),
            turns=10,
            unrecognised=1,
        ),
        result(
            "multi-ok",
            {"triage": ["urgent", "emergency"], "cause_top1_any": ["spinal_tumor_or_infection"]},
            assessment("emergency", ("spinal_tumor_or_infection",)),
            turns=3,
        ),
        result(
            "multi-under",
            {"triage": ["urgent", "emergency"]},
            assessment("see_doctor", ("herniated_disc",)),
            turns=7,
        ),
        result("no-assessment", {"triage": ["see_doctor"]}, None, turns=25),
        result(
            "emergency-ok",
            {
                "triage": ["emergency"],
                "cause_top1_any": ["dvt"],
                "red_flags_any": ["chest_pain_or_breathlessness"],
            },
            assessment("emergency", ("dvt",), (), ("chest_pain_or_breathlessness",)),
            turns=2,
        ),
    ]


def good_results() -> list[Any]:
    return [
        result(
            "good-1",
            {
                "triage": ["emergency"],
                "cause_top1_any": ["dvt"],
                "causes_top3_any": ["dvt"],
                "dermatomes_any": ["L4"],
            },
            assessment("emergency", ("dvt",), ("L4",)),
        ),
        result(
            "good-2",
            {
                "triage": ["self_care"],
                "cause_top1_any": ["sciatica"],
                "causes_top3_any": ["sciatica"],
                "dermatomes_any": ["S1"],
            },
            assessment("self_care", ("sciatica",), ("S1",)),
        ),
    ]


def write_run(path: Path, results: list[Any]) -> Path:
    sim.write_json(path, results, sim.summarise(results))
    return path


@pytest.fixture
def mixed_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "mixed.json", mixed_results())


def as_json(summary: dict[str, Any]) -> dict[str, Any]:
    """Our summary in patient_sim's Summary.to_json shape, for the keys patient_sim has."""
    data: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, report.Ratio):
            value = {"n": value.hits, "N": value.total, "percent": value.percent}
        data[key] = value
    return data


def test_summary_matches_patient_sim(mixed_run: Path) -> None:
    expected = sim.summarise(mixed_results()).to_json()
    ours = as_json(report.summarise(report.load_records([mixed_run])))
    assert {key: ours[key] for key in expected} == expected


def test_summary_by_hand(mixed_run: Path) -> None:
    summary = report.summarise(report.load_records([mixed_run]))
    counts = {
        key: (value.hits, value.total)
        for key, value in summary.items()
        if isinstance(value, report.Ratio)
    }
    assert counts == {
        "completed": (6, 7),
        "triage_exact": (3, 7),
        "under_triage": (2, 6),
        "emergency_recall": (1, 2),
        "self_care_over_triage": (1, 2),
        "top1": (3, 4),
        "top3": (1, 1),
        "dermatome": (1, 2),
        "red_flag_recall": (1, 2),
        "safe_urgency": (4, 7),
    }
    assert (summary["turns_median"], summary["turns_max"]) == (7, 25)
    assert (summary["reasks"], summary["unrecognised"]) == (2, 1)


def test_runs_merge_and_later_run_wins(tmp_path: Path) -> None:
    results = mixed_results()
    first = write_run(tmp_path / "public.json", results[:3])
    second = write_run(tmp_path / "own.json", results[3:])
    records = report.load_records([first, second])
    assert as_json(report.summarise(records))["triage_exact"] == {
        "n": 3,
        "N": 7,
        "percent": 300 / 7,
    }
    assert {r["source"] for r in records} == {"public", "own"}
    rerun = write_run(
        tmp_path / "rerun.json",
        [good_results()[1]]
        + [result("under-ces", {"triage": ["emergency"]}, assessment("emergency"))],
    )
    merged = report.load_records([first, second, rerun])
    assert len(merged) == 8
    assert report.summarise(merged)["emergency_recall"] == report.Ratio(2, 2)


def test_confusion_matrix(mixed_run: Path) -> None:
    matrix = report.confusion(report.load_records([mixed_run]))
    assert matrix == {
        ("self_care", "self_care"): 1,
        ("emergency", "urgent"): 1,  # under-triaged emergency
        ("self_care", "see_doctor"): 1,  # over-triaged self care
        ("emergency", "emergency"): 2,  # exact, and urgent/emergency answered emergency
        ("emergency", "see_doctor"): 1,  # urgent/emergency missed: most urgent level is the row
        ("see_doctor", "none"): 1,  # no assessment
    }


def test_per_condition_recall(mixed_run: Path) -> None:
    recall = report.condition_recall(report.load_records([mixed_run]))
    assert set(recall) == {"sciatica", "cauda_equina_syndrome", "spinal_tumor_or_infection", "dvt"}
    assert recall["cauda_equina_syndrome"] == (report.Ratio(0, 1), report.Ratio(1, 1))
    assert recall["sciatica"] == (report.Ratio(1, 1), report.Ratio(1, 1))


def test_gates_fail_on_mixed_run(
    mixed_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = report.main(["--results", str(mixed_run), "--out", str(tmp_path / "r"), "--gate"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  emergency recall 100%" in out
    assert "FAIL  under-triage 0" in out
    assert "PASS  top-3 >= 90%" in out


def test_gates_pass_on_good_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write_run(tmp_path / "good.json", good_results())
    code = report.main(["--results", str(run), "--out", str(tmp_path / "r"), "--gate"])
    assert code == 0
    assert "FAIL" not in capsys.readouterr().out


def test_gate_thresholds_are_inclusive() -> None:
    summary = {metric: report.Ratio(1, 1) for _, metric, _, _ in report.GATES}
    summary["under_triage"] = report.Ratio(0, 5)
    summary["unsupported_flags"] = summary["mixed_advice"] = 0  # counts of vignettes
    summary["top1"] = report.Ratio(9, 10)  # exactly 90%
    summary["triage_exact"] = report.Ratio(94, 99)  # 94.9%
    verdicts = {label: ok for label, _, ok in report.gate_results(summary)}
    assert verdicts["top-1 >= 90%"] is True
    assert verdicts["triage exact >= 95%"] is False
    assert sum(not ok for ok in verdicts.values()) == 1
    summary["mixed_advice"] = 1
    assert not dict((g[0], g[2]) for g in report.gate_results(summary))[
        "no mixed urgent/routine advice"
    ]
    summary["emergency_recall"] = report.Ratio(0, 0)  # no evidence is no pass
    assert not dict((g[0], g[2]) for g in report.gate_results(summary))["emergency recall 100%"]


def test_report_files_and_failing_transcripts(mixed_run: Path, tmp_path: Path) -> None:
    transcripts = tmp_path / "transcripts"
    transcripts.mkdir()
    results = mixed_results()
    sim.write_transcripts(transcripts, [r for r in results if r.vignette.id != "multi-under"])
    out = tmp_path / "reports"
    assert (
        report.main(
            ["--results", str(mixed_run), "--transcripts", str(transcripts), "--out", str(out)]
        )
        == 0
    )
    for png in ("confusion_matrix.png", "per_condition.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (out / "eval.md").read_text(encoding="utf-8")
    for needle in (
        "## Summary",
        "| metric | all | mixed |",
        "| triage exact | 42.9% (3/7)",
        "![Triage confusion matrix](confusion_matrix.png)",
        "![Per-condition recall](per_condition.png)",
        "Semigran 2015",
        "Gilbert 2020",
        "Hill 2020",
        "| correct condition first | 75.0% (3/4) | 34% |",
        "| cauda_equina_syndrome | 0.0% (0/1) | 100.0% (1/1) |",
    ):
        assert needle in text
    failures = text.split("## Failing vignettes", 1)[1]
    assert "4 of 7 vignettes" in failures
    assert "### ok-sciatica" not in failures
    assert "### under-ces (mixed)" in failures and "under-triage" in failures
    assert "````text\nvignette: under-ces" in failures  # fence longer than the ``` inside
    assert "### multi-under (mixed)" in failures and "(no transcript found)" in failures


def test_unreadable_results_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    assert report.main(["--results", str(bad), "--out", str(tmp_path / "r")]) == 2
