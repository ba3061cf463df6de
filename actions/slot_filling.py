"""Filling the interview's slots from each message, and steering the form: thin adapters
over engine.turn, which computes the turn."""

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Text

import yaml
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_entities, latest_intent, requested_slot, slot_values
from engine.turn import read_message, steer
from knowledge import knowledge
from knowledge.contract import (
    DIARY_FORM,
    EXTRACT_ACTION,
    FORM,
    LOG_DIARY_INTENT,
    VALIDATE_ACTION,
)
from wording.interview import notice_text

RULES_DIR = Path(__file__).resolve().parents[1] / "data" / "rules"
# The response that answers a non-answer, by intent ("what's the weather?").
NON_ANSWER_RESPONSES = {"out_of_scope": "utter_out_of_scope", "chitchat": "utter_chitchat"}


@lru_cache(maxsize=1)
def rule_intents() -> FrozenSet[str]:
    """Intents a rule answers during the interview (explain, knowledge, goodbye...): a reply
    with one of them that fills no slot is not a miss. Read from data/rules/, the one list of
    them: the rules that hold while the form is active, except those handing the reply
    straight back to the form (a greeting, a reply the classifier was unsure of): nothing
    else answers those, so they are replies that can miss, counted like any other (else Rasa
    rejects the form, falls back and rewinds, and the same reply loops for ever)."""
    intents = set()
    for path in sorted(RULES_DIR.glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules") or []:
            if {"active_loop": FORM} not in (rule.get("condition") or []):
                continue
            steps = rule.get("steps") or []
            if [step["action"] for step in steps if "action" in step][:1] == [FORM]:
                continue
            intents |= {step["intent"] for step in steps if "intent" in step}
    return frozenset(intents)


def diary_checkin(tracker: Tracker) -> bool:
    """A pain-diary check-in's message: the interview's slots keep what the interview was
    told (the diary's entry is compared with them)."""
    loop = (tracker.active_loop or {}).get("name")
    return loop == DIARY_FORM or (loop != FORM and latest_intent(tracker) == LOG_DIARY_INTENT)


def _changes(new: Dict[str, Any], old: Dict[str, Any]) -> List[EventType]:
    return [SlotSet(name, value) for name, value in new.items() if old.get(name) != value]


class ActionExtractFindings(Action):
    """The custom slot mapping of every finding slot: runs after every user message."""

    def name(self) -> Text:
        return EXTRACT_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if diary_checkin(tracker):  # the check-in reads its replies itself (actions/diary.py)
            return []
        slots = slot_values(tracker)
        updates = read_message(
            latest_entities(tracker), slots, requested_slot(tracker), knowledge()
        )
        return _changes(updates, slots)


class ValidateSymptomForm(FormValidationAction):
    """Steers the form: the engine's steering as events, its notices as messages."""

    def name(self) -> Text:
        return VALIDATE_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        intent = latest_intent(tracker)
        steering = steer(
            slot_values(tracker),
            list(tracker.slots_to_validate()),
            tracker.get_slot("requested_slot"),
            intent,
            kb,
            handled_elsewhere=intent in rule_intents(),
        )
        for notice in steering.notices:
            if notice.kind == "non_answer":
                dispatcher.utter_message(response=NON_ANSWER_RESPONSES[notice.value or ""])
            else:
                dispatcher.utter_message(text=notice_text(notice, kb))
        events = [SlotSet(name, value) for name, value in steering.updates.items()]
        return events + [SlotSet("requested_slot", steering.next_slot)]


__all__ = ["ActionExtractFindings", "ValidateSymptomForm", "FORM"]
