"""Filling the interview's slots from each message, and steering the form."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import (latest_entities, latest_intent, latest_text, requested_slot,
                                  slot_values)
from engine.interview import derived_slots, group_of, next_question, pending_flags, slot_updates
from knowledge import knowledge

# Intents the rules answer (explain, knowledge, goodbye...) when they fill no slot.
RULE_INTENTS = {"ask_why", "ask_knowledge", "start_over", "start_over_confirmed", "goodbye",
                "bot_challenge", "ask_capabilities", "request_diary", "thank", "greet",
                "report_emergency"}
# What to say to a reply that answers nothing, by intent; anything else: NOT_UNDERSTOOD.
NON_ANSWERS = {"out_of_scope": "utter_out_of_scope", "chitchat": "utter_chitchat"}
NOT_UNDERSTOOD = ("Sorry, I didn't quite get that. You can type it in your own words, tap a "
                  "button, or say \"I don't know\".")
# A question is asked at most this many times before it is skipped as unanswered.
MAX_TRIES = 2


def answered(asked: str, filled: List[str], kb) -> bool:
    """Did the reply answer the question? Other facts it gives do not count: a reply that
    keeps missing the question must not loop it."""
    group = group_of(asked, kb)
    answering = {asked, "unanswered", "flag_followup"}
    if group:
        answering |= {f for f, spec in kb.red_flags.flags.items() if spec.group == group}
    return bool(answering & set(filled))


def _changes(new: Dict[str, Any], old: Dict[str, Any]) -> List[EventType]:
    return [SlotSet(name, value) for name, value in new.items() if old.get(name) != value]


class ActionExtractFindings(Action):
    """The custom slot mapping of every finding slot: runs after every user message."""

    def name(self) -> Text:
        return "action_extract_findings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        kb = knowledge()
        slots = slot_values(tracker)
        updates = slot_updates(latest_entities(tracker), slots, requested_slot(tracker), kb,
                               latest_text(tracker))
        merged = {**slots, **updates}
        updates.update(derived_slots(merged, kb))
        return _changes(updates, slots)


class ValidateSymptomForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_symptom_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        question = next_question(slot_values(tracker), knowledge())
        return [question] if question else []

    def _misunderstanding(self, dispatcher: CollectingDispatcher,
                          tracker: Tracker) -> List[EventType]:
        """Nothing in the reply answered the question: say so, and after MAX_TRIES move on
        rather than loop on the same question."""
        asked = tracker.get_slot("requested_slot")
        kb = knowledge()
        tries = (tracker.get_slot("misunderstood") or 0) + 1
        if not asked or answered(asked, tracker.slots_to_validate(), kb):
            return [SlotSet("misunderstood", 0)] if tracker.get_slot("misunderstood") else []
        intent = latest_intent(tracker)
        if intent in RULE_INTENTS:
            return []
        if intent in NON_ANSWERS:
            dispatcher.utter_message(response=NON_ANSWERS[intent])
        if tries < MAX_TRIES:
            if intent not in NON_ANSWERS:
                dispatcher.utter_message(text=NOT_UNDERSTOOD)
            return [SlotSet("misunderstood", tries)]
        skipped = pending_flags(group_of(asked, kb), slot_values(tracker), kb) \
            if group_of(asked, kb) else [asked]
        dispatcher.utter_message(text="No problem, let's skip that one.")
        unanswered = list(dict.fromkeys((tracker.get_slot("unanswered") or []) + skipped))
        return [SlotSet("misunderstood", 0), SlotSet("unanswered", unanswered)]

    def _acknowledge_warning_signs(self, dispatcher: CollectingDispatcher,
                                   tracker: Tracker) -> None:
        """A volunteered urgent sign gets an answer at once, before the next question."""
        kb = knowledge()
        asked_group = group_of(tracker.get_slot("requested_slot"), kb)
        for slot in tracker.slots_to_validate():
            flag = kb.red_flags.flags.get(slot)
            if flag and tracker.get_slot(slot) is True and flag.group != asked_group:
                dispatcher.utter_message(
                    text=f"Thank you for telling me. {flag.why} I'll take it into account; "
                         "a few more questions first.")

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        events = self._misunderstanding(dispatcher, tracker)
        tracker.add_slots(events)
        self._acknowledge_warning_signs(dispatcher, tracker)
        return events + await super().run(dispatcher, tracker, domain)
