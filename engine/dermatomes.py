"""Body regions to spinal nerve roots (dermatomes)."""
from collections import defaultdict
from typing import Dict, Iterable, List

from knowledge import Knowledge
from knowledge.contract import ROOTS


def root_votes(regions: Iterable[str], kb: Knowledge) -> Dict[str, float]:
    """Each named region shares one vote among the roots that supply it."""
    votes: Dict[str, float] = defaultdict(float)
    for name in regions:
        roots = kb.region(name).dermatomes
        for root in roots:
            votes[root] += 1.0 / len(roots)
    return dict(votes)


def dermatomes_for(regions: Iterable[str], kb: Knowledge) -> List[str]:
    """The roots that best explain the regions: those with at least half the top vote.

    A single band (say the outer shin, top of foot and big toe) gives one root (L5);
    scattered places give the few roots most of them share, in spinal order.
    """
    votes = root_votes(regions, kb)
    if not votes:
        return []
    top = max(votes.values())
    return [root for root in ROOTS if votes.get(root, 0.0) >= top / 2]


def neighbours_for(regions: Iterable[str], kb: Knowledge) -> List[str]:
    """Roots next door on overlapping maps: plausible too, but less likely."""
    regions = list(regions)
    main = set(dermatomes_for(regions, kb))
    near = {root for name in regions for root in kb.region(name).neighbours}
    return [root for root in ROOTS if root in near and root not in main]
