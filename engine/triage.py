"""How urgently to see a doctor: the most urgent of what each rule of clinical-facts says."""

from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

from engine.features import FeatureView
from engine.findings import Findings
from engine.scoring import ScoredCause
from knowledge import Knowledge
from knowledge.contract import TRIAGE_LEVELS

# Pain that has not improved after 4-6 weeks needs a doctor; when unsure, escalate: 4 weeks.
PERSISTENT_DAYS = 28
SEVERE_PAIN = 8
# A cause this close to the most likely one is plausible enough to set the urgency.
PLAUSIBLE_SHARE = 0.5
PLAUSIBLE_FLOOR = 0.15
# Below this the picture is too unclear to advise home care.
CLEAR_ENOUGH = 0.25


@dataclass(frozen=True)
class Decision:
    level: str
    # Why, as ids the wording layer explains: `flag:<red flag>`, `cause:<cause>`,
    # `unknown:<red flag>` (not ruled out),
    # `course:<persistent|severe|weakness|worsening|foot_ulcer|injecting_drugs>`,
    # `clarity:unclear`,
    # `default:settles`.
    reasons: Tuple[str, ...]


Rule = Callable[[Findings, Sequence[ScoredCause], Knowledge], List[Tuple[str, str]]]


def rank(level: str) -> int:
    return TRIAGE_LEVELS.index(level)


def flag_level(flag: str, view: FeatureView, kb: Knowledge) -> str:
    """The level a present red flag forces, after its own exceptions (triage_when)."""
    spec = kb.red_flags.flags[flag]
    return next((rule.triage for rule in spec.triage_when if view.holds(rule.when)), spec.triage)


def red_flag_rule(findings: Findings, causes: Sequence[ScoredCause], kb: Knowledge):
    view = FeatureView(findings, kb)
    return [(flag_level(flag, view, kb), f"flag:{flag}") for flag in sorted(findings.red_flags)]


def unknown_flag_rule(findings: Findings, causes: Sequence[ScoredCause], kb: Knowledge):
    """A warning sign the patient could not rule out is never recorded as present; an
    emergency one is advised as for the sign (clinical-facts: when unsure, escalate)."""
    return [
        ("emergency", f"unknown:{flag}")
        for flag in sorted(findings.unknown_flags)
        if kb.red_flags.flags[flag].triage == "emergency"
    ]


def plausible_causes(causes: Sequence[ScoredCause]) -> List[ScoredCause]:
    if not causes:
        return []
    threshold = max(PLAUSIBLE_FLOOR, causes[0].score * PLAUSIBLE_SHARE)
    return [causes[0]] + [cause for cause in causes[1:] if cause.score >= threshold]


def cause_rule(findings: Findings, causes: Sequence[ScoredCause], kb: Knowledge):
    """The likely causes' own urgency. Emergency causes need their red flags, which the
    red-flag rule already counts, so here they stop at urgent."""
    decisions = []
    for cause in plausible_causes(causes):
        level = kb.conditions[cause.id].triage
        level = "urgent" if level == "emergency" else level
        decisions.append((level, f"cause:{cause.id}"))
    return decisions


def course_rule(findings: Findings, causes: Sequence[ScoredCause], kb: Knowledge):
    decisions = []
    if findings.duration_days is not None and findings.duration_days > PERSISTENT_DAYS:
        decisions.append(("see_doctor", "course:persistent"))
    if findings.severity is not None and findings.severity >= SEVERE_PAIN:
        decisions.append(("see_doctor", "course:severe"))
    if "weakness" in findings.qualities or findings.motor_signs:  # a foot that cannot lift
        decisions.append(("see_doctor", "course:weakness"))
    if "worsening" in findings.risks:
        decisions.append(("see_doctor", "course:worsening"))
    if "foot_ulcer" in findings.risks:
        decisions.append(("urgent", "course:foot_ulcer"))
    if "injecting_drugs" in findings.risks:
        decisions.append(("urgent", "course:injecting_drugs"))
    return decisions


def clarity_rule(findings: Findings, causes: Sequence[ScoredCause], kb: Knowledge):
    if not causes or causes[0].score < CLEAR_ENOUGH:
        return [("see_doctor", "clarity:unclear")]
    return []


RULES: Tuple[Rule, ...] = (red_flag_rule, unknown_flag_rule, cause_rule, course_rule, clarity_rule)


def decide_triage(findings: Findings, causes: Sequence[ScoredCause], kb: Knowledge) -> Decision:
    """The most urgent level any rule gives, with the reasons that gave it."""
    decisions = [("self_care", "default:settles")]
    for rule in RULES:
        decisions += rule(findings, causes, kb)
    level = max((level for level, _ in decisions), key=rank)
    reasons = tuple(dict.fromkeys(reason for lvl, reason in decisions if lvl == level))
    return Decision(level, reasons)
