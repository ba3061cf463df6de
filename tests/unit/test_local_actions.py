"""The interview's per-message actions run in the Rasa process (rasa_ext/local_actions.py):
rasa_sdk's own executor on a copy of the call, with the action server's answers and errors."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import ClientResponseError

from engine.questions import question
from knowledge import knowledge
from knowledge.contract import EXTRACT_ACTION, VALIDATE_ACTION
from rasa_ext import local_actions
from wording.interview import question_text


def call(action: str) -> dict:
    domain = Domain.load("domain")
    tracker = DialogueStateTracker.from_events(
        "local-test",
        [
            ActionExecuted("action_listen"),
            UserUttered("burning on my shin", {"name": "inform", "confidence": 1.0}),
            SlotSet("pain_location", ["shin"]),
            SlotSet("requested_slot", "pain_side"),
        ],
        domain.slots,
    )
    return {
        "next_action": action,
        "sender_id": "local-test",
        "version": "3.6.21",
        "tracker": tracker.current_state(EventVerbosity.ALL),
    }


def test_which_actions_run_here():
    assert local_actions.mode({}) == "interview"
    assert local_actions.mode({"IN_PROCESS_ACTIONS": " OFF "}) == "off"
    with pytest.raises(ValueError, match="IN_PROCESS_ACTIONS"):
        local_actions.mode({"IN_PROCESS_ACTIONS": "some"})
    for name in (EXTRACT_ACTION, VALIDATE_ACTION, "action_ask_pain_side"):
        assert local_actions.runs_here(name, "interview")
        assert not local_actions.runs_here(name, "off")
    assert not local_actions.runs_here("action_assessment", "interview")
    assert local_actions.runs_here("action_assessment", "all")


def test_a_question_is_asked_as_the_action_server_asks_it():
    sent = call("action_ask_pain_side")
    answer = asyncio.run(local_actions.run(sent))
    kb = knowledge()
    slots = sent["tracker"]["slots"]
    text, titles = question_text(question("pain_side", slots, kb), kb)
    assert answer["events"] == []
    assert [r["text"] for r in answer["responses"]] == [text]
    assert [b["title"] for b in answer["responses"][0]["buttons"]] == titles
    answer["responses"].clear()  # the answer is a copy: nothing is shared with the call
    assert sent["tracker"]["slots"]["pain_location"] == ["shin"]


def test_an_unknown_action_is_the_action_servers_404():
    with pytest.raises(ClientResponseError) as refused:
        asyncio.run(local_actions.run(call("action_that_does_not_exist")))
    assert refused.value.status == 404 and b"action_that_does_not_exist" in refused.value.text
