"""The real-voice corpus (tests/nlu/real_voice/): large enough, every warning sign covered,
labels in the contract's names and values, and the committed split made from the sources."""

from collections import Counter

import pytest

from knowledge import knowledge
from knowledge.contract import FINDING_SLOTS, RED_FLAG_IDS, SIDES
from tools import split_corpus

EMERGENCY_SIGNS = (
    "saddle_numbness",
    "bladder_bowel_dysfunction",
    "chest_pain_or_breathlessness",
    "cold_pale_leg",
    "major_trauma",
    "bilateral_leg_symptoms",
)


@pytest.fixture(scope="module")
def items():
    return split_corpus.load_sources()


def test_corpus_size_and_sign_coverage(items):
    assert len(items) >= 420
    present = Counter(
        flag
        for item in items
        for flag, value in item["slots"].items()
        if flag in RED_FLAG_IDS and value is True
    )
    for flag in RED_FLAG_IDS:
        assert present[flag] >= (15 if flag in EMERGENCY_SIGNS else 8), (flag, present[flag])
    assert sum(1 for item in items if item.get("negation")) >= 40


def test_labels_use_the_contract_names(items):
    kb = knowledge()
    vocab = kb.vocabulary
    list_values = {
        "pain_side": SIDES,
        "pain_quality": vocab.qualities,
        "pain_triggers": vocab.triggers,
        "pain_relievers": vocab.relievers,
    }
    regions = {region.name for region in kb.regions}
    known = set(FINDING_SLOTS) | set(RED_FLAG_IDS) | {"risk_factors"}
    for item in items:
        assert set(item["slots"]) <= known, item
        for slot, allowed in list_values.items():
            values = item["slots"].get(slot)
            values = [values] if isinstance(values, str) else values or []
            assert set(values) <= set(allowed), (item["text"], slot, values)
        assert set(item["slots"].get("pain_location") or []) <= regions, item["text"]
        assert set(item["slots"].get("risk_factors") or []) <= set(kb.risk_factors), item
        requested = item.get("requested_slot")
        assert requested is None or requested in known, item


def test_committed_split_is_the_split_of_the_sources():
    assert split_corpus.main(["--check"]) == 0
