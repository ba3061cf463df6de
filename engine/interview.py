"""Reading one message: the entities the language layer found, turned into slot updates.

Pure functions over plain dicts of slot values (CONTRACT section 3 names, plus `age`,
`back_pain`, one bool slot per red-flag id, `risk_factors`, `vague_location`, `unanswered`
and `flag_followup`). No raw text: a correction cue ("actually...") and a bare number ("42")
arrive as entities of their own.
"""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from engine.dermatomes import dermatomes_for, motor_signs
from knowledge import Knowledge
from knowledge.contract import RED_FLAG_IDS, SIDES

Slots = Mapping[str, Any]
Entity = Mapping[str, Any]
# Entity roles: negated; said in a way that answers a question only when asked; a warning
# sign the language layer is unsure of (asked, never recorded as such).
ABSENT, CUED, SUSPECTED = "absent", "cued", "suspected"
YES_NO_SLOTS = {"chickenpox_history", "diabetes_history", "rash", "back_pain", *RED_FLAG_IDS}
LIST_SLOTS = {
    "pain_location": "body_region",
    "vague_location": "body_region",
    "pain_quality": "quality",
    "pain_triggers": "trigger",
    "pain_relievers": "reliever",
    "risk_factors": "risk_factor",
    "motor_signs": "motor_sign",
}


def _values(
    entities: Iterable[Entity], kind: str, present: bool = True, role: Optional[str] = None
) -> List[Any]:
    """Values of one kind: said as present (not negated, not only suspected), or absent;
    with `role`, those of that role."""
    if role:
        return [e["value"] for e in entities if e["entity"] == kind and e.get("role") == role]
    return [
        e["value"]
        for e in entities
        if e["entity"] == kind
        and e.get("role") != SUSPECTED
        and (e.get("role") == ABSENT) != present
    ]


def _cued(entities: Iterable[Entity], kind: str, requested: bool) -> List[Any]:
    """Values said unambiguously, or ambiguous ones when they answer the question asked."""
    return [
        e["value"]
        for e in entities
        if e["entity"] == kind and e.get("role") != ABSENT and (e.get("role") == CUED or requested)
    ]


def group_of(slot: Optional[str], kb: Knowledge) -> Optional[str]:
    flag = kb.red_flags.flags.get(slot or "")
    return flag.group if flag else None


def pending_flags(group: str, slots: Slots, kb: Knowledge) -> List[str]:
    unanswered = set(slots.get("unanswered") or [])
    return [
        flag_id
        for flag_id, flag in kb.red_flags.flags.items()
        if flag.group == group and slots.get(flag_id) is None and flag_id not in unanswered
    ]


def _list_updates(
    entities: Sequence[Entity], slots: Slots, requested: Optional[str], replace: bool, kb: Knowledge
) -> Dict[str, Any]:
    updates: Dict[str, Any] = {}
    for slot, kind in LIST_SLOTS.items():
        asked = requested == slot
        added = (
            _cued(entities, kind, asked)
            if kind in ("trigger", "reliever")
            else _values(entities, kind)
        )
        removed = set(_values(entities, kind, present=False))
        if kind == "body_region":
            added = [name for name in added if kb.region(name).part != "back"]
            # "my foot" alone does not answer "where exactly?": keep it aside and still ask.
            held_back = (
                bool(added)
                and all(kb.region(name).vague for name in added)
                and not slots.get("pain_location")
                and requested != "pain_location"
            )
            if held_back != (slot == "vague_location"):
                continue
        if not added and not removed:
            continue
        current = [] if replace and added else list(slots.get(slot) or [])
        merged = [v for v in dict.fromkeys(current + added) if v not in removed]
        # Naming only what is absent ("my back is fine") answers nothing: leave it unasked.
        if merged != list(slots.get(slot) or []):
            updates[slot] = merged
    return updates


def _number(entities: Sequence[Entity], kind: str, requested: bool) -> Optional[float]:
    """The largest: "a week, the numbness since this morning" has lasted a week."""
    values = _cued(entities, kind, requested)
    return max(values) if values else None


def _side(entities: Sequence[Entity], flags: Mapping[str, bool]) -> Optional[str]:
    sides = set(_values(entities, "side")) & set(SIDES)
    if flags.get("bilateral_leg_symptoms") or "both" in sides or {"left", "right"} <= sides:
        return "both"
    return sides.pop() if len(sides) == 1 else None


