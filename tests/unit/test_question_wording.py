"""Questions read naturally and say what they ask: the shared harness's keyword classifier
(used when a client cannot read the tracker) finds each question's topic, and a list of
warning signs names exactly the signs it lists - no more (a stray "weak" once made a
question about immunity read as a question about leg weakness)."""

import importlib.util
import sys

import pytest

from knowledge.contract import FINDING_SLOTS, RED_FLAG_IDS
from tests.support.shared import PATIENT_SIM
from wording.interview import slot_question as question_for


@pytest.fixture(scope="module")
def sim():
    spec = importlib.util.spec_from_file_location("patient_sim", PATIENT_SIM)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("patient_sim", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("slot", [s for s in FINDING_SLOTS])
def test_each_question_is_recognisable(kb, sim, slot):
    text, _ = question_for(slot, {}, kb)
    assert slot in sim.matching_topics(text)


@pytest.mark.parametrize("group", ["spine_nerves", "circulation", "general"])
def test_a_warning_sign_question_names_exactly_its_signs(kb, sim, group):
    flags = [f for f, spec in kb.red_flags.flags.items() if spec.group == group]
    text, buttons = question_for(flags[0], {}, kb)
    assert set(sim.matching_topics(text)) & set(RED_FLAG_IDS) == set(flags)
    assert len(buttons) == len(flags) + 1


@pytest.mark.parametrize("flag", RED_FLAG_IDS)
@pytest.mark.parametrize("how", ["one at a time", "suspected"])
def test_a_sign_asked_on_its_own_names_just_that_sign(kb, sim, flag, how):
    group = kb.red_flags.flags[flag].group
    slots = {"flag_followup": group} if how == "one at a time" else {"suspected_flag": flag}
    text, buttons = question_for(flag, slots, kb)
    assert set(sim.matching_topics(text)) & set(RED_FLAG_IDS) == {flag}, text
    assert buttons == ["yes", "no", "not sure"]


def test_a_single_remaining_sign_is_asked_alone(kb, sim):
    answered = {
        f: False
        for f in [
            "saddle_numbness",
            "bladder_bowel_dysfunction",
            "bilateral_leg_symptoms",
            "progressive_weakness",
        ]
    }
    text, buttons = question_for("foot_drop", answered, kb)
    assert set(sim.matching_topics(text)) & set(RED_FLAG_IDS) == {"foot_drop"}
    assert buttons == ["yes", "no", "not sure"]
