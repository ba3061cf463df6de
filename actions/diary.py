"""The pain diary kept over days: the check-in form, the day's entry (stored in the tracker, in
the `diary_entries` slot, so erasure and retention cover it), re-triage on every entry, and the
daily Telegram reminder (Rasa's ReminderScheduled / ReminderCancelled events). Thin adapters
over engine.diary_checkin, engine.diary_log and wording.diary_checkin."""

import datetime as dt
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_entities, latest_intent, slot_values
from actions.diary_reminders import IGNORED_SLOT, REMINDER_CHANNELS, diary_zone, next_reminder
from engine.diary_checkin import add_entry, entry_from, read_checkin
from engine.diary_log import changes, daily, load, retriage_slots
from engine.findings import findings_from_slots
from engine.interview import derived_slots
from knowledge import knowledge
from knowledge.contract import (
    DIARY_DRAFT_SLOT,
    DIARY_ENTRIES_SLOT,
    DIARY_FORM,
    DIARY_QUESTIONS,
    DIARY_REMINDER_SLOT,
    DIARY_SAME_INTENT,
    DIARY_VALIDATE_ACTION,
    REMINDER_ENTITY,
)
from wording import buttons, say
from wording.assessment import assessment_payload, explain
from wording.diary_checkin import changes_text, entry_summary

MISSES_SLOT = "diary_misses"
DIARY_SLOTS = {*DIARY_QUESTIONS, DIARY_DRAFT_SLOT, DIARY_ENTRIES_SLOT, DIARY_REMINDER_SLOT}
DIARY_SLOTS |= {MISSES_SLOT, IGNORED_SLOT}
# Only the tests' settings (tools/servers.py TEST_SETTINGS) let a message say which day it is
# for: a patient's own date is never trusted.
DATES_FROM_METADATA = "DIARY_DATES_FROM_METADATA"
# Mid-check-in, these get their own rule's answer (data/rules/diary.yml), then the question.
OWN_RULE_INTENTS = ("set_reminder", "stop_reminders")
# Buttons that answer with an intent rather than their words (the catalogue's titles).
SHORT_ANSWERS = {
    "Same as before": f"/{DIARY_SAME_INTENT}",
    "Nothing helped": "/deny",
    "Nothing new": "/deny",
}


def today(tracker: Tracker) -> dt.date:
    if os.environ.get(DATES_FROM_METADATA) == "1":
        said = (tracker.latest_message.get("metadata") or {}).get("diary_date")
        try:
            return dt.date.fromisoformat(str(said))
        except ValueError:
            pass
    return dt.datetime.now(diary_zone()).date()


def interview_slots(slots: Dict[str, Any]) -> Dict[str, Any]:
    """What the entries are compared with: the interview's slots; without an interview, the
    side the diary started on (so "now my right leg too" is the other leg)."""
    interview = {name: value for name, value in slots.items() if name not in DIARY_SLOTS}
    if not interview.get("pain_side"):
        sides = [e.side for e in load(slots.get(DIARY_ENTRIES_SLOT)) if e.side]
        interview["pain_side"] = sides[0] if sides else None
    return interview


class ValidateDiaryForm(FormValidationAction):
    """Reads each reply of the check-in, fills the questions it answers, asks the next."""

    def name(self) -> Text:
        return DIARY_VALIDATE_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        slots = slot_values(tracker)
        reading = replying(tracker)
        if reading and latest_intent(tracker) in OWN_RULE_INTENTS:
            return []  # not an answer: the form steps aside for the intent's rule
        reminded = reading and fired_reminder(tracker)
        starting = reminded or (tracker.active_loop or {}).get("name") != DIARY_FORM
        answers = {} if starting else {q: slots[q] for q in DIARY_QUESTIONS if slots.get(q)}
        turn = read_checkin(
            latest_entities(tracker) if reading else [],
            {} if starting else dict(slots.get(DIARY_DRAFT_SLOT) or {}),
            answers,
            None if starting or not reading else tracker.get_slot("requested_slot"),
            latest_intent(tracker) if reading else None,
            0 if starting else int(slots.get(MISSES_SLOT) or 0),
            interview_slots(slots),
            today(tracker),
            kb,
        )
        events: List[EventType] = []
        if reminded:  # a daily reminder fired: why the check-in, and tomorrow's reminder
            events += next_reminder(dispatcher, tracker, slots)
        if turn.not_understood:
            dispatcher.utter_message(text=say(kb, "diary_not_understood"))
        events += [SlotSet(question, turn.answers.get(question)) for question in DIARY_QUESTIONS]
        events += [SlotSet(DIARY_DRAFT_SLOT, turn.draft), SlotSet(MISSES_SLOT, turn.misses)]
        return events + [SlotSet("requested_slot", turn.next_question)]