def _flag_updates(
    entities: Sequence[Entity],
    answer: Optional[str],
    slots: Slots,
    requested: Optional[str],
    kb: Knowledge,
) -> Dict[str, Any]:
    """Warning signs named in the message; for an answer to a list of signs, the rest of
    the list too. A bare "yes" to a list is never taken as all of them: the signs are then
    asked one at a time (`flag_followup` names the group), where "yes" and "no" answer the
    one sign asked."""
    flags: Dict[str, Any] = {f: False for f in _values(entities, "red_flag", present=False)}
    flags.update({f: True for f in _values(entities, "red_flag")})
    unanswered = set(slots.get("unanswered") or [])
    # Only an emergency sign is worth an interruption: the screening asks the others anyway.
    suspected = [
        f
        for f in _values(entities, "red_flag", role=SUSPECTED)
        if f not in flags
        and slots.get(f) is None
        and f not in unanswered
        and kb.red_flags.flags[f].triage == "emergency"
    ]
    current = slots.get("suspected_flag")
    if suspected and (not current or slots.get(current) is not None or current in unanswered):
        flags["suspected_flag"] = suspected[0]  # asked at once, in plain words
    group = group_of(requested, kb)
    if not group:
        return flags
    if requested and (
        slots.get("flag_followup") == group or slots.get("suspected_flag") == requested
    ):
        if requested in flags:  # named it: "no, nothing down there"
            return flags
        one_side = len(set(_values(entities, "side")) & {"left", "right"}) == 1
        if kb.red_flags.flags[requested].one_side_denies and one_side:
            flags[requested] = False  # "yes, my right leg is weaker": one leg, not both
        elif answer in ("yes", "no"):
            flags[requested] = answer == "yes"
        return flags
    pending = pending_flags(group, slots, kb)
    named = [f for f in pending if f in flags]
    hedged = answer == "unsure" or bool(_values(entities, "hedge"))
    if hedged and len(pending) > len(named) + 1:
        flags["flag_followup"] = group  # "no... not sure about my bladder": ask one by one
    elif named or answer == "no":
        flags.update({f: False for f in pending if f not in flags})
    elif answer in ("yes", "unsure") and len(pending) > 1:
        flags["flag_followup"] = group
    elif answer == "yes":
        flags[pending[0]] = True
    return flags


def _yes_no(slot: str, answer: Optional[str]) -> Optional[bool]:
    return {"yes": True, "no": False}.get(answer or "") if slot in YES_NO_SLOTS else None


def slot_updates(
    entities: Sequence[Entity], slots: Slots, requested: Optional[str], kb: Knowledge
) -> Dict[str, Any]:
    """The slots this one message sets. `requested` is the slot the bot just asked for;
    it decides what ambiguous words ("sitting", "42", "yes") are an answer to."""
    answer = next(iter(_values(entities, "answer")), None)
    corrected = bool(_values(entities, "correction"))
    updates = _list_updates(entities, slots, requested, corrected, kb)
    flags = _flag_updates(entities, answer, slots, requested, kb)
    updates.update(flags)
    side = _side(entities, flags)
    if side:
        updates["pain_side"] = side
    for slot, kind in (
        ("pain_duration_days", "duration_days"),
        ("pain_severity", "severity"),
        ("age", "age"),
    ):
        number = _number(entities, kind, requested == slot)
        if number is not None:
            updates[slot] = number
    backs = [
        e for e in entities if e["entity"] == "body_region" and kb.region(e["value"]).part == "back"
    ]
    if backs:
        updates["back_pain"] = backs[0].get("role") != ABSENT
    for slot, kind, value in (
        ("chickenpox_history", "history", "chickenpox"),
        ("diabetes_history", "history", "diabetes"),
        ("rash", "rash", "rash"),
    ):
        said = [e for e in entities if e["entity"] == kind and e["value"] == value]
        if said:
            updates[slot] = said[0].get("role") != ABSENT
    if "shingles_before" in (updates.get("risk_factors") or []):
        updates.setdefault("chickenpox_history", True)
    # Warning signs are answered by _flag_updates, except a "not sure" to one sign.
    if requested and requested not in updates:
        one_sign_unsure = answer == "unsure" and asks_one_sign(requested, slots, kb)
        if not group_of(requested, kb) or one_sign_unsure:
            updates.update(_direct_answer(requested, answer, entities, slots, kb))
    return updates


def asks_one_sign(slot: str, slots: Slots, kb: Knowledge) -> bool:
    """Whether the question for this warning sign asks it alone: one at a time after an
    unclear answer to its list, a suspected sign confirmed, or the last of its group."""
    group = group_of(slot, kb)
    return bool(group) and (
        slots.get("flag_followup") == group
        or slots.get("suspected_flag") == slot
        or len(pending_flags(group or "", slots, kb)) <= 1
    )


def _direct_answer(
    requested: str, answer: Optional[str], entities: Sequence[Entity], slots: Slots, kb: Knowledge
) -> Dict[str, Any]:
    """A short reply that names nothing: "yes", "no", "42", "nothing", "not sure"."""
    if answer == "unsure":  # not known: recorded as such, never as present or absent
        return {
            "unanswered": list(dict.fromkeys(list(slots.get("unanswered") or []) + [requested]))
        }
    yes_no = _yes_no(requested, answer)
    if yes_no is not None:
        return {requested: yes_no}
    if requested == "back_pain" and _values(entities, "quality"):
        return {requested: True}  # "it was sore at the start": described, so present
    if requested in ("pain_triggers", "pain_relievers") and answer == "no":
        return {requested: []}
    number = next(iter(_values(entities, "number")), None)
    if number is not None:
        if requested == "pain_severity" and 0 <= number <= 10:
            return {requested: number}
        if requested == "age" and 1 <= number <= 120:
            return {requested: number}
    return {}


def derived_slots(slots: Slots, kb: Knowledge) -> Dict[str, Any]:
    """Slots that follow from others: the dermatomes and the list of present red flags."""
    red_flags = [f for f in RED_FLAG_IDS if slots.get(f) is True]
    motor = motor_signs(slots.get("motor_signs") or [], red_flags, kb)
    return {
        "dermatomes": dermatomes_for(slots.get("pain_location") or [], kb, motor),
        "red_flags": red_flags,
    }
