"""Issue 9's rules, one test each: never assume a finding, never skip the emergency screen,
escalate on context, one disposition, explain only what fits, roots from what the leg
cannot do (clinical-facts.md: triage rules, "Handling uncertainty", myotomes)."""

import re

from engine.assessment import assess
from engine.questions import next_question
from engine.turn import steer
from tests.unit.conftest import findings
from tests.unit.test_scoring import CLASSIC
from wording.assessment import assessment_payload

SPINE_GROUP = (
    "saddle_numbness",
    "bladder_bowel_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_weakness",
    "foot_drop",
)
# The shared harness's test for routine advice in an emergency or same-day assessment.
ROUTINE = {
    "emergency": re.compile(
        r"\bappointment\b|coming days|\bweeks?\b|not improved|\bbook\b"
        r"|urgent-care line|within 24 hours|if you (?:become|get|develop)"
        r"|if it gets worse",
        re.IGNORECASE,
    ),
    "urgent": re.compile(r"\b\d+ to \d+ weeks\b|coming days|not improved after", re.I),
}


def test_a_missed_list_of_signs_is_asked_one_at_a_time_never_skipped(kb):
    slots = {"requested_slot": "saddle_numbness", "misunderstood": 1, "pain_location": ["heel"]}
    steering = steer(slots, [], "saddle_numbness", None, kb)
    assert steering.updates == {"misunderstood": 0, "flag_followup": "spine_nerves"}
    assert [n.kind for n in steering.notices] == ["one_at_a_time"]
    assert "unanswered" not in steering.updates


def test_a_sign_missed_twice_on_its_own_is_not_known_not_present(kb):
    slots = {
        "requested_slot": "saddle_numbness",
        "misunderstood": 1,
        "flag_followup": "spine_nerves",
    }
    steering = steer(slots, [], "saddle_numbness", None, kb)
    assert steering.updates["unanswered"] == ["saddle_numbness"]
    assert "saddle_numbness" not in steering.updates


def test_an_emergency_sign_not_ruled_out_is_advised_as_an_emergency_and_says_why(kb):
    picture = {**CLASSIC["herniated_disc"], "unanswered": ["saddle_numbness"]}
    payload = assessment_payload(findings(**picture), kb)
    assert payload["triage"] == "emergency" and payload["red_flags"] == []
    assert any("could not rule out" in reason for reason in payload["triage_reasons"])
    assert payload["not_ruled_out"] == [kb.red_flags.flags["saddle_numbness"].label]


def test_another_sign_not_ruled_out_does_not_raise_the_level_but_is_safety_netted(kb):
    picture = {**CLASSIC["herniated_disc"], "unanswered": ["fever"]}
    payload = assessment_payload(findings(**picture), kb)
    assert payload["triage"] == "self_care" and "fever" not in payload["red_flags"]
    assert "If you notice fever or chills, see a doctor the same day." in payload["see_doctor"]


def test_both_legs_ask_the_cauda_equina_signs_at_once(kb):
    slots = {"pain_location": ["calf"], "bilateral_leg_symptoms": True, "pain_side": "both"}
    assert next_question(slots, kb) in SPINE_GROUP


def test_both_legs_on_walking_eased_by_leaning_forward_is_stenosis_not_an_emergency(kb):
    picture = dict(
        pain_location=["thigh", "calf"],
        pain_side="both",
        bilateral_leg_symptoms=True,
        pain_quality=["weakness", "numbness"],
        pain_triggers=["walking"],
        pain_relievers=["bending_forward"],
        age=71,
        back_pain=True,
    )
    result = assess(findings(**picture), kb)
    assert result.level == "see_doctor" and result.causes[0].id == "spinal_stenosis"


def test_a_slowly_creeping_stocking_pattern_in_diabetes_is_not_an_emergency(kb):
    result = assess(findings(**CLASSIC["diabetic_neuropathy"], bilateral_leg_symptoms=True), kb)
    assert result.level == "see_doctor"


def test_a_reply_naming_one_side_answers_both_legs_with_no(kb):
    from tests.unit.test_interview import updates

    got = updates(
        kb,
        "yes, the right leg is weaker each day",
        {"flag_followup": "spine_nerves"},
        requested="bilateral_leg_symptoms",
    )
    assert got["bilateral_leg_symptoms"] is False


def test_emergency_and_same_day_advice_never_mixes_in_routine_advice(kb):
    for picture in CLASSIC.values():
        for extra in (
            {},
            {"chest_pain_or_breathlessness": True},
            {"calf_swelling": True},
            {"unanswered": ["fever"]},
        ):
            payload = assessment_payload(findings(**{**picture, **extra}), kb)
            pattern = ROUTINE.get(payload["triage"])
            assert not (pattern and pattern.search(payload["see_doctor"])), payload["see_doctor"]


def test_a_clot_is_not_explained_with_the_dermatome_map(kb):
    payload = assessment_payload(findings(**CLASSIC["dvt"]), kb)
    assert payload["causes"][0]["id"] == "dvt" and payload["dermatome_map"] is False
    assert payload["dermatomes"]  # still derived from the location (CONTRACT section 3)
    assert "shingles" not in [c["id"] for c in payload["causes"]]  # no finding of its own


def test_two_causes_never_give_the_same_reasons_word_for_word(kb):
    for picture in CLASSIC.values():
        whys = [c["why"] for c in assessment_payload(findings(**picture), kb)["causes"] if c["why"]]
        assert len(whys) == len({tuple(why) for why in whys}), whys


def test_what_the_leg_cannot_do_points_to_its_root(kb):
    assert assess(findings(foot_drop=True), kb).dermatomes == ("L5",)
    assert assess(
        findings(pain_location=["buttock", "back of thigh"], foot_drop=True), kb
    ).dermatomes == ("L5", "S2")  # where it hurts counts as well
    assert assess(findings(motor_signs=["tiptoe"]), kb).dermatomes == ("S1",)
    assert assess(findings(motor_signs=["knee_giving_way"]), kb).dermatomes == ("L3", "L4")
