"""The classic picture of each condition ranks it first, with reasons."""

import pytest

from engine.scoring import score_causes
from tests.unit.conftest import findings

CLASSIC = {
    "herniated_disc": dict(
        pain_location=["outer foot", "little toe"],
        pain_side="left",
        pain_quality=["shooting"],
        pain_triggers=["sitting", "coughing"],
        back_pain=True,
        pain_duration_days=10,
    ),
    "sciatica": dict(
        pain_location=["buttock", "back of thigh", "calf", "heel"],
        pain_side="right",
        pain_quality=["shooting", "electric"],
        pain_duration_days=8,
    ),
    "spinal_stenosis": dict(
        pain_location=["buttock", "thigh", "calf"],
        pain_side="both",
        pain_triggers=["walking", "standing"],
        pain_relievers=["sitting", "bending_forward"],
        age=71,
        back_pain=True,
    ),
    "shingles": dict(
        pain_location=["inner lower leg"],
        pain_side="right",
        rash=True,
        pain_quality=["burning"],
        chickenpox_history=True,
        pain_duration_days=4,
    ),
    "postherpetic_neuralgia": dict(
        pain_location=["front of thigh"],
        pain_quality=["burning"],
        pain_triggers=["touch"],
        risk_factors=["shingles_before"],
        pain_duration_days=200,
        rash=False,
    ),
    "diabetic_neuropathy": dict(
        pain_location=["toes"],
        pain_side="both",
        diabetes_history=True,
        pain_quality=["burning", "numbness"],
        pain_triggers=["night"],
    ),
    "cauda_equina_syndrome": dict(
        pain_location=["back of thigh"],
        saddle_numbness=True,
        bladder_bowel_dysfunction=True,
        back_pain=True,
    ),
    "dvt": dict(
        pain_location=["calf"],
        pain_side="left",
        calf_swelling=True,
        risk_factors=["long_travel"],
        pain_quality=["throbbing"],
    ),
    "peripheral_artery_disease": dict(
        pain_location=["calf"],
        pain_triggers=["walking"],
        pain_relievers=["standing_still"],
        risk_factors=["smoking"],
        age=68,
        back_pain=False,
    ),
    "acute_limb_ischemia": dict(
        pain_location=["foot"],
        cold_pale_leg=True,
        pain_quality=["numbness"],
        pain_duration_days=0.2,
    ),
    "meralgia_paresthetica": dict(
        pain_location=["outer thigh"],
        pain_quality=["numbness", "burning"],
        risk_factors=["tight_clothing"],
        back_pain=False,
    ),
    "peroneal_nerve_palsy": dict(
        pain_location=["outer lower leg", "top of foot"],
        foot_drop=True,
        risk_factors=["leg_crossing"],
        back_pain=False,
    ),
    "nerve_trauma": dict(pain_location=["shin"], major_trauma=True, pain_quality=["numbness"]),
    "spinal_tumor_or_infection": dict(
        pain_location=["back of thigh"], back_pain=True, fever=True, immunosuppression=True
    ),
}


@pytest.mark.parametrize("cause_id", sorted(CLASSIC))
def test_the_classic_picture_ranks_its_cause_first(kb, cause_id):
    causes = score_causes(findings(**CLASSIC[cause_id]), kb)
    assert causes[0].id == cause_id
    assert causes[0].evidence, "the top cause explains itself"


def test_scores_are_probabilities_in_rank_order(kb):
    causes = score_causes(findings(**CLASSIC["shingles"]), kb)
    scores = [cause.score for cause in causes]
    assert scores == sorted(scores, reverse=True)
    assert abs(sum(scores) - 1) < 0.01


def test_a_rash_moves_a_burning_band_from_disc_to_shingles(kb):
    base = dict(pain_location=["inner lower leg"], pain_side="right", pain_quality=["burning"])
    assert score_causes(findings(**base, rash=True), kb)[0].id == "shingles"
    assert score_causes(findings(**base, rash=False, back_pain=True), kb)[0].id != "shingles"


def test_no_chickenpox_argues_against_shingles(kb):
    with_history = score_causes(findings(**CLASSIC["shingles"]), kb)
    without = score_causes(findings(**{**CLASSIC["shingles"], "chickenpox_history": False}), kb)
    share = {c.id: c.score for c in with_history}["shingles"]
    assert {c.id: c.score for c in without}["shingles"] < share
