"""Rank the causes in the knowledge base against the findings, with reasons."""

import math
from dataclasses import dataclass
from typing import List, Tuple

from engine.features import FeatureView
from engine.findings import Findings
from knowledge import Knowledge

# Softmax temperature: higher spreads the probability over more causes.
TEMPERATURE = 1.6


@dataclass(frozen=True)
class ScoredCause:
    id: str
    name: str
    score: float  # share of the probability among all causes, 0..1
    points: float  # log prior + summed weights, before normalising
    # The findings that speak for it, strongest first (features of conditions.yml).
    evidence: Tuple[str, ...]


def _strongest_first(matched: List[Tuple[float, str]]) -> Tuple[str, ...]:
    return tuple(feature for _, feature in sorted(matched, key=lambda item: -item[0]))


def score_causes(findings: Findings, kb: Knowledge) -> List[ScoredCause]:
    """Every cause, most likely first. Each finding in a cause's list that holds adds its
    weight; the totals become probabilities with a softmax."""
    view = FeatureView(findings, kb)
    raw = []
    for cause_id, condition in kb.conditions.items():
        points = math.log(condition.prior)
        matched = []
        for finding in condition.findings:
            if view.holds(finding.feature):
                points += finding.weight
                if finding.weight > 0:
                    matched.append((finding.weight, finding.feature))
        raw.append((cause_id, condition.name, points, _strongest_first(matched)))
    top = max(points for _, _, points, _ in raw)
    weights = [math.exp((points - top) / TEMPERATURE) for _, _, points, _ in raw]
    total = sum(weights)
    causes = [
        ScoredCause(cause_id, name, round(weight / total, 3), round(points, 2), evidence)
        for (cause_id, name, points, evidence), weight in zip(raw, weights, strict=True)
    ]
    return sorted(causes, key=lambda cause: (-cause.points, cause.id))
