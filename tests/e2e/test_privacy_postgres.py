"""Erasure and retention of the tracker store on a real PostgreSQL server (Debian's, started
on a free port by tools/cluster_services.py, as `make cluster` does): the same store class and
keys that TRACKER_STORE_URL renders into endpoints.yml."""

import asyncio
import secrets
import shutil
import socket
import time
from typing import Iterator

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext.tracker_store import ERASED_RESPONSE, PrivateSQLTrackerStore
from tests.support.servers import ROOT
from tools.store_urls import tracker_store_keys


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    from tools.cluster_services import Postgres

    state = ROOT / ".state" / f"privacy-pg-{secrets.token_hex(4)}"  # readable by "postgres"
    try:
        server = Postgres(state, _free_port())
    except RuntimeError as exc:  # no PostgreSQL user/binaries: the cluster target installs them
        pytest.skip(f"PostgreSQL not available here: {exc}")
    server.start()
    try:
        server.wait_ready()
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(state, ignore_errors=True)


def _conversation(sender: str, text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender, [ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text), BotUttered("Which side?")]
    )


def test_erasure_and_retention_on_postgresql(postgres_url: str, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "1")
    keys = tracker_store_keys(postgres_url)
    store = PrivateSQLTrackerStore(domain=Domain.empty(), host=keys.pop("url"), **keys)
    erased = _conversation("pg-patient", "burning shin")
    asyncio.run(store.save(erased))
    asyncio.run(store.save(_conversation("pg-idle", "aching heel")))
    asyncio.run(store.save(_conversation("pg-kept", "sore calf")))
    erased.update(UserUttered("yes"))
    erased.update(ActionExecuted(ERASED_RESPONSE))
    asyncio.run(store.save(erased))
    assert asyncio.run(store.retrieve("pg-patient")) is None
    kept = asyncio.run(store.retrieve("pg-kept"))
    assert kept is not None
    later = time.time() + 1.1 * 86400
    kept.update(UserUttered("still sore", timestamp=later - 60))
    asyncio.run(store.save(kept))
    assert store.delete_idle(now=later) == 1  # and vacuums the table
    assert asyncio.run(store.retrieve("pg-idle")) is None
    assert asyncio.run(store.retrieve("pg-kept")) is not None
    with store.engine.connect() as conn:
        texts = [row[0] for row in conn.exec_driver_sql("SELECT data FROM events")]
    assert not any("burning shin" in t or "aching heel" in t for t in texts)
