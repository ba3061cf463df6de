"""The feature language that knowledge files use to describe findings.

A feature is `kind:value`: `quality:burning`, `trigger:sitting`, `reliever:standing_still`,
`flag:fever`, `risk:smoking`, `region:calf`, `side:one|both|left|right`,
`history:chickenpox|no_chickenpox|diabetes|no_diabetes`, `rash:yes|no`, `back_pain:yes|no`,
`dermatome:L5`, `pattern:<name>` (see PATTERNS), `unknown:<red flag>` (asked, not known),
or a comparison on a number:
`age:>=50`, `duration:<=14`, `severity:>=8` (false while the number is unknown).
Expressions join features with " & "; a leading "!" negates one.
"""

import operator
import re
from typing import Callable, Dict, FrozenSet, List, Optional, Set

from engine.dermatomes import dermatomes_for, motor_signs
from engine.findings import Findings
from knowledge import Knowledge

BELOW_KNEE = {"lower_leg", "ankle", "foot"}
ABOVE_KNEE = {"buttock", "back", "hip", "thigh"}
DISTAL = {"foot", "ankle"}
OUTER_THIGH_ONLY = {"outer thigh", "thigh", "hip"}
# Claudication: brought on by walking or standing, eased by sitting, bending forward or a
# rest (spinal stenosis or PAD), not a nerve emergency (clinical-facts, "both legs").
CLAUDICATION_TRIGGERS = {"walking", "standing"}
CLAUDICATION_RELIEF = {"sitting", "bending_forward", "standing_still", "rest"}

_COMPARISON = re.compile(r"^(>=|<=|>|<|==)(\d+(?:\.\d+)?)$")
_OPERATORS: Dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
}


def roots_of(findings: Findings, kb: Knowledge) -> List[str]:
    """The roots that best explain where it hurts and what the leg cannot do."""
    motor = motor_signs(findings.motor_signs, findings.red_flags, kb)
    return dermatomes_for(findings.regions, kb, motor)


def _parts(findings: Findings, kb: Knowledge) -> Set[str]:
    return {kb.region(name).part for name in findings.regions}


def _bilateral(findings: Findings) -> bool:
    return findings.side == "both" or "bilateral_leg_symptoms" in findings.red_flags


def _stocking(findings: Findings, kb: Knowledge) -> bool:
    """Both feet, from the toes up: the length-dependent pattern of a neuropathy ("my legs"
    beside "both feet" does not make it less so)."""
    if "shooting" in findings.qualities:  # shooting down both legs is sciatica's, not this
        return False
    parts = _parts(findings, kb) - {"leg"} or _parts(findings, kb)
    return (
        _bilateral(findings)
        and bool(parts)
        and parts <= DISTAL | {"lower_leg"}
        and bool(parts & DISTAL)
    )


PATTERNS: Dict[str, Callable[[Findings, Knowledge], bool]] = {
    "below_knee": lambda f, kb: bool(_parts(f, kb) & BELOW_KNEE),
    "radiating": lambda f, kb: (
        bool(_parts(f, kb) & ABOVE_KNEE) and bool(_parts(f, kb) & (BELOW_KNEE | {"knee"}))
    ),
    "feet_only": lambda f, kb: bool(f.regions) and _parts(f, kb) <= DISTAL,
    "stocking": _stocking,
    "claudication": lambda f, kb: (
        bool(f.triggers & CLAUDICATION_TRIGGERS) and bool(f.relievers & CLAUDICATION_RELIEF)
    ),
    "outer_thigh_only": lambda f, kb: (
        "outer thigh" in f.regions and set(f.regions) <= OUTER_THIGH_ONLY
    ),
    "dermatomal": lambda f, kb: (
        bool(dermatomes_for(f.regions, kb)) and not _bilateral(f) and not _stocking(f, kb)
    ),
}


def _numbers(findings: Findings) -> Dict[str, Optional[float]]:
    return {"age": findings.age, "duration": findings.duration_days, "severity": findings.severity}


def _yes_no(value: Optional[bool], yes: str, no: str) -> Set[str]:
    return {yes} if value is True else {no} if value is False else set()


def feature_set(findings: Findings, kb: Knowledge) -> FrozenSet[str]:
    """Every plain (non-numeric) feature that holds for these findings."""
    features = {f"quality:{q}" for q in findings.qualities}
    features |= {f"trigger:{t}" for t in findings.triggers}
    features |= {f"reliever:{r}" for r in findings.relievers}
    features |= {f"flag:{flag}" for flag in findings.red_flags}
    features |= {f"unknown:{flag}" for flag in findings.unknown_flags}
    features |= {f"risk:{risk}" for risk in findings.risks}
    features |= {f"region:{name}" for name in findings.regions}
    features |= {f"dermatome:{root}" for root in roots_of(findings, kb)}
    features |= {f"pattern:{name}" for name, test in PATTERNS.items() if test(findings, kb)}
    if findings.side:
        features |= {f"side:{findings.side}", "side:both" if _bilateral(findings) else "side:one"}
    elif _bilateral(findings):
        features.add("side:both")
    features |= _yes_no(findings.chickenpox, "history:chickenpox", "history:no_chickenpox")
    features |= _yes_no(findings.diabetes, "history:diabetes", "history:no_diabetes")
    features |= _yes_no(findings.rash, "rash:yes", "rash:no")
    features |= _yes_no(findings.back_pain, "back_pain:yes", "back_pain:no")
    return frozenset(features)


class FeatureView:
    """Evaluates feature expressions against one set of findings."""

    def __init__(self, findings: Findings, kb: Knowledge) -> None:
        self.findings = findings
        self.plain = feature_set(findings, kb)
        self.numbers = _numbers(findings)

    def holds(self, expression: str) -> bool:
        return all(self._holds_one(part.strip()) for part in expression.split("&"))

    def _holds_one(self, feature: str) -> bool:
        if feature.startswith("!"):
            return not self._holds_one(feature[1:])
        kind, _, value = feature.partition(":")
        match = _COMPARISON.match(value)
        if match and kind in self.numbers:
            number = self.numbers[kind]
            return number is not None and _OPERATORS[match[1]](number, float(match[2]))
        return feature in self.plain
