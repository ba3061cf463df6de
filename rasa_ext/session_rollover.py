"""A long conversation session starts afresh, so a message costs the same at the 150th as at
the 10th.

Every message, Rasa's policies rebuild the dialogue state of every turn of the session, and
the action server is sent all of it: the cost grows with the session. What the assistant
knows is in its slots, so when a session holds SESSION_ROLLOVER_EVENTS events (default 60;
"off" keeps sessions whole), the next message starts a new session exactly as an expired one
does: Rasa's own `action_session_start`, the slots carried over (domain/conversation.yml's
session_config), nothing deleted (the tracker API, erasure and retention see every session).

Only at a quiet point, where nothing that follows depends on the turns before: no form
running, and the bot's last turn neither waits for a particular answer (an action a rule or
story expects an intent right after, read from data/) nor carries buttons or a payload (the
numbered WhatsApp buttons and the "please shorten" reply read the bot's last message).

`install()` wraps Rasa's session-expiry check; the Rasa server installs it at start.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, FrozenSet, List, Optional

import yaml
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_EVENTS = 60
DATA = Path(__file__).resolve().parents[1] / "data"
# What a bot message may carry that a later message depends on (Rasa's response keys).
PAYLOADS = ("buttons", "quick_replies", "custom", "image", "attachment", "elements")


def limit_from_env() -> Optional[int]:
    raw = os.environ.get("SESSION_ROLLOVER_EVENTS", "").strip().lower()
    if raw in ("off", "none", "never"):
        return None
    if not raw:
        return DEFAULT_EVENTS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"SESSION_ROLLOVER_EVENTS must be a positive number or 'off', not {raw!r}")
    return int(raw)


@lru_cache(maxsize=1)
def awaited_actions() -> FrozenSet[str]:
    """Actions that rules or stories in data/ follow directly with the patient's intent."""
    awaited = set()
    for path in sorted(DATA.glob("*/*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for flow in (document.get("rules") or []) + (document.get("stories") or []):
            steps = flow.get("steps") or []
            for step, after in zip(steps, steps[1:], strict=False):
                if "action" in step and ("intent" in after or "or" in after):
                    awaited.add(step["action"])
    return frozenset(awaited)


def session_length(tracker: DialogueStateTracker) -> int:
    """Events since the session started (all of them if it never started)."""
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return count
        count += 1
    return count


def holds_earlier_session(tracker: DialogueStateTracker) -> bool:
    """Does the tracker still hold messages of a session before its latest one?"""
    started = False
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            started = True
        elif started and isinstance(event, UserUttered):
            return True
    return False


def last_bot_turn(tracker: DialogueStateTracker) -> List[Event]:
    """The bot's actions and messages after the patient's last message."""
    turn: List[Event] = []
    for event in reversed(tracker.events):
        if isinstance(event, (UserUttered, SessionStarted)):
            break
        if isinstance(event, (ActionExecuted, BotUttered)):
            turn.append(event)
    return turn


def quiet(turn: List[Event], awaited: FrozenSet[str]) -> bool:
    for event in turn:
        if isinstance(event, ActionExecuted) and event.action_name in awaited:
            return False
        if isinstance(event, BotUttered) and any((event.data or {}).get(k) for k in PAYLOADS):
            return False
    return True


def due(tracker: DialogueStateTracker, limit: Optional[int], awaited: FrozenSet[str]) -> bool:
    """A long session at a quiet point: listening, no form running, nothing awaited."""
    return (
        limit is not None
        and tracker.active_loop_name is None
        and tracker.followup_action is None
        and tracker.latest_action_name == ACTION_LISTEN_NAME
        and session_length(tracker) >= limit
        and quiet(last_bot_turn(tracker), awaited)
    )


_installed = False


def install() -> None:
    """Rasa starts a new session when the last one expired, or from now on when it is long."""
    global _installed
    if _installed:
        return
    limit = limit_from_env()
    expired = MessageProcessor._has_session_expired

    def expired_or_long(self: Any, tracker: DialogueStateTracker) -> bool:
        return expired(self, tracker) or due(tracker, limit, awaited_actions())

    MessageProcessor._has_session_expired = expired_or_long
    _installed = True