def replying(tracker: Tracker) -> bool:
    """Is the form reading a patient's message? Not when it comes back to its question
    after another rule's answer ("remind me at 8pm" mid-check-in)."""
    executed = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    before_form = executed[:-1][-1:] if executed[-1:] == [DIARY_FORM] else executed[-1:]
    return before_form in (["action_listen"], ["action_extract_slots"])


def fired_reminder(tracker: Tracker) -> bool:
    return any(e.get("entity") == REMINDER_ENTITY for e in latest_entities(tracker))


class AskDiaryQuestion(Action):
    """action_ask_<question>: the catalogue's question with its buttons."""

    question = ""

    def name(self) -> Text:
        return f"action_ask_{self.question}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        key = self.question.replace("diary_", "diary_ask_")
        dispatcher.utter_message(
            text=say(kb, key),
            buttons=[{"title": t, "payload": SHORT_ANSWERS.get(t, t)} for t in buttons(kb, key)],
        )
        return []


class AskDiarySeverity(AskDiaryQuestion):
    question = "diary_severity"


class AskDiaryWhere(AskDiaryQuestion):
    question = "diary_where"


class AskDiaryFeel(AskDiaryQuestion):
    question = "diary_feel"


class AskDiaryHelped(AskDiaryQuestion):
    question = "diary_helped"


class AskDiaryNew(AskDiaryQuestion):
    question = "diary_new"


class ActionSaveDiaryEntry(Action):
    """The finished check-in: the entry saved with its day, the summary and chart, and the
    interview's triage run again with the entry folded in."""

    def name(self) -> Text:
        return "action_diary_save"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        slots = slot_values(tracker)
        interview = interview_slots(slots)
        day = today(tracker)
        answers = {q: slots[q] for q in DIARY_QUESTIONS if slots.get(q)}
        earlier = load(slots.get(DIARY_ENTRIES_SLOT))
        entry = entry_from(slots.get(DIARY_DRAFT_SLOT) or {}, answers, day, earlier, interview)
        entries = add_entry(slots.get(DIARY_ENTRIES_SLOT), entry)
        events: List[EventType] = [
            SlotSet(DIARY_ENTRIES_SLOT, [e.to_json() for e in entries]),
            SlotSet(DIARY_DRAFT_SLOT, None),
            SlotSet(MISSES_SLOT, None),
            SlotSet(IGNORED_SLOT, None),
            *[SlotSet(q, None) for q in DIARY_QUESTIONS],
        ]
        found = changes(interview, entries)
        summary = entry_summary(entries, day, kb)
        if found:
            events += self.retriage(dispatcher, interview, entries, found)
        for text in summary:
            dispatcher.utter_message(text=text)
        if len(daily(entries)) >= 2:  # the channels turn this into the chart's image link
            dispatcher.utter_message(json_message={"diary_chart": {"days": len(entries)}})
        if not found:
            dispatcher.utter_message(text=say(kb, "diary_no_change"))
        if tracker.get_latest_input_channel() in REMINDER_CHANNELS and not slots.get(
            DIARY_REMINDER_SLOT
        ):
            dispatcher.utter_message(text=say(kb, "diary_offer_reminder"))
        return events

    @staticmethod
    def retriage(
        dispatcher: CollectingDispatcher,
        interview: Dict[str, Any],
        entries: Any,
        found: Any,
    ) -> List[EventType]:
        """The urgency the entry calls for, at once, as the interview would give it; the
        entry's new facts are kept in the interview's slots (not its pain score, which stays
        the diary's starting point)."""
        kb = knowledge()
        folded = retriage_slots(interview, entries)
        folded.update(derived_slots(folded, kb))
        assessment = assessment_payload(findings_from_slots(folded), kb)
        dispatcher.utter_message(text=changes_text(found, interview, entries, kb))
        said = explain(assessment, kb)
        for text in said if assessment["triage"] == "emergency" else said[:1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message={"assessment": assessment})
        return [
            SlotSet(name, value)
            for name, value in folded.items()
            if name != "pain_severity" and interview.get(name) != value
        ]
