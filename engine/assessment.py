"""The assessment of CONTRACT section 4, as ids and numbers; wording/assessment.py says it."""
from dataclasses import dataclass
from typing import List, Tuple

from engine.dermatomes import dermatomes_for, neighbours_for
from engine.findings import Findings
from engine.scoring import ScoredCause, score_causes
from engine.triage import decide_triage
from knowledge import Knowledge

LISTED_CAUSES = 5
LEAST_LISTED = 3  # CONTRACT: at least the three most likely, where three fit
EXPLAINED_CAUSES = 3
# An emergency cause with less than this share does not fit: naming it ("cauda equina
# syndrome" in a home-care assessment) would only alarm.
LISTED_SHARE = 0.02
# Tips come from the causes this far down the list.
TIP_CAUSES = 2


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: Tuple[str, ...]  # reason ids of engine.triage.Decision
    causes: Tuple[ScoredCause, ...]  # listed, most likely first
    top: str  # the most likely cause, whose advice and checks are given
    dermatomes: Tuple[str, ...]
    neighbouring_dermatomes: Tuple[str, ...]
    red_flags: Tuple[str, ...]
    tips: Tuple[str, ...]  # tip ids; none when it is an emergency
    doctor_may: Tuple[str, ...]
    sources: Tuple[str, ...]  # source ids, the explained causes' and the flags'


def _listed(causes: List[ScoredCause], kb: Knowledge) -> List[ScoredCause]:
    """The likely causes, at least three, leaving out emergencies that do not fit."""
    listed: List[ScoredCause] = []
    for cause in causes:
        fits = cause.score >= LISTED_SHARE
        if fits or (len(listed) < LEAST_LISTED and kb.conditions[cause.id].triage != "emergency"):
            listed.append(cause)
        if len(listed) == LISTED_CAUSES or (len(listed) >= LEAST_LISTED and not fits):
            break
    return listed


def assess(findings: Findings, kb: Knowledge) -> Assessment:
    """Everything the patient is told, decided from what they reported."""
    causes = score_causes(findings, kb)
    decision = decide_triage(findings, causes, kb)
    top = kb.conditions[causes[0].id]
    tips = () if decision.level == "emergency" else tuple(dict.fromkeys(
        tip for cause in causes[:TIP_CAUSES] for tip in kb.conditions[cause.id].self_care))
    sources = dict.fromkeys(
        [s for cause in causes[:EXPLAINED_CAUSES] for s in kb.conditions[cause.id].sources]
        + [s for flag in sorted(findings.red_flags) for s in kb.red_flags.flags[flag].sources])
    return Assessment(
        level=decision.level,
        reasons=decision.reasons,
        causes=tuple(_listed(causes, kb)),
        top=causes[0].id,
        dermatomes=tuple(dermatomes_for(findings.regions, kb)),
        neighbouring_dermatomes=tuple(neighbours_for(findings.regions, kb)),
        red_flags=tuple(sorted(findings.red_flags)),
        tips=tips,
        doctor_may=tuple(top.doctor_may),
        sources=tuple(sources),
    )
