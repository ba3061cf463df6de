"""One message of a pain-diary check-in (issue 13), and the entry a finished check-in makes.

A check-in asks five short questions (knowledge.contract.DIARY_QUESTIONS). Each reply is read
with the interview's own reading (engine.turn.read_message) into a draft of interview-shaped
slots, as if the interview had asked the slot the question stands for; so one long message
("8 today, burning down my shin, and now my right leg too") answers several questions at once.
Pure: no Rasa, no raw text (intents and entity values are ids).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from engine.diary_log import Entry, load, record, retriage_slots
from engine.interview import Entity
from engine.questions import needs_emergency_care
from engine.turn import MAX_TRIES, read_message
from knowledge import Knowledge
from knowledge.contract import DIARY_QUESTIONS, DIARY_SAME_INTENT, RED_FLAG_IDS

# What a question slot holds once answered: SAID (the draft has it), or one of these.
SAID, NOTHING, SAME, SKIPPED = "said", "nothing", "same", "skipped"
# Short replies that answer the question asked without naming anything.
INTENT_ANSWERS = {"deny": NOTHING, DIARY_SAME_INTENT: SAME, "dont_know": SKIPPED}
WORD_ANSWERS = {"no": NOTHING, "unsure": SKIPPED}
WEAKNESS_SIGNS = ("progressive_weakness", "foot_drop")


@dataclass(frozen=True)
class CheckinTurn:
    draft: Dict[str, Any]  # interview-shaped slots read so far in this check-in
    answers: Dict[str, str]  # question slot -> SAID / NOTHING / SAME / SKIPPED
    misses: int  # replies in a row that answered nothing
    not_understood: bool  # say so before asking again
    emergency: bool  # the check-in ends at once: the entry calls for emergency care
    next_question: Optional[str]


def _said(updates: Mapping[str, Any], draft: Mapping[str, Any]) -> List[str]:
    """The questions this message's slot changes answer."""
    said = []
    if "pain_severity" in updates:
        said.append("diary_severity")
    if "pain_location" in updates or "pain_side" in updates:
        said.append("diary_where")
    if "pain_quality" in updates:
        said.append("diary_feel")
    if "pain_relievers" in updates:
        said.append("diary_helped")
    if new_signs(draft) and any(f in updates for f in (*RED_FLAG_IDS, "pain_side", "motor_signs")):
        said.append("diary_new")
    return said


def new_signs(draft: Mapping[str, Any]) -> bool:
    return bool(
        [f for f in RED_FLAG_IDS if draft.get(f) is True]
        or draft.get("pain_side") == "both"
        or draft.get("motor_signs")
        or "weakness" in (draft.get("pain_quality") or [])
    )


def read_checkin(
    entities: Sequence[Entity],
    draft: Mapping[str, Any],
    answers: Mapping[str, str],
    requested: Optional[str],
    intent: Optional[str],
    misses: int,
    interview: Mapping[str, Any],
    day: dt.date,
    kb: Knowledge,
) -> CheckinTurn:
    """One reply of the check-in; `requested` is the diary question just asked (None when
    the message started the check-in), `interview` the conversation's other slots."""
    asked_as = DIARY_QUESTIONS.get(requested) if requested else None
    updates = read_message(entities, draft, asked_as, kb)
    new_draft = {**draft, **updates}
    new_answers = dict(answers)
    for question in _said(updates, new_draft):
        new_answers.setdefault(question, SAID)
    if requested and requested not in new_answers:
        words = [e["value"] for e in entities if e.get("entity") == "answer"]
        short = INTENT_ANSWERS.get(intent or "") or (WORD_ANSWERS.get(words[0]) if words else None)
        if short:
            new_answers[requested] = short
    missed = bool(requested) and requested not in new_answers
    not_understood = missed and misses + 1 < MAX_TRIES
    if missed and not not_understood:  # asked twice: move on rather than loop
        new_answers[requested or ""] = SKIPPED
    entry = entry_from(new_draft, new_answers, day, load([]), interview)
    emergency = needs_emergency_care(retriage_slots(interview, (entry,)), kb)
    if emergency:  # no more questions: the urgency comes first
        for question in DIARY_QUESTIONS:
            new_answers.setdefault(question, SKIPPED)
    next_question = next((q for q in DIARY_QUESTIONS if q not in new_answers), None)
    return CheckinTurn(
        new_draft,
        new_answers,
        misses + 1 if not_understood else 0,
        not_understood,
        emergency,
        next_question,
    )


def _previous(entries: Sequence[Entry], interview: Mapping[str, Any]) -> Tuple[Any, Any, Any]:
    """Where, which side and what it felt like last time (the interview's, before any entry)."""
    for entry in reversed(entries):
        if entry.regions or entry.qualities:
            return entry.regions, entry.side, entry.qualities
    return (
        tuple(interview.get("pain_location") or ()),
        interview.get("pain_side"),
        tuple(q for q in interview.get("pain_quality") or () if q != "weakness"),
    )


def entry_from(
    draft: Mapping[str, Any],
    answers: Mapping[str, str],
    day: dt.date,
    earlier: Sequence[Entry],
    interview: Mapping[str, Any],
) -> Entry:
    """The day's entry from the check-in's draft; "same as before" copies the last entry."""
    regions = tuple(draft.get("pain_location") or ())
    side = draft.get("pain_side")
    qualities = tuple(draft.get("pain_quality") or ())
    before_regions, before_side, before_qualities = _previous(earlier, interview)
    if answers.get("diary_where") == SAME and not regions:
        regions, side = before_regions, side or before_side
    if answers.get("diary_feel") == SAME and not qualities:
        qualities = before_qualities
    if draft.get("motor_signs") or any(draft.get(f) is True for f in WEAKNESS_SIGNS):
        qualities = tuple(dict.fromkeys([*qualities, "weakness"]))
    severity = draft.get("pain_severity")
    return Entry(
        day=day,
        severity=float(severity) if isinstance(severity, (int, float)) else None,
        regions=regions,
        side=side if side in ("left", "right", "both") else None,
        qualities=qualities,
        helped=tuple(draft.get("pain_relievers") or ()),
        new_flags=tuple(f for f in RED_FLAG_IDS if draft.get(f) is True),
    )


def add_entry(stored: Any, entry: Entry) -> Tuple[Entry, ...]:
    """The diary (a stored `diary_entries` value) with the day's entry in it."""
    return record(load(stored), entry)
