"""A pain-diary summary of what the patient reported, in a form to show a doctor."""

from typing import Any, Iterable, List, Mapping, Optional

from engine.interview import derived_slots
from knowledge import Knowledge
from wording import say

DAYS_AS_DAYS = 14  # below this, in days; then weeks; from two months, months
DAYS_AS_WEEKS = 60


def _join(values: Optional[Iterable[Any]], kb: Knowledge) -> str:
    said = [str(v).replace("_", " ") for v in values or []]
    return ", ".join(said) if said else say(kb, "not_said")


def _yes_no(value: Any, kb: Knowledge) -> str:
    key = {True: "answer_yes", False: "answer_no"}.get(value, "not_said")
    return say(kb, key)


def _days(days: Any, kb: Knowledge) -> str:
    if days is None:
        return say(kb, "not_said")
    days = float(days)
    if days < 1:
        return say(kb, "less_than_a_day")
    if days < DAYS_AS_DAYS:
        return say(kb, "days" if days == 1 else "days_plural", days=f"{days:g}")
    if days < DAYS_AS_WEEKS:
        return say(kb, "weeks", weeks=round(days / 7))
    return say(kb, "months", months=round(days / 30))


def pain_diary(slots: Mapping[str, Any], kb: Knowledge) -> str:
    derived = derived_slots(slots, kb)
    flags = kb.red_flags.flags
    severity = slots.get("pain_severity")
    age = slots.get("age")
    lines: List[str] = [
        say(kb, "diary_title"),
        say(
            kb,
            "diary_where",
            where=_join(slots.get("pain_location"), kb),
            side=slots.get("pain_side") or say(kb, "not_said"),
        ),
        say(kb, "diary_dermatomes", value=_join(derived["dermatomes"], kb)),
        say(kb, "diary_quality", value=_join(slots.get("pain_quality"), kb)),
        say(kb, "diary_triggers", value=_join(slots.get("pain_triggers"), kb)),
        say(kb, "diary_relievers", value=_join(slots.get("pain_relievers"), kb)),
        say(kb, "diary_duration", value=_days(slots.get("pain_duration_days"), kb)),
        say(kb, "diary_severity", value=severity if severity is not None else say(kb, "not_said")),
        say(kb, "diary_back_pain", value=_yes_no(slots.get("back_pain"), kb)),
        say(kb, "diary_age", value=int(age) if age is not None else say(kb, "not_said")),
        say(kb, "diary_rash", value=_yes_no(slots.get("rash"), kb)),
        say(kb, "diary_chickenpox", value=_yes_no(slots.get("chickenpox_history"), kb)),
        say(kb, "diary_diabetes", value=_yes_no(slots.get("diabetes_history"), kb)),
        say(
            kb,
            "diary_background",
            value=_join((kb.risk_factors[r].label for r in slots.get("risk_factors") or []), kb),
        ),
        say(
            kb,
            "diary_flags_present",
            value=_join((flags[f].label for f in derived["red_flags"]), kb),
        ),
        say(
            kb,
            "diary_flags_denied",
            value=_join((flags[f].label for f in flags if slots.get(f) is False), kb),
        ),
        say(kb, "diary_keep_it"),
    ]
    return "\n".join(lines)
