"""A pain-diary summary of what the patient reported, in a form to show a doctor."""
from typing import Any, List, Mapping

from engine.interview import derived_slots
from knowledge import Knowledge

YES_NO = {True: "yes", False: "no"}


def _join(values: Any) -> str:
    return ", ".join(str(v).replace("_", " ") for v in values) if values else "not said"


def _days(days: Any) -> str:
    if days is None:
        return "not said"
    days = float(days)
    if days < 1:
        return "less than a day"
    if days < 14:
        return f"{days:g} day{'s' if days != 1 else ''}"
    if days < 60:
        return f"about {round(days / 7)} weeks"
    return f"about {round(days / 30)} months"


def pain_diary(slots: Mapping[str, Any], kb: Knowledge) -> str:
    derived = derived_slots(slots, kb)
    lines: List[str] = [
        "Pain diary - what you told me:",
        f"- Where: {_join(slots.get('pain_location'))} (side: {slots.get('pain_side') or 'not said'})",
        f"- Dermatome it matches: {_join(derived['dermatomes'])}",
        f"- What it feels like: {_join(slots.get('pain_quality'))}",
        f"- Worse with: {_join(slots.get('pain_triggers'))}",
        f"- Better with: {_join(slots.get('pain_relievers'))}",
        f"- How long: {_days(slots.get('pain_duration_days'))}",
        f"- Worst pain (0-10): {slots.get('pain_severity') if slots.get('pain_severity') is not None else 'not said'}",
        f"- Low back pain: {YES_NO.get(slots.get('back_pain'), 'not said')}",
        f"- Age: {int(slots['age']) if slots.get('age') is not None else 'not said'}",
        f"- Rash or blisters: {YES_NO.get(slots.get('rash'), 'not said')}",
        f"- Had chickenpox: {YES_NO.get(slots.get('chickenpox_history'), 'not said')}",
        f"- Diabetes: {YES_NO.get(slots.get('diabetes_history'), 'not said')}",
        f"- Background: {_join(kb.risk_factors[r].label for r in slots.get('risk_factors') or [])}",
        f"- Warning signs present: {_join(kb.red_flags.flags[f].label for f in derived['red_flags'])}",
    ]
    denied = [kb.red_flags.flags[f].label for f in kb.red_flags.flags if slots.get(f) is False]
    lines.append(f"- Warning signs you said you do not have: {_join(denied)}")
    lines.append("Add to it each day: when the pain started, what it feels like, where it is, "
                 "and what makes it better or worse.")
    return "\n".join(lines)
