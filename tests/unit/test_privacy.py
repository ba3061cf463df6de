"""The privacy controls' parts on their own: the erasure dialogue's next step, and the tracker
store's erasure and retention on a real SQLite file (the end-to-end tests run them through the
real server: tests/e2e/test_privacy.py)."""

import asyncio
import time
from pathlib import Path

import pytest
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.privacy_policy import (
    CONFIRM,
    CONFIRM_MID_INTERVIEW,
    DECLINED,
    INTERVIEW_FORM,
    next_privacy_action,
)
from rasa_ext.tracker_store import ERASED_RESPONSE, PrivateSQLTrackerStore, erasure_confirmed

WORDS = b"zebra-striped burning in my shin"


@pytest.mark.parametrize(
    "intent, latest, before, loop, expected",
    [
        ("request_erasure", ACTION_LISTEN_NAME, None, False, CONFIRM),
        (
            "request_erasure",
            ACTION_LISTEN_NAME,
            "utter_ask_rash",
            True,
            ACTION_DEACTIVATE_LOOP_NAME,
        ),
        (
            "request_erasure",
            ACTION_DEACTIVATE_LOOP_NAME,
            "utter_ask_rash",
            False,
            CONFIRM_MID_INTERVIEW,
        ),
        ("request_erasure", CONFIRM, None, False, ACTION_LISTEN_NAME),
        ("affirm", ACTION_LISTEN_NAME, CONFIRM, False, ERASED_RESPONSE),
        ("request_erasure", ACTION_LISTEN_NAME, CONFIRM_MID_INTERVIEW, False, ERASED_RESPONSE),
        ("affirm", ERASED_RESPONSE, CONFIRM, False, ACTION_LISTEN_NAME),
        ("deny", ACTION_LISTEN_NAME, CONFIRM, False, DECLINED),
        ("deny", DECLINED, CONFIRM, False, ACTION_LISTEN_NAME),
        ("deny", DECLINED, CONFIRM_MID_INTERVIEW, False, INTERVIEW_FORM),
        ("affirm", ACTION_LISTEN_NAME, "utter_ask_rash", True, None),  # an answer, not a consent
        ("deny", ACTION_LISTEN_NAME, "utter_offer_diary", False, None),
        ("deny", INTERVIEW_FORM, CONFIRM_MID_INTERVIEW, True, None),  # the form takes over
    ],
)
def test_the_erasure_dialogue(intent, latest, before, loop, expected):
    assert next_privacy_action(intent, latest, before, loop) == expected


def _tracker(sender: str, *events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, list(events))


def test_only_a_turn_that_ends_in_the_erasure_response_erases():
    talk = [ActionExecuted(ACTION_LISTEN_NAME), UserUttered("yes"), ActionExecuted(CONFIRM)]
    assert not erasure_confirmed(_tracker("a", *talk))
    assert erasure_confirmed(_tracker("a", *talk, ActionExecuted(ERASED_RESPONSE)))
    later = [ActionExecuted(ERASED_RESPONSE), UserUttered("hello"), ActionExecuted("utter_greet")]
    assert not erasure_confirmed(_tracker("a", *later))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RETENTION_DAYS", "1")
    return PrivateSQLTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db")
    )


def _conversation(sender: str, text: str) -> DialogueStateTracker:
    return _tracker(
        sender,
        ActionExecuted(ACTION_LISTEN_NAME),
        UserUttered(text),
        BotUttered("Where does it hurt?"),
    )


def _stored_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log (kept while connections stay open)."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_erasure_leaves_nothing_in_the_file(store, tmp_path: Path):
    db = tmp_path / "tracker.db"
    kept = _conversation("someone-else", "an aching calf")
    erased = _conversation("patient-4711", WORDS.decode())
    for tracker in (kept, erased):
        asyncio.run(store.save(tracker))
    assert WORDS in _stored_bytes(db)
    erased.update(UserUttered("yes"))
    erased.update(ActionExecuted(ERASED_RESPONSE))
    asyncio.run(store.save(erased))
    data = _stored_bytes(db)
    assert WORDS not in data and b"patient-4711" not in data
    assert asyncio.run(store.retrieve("patient-4711")) is None
    assert asyncio.run(store.retrieve("someone-else")) is not None


def test_retention_deletes_idle_conversations_only(store):
    asyncio.run(store.save(_conversation("idle", "pain in the heel")))
    asyncio.run(store.save(_conversation("active", "pain in the shin")))
    assert store.delete_idle(now=time.time()) == 0
    # A day and a bit later the first one was idle all along; the second spoke again.
    later = time.time() + 1.1 * 86400
    active = asyncio.run(store.retrieve("active"))
    active.update(UserUttered("still hurts", timestamp=later - 60))
    asyncio.run(store.save(active))
    assert store.delete_idle(now=later) == 1
    assert asyncio.run(store.retrieve("idle")) is None
    assert asyncio.run(store.retrieve("active")) is not None


@pytest.mark.parametrize("value", ["soon", "-1", "0"])
def test_a_bad_retention_setting_stops_the_start(value, tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", value)
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        PrivateSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))


def test_retention_off(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "off")
    store = PrivateSQLTrackerStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db")
    )
    asyncio.run(store.save(_conversation("old", "pain")))
    assert store.delete_idle(now=time.time() + 1000 * 86400) == 0


def test_the_speedups_keep_rasas_answers():
    """rasa_ext/speedups.py (installed with the tracker store): the same event classes, and an
    action-server reply that breaks Rasa's schema is still refused."""
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event, SlotSet

    from rasa_ext import speedups

    speedups.install()
    assert Event.resolve_by_type("slot") is SlotSet
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no-such-event")
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list"})


def test_no_to_erasure_resumes_the_form_that_was_paused():
    from rasa.shared.core.events import ActiveLoop

    from rasa_ext.privacy_policy import paused_form

    diary = _tracker(
        "a", ActiveLoop("diary_form"), ActionExecuted(ACTION_LISTEN_NAME), ActiveLoop(None)
    )
    assert paused_form(diary) == "diary_form"
    assert paused_form(_tracker("b", ActionExecuted(ACTION_LISTEN_NAME))) == INTERVIEW_FORM
