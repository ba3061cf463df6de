"""Real patients' own words through the trained Rasa model (HTTP /model/parse): the test half
of the real-voice corpus (tests/nlu/real_voice/test.yml, never tuned on), each text sent as
the first message of a conversation or as the answer to the question named by
`requested_slot`. Prints per-slot precision and recall and the warning-sign figures.

Gates: slot F1 >= 0.90; warning-sign recall >= 0.95 with precision >= 0.90 (a sign counts as
recognised when it is set present, or emitted as suspected, which makes the assistant ask a
confirmation question); every utterance naming an emergency sign has it recognised.
"""

from pathlib import Path

import pytest
import requests
import yaml

from knowledge.contract import RED_FLAG_IDS
from tests.support.summary import show
from tools import score_slots
from tools.score_language import (
    NOT_FINDINGS,
    emergency_sign_ids,
    format_warning_signs,
    updates_from_entities,
    warning_sign_scores,
)

HERE = Path(__file__).parent
TEST_HALF = HERE / "real_voice" / "test.yml"


def scorer():
    return score_slots


@pytest.fixture(scope="module")
def parsed(servers):
    items = yaml.safe_load(TEST_HALF.read_text(encoding="utf-8"))
    session = requests.Session()
    results = {}
    for item in items:
        reply = session.post(
            f"{servers.rasa_url}/model/parse",
            params={"token": servers.token},
            json={"text": item["text"]},
            timeout=30,
        )
        reply.raise_for_status()
        results[item["text"]] = reply.json()["entities"]
    return items, results


def test_real_voice_through_the_model(parsed):
    items, results = parsed

    def read(text, requested):
        return updates_from_entities(results[text], text, requested)

    module = scorer()
    slots = module.score(
        items,
        lambda text, requested: read(text, requested)[0],
        ignored_slots=set(module.IGNORED_SLOTS) | NOT_FINDINGS,
    )

    def recognised(item):
        updates, suspected = read(item["text"], item.get("requested_slot"))
        return {f for f in RED_FLAG_IDS if updates.get(f) is True}, set(suspected)

    signs = warning_sign_scores(items, recognised, emergency_sign_ids())
    show(
        "real patients' words through the model (tests/nlu/real_voice/test.yml)",
        module.format_report(slots, max_errors=10)
        + "\n\n"
        + format_warning_signs(signs, max_errors=10),
    )
    assert slots["slot_f1"] >= 0.90
    assert signs["recall"] >= 0.95
    assert signs["precision"] >= 0.90
    assert signs["emergency_missed"] == 0, signs["emergency_misses"]
