"""When a long session starts afresh (rasa_ext/session_rollover.py). The real server's side
is tests/e2e/test_long_conversation.py."""

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.session_rollover import awaited_actions, due, holds_earlier_session

LIMIT = 12
AWAITED = frozenset({"utter_offer"})


def _conversation(turns: int, action: str = "action_answer", data=None, loop=False):
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]
    if loop:
        events.append(ActiveLoop("symptom_form"))
    for n in range(turns):
        events += [
            UserUttered(f"question {n}"),
            ActionExecuted(action),
            BotUttered(f"answer {n}", data=data or {}),
            ActionExecuted(ACTION_LISTEN_NAME),
        ]
    return DialogueStateTracker.from_events("p", events)


def test_a_long_session_at_a_quiet_point_starts_afresh():
    assert not due(_conversation(2), LIMIT, AWAITED)
    assert due(_conversation(4), LIMIT, AWAITED)
    assert not due(_conversation(4), None, AWAITED), "off"


def test_never_while_a_form_runs_or_an_answer_is_awaited():
    assert not due(_conversation(4, loop=True), LIMIT, AWAITED)
    assert not due(_conversation(4, action="utter_offer"), LIMIT, AWAITED)
    with_buttons = {"buttons": [{"title": "Yes", "payload": "/affirm"}]}
    assert not due(_conversation(4, data=with_buttons), LIMIT, AWAITED)


def test_the_actions_a_rule_or_story_awaits_an_answer_to_come_from_data():
    awaited = awaited_actions()
    assert "utter_confirm_erasure" in awaited and "utter_offer_diary" in awaited
    assert "action_answer_knowledge" not in awaited


def test_a_tracker_holding_an_earlier_session_is_told_apart():
    one = _conversation(3)
    assert not holds_earlier_session(one)
    one.update(ActionExecuted("action_session_start"))
    one.update(SessionStarted())
    assert holds_earlier_session(one)
