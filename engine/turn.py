"""One patient turn of the interview, computed in one place.

A turn reads the message's entities into slot updates (plus the derived slots), then
steers: did the reply answer the question, how many tries are left, what is skipped, which
volunteered warning signs to acknowledge, whether it is an emergency, and what to ask next.
The action server, the in-process emergency path and the offline dry run all call this;
they only translate the result into their own events and messages (the wording layer writes
the words).
"""

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from engine.interview import (
    ABSENT,
    SUSPECTED,
    Entity,
    Slots,
    asks_one_sign,
    derived_slots,
    group_of,
    slot_updates,
)
from engine.questions import needs_emergency_care, next_unasked
from knowledge import Knowledge

# A question is asked at most this many times before it is skipped as unanswered.
MAX_TRIES = 2
# Replies that are no answer and get a response of their own ("what's the weather?").
NON_ANSWER_INTENTS = ("out_of_scope", "chitchat")


@dataclass(frozen=True)
class Notice:
    """Something to tell the patient before the next question. Kinds: `not_understood`,
    `non_answer` (value: the intent, answered by its own response), `skipped`,
    `one_at_a_time`, `sign_not_known`, `flag_acknowledged` (value: the warning sign)."""

    kind: str
    value: Optional[str] = None


@dataclass(frozen=True)
class Steering:
    updates: Dict[str, Any]
    notices: Tuple[Notice, ...]
    next_slot: Optional[str]
    emergency: bool


@dataclass(frozen=True)
class Turn:
    """A whole turn: the slots the message changed and the steering that follows."""

    updates: Dict[str, Any]
    steering: Steering
    slots: Dict[str, Any]  # every slot after the turn


def interrupting_flags(entities: Iterable[Entity], kb: Knowledge) -> List[str]:
    """Warning signs named as present (not negated, not only suspected) that call for
    emergency care on their own."""
    flags = kb.red_flags.flags
    return [
        e["value"]
        for e in entities
        if e["entity"] == "red_flag"
        and e.get("role") not in (ABSENT, SUSPECTED)
        and e["value"] in flags
        and flags[e["value"]].interrupts
    ]


def read_message(
    entities: Sequence[Entity], slots: Slots, requested: Optional[str], kb: Knowledge
) -> Dict[str, Any]:
    """The slots this message changes, derived slots included (only real changes)."""
    updates = slot_updates(entities, slots, requested, kb)
    merged = {**slots, **updates}
    updates.update(derived_slots(merged, kb))
    return {name: value for name, value in updates.items() if slots.get(name) != value}


def answered(asked: str, filled: Iterable[str], kb: Knowledge) -> bool:
    """Did the reply answer the question? Other facts it gives do not count: a reply that
    keeps missing the question must not loop it."""
    group = group_of(asked, kb)
    answering = {asked, "unanswered", "flag_followup"}
    if group:
        answering |= {f for f, spec in kb.red_flags.flags.items() if spec.group == group}
    return bool(answering & set(filled))


def _tries(
    slots: Slots,
    filled: Sequence[str],
    requested: Optional[str],
    intent: Optional[str],
    handled_elsewhere: bool,
    kb: Knowledge,
) -> Tuple[Dict[str, Any], List[Notice]]:
    """Count a reply that missed the question; after MAX_TRIES move on rather than loop. A
    list of warning signs is never skipped: its signs are asked one at a time, and a sign
    still unanswered then is recorded as not known (the assessment escalates for an
    emergency sign and names it as not ruled out)."""
    misunderstood = slots.get("misunderstood") or 0
    if not requested or answered(requested, filled, kb):
        return ({"misunderstood": 0} if misunderstood else {}), []
    if handled_elsewhere:
        return {}, []
    notices = [Notice("non_answer", intent)] if intent in NON_ANSWER_INTENTS else []
    tries = misunderstood + 1
    if tries < MAX_TRIES:
        if not notices:
            notices.append(Notice("not_understood"))
        return {"misunderstood": tries}, notices
    group = group_of(requested, kb)
    if group and not asks_one_sign(requested, slots, kb):
        return {"misunderstood": 0, "flag_followup": group}, notices + [Notice("one_at_a_time")]
    unanswered = list(dict.fromkeys(list(slots.get("unanswered") or []) + [requested]))
    notice = Notice("sign_not_known" if group else "skipped")
    return {"misunderstood": 0, "unanswered": unanswered}, notices + [notice]


def _acknowledgements(
    slots: Slots, filled: Sequence[str], requested: Optional[str], kb: Knowledge
) -> List[Notice]:
    """A volunteered warning sign (not the one being asked) is acknowledged at once, and
    once only (a form that restarts sees every earlier slot again)."""
    asked_group = group_of(requested, kb)
    done = set(slots.get("acknowledged") or [])
    notices = []
    for slot in filled:
        flag = kb.red_flags.flags.get(slot)
        if flag and slots.get(slot) is True and flag.group != asked_group and slot not in done:
            notices.append(Notice("flag_acknowledged", slot))
    return notices


def steer(
    slots: Slots,
    filled: Sequence[str],
    requested: Optional[str],
    intent: Optional[str],
    kb: Knowledge,
    handled_elsewhere: bool = False,
) -> Steering:
    """What follows a message, given every slot after it (`slots`) and the ones it changed
    (`filled`). `handled_elsewhere`: a rule answers this intent (a question about the
    interview, a greeting...), so a reply that fills nothing is not a miss."""
    updates, notices = _tries(slots, filled, requested, intent, handled_elsewhere, kb)
    acknowledged = _acknowledgements(slots, filled, requested, kb)
    if acknowledged:
        updates["acknowledged"] = list(slots.get("acknowledged") or []) + [
            notice.value for notice in acknowledged
        ]
    notices += acknowledged
    after = {**slots, **updates}
    emergency = needs_emergency_care(after, kb)
    return Steering(
        updates, tuple(notices), None if emergency else next_unasked(after, kb), emergency
    )


def take_turn(
    entities: Sequence[Entity],
    slots: Mapping[str, Any],
    kb: Knowledge,
    intent: Optional[str] = None,
    handled_elsewhere: bool = False,
) -> Turn:
    """Read the message and steer, as the bot does over its two actions; `slots` are the
    slots before the message, `requested_slot` among them."""
    requested = slots.get("requested_slot")
    updates = read_message(entities, slots, requested, kb)
    after = {**slots, **updates}
    if interrupting_flags(entities, kb):
        steering = Steering({}, (), None, True)
    else:
        filled = [name for name in updates if name not in ("dermatomes", "red_flags")]
        steering = steer(after, filled, requested, intent, kb, handled_elsewhere)
    final = {**after, **steering.updates, "requested_slot": steering.next_slot}
    return Turn({**updates, **steering.updates}, steering, final)
