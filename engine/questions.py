"""What the interview asks next, and in what form; the words come from the wording layer."""

from dataclasses import dataclass
from typing import Optional, Tuple

from engine.features import FeatureView
from engine.findings import findings_from_slots
from engine.interview import Slots, asks_one_sign, group_of, pending_flags
from engine.triage import flag_level
from knowledge import Knowledge

# How a question is put: one interview slot; a list of warning signs of one group; one
# warning sign on its own (after an unclear answer to its list, or the last of its group);
# a warning sign the patient's words suggested, to confirm.
SLOT, FLAG_LIST, ONE_FLAG, SUSPECTED_FLAG = "slot", "flag_list", "one_flag", "suspected_flag"


@dataclass(frozen=True)
class Question:
    slot: str
    form: str = SLOT
    group: Optional[str] = None
    flags: Tuple[str, ...] = ()  # the warning signs it asks about


def needs_emergency_care(slots: Slots, kb: Knowledge) -> bool:
    findings = findings_from_slots(slots)
    view = FeatureView(findings, kb)
    return any(flag_level(flag, view, kb) == "emergency" for flag in findings.red_flags)


def _unknown(slot: str, slots: Slots) -> bool:
    return slots.get(slot) is None and slot not in (slots.get("unanswered") or [])


def _screened_first(slots: Slots, kb: Knowledge) -> Optional[str]:
    """A suspected warning sign is confirmed at once; a present sign that calls for
    another group's questions (symptoms in both legs: the cauda equina signs) gets them."""
    suspected = slots.get("suspected_flag")
    if suspected and _unknown(suspected, slots):
        return suspected
    for flag_id, flag in kb.red_flags.flags.items():
        for group in flag.screen_at_once if slots.get(flag_id) is True else []:
            pending = pending_flags(group, slots, kb)
            if pending:
                return pending[0]
    return None


def next_question(slots: Slots, kb: Knowledge) -> Optional[str]:
    """The slot to ask next (for a group of warning signs: its first unanswered flag), or
    None when the interview is complete or an emergency has been found."""
    return None if needs_emergency_care(slots, kb) else next_unasked(slots, kb)


def next_unasked(slots: Slots, kb: Knowledge) -> Optional[str]:
    """The slot to ask next, for a caller that has already ruled out an emergency."""
    first = _screened_first(slots, kb)
    if first:
        return first
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
    """How to ask for `slot` now."""
    group = group_of(slot, kb)
    if not group:
        return Question(slot)
    if slots.get("suspected_flag") == slot:
        return Question(slot, SUSPECTED_FLAG, group, (slot,))
    if asks_one_sign(slot, slots, kb):
        return Question(slot, ONE_FLAG, group, (slot,))
    return Question(slot, FLAG_LIST, group, tuple(pending_flags(group, slots, kb)))
