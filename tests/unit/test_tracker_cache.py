"""The trackers kept between turns (rasa_ext/tracker_cache.py, used by the tracker store): on
a real SQLite file, with two stores on one file standing for two replicas."""

import asyncio
import time
from pathlib import Path

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.tracker_store import PrivateSQLTrackerStore


def _store(db: Path) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))


def _turn(tracker: DialogueStateTracker, text: str) -> None:
    tracker.update(UserUttered(text))
    tracker.update(BotUttered(f"you said {text}"))
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))


def _texts(tracker: DialogueStateTracker) -> list:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


def _started(store: PrivateSQLTrackerStore, sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [ActionExecuted(ACTION_LISTEN_NAME)])
    _turn(tracker, "first")
    asyncio.run(store.save(tracker))
    return tracker


def test_the_next_turn_gets_the_saved_tracker_and_stores_only_its_new_events(db):
    store = _store(db)
    saved = _started(store, "p")
    again = asyncio.run(store.retrieve("p"))
    assert again is saved  # no read-back and replay
    _turn(again, "second")
    asyncio.run(store.save(again))
    fresh = asyncio.run(_store(db).retrieve("p"))  # another process reads the file
    assert _texts(fresh) == ["first", "second"]
    assert len(fresh.events) == len(again.events)


def test_a_turn_saved_by_another_replica_is_read_from_the_database(db):
    mine, other = _store(db), _store(db)
    _started(mine, "p")
    theirs = asyncio.run(other.retrieve("p"))
    _turn(theirs, "sent to the other replica")
    asyncio.run(other.save(theirs))
    back = asyncio.run(mine.retrieve("p"))
    assert _texts(back) == ["first", "sent to the other replica"]
    _turn(back, "third")
    asyncio.run(mine.save(back))
    assert _texts(asyncio.run(other.retrieve("p"))) == [
        "first",
        "sent to the other replica",
        "third",
    ]


def test_a_turn_that_failed_half_way_is_not_reused(db):
    store = _store(db)
    saved = _started(store, "p")
    saved.update(UserUttered("never saved: the turn failed"))
    back = asyncio.run(store.retrieve("p"))
    assert back is not saved and _texts(back) == ["first"]


def test_erasure_and_retention_forget_the_kept_tracker(db, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "1")
    store, other = _store(db), _store(db)
    _started(store, "erased elsewhere")
    other.erase("erased elsewhere")  # by another replica: only the database knows
    assert asyncio.run(store.retrieve("erased elsewhere")) is None
    _started(store, "idle")
    assert store.delete_idle(now=time.time() + 2 * 86400) == 1
    assert asyncio.run(store.retrieve("idle")) is None


def test_the_cache_can_be_turned_off(db, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE_SIZE", "off")
    store = _store(db)
    saved = _started(store, "p")
    back = asyncio.run(store.retrieve("p"))
    assert back is not saved and _texts(back) == ["first"]
