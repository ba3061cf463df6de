"""The action server's adapters, run with rasa-sdk's CollectingDispatcher and trackers."""

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAssessment, ActionPainDiary
from actions.knowledge_answers import ActionAnswerKnowledge
from actions.questions import ASK_ACTIONS, ActionExplainQuestion
from actions.slot_filling import ActionExtractFindings, ValidateSymptomForm
from language.extract import extractor

DOMAIN: Dict[str, Any] = {"forms": {"symptom_form": {"required_slots": ["pain_location"]}}}


def tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    form: bool = False,
    events: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": extractor().entities(text) if text else [],
    }
    return Tracker(
        "patient-1",
        dict(slots or {}),
        message,
        events or [],
        False,
        None,
        {"name": "symptom_form"} if form else {},
        "action_listen",
    )


def run(action, track: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, DOMAIN))
    return dispatcher.messages, events


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_extraction_fills_slots_and_derives_dermatomes():
    _, events = run(ActionExtractFindings(), tracker(text="shooting pain in my left little toe"))
    slots = slot_events(events)
    assert slots["pain_location"] == ["little toe"] and slots["pain_side"] == "left"
    assert slots["dermatomes"] == ["S1"]


def test_extraction_reads_an_answer_in_the_context_of_the_question():
    track = tracker({"requested_slot": "age"}, text="54", form=True)
    _, events = run(ActionExtractFindings(), track)
    assert slot_events(events)["age"] == 54


def test_every_question_has_buttons_and_an_i_dont_know():
    for action_class in ASK_ACTIONS:
        messages, _ = run(action_class(), tracker())
        assert messages[0]["text"] and messages[0]["buttons"], action_class.slot


def test_the_warning_sign_question_asks_its_whole_group():
    ask = next(a for a in ASK_ACTIONS if a.slot == "saddle_numbness")()
    messages, _ = run(ask, tracker({"bladder_bowel_dysfunction": False}))
    assert "saddle" in messages[0]["text"] and "peeing" not in messages[0]["text"]


def test_why_do_you_ask_gives_the_reason_for_the_pending_question():
    messages, _ = run(ActionExplainQuestion(), tracker({"requested_slot": "rash"}, form=True))
    assert "shingles" in messages[0]["text"]


def test_the_form_asks_what_is_still_missing():
    track = tracker(
        {"requested_slot": "pain_location", "pain_location": ["heel"]},
        events=[
            {"event": "action", "name": "symptom_form"},
            {"event": "slot", "name": "pain_location", "value": ["heel"]},
        ],
    )
    _, events = run(ValidateSymptomForm(), track)
    assert SlotSet("requested_slot", "pain_side") in events


def test_the_form_moves_on_after_two_misunderstood_replies():
    form = ValidateSymptomForm()
    track = tracker(
        {"requested_slot": "pain_severity", "misunderstood": 1, "pain_location": ["heel"]},
        text="banana",
        intent="nlu_fallback",
        events=[{"event": "action", "name": "symptom_form"}],
    )
    messages, events = run(form, track)
    assert slot_events(events)["unanswered"] == ["pain_severity"]
    assert "skip" in messages[0]["text"]


def test_the_assessment_explains_and_sends_the_contract_payload():
    slots = {
        "pain_location": ["outer foot", "little toe"],
        "pain_side": "left",
        "pain_quality": ["shooting"],
        "pain_triggers": ["sitting"],
        "back_pain": True,
        "pain_duration_days": 5,
        "pain_severity": 4,
    }
    messages, _ = run(ActionAssessment(), tracker(slots))
    payloads = [m["custom"] for m in messages if m.get("custom")]
    assert payloads and payloads[0]["assessment"]["triage"] == "self_care"
    texts = " ".join(m["text"] or "" for m in messages if m.get("text"))
    assert "not a diagnosis" in texts and "S1" in texts
    images = [m["image"] for m in messages if m.get("image")]
    assert images and images[0].endswith("/maps/dermatomes.png?highlight=S1")


@pytest.mark.parametrize(
    "question, expected",
    [("what is a dermatome?", "strip of skin"), ("what does an MRI show?", "magnet")],
)
def test_knowledge_questions_are_answered_from_the_knowledge_base(question, expected):
    messages, _ = run(ActionAnswerKnowledge(), tracker(text=question, intent="ask_knowledge"))
    assert expected in messages[0]["text"] and "Source:" in messages[0]["text"]


def test_the_pain_diary_summarises_the_conversation():
    messages, _ = run(ActionPainDiary(), tracker({"pain_location": ["heel"], "age": 50}))
    assert "heel" in messages[0]["text"] and "50" in messages[0]["text"]
