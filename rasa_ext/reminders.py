"""The pain diary's daily reminders (actions/diary.py) with Rasa's own reminder mechanism, made
to last: Rasa keeps its scheduled reminders only in the memory of the process that scheduled
them, and drops a reminder whose conversation has started a new session since.

- After a restart, every conversation whose diary reminder is still on (its ReminderScheduled
  in the tracker store, not cancelled, and the `diary_reminder_time` slot set) gets it
  scheduled again; one missed while the server was down goes out at once (if missed by less
  than MISSED_GRACE), else at its next time of day.
- A diary reminder stays valid across sessions (a daily reminder outlives the 12-hour session
  of the message that set it) while the `diary_reminder_time` slot is set: "stop reminders"
  clears it (and cancels the job), a restarted conversation resets it, an erasure removes it.
  Its name is one per conversation, so a new reminder replaces the scheduled one.

Installed on the Rasa app by rasa_ext/server.py. Logs counts only, never a conversation id.
"""

import asyncio
import datetime as dt
import logging
from typing import Any, Iterable, List, Optional

from rasa.core import jobs
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ReminderCancelled, ReminderScheduled
from rasa.shared.core.trackers import DialogueStateTracker

from knowledge.contract import DIARY_REMINDER_SLOT, REMINDER_NAME_PREFIX

logger = logging.getLogger(__name__)

MISSED_GRACE = dt.timedelta(hours=6)
CATCH_UP_DELAY = dt.timedelta(seconds=2)


def is_diary_reminder(event: Any) -> bool:
    return isinstance(event, ReminderScheduled) and str(event.name).startswith(REMINDER_NAME_PREFIX)


def pending_reminder(tracker: DialogueStateTracker) -> Optional[ReminderScheduled]:
    """The conversation's diary reminder, if it is still on."""
    if not tracker.get_slot(DIARY_REMINDER_SLOT):
        return None
    latest: Optional[ReminderScheduled] = None
    for event in tracker.events:
        if is_diary_reminder(event):
            latest = event
        elif isinstance(event, ReminderCancelled) and latest and event.name == latest.name:
            latest = None
    return latest


def _still_valid(original: Any) -> Any:
    def check(tracker: DialogueStateTracker, reminder_event: ReminderScheduled) -> bool:
        if is_diary_reminder(reminder_event):
            # The slot says it is on: "stop reminders" and the pause clear it, a restart of the
            # conversation resets it, an erasure takes it away. The event itself may be in an
            # earlier session than the one the store hands back.
            return bool(tracker.get_slot(DIARY_REMINDER_SLOT))
        return original(tracker, reminder_event)

    return staticmethod(check)


def run_date(trigger: dt.datetime, now: dt.datetime) -> dt.datetime:
    """When a reminder found after a restart goes out."""
    if trigger > now:
        return trigger
    if now - trigger < MISSED_GRACE:
        return now + CATCH_UP_DELAY
    later = trigger + dt.timedelta(days=(now - trigger).days + 1)
    return later if later > now else later + dt.timedelta(days=1)


def _innermost(store: Any) -> Any:
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


async def senders_with_reminders(store: Any) -> Iterable[str]:
    """Conversations that ever had a reminder: one query on a SQL store, else every key."""
    inner = _innermost(store)
    if hasattr(inner, "SQLEvent") and hasattr(inner, "session_scope"):
        with inner.session_scope() as session:
            rows = (
                session.query(inner.SQLEvent.sender_id)
                .filter(inner.SQLEvent.type_name == ReminderScheduled.type_name)
                .distinct()
                .all()
            )
            return [row[0] for row in rows]
    return list(await store.keys())


async def reschedule(app: Any, channels: List[Any]) -> int:
    agent = app.ctx.agent
    if agent is None or agent.processor is None:
        return 0
    outputs = {channel.name(): channel for channel in channels}
    scheduler = await jobs.scheduler()
    count = 0
    for sender in await senders_with_reminders(agent.tracker_store):
        tracker = await agent.tracker_store.retrieve_full_tracker(sender)
        reminder = pending_reminder(tracker) if tracker else None
        channel = outputs.get(tracker.get_latest_input_channel()) if tracker else None
        if reminder is None or channel is None:
            continue
        now = dt.datetime.now(reminder.trigger_date_time.tzinfo or dt.timezone.utc)
        scheduler.add_job(
            agent.processor.handle_reminder,
            "date",
            run_date=run_date(reminder.trigger_date_time, now),
            args=[reminder, sender, channel.get_output_channel()],
            id=reminder.name,
            replace_existing=True,
            name=reminder.scheduled_job_name(sender),
        )
        count += 1
    return count


def install(app: Any, channels: List[Any]) -> None:
    MessageProcessor._is_reminder_still_valid = _still_valid(
        MessageProcessor._is_reminder_still_valid
    )

    async def after_start(app: Any, _loop: Any = None) -> None:
        async def run() -> None:
            try:
                count = await reschedule(app, channels)
                logger.info("Diary reminders scheduled again after start: %d", count)
            except Exception as error:  # the type only: nothing about a patient
                logger.error("Diary reminders not rescheduled (%s)", type(error).__name__)

        asyncio.get_running_loop().create_task(run())

    app.register_listener(after_start, "after_server_start")
