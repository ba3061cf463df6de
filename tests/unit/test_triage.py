"""One test per triage rule of ../shared/reference/clinical-facts.md."""

import pytest

from engine.scoring import score_causes
from engine.triage import decide_triage
from tests.unit.conftest import findings

SCIATICA = dict(
    pain_location=["buttock", "back of thigh", "calf", "outer foot"],
    pain_side="left",
    pain_quality=["shooting"],
    pain_triggers=["sitting", "coughing"],
    back_pain=True,
    pain_duration_days=10,
    pain_severity=5,
    age=40,
)


def triage(kb, **slots):
    found = findings(**slots)
    return decide_triage(found, score_causes(found, kb), kb).level


# Emergency
@pytest.mark.parametrize("flag", ["saddle_numbness", "bladder_bowel_dysfunction"])
def test_cauda_equina_signs_are_an_emergency(kb, flag):
    assert triage(kb, **SCIATICA, **{flag: True}) == "emergency"


def test_sciatica_in_both_legs_is_an_emergency(kb):
    assert (
        triage(kb, **{**SCIATICA, "pain_side": "both"}, bilateral_leg_symptoms=True) == "emergency"
    )


def test_worsening_weakness_in_both_legs_is_an_emergency(kb):
    assert (
        triage(
            kb,
            pain_location=["calf"],
            pain_side="both",
            bilateral_leg_symptoms=True,
            progressive_weakness=True,
            pain_quality=["weakness"],
        )
        == "emergency"
    )


def test_a_swollen_calf_with_breathlessness_is_an_emergency(kb):
    assert (
        triage(kb, pain_location=["calf"], calf_swelling=True, chest_pain_or_breathlessness=True)
        == "emergency"
    )


def test_a_cold_pale_leg_is_an_emergency(kb):
    assert (
        triage(kb, pain_location=["calf", "foot"], cold_pale_leg=True, pain_quality=["numbness"])
        == "emergency"
    )


def test_leg_pain_after_major_trauma_is_an_emergency(kb):
    assert (
        triage(kb, pain_location=["shin"], major_trauma=True, pain_quality=["numbness"])
        == "emergency"
    )


# Urgent
def test_a_swollen_warm_calf_is_urgent(kb):
    assert (
        triage(
            kb,
            pain_location=["calf"],
            pain_side="right",
            calf_swelling=True,
            pain_quality=["throbbing"],
            risk_factors=["long_travel"],
        )
        == "urgent"
    )


def test_a_burning_band_with_blisters_is_urgent_shingles(kb):
    assert (
        triage(
            kb,
            pain_location=["inner lower leg"],
            pain_side="right",
            rash=True,
            pain_quality=["burning"],
            chickenpox_history=True,
            pain_duration_days=3,
        )
        == "urgent"
    )


def test_shingles_pain_without_rash_is_urgent_when_immunosuppressed(kb):
    assert (
        triage(
            kb,
            pain_location=["front of thigh"],
            pain_side="left",
            pain_quality=["burning"],
            rash=False,
            immunosuppression=True,
            pain_duration_days=2,
        )
        == "urgent"
    )


@pytest.mark.parametrize("flag", ["foot_drop", "progressive_weakness"])
def test_new_foot_drop_or_worsening_weakness_in_one_leg_is_urgent(kb, flag):
    assert triage(kb, **SCIATICA, **{flag: True}) == "urgent"


@pytest.mark.parametrize(
    "flag",
    ["fever", "immunosuppression", "cancer_history", "unexplained_weight_loss", "night_pain"],
)
def test_signs_of_spinal_infection_or_cancer_are_urgent(kb, flag):
    assert triage(kb, **SCIATICA, **{flag: True}) == "urgent"


def test_a_diabetic_foot_ulcer_is_urgent(kb):
    assert (
        triage(
            kb,
            pain_location=["toes"],
            pain_side="both",
            diabetes_history=True,
            pain_quality=["numbness"],
            risk_factors=["foot_ulcer"],
            pain_duration_days=200,
        )
        == "urgent"
    )


# See a doctor
def test_pain_lasting_more_than_four_weeks_needs_a_doctor(kb):
    assert triage(kb, **{**SCIATICA, "pain_duration_days": 60}) == "see_doctor"


def test_pain_getting_worse_needs_a_doctor(kb):
    assert triage(kb, **SCIATICA, risk_factors=["worsening"]) == "see_doctor"


def test_severe_pain_needs_a_doctor(kb):
    assert triage(kb, **{**SCIATICA, "pain_severity": 9}) == "see_doctor"


def test_weakness_that_is_not_worsening_needs_a_doctor(kb):
    assert (
        triage(
            kb, **{**SCIATICA, "pain_quality": ["shooting", "weakness"]}, progressive_weakness=False
        )
        == "see_doctor"
    )


def test_diabetic_neuropathy_in_both_feet_needs_a_doctor_not_an_ambulance(kb):
    assert (
        triage(
            kb,
            pain_location=["toes"],
            pain_side="both",
            bilateral_leg_symptoms=True,
            diabetes_history=True,
            pain_quality=["burning", "tingling"],
            pain_triggers=["night"],
            pain_duration_days=240,
        )
        == "see_doctor"
    )


def test_calf_claudication_needs_a_doctor(kb):
    assert (
        triage(
            kb,
            pain_location=["calf"],
            pain_side="right",
            pain_triggers=["walking"],
            pain_relievers=["standing_still"],
            pain_quality=["cramping"],
            age=70,
            back_pain=False,
            risk_factors=["smoking"],
            pain_duration_days=20,
        )
        == "see_doctor"
    )


def test_neurogenic_claudication_in_both_legs_needs_a_doctor(kb):
    assert (
        triage(
            kb,
            pain_location=["buttock", "calf"],
            pain_side="both",
            bilateral_leg_symptoms=True,
            pain_triggers=["walking", "standing"],
            pain_relievers=["sitting", "bending_forward"],
            pain_quality=["aching"],
            age=72,
            back_pain=True,
            pain_duration_days=20,
        )
        == "see_doctor"
    )


def test_pain_three_months_after_shingles_needs_a_doctor(kb):
    assert (
        triage(
            kb,
            pain_location=["front of thigh"],
            pain_side="left",
            pain_quality=["burning"],
            pain_triggers=["touch"],
            risk_factors=["shingles_before"],
            rash=False,
            pain_duration_days=120,
        )
        == "see_doctor"
    )


# Self-care
def test_one_sided_sciatica_for_days_without_warning_signs_is_self_care(kb):
    assert triage(kb, **SCIATICA) == "self_care"
