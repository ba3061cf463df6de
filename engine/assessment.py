"""The assessment of CONTRACT section 4, as ids and numbers; wording/assessment.py says it."""

from dataclasses import dataclass
from typing import List, Tuple

from engine.dermatomes import neighbours_for
from engine.features import roots_of
from engine.findings import Findings
from engine.scoring import ScoredCause, score_causes
from engine.triage import decide_triage
from knowledge import Knowledge

LISTED_CAUSES = 5
EXPLAINED_CAUSES = 3
# A cause with less than this share does not fit: naming it ("cauda equina syndrome" in a
# home-care assessment) would only alarm.
LISTED_SHARE = 0.02
# Where it is and who has it fit many causes: a cause is listed (after the most likely)
# only with a finding of another kind speaking for it. CONTRACT: "at least the three most
# likely where three fit" - fewer when fewer fit.
WHERE_AND_WHO = {"region", "dermatome", "side", "age"}
WHERE_PATTERNS = {"pattern:dermatomal", "pattern:below_knee"}
# Tips come from the causes this far down the list.
TIP_CAUSES = 2


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: Tuple[str, ...]  # reason ids of engine.triage.Decision
    causes: Tuple[ScoredCause, ...]  # listed, most likely first
    top: str  # the most likely cause, whose advice and checks are given
    dermatomes: Tuple[str, ...]
    # The dermatome map explains it only when the most likely cause is a nerve root's.
    dermatomes_explained: bool
    neighbouring_dermatomes: Tuple[str, ...]
    red_flags: Tuple[str, ...]
    unknown_flags: Tuple[str, ...]  # asked, not known: never given as present
    tips: Tuple[str, ...]  # tip ids; none when it is an emergency
    doctor_may: Tuple[str, ...]
    sources: Tuple[str, ...]  # source ids, the explained causes' and the flags'


def _specific(feature: str) -> bool:
    """A finding that speaks for a cause, not only where the pain is or who has it."""
    parts = [part.strip() for part in feature.split("&")]
    return any(
        not part.startswith("!")
        and part.partition(":")[0] not in WHERE_AND_WHO
        and part not in WHERE_PATTERNS
        for part in parts
    )


def _listed(causes: List[ScoredCause]) -> List[ScoredCause]:
    """The most likely cause, then the others that fit: a fair share and a finding of
    their own."""
    others = [
        cause
        for cause in causes[1:]
        if cause.score >= LISTED_SHARE and any(_specific(feature) for feature in cause.evidence)
    ]
    return (causes[:1] + others)[:LISTED_CAUSES]


def assess(findings: Findings, kb: Knowledge) -> Assessment:
    """Everything the patient is told, decided from what they reported."""
    causes = score_causes(findings, kb)
    decision = decide_triage(findings, causes, kb)
    top = kb.conditions[causes[0].id]
    dermatomes = roots_of(findings, kb)
    tips = (
        ()
        if decision.level == "emergency"
        else tuple(
            dict.fromkeys(
                tip for cause in causes[:TIP_CAUSES] for tip in kb.conditions[cause.id].self_care
            )
        )
    )
    sources = dict.fromkeys(
        [s for cause in causes[:EXPLAINED_CAUSES] for s in kb.conditions[cause.id].sources]
        + [s for flag in sorted(findings.red_flags) for s in kb.red_flags.flags[flag].sources]
    )
    return Assessment(
        level=decision.level,
        reasons=decision.reasons,
        causes=tuple(_listed(causes)),
        top=causes[0].id,
        dermatomes=tuple(dermatomes),
        dermatomes_explained=bool(dermatomes) and top.nerve_root,
        neighbouring_dermatomes=tuple(neighbours_for(findings.regions, kb)),
        red_flags=tuple(sorted(findings.red_flags)),
        unknown_flags=tuple(f for f in kb.red_flags.flags if f in findings.unknown_flags),
        tips=tips,
        doctor_may=tuple(top.doctor_may),
        sources=tuple(sources),
    )
