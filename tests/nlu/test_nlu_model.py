"""Language understanding through the trained Rasa model (HTTP /model/parse): intents from
DIET, entities from the clinical extractor, slots from the engine. Prints per-intent and
per-slot precision and recall; gates: intent F1 >= 0.90 (weighted by how often each intent
occurs, Rasa's own headline figure; the macro average is printed too), slot F1 >= 0.90, no
negation errors."""

from pathlib import Path

import pytest

from engine.interview import slot_updates
from knowledge import knowledge
from tests.nlu.parsing import parse_items
from tests.support.summary import show
from tools import score_slots

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def parsed(servers):
    return parse_items(servers, HERE / "test_set.yml")


def test_intents_and_slots_through_the_model(parsed):
    items, results = parsed
    kb = knowledge()

    def predict(text, requested):
        updates = slot_updates(results[text]["entities"], {}, requested, kb)
        vague = updates.pop("vague_location", None)  # understood, held until asked
        if vague and "pain_location" not in updates:
            updates["pain_location"] = vague
        return updates

    def predict_intent(text):
        return results[text]["intent"]["name"]

    module = score_slots
    scores = module.score(items, predict, predict_intent)
    show(
        "language understanding through the model (tests/nlu/test_set.yml)",
        module.format_report(scores, max_errors=10),
    )
    assert scores["intent_weighted_f1"] >= 0.90
    assert scores["slot_f1"] >= 0.90
    assert scores["negation_errors"] == 0
