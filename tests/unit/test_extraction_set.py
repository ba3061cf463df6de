"""The language layer (knowledge-base entity extractor + slot_updates) over the held-out test
set tests/nlu/test_set.yml. Run with -s to see the per-slot report:

    .venv/bin/python -m pytest tests/unit/test_extraction_set.py -q -s
"""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from engine.interview import slot_updates
from knowledge import knowledge
from language.extract import extractor
from tools import score_slots

NLU_TESTS = Path(__file__).resolve().parents[1] / "nlu"
TEST_SET = NLU_TESTS / "test_set.yml"
# Relative dates in the test set ("since Friday") are read as of this day (a Monday).
REFERENCE_DATE = dt.date(2024, 6, 10)
MIN_SLOT_F1 = 0.90


def _scorer():
    return score_slots


def predict(text, requested_slot):
    """Slot updates from empty slots. A place too vague to answer "where exactly?" is kept in
    `vague_location` until the bot asks; it was still understood, so it counts as the
    location here."""
    entities = extractor().entities(text, today=REFERENCE_DATE)
    updates = slot_updates(entities, {}, requested_slot, knowledge())
    vague = updates.pop("vague_location", None)
    if vague and "pain_location" not in updates:
        updates["pain_location"] = vague
    return updates


@pytest.fixture(scope="module")
def items():
    return yaml.safe_load(TEST_SET.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(items):
    result = _scorer().score(items, predict)
    print()
    print(_scorer().format_report(result, max_errors=400))
    return result


def test_test_set_is_well_formed(items):
    assert len(items) >= 320
    for item in items:
        assert set(item) <= {"text", "intent", "requested_slot", "slots", "negation", "absent"}, (
            item
        )
        assert isinstance(item["text"], str) and item["text"].strip(), item
        assert isinstance(item.get("slots"), dict), item
    assert sum(1 for item in items if item.get("negation")) >= 40


def test_slot_f1(scores):
    assert scores["slot_f1"] >= MIN_SLOT_F1, (
        f"micro slot F1 {scores['slot_f1']:.3f} < {MIN_SLOT_F1} (run with -s for the report)"
    )


def test_no_negation_errors(scores):
    assert scores["negation_errors"] == 0, [e["text"] for e in scores["negation_error_items"]]
