"""What the patient has reported, as one immutable value built from the conversation's slots."""

from dataclasses import dataclass, field
from typing import Any, FrozenSet, Mapping, Optional, Tuple

from knowledge.contract import RED_FLAG_IDS


@dataclass(frozen=True)
class Findings:
    regions: Tuple[str, ...] = ()
    side: Optional[str] = None
    qualities: FrozenSet[str] = frozenset()
    triggers: FrozenSet[str] = frozenset()
    relievers: FrozenSet[str] = frozenset()
    duration_days: Optional[float] = None
    severity: Optional[float] = None
    chickenpox: Optional[bool] = None
    diabetes: Optional[bool] = None
    rash: Optional[bool] = None
    age: Optional[float] = None
    back_pain: Optional[bool] = None
    red_flags: FrozenSet[str] = frozenset()  # present
    unknown_flags: FrozenSet[str] = frozenset()  # asked, and the patient could not say
    risks: FrozenSet[str] = field(default_factory=frozenset)
    motor_signs: Tuple[str, ...] = ()  # what the leg cannot do (myotomes.yml)


def _list(value: Any) -> Tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(str(item) for item in value)
    return (str(value),)


def _number(value: Any) -> Optional[float]:
    try:
        return None if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> Optional[bool]:
    return value if isinstance(value, bool) else None


def findings_from_slots(slots: Mapping[str, Any]) -> Findings:
    """Slots use CONTRACT names; each red-flag id is also a bool slot (True/False/None)."""
    present = {flag for flag in RED_FLAG_IDS if slots.get(flag) is True}
    present |= {flag for flag in _list(slots.get("red_flags")) if flag in RED_FLAG_IDS}
    side = slots.get("pain_side")
    return Findings(
        regions=tuple(
            dict.fromkeys(_list(slots.get("pain_location")) + _list(slots.get("vague_location")))
        ),
        side=side if side in ("left", "right", "both") else None,
        qualities=frozenset(_list(slots.get("pain_quality"))),
        triggers=frozenset(_list(slots.get("pain_triggers"))),
        relievers=frozenset(_list(slots.get("pain_relievers"))),
        duration_days=_number(slots.get("pain_duration_days")),
        severity=_number(slots.get("pain_severity")),
        chickenpox=_bool(slots.get("chickenpox_history")),
        diabetes=_bool(slots.get("diabetes_history")),
        rash=_bool(slots.get("rash")),
        age=_number(slots.get("age")),
        back_pain=_bool(slots.get("back_pain")),
        red_flags=frozenset(present),
        unknown_flags=frozenset(
            flag
            for flag in _list(slots.get("unanswered"))
            if flag in RED_FLAG_IDS and flag not in present and slots.get(flag) is None
        ),
        risks=frozenset(_list(slots.get("risk_factors"))),
        motor_signs=_list(slots.get("motor_signs")),
    )
