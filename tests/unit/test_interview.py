"""What one message tells the interview, and what it asks next."""

import datetime as dt

import pytest

from engine.interview import slot_updates
from engine.questions import next_question
from language.extract import extractor
from wording.interview import slot_question as question_for

MONDAY = dt.date(2024, 6, 10)


def updates(kb, text, slots=None, requested=None):
    return slot_updates(extractor().entities(text, MONDAY), slots or {}, requested, kb)


def test_one_message_fills_every_slot_it_names(kb):
    got = updates(kb, "burning on the outside of my left foot when I sit, no rash")
    assert got["pain_location"] == ["outer foot"]
    assert got["pain_side"] == "left"
    assert got["pain_quality"] == ["burning"]
    assert got["pain_triggers"] == ["sitting"]
    assert got["rash"] is False


@pytest.mark.parametrize(
    "text, slot, value",
    [
        ("never had chickenpox", "chickenpox_history", False),
        ("I can pee fine", "bladder_bowel_dysfunction", False),
        ("no numbness down below", "saddle_numbness", False),
        ("it's only my left leg", "bilateral_leg_symptoms", False),
        ("my back is fine", "back_pain", False),
        ("no fever", "fever", False),
    ],
)
def test_negations_set_false(kb, text, slot, value):
    assert updates(kb, text)[slot] is value


def test_a_correction_replaces_the_side(kb):
    assert updates(kb, "actually it's my left leg", {"pain_side": "right"})["pain_side"] == "left"


def test_a_bare_number_answers_the_question_asked(kb):
    assert updates(kb, "42", requested="age") == {"age": 42}
    assert updates(kb, "7", requested="pain_severity") == {"pain_severity": 7}
    assert "age" not in updates(kb, "42", requested="pain_location")


@pytest.mark.parametrize(
    "text, days",
    [("3 wks", 21), ("a couple of months", 60), ("since last Tuesday", 6), ("about 12 days", 12)],
)
def test_durations(kb, text, days):
    assert updates(kb, text, requested="pain_duration_days")["pain_duration_days"] == days


@pytest.mark.parametrize("text, score", [("about a seven", 7), ("7/10", 7), ("unbearable", 10)])
def test_severities(kb, text, score):
    assert updates(kb, text, requested="pain_severity")["pain_severity"] == score


def test_a_duration_about_something_else_is_not_the_pain(kb):
    assert "pain_duration_days" not in updates(kb, "I've been diabetic for 10 years")


def test_sitting_is_a_trigger_or_reliever_by_its_words(kb):
    assert updates(kb, "it's worse when sitting")["pain_triggers"] == ["sitting"]
    assert updates(kb, "sitting down eases it")["pain_relievers"] == ["sitting"]
    assert updates(kb, "sitting", requested="pain_relievers") == {"pain_relievers": ["sitting"]}


def test_i_dont_know_is_accepted_not_looped(kb):
    got = updates(kb, "I'm not sure", requested="pain_severity")
    assert got == {"unanswered": ["pain_severity"]}
    assert (
        next_question({"unanswered": ["pain_severity"], "pain_location": ["heel"]}, kb)
        != "pain_severity"
    )


def test_no_to_a_list_of_warning_signs_denies_them_all(kb):
    got = updates(kb, "no, none of these", requested="saddle_numbness")
    assert got["saddle_numbness"] is False and got["foot_drop"] is False
    assert "fever" not in got  # another group, not asked


def test_naming_one_warning_sign_answers_the_rest_of_the_list(kb):
    got = updates(kb, "yes, my foot drags when I walk", requested="saddle_numbness")
    assert got["foot_drop"] is True and got["saddle_numbness"] is False


def test_a_bare_yes_to_a_list_asks_the_signs_one_at_a_time(kb):
    got = updates(kb, "yes", requested="saddle_numbness")
    assert got == {"flag_followup": "spine_nerves"}  # nothing recorded as present
    text, buttons = question_for("saddle_numbness", got, kb)
    assert text == kb.responses.sign_questions["saddle_numbness"]
    assert buttons == ["yes", "no", "not sure"]


def test_one_at_a_time_a_yes_or_no_answers_only_the_sign_asked(kb):
    slots = {"flag_followup": "spine_nerves"}
    assert updates(kb, "yes", slots, requested="saddle_numbness") == {"saddle_numbness": True}
    assert updates(kb, "no", slots, requested="bladder_bowel_dysfunction") == {
        "bladder_bowel_dysfunction": False
    }


def test_not_sure_to_one_sign_records_it_as_not_known(kb):
    got = updates(kb, "not sure", {"flag_followup": "spine_nerves"}, requested="saddle_numbness")
    assert got == {"unanswered": ["saddle_numbness"]}


def test_a_vague_place_does_not_answer_where_exactly(kb):
    assert "pain_location" not in updates(kb, "my thigh burns")
    assert updates(kb, "my thigh", requested="pain_location")["pain_location"] == ["thigh"]


def test_questions_are_skipped_when_already_answered(kb):
    slots = {"pain_location": ["heel"], "pain_side": "left", "pain_quality": ["shooting"]}
    assert next_question(slots, kb) == "pain_duration_days"


def test_an_emergency_ends_the_interview(kb):
    assert next_question({"saddle_numbness": True}, kb) is None


def test_the_warning_sign_question_lists_only_what_is_unanswered(kb):
    text, _ = question_for("bladder_bowel_dysfunction", {"saddle_numbness": False}, kb)
    assert "saddle" not in text and "peeing" in text
