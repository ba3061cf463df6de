"""A resent message's earlier replies are found in the stored events (rasa_ext/resends.py)."""

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from rasa_ext.request_checks import rest_problem, valid_message_id
from rasa_ext.resends import earlier_replies

EVENTS = [
    ActionExecuted("action_listen"),
    UserUttered("hi", message_id="a"),
    BotUttered("Hello", data={"buttons": [{"title": "Yes", "payload": "/affirm"}]}),
    ActionExecuted("action_listen"),
    UserUttered("my shin burns", message_id="b"),
    SlotSet("pain_location", ["shin"]),
    BotUttered("Which leg?"),
    BotUttered(None, data={"custom": {"x": 1}}),
    ActionExecuted("action_listen"),
    UserUttered("ok", message_id="c"),
]


def test_the_replies_that_followed_the_message_with_that_id():
    replies = earlier_replies(EVENTS, "b")
    assert [r.get("text") for r in replies] == ["Which leg?", None]
    assert replies[1]["custom"] == {"x": 1}
    assert earlier_replies(EVENTS, "a")[0]["buttons"][0]["payload"] == "/affirm"


def test_a_stored_message_without_replies_and_an_unknown_id():
    assert earlier_replies(EVENTS, "c") == []
    assert earlier_replies(EVENTS, "z") is None


def test_message_ids_are_short_plain_tokens():
    assert valid_message_id("7f3a-99_x.y:1") and valid_message_id("a" * 100)
    for bad in ("", "a" * 101, "two words", "<script>", 7, None):
        assert not valid_message_id(bad), bad
    body = {"sender": "s", "message": "hi"}
    assert rest_problem({**body, "message_id": "m-1"}) is None
    assert "message_id" in (rest_problem({**body, "message_id": 5}) or "")
