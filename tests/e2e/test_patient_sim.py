"""The clinical evaluation: the shared harness plays simulated patients against the running
bot (the same runner as `make eval`). Gates from issue 3 (public vignettes) and issue 4 (the
whole suite, checked by tools/eval_report.py --gate)."""

import json

from tests.support.summary import show
from tools.evaluate import report


def percent(summary, key):
    return summary[key]["percent"] if summary[key]["N"] else 100.0


def test_public_vignettes_pass_the_issue_3_gates(suite):
    s = json.loads(suite[0].read_text())["summary"]
    assert percent(s, "completed") == 100
    assert percent(s, "emergency_recall") == 100
    assert s["under_triage"]["n"] == 0
    assert percent(s, "triage_exact") >= 90
    assert percent(s, "top3") >= 90
    assert percent(s, "dermatome") >= 90
    assert s["reasks"] == 0 and s["unrecognised"] == 0
    assert s["turns_median"] <= 12


def test_no_set_states_a_flag_never_given_or_mixes_urgent_and_routine_advice(suite):
    for path in suite:
        s = json.loads(path.read_text())["summary"]
        assert (s["unsupported_flags"], s["mixed_advice"]) == (0, 0), path.stem


def test_the_whole_suite_passes_the_issue_4_gates(suite):
    assert sum(len(json.loads(p.read_text())["vignettes"]) for p in suite) >= 94
    assert report(suite, gate=True, shown=show) == 0, "a release gate failed: see reports/eval.md"
