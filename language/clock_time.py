"""A time of day in a message ("remind me at 8pm", "every day at 20:00", "at 7.30 am",
"at noon"), for the pain diary's daily reminder. Seconds are accepted too ("20:00:30"): no one
types them, but they let a test set a reminder a few seconds ahead."""

import re
from typing import Optional, Tuple

_TIME = re.compile(
    r"\b(?P<hour>[01]?\d|2[0-3])"
    r"(?:[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?)?"
    r"\s*(?P<half>a\.?m\.?|p\.?m\.?|o'?clock)?(?![\w:])",
    re.IGNORECASE,
)
_NAMED = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
_PART_OF_DAY = {"morning": 0, "evening": 12, "tonight": 12, "night": 12, "afternoon": 12}


def time_of_day(text: str) -> Optional[Tuple[int, int, int]]:
    """(hour, minute, second) on a 24-hour clock, or None when the message names no time."""
    lowered = text.lower()
    for word, (hour, minute) in _NAMED.items():
        if re.search(rf"\b{word}\b", lowered):
            return hour, minute, 0
    for match in _TIME.finditer(lowered):
        hour = int(match["hour"])
        minute, second = int(match["minute"] or 0), int(match["second"] or 0)
        half = (match["half"] or "").replace(".", "")
        after_at = re.search(r"\bat\s*$", lowered[: match.start()])
        if not match["minute"] and not half and not after_at:
            continue  # a bare number is a time only after "at" ("at 8"), not "2 reminders"
        if half.startswith("p") and hour < 12:
            hour += 12
        elif half.startswith("a") and hour == 12:
            hour = 0
        elif not half.startswith(("a", "p")) and hour < 12:
            after = lowered[match.end() :]
            if any(re.search(rf"\b{w}\b", after) for w, add in _PART_OF_DAY.items() if add):
                hour += 12  # "at 8 in the evening"
        return hour, minute, second
    return None
