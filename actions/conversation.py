"""Reading a rasa-sdk tracker as the plain values the engine works with."""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

FORM = "symptom_form"


def slot_values(tracker: Tracker) -> Dict[str, Any]:
    return dict(tracker.current_slot_values())


def requested_slot(tracker: Tracker) -> Optional[str]:
    """The question the bot is waiting on, if the interview is running."""
    if (tracker.active_loop or {}).get("name") != FORM:
        return None
    return tracker.get_slot("requested_slot")


def latest_entities(tracker: Tracker) -> List[Dict[str, Any]]:
    return list(tracker.latest_message.get("entities") or [])


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")
