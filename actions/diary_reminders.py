"""The pain diary's daily reminder on Telegram: "remind me at 8pm", "stop reminders", with Rasa's
own ReminderScheduled / ReminderCancelled events (kept in the tracker; rasa_ext/reminders.py
schedules them again after a restart). A fired reminder starts a check-in (actions/diary.py)."""

import datetime as dt
import hashlib
import os
from typing import Any, Dict, List, Optional, Text, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_text
from knowledge import knowledge
from knowledge.contract import (
    DIARY_REMINDER_SLOT,
    REMINDER_ENTITY,
    REMINDER_INTENT,
    REMINDER_NAME_PREFIX,
)
from language.clock_time import time_of_day
from wording import say

REMINDER_CHANNELS = ("telegram",)
IGNORED_SLOT = "diary_reminders_ignored"  # reminders in a row with no check-in saved
MAX_IGNORED_REMINDERS = 7


def diary_zone() -> ZoneInfo:
    """The zone of the diary's days and reminder times (DIARY_TIMEZONE, default UTC)."""
    try:
        return ZoneInfo(os.environ.get("DIARY_TIMEZONE") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def reminder_name(sender_id: str) -> str:
    """Unique per conversation (Rasa's scheduler replaces a job of the same name), without
    the conversation id itself, which identifies the patient."""
    return REMINDER_NAME_PREFIX + hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:24]


def next_time(hour: int, minute: int, second: int, now: dt.datetime) -> dt.datetime:
    """The next moment at this time of day, after `now` (in now's zone)."""
    at = now.replace(hour=hour, minute=minute, second=second, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def reminder(sender_id: str, at: dt.datetime) -> ReminderScheduled:
    return ReminderScheduled(
        REMINDER_INTENT,
        at,
        entities=[{"entity": REMINDER_ENTITY, "value": "daily"}],
        name=reminder_name(sender_id),
        kill_on_user_message=False,
    )


class ActionSetReminder(Action):
    """ "remind me at 8pm": a daily reminder, on Telegram."""

    def name(self) -> Text:
        return "action_diary_reminder_set"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        if tracker.get_latest_input_channel() not in REMINDER_CHANNELS:
            dispatcher.utter_message(text=say(kb, "reminder_telegram_only"))
            return []
        said = time_of_day(latest_text(tracker))
        if said is None:
            dispatcher.utter_message(text=say(kb, "reminder_no_time"))
            return []
        zone = diary_zone()
        at = next_time(*said, dt.datetime.now(zone))
        clock = f"{said[0]:02d}:{said[1]:02d}" + (f":{said[2]:02d}" if said[2] else "")
        dispatcher.utter_message(text=say(kb, "reminder_set", time=clock, zone=zone.key))
        return [reminder(tracker.sender_id, at), SlotSet(DIARY_REMINDER_SLOT, clock)]


class ActionStopReminders(Action):
    def name(self) -> Text:
        return "action_diary_reminder_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        kb = knowledge()
        if not tracker.get_slot(DIARY_REMINDER_SLOT):
            dispatcher.utter_message(text=say(kb, "reminder_none"))
            return []
        dispatcher.utter_message(text=say(kb, "reminder_stopped"))
        return [
            ReminderCancelled(name=reminder_name(tracker.sender_id)),
            SlotSet(DIARY_REMINDER_SLOT, None),
        ]


def clock_of(value: Optional[str]) -> Optional[Tuple[int, int, int]]:
    """The (hour, minute, second) of a stored "HH:MM[:SS]"."""
    try:
        parts = [int(p) for p in str(value).split(":")]
    except ValueError:
        return None
    if not 2 <= len(parts) <= 3:
        return None
    parts += [0]
    return parts[0], parts[1], parts[2]


def next_reminder(
    dispatcher: CollectingDispatcher, tracker: Tracker, slots: Dict[str, Any]
) -> List[EventType]:
    """Tomorrow's reminder; none after MAX_IGNORED_REMINDERS without a check-in (an
    ignored reminder must not keep a conversation from retention for ever)."""
    kb = knowledge()
    ignored = int(slots.get(IGNORED_SLOT) or 0) + 1
    clock = clock_of(slots.get(DIARY_REMINDER_SLOT))
    if ignored >= MAX_IGNORED_REMINDERS or clock is None:
        dispatcher.utter_message(text=say(kb, "reminder_message"))
        dispatcher.utter_message(text=say(kb, "reminders_paused"))
        return [
            ReminderCancelled(name=reminder_name(tracker.sender_id)),
            SlotSet(DIARY_REMINDER_SLOT, None),
            SlotSet(IGNORED_SLOT, None),
        ]
    dispatcher.utter_message(text=say(kb, "reminder_message"))
    now = dt.datetime.now(diary_zone()) + dt.timedelta(seconds=1)
    return [
        reminder(tracker.sender_id, next_time(clock[0], clock[1], clock[2], now)),
        SlotSet(IGNORED_SLOT, ignored),
    ]
