"""What the interview asks next, and in what form; the words come from the wording layer."""
from dataclasses import dataclass
from typing import Optional, Tuple

from engine.features import FeatureView
from engine.findings import findings_from_slots
from engine.interview import Slots, group_of, pending_flags
from engine.triage import flag_level
from knowledge import Knowledge


@dataclass(frozen=True)
class Question:
    """One question of the interview. A warning-sign slot asks its group's pending signs
    together (`flags`); `followup` is the "which of these?" after a bare "yes"."""

    slot: str
    group: Optional[str] = None
    flags: Tuple[str, ...] = ()
    followup: bool = False


def needs_emergency_care(slots: Slots, kb: Knowledge) -> bool:
    findings = findings_from_slots(slots)
    view = FeatureView(findings, kb)
    return any(flag_level(flag, view, kb) == "emergency" for flag in findings.red_flags)


def next_question(slots: Slots, kb: Knowledge) -> Optional[str]:
    """The slot to ask next (for a group of warning signs: its first unanswered flag), or
    None when the interview is complete or an emergency has been found."""
    if needs_emergency_care(slots, kb):
        return None
    view = FeatureView(findings_from_slots(slots), kb)
    unanswered = set(slots.get("unanswered") or [])
    for question in kb.questions.questions:
        if question.group:
            pending = pending_flags(question.group, slots, kb)
            if pending:
                return pending[0]
            continue
        if question.slot is None:
            continue
        if slots.get(question.slot) is not None or question.slot in unanswered:
            continue
        if not question.ask_when or any(view.holds(c) for c in question.ask_when):
            return question.slot
    return None


def question(slot: str, slots: Slots, kb: Knowledge) -> Question:
    """How to ask for `slot` now: a warning-sign slot asks every pending sign of its group."""
    group = group_of(slot, kb)
    if not group:
        return Question(slot)
    flags = tuple(pending_flags(group, slots, kb) or [slot])
    return Question(slot, group, flags, followup=slots.get("flag_followup") == group)
