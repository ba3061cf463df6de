"""tools/check_vignettes.py: our own vignettes load in patient_sim and meet the coverage rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKER = REPO_ROOT / "tools" / "check_vignettes.py"

GOOD = """\
- id: own-x-{n}
  opening: "pain down the outside of my left leg"
  answers:
    pain_side: "left"
  expect:
    triage: [self_care]
    cause_top1_any: [sciatica]
  note: "a reason"
"""


def run_checker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )


def test_real_vignettes_meet_every_coverage_rule() -> None:
    result = run_checker()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all coverage rules met" in result.stdout
    for heading in (
        "cause (cause_top1_any):",
        "red flag (scripted yes + expected):",
        "dermatome (dermatomes_any):",
        "side (pain_side answer):",
        "triage (acceptable levels):",
    ):
        assert heading in result.stdout


def test_too_few_vignettes_fail_coverage(tmp_path: Path) -> None:
    (tmp_path / "one.yml").write_text(GOOD.format(n=1), encoding="utf-8")
    result = run_checker("--dir", str(tmp_path))
    assert result.returncode == 1
    assert "only 1 vignettes, needs 90" in result.stderr
    assert "cause (cause_top1_any): dvt has 0, needs 3" in result.stderr


def test_unknown_ids_fail(tmp_path: Path) -> None:
    text = (
        GOOD.format(n=1)
        .replace("[sciatica]", "[slipped_disc]")
        .replace('    pain_side: "left"', '    pain_side: "left"\n    tummy_ache: "yes"')
    )
    (tmp_path / "one.yml").write_text(text, encoding="utf-8")
    result = run_checker("--dir", str(tmp_path))
    assert result.returncode == 1
    assert "own-x-1: unknown cause id 'slipped_disc'" in result.stderr
    assert "own-x-1: unknown answer topic 'tummy_ache'" in result.stderr


def test_missing_note_and_foreign_id_are_reported(tmp_path: Path) -> None:
    text = GOOD.format(n=1).replace('  note: "a reason"\n', "").replace("own-x-1", "pub-x-1")
    (tmp_path / "one.yml").write_text(text, encoding="utf-8")
    result = run_checker("--dir", str(tmp_path))
    assert result.returncode == 1
    assert "pub-x-1: no note" in result.stderr
    assert "pub-x-1: id does not start with one of ('own-', 'blind-')" in result.stderr


def test_denied_red_flag_cannot_be_expected(tmp_path: Path) -> None:
    text = (
        GOOD.format(n=1)
        .replace('    pain_side: "left"', '    pain_side: "left"\n    fever: "no, no temperature"')
        .replace(
            "    cause_top1_any: [sciatica]",
            "    cause_top1_any: [sciatica]\n    red_flags_any: [fever]",
        )
    )
    (tmp_path / "one.yml").write_text(text, encoding="utf-8")
    result = run_checker("--dir", str(tmp_path))
    assert "red flag fever expected but the scripted answer denies it" in result.stderr
