"""Body regions (dermatomes) and what the leg cannot do (myotomes) to spinal nerve roots."""

from collections import defaultdict
from typing import Dict, Iterable, List

from knowledge import Knowledge
from knowledge.contract import ROOTS


def motor_signs(said: Iterable[str], red_flags: Iterable[str], kb: Knowledge) -> List[str]:
    """The motor signs reported, with those a present red flag implies (foot drop)."""
    flags = set(red_flags)
    implied = [key for key, sign in kb.myotomes.items() if sign.flag in flags]
    return list(dict.fromkeys([s for s in said if s in kb.myotomes] + implied))


def root_votes(
    regions: Iterable[str], kb: Knowledge, motor: Iterable[str] = ()
) -> Dict[str, float]:
    """Each named region, and each motor sign, shares one vote among its roots."""
    votes: Dict[str, float] = defaultdict(float)
    supplied = [kb.region(name).dermatomes for name in regions]
    supplied += [kb.myotomes[sign].roots for sign in motor]
    for roots in supplied:
        for root in roots:
            votes[root] += 1.0 / len(roots)
    return dict(votes)


def dermatomes_for(regions: Iterable[str], kb: Knowledge, motor: Iterable[str] = ()) -> List[str]:
    """The roots that best explain the regions: those with at least half the top vote.

    A single band (say the outer shin, top of foot and big toe) gives one root (L5);
    scattered places give the few roots most of them share, in spinal order. A foot that
    cannot lift votes for L5 as the skin over the shin does.
    """
    votes = root_votes(regions, kb, motor)
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
