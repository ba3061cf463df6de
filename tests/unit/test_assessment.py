"""The assessment payload keeps CONTRACT section 4's shape and always says when to get care."""

from knowledge.contract import CAUSE_IDS, TRIAGE_LEVELS
from tests.unit.conftest import findings
from tests.unit.test_scoring import CLASSIC
from wording.assessment import assessment_payload as build_assessment
from wording.assessment import explain
from wording.diary import pain_diary


def test_payload_shape_follows_the_contract(kb):
    assessment = build_assessment(findings(**CLASSIC["herniated_disc"]), kb)
    assert assessment["triage"] in TRIAGE_LEVELS
    assert assessment["causes"]  # the most likely always; others only where they fit
    for cause in assessment["causes"]:
        assert cause["id"] in CAUSE_IDS and cause["name"] and 0 <= cause["score"] <= 1
        assert isinstance(cause["why"], list)
    assert assessment["dermatomes"] == ["S1"]
    assert assessment["self_care"] and assessment["see_doctor"] and assessment["sources"]


def test_every_assessment_says_it_is_not_a_diagnosis_and_when_to_seek_care(kb):
    for picture in CLASSIC.values():
        assessment = build_assessment(findings(**picture), kb)
        texts = " ".join(explain(assessment, kb))
        assert "not a diagnosis" in texts
        assert assessment["see_doctor"]


def test_an_emergency_gives_no_home_care(kb):
    assessment = build_assessment(findings(**CLASSIC["cauda_equina_syndrome"]), kb)
    assert assessment["triage"] == "emergency"
    assert assessment["self_care"] == []
    assert "ambulance" in assessment["see_doctor"]


def test_the_pain_diary_lists_what_was_reported(kb):
    diary = pain_diary(
        {
            "pain_location": ["heel"],
            "pain_side": "left",
            "pain_duration_days": 21,
            "saddle_numbness": False,
            "fever": True,
        },
        kb,
    )
    assert "heel" in diary and "left" in diary and "about 3 weeks" in diary
    assert "Fever or chills" in diary and "Numbness between the legs" in diary


def test_emergency_causes_that_do_not_fit_are_not_named(kb):
    for picture in ("herniated_disc", "sciatica", "meralgia_paresthetica", "shingles"):
        assessment = build_assessment(findings(**CLASSIC[picture]), kb)
        ids = [c["id"] for c in assessment["causes"]]
        assert ids[0] == picture
        assert not {"cauda_equina_syndrome", "acute_limb_ischemia"} & set(ids), picture
