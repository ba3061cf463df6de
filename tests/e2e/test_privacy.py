"""The patient's privacy controls against the real servers over HTTP: "delete my data" (REST
and Telegram) erases every event of the conversation, from the tracker API and from the
SQLite file's bytes; a declined erasure lets the interview go on; idle conversations are
deleted by the retention job, which logs counts only."""

import secrets
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests.support.servers import ROOT, Servers, start_servers

# A short retention for the test (43 s): every test below keeps its conversations busier.
RETENTION_DAYS = "0.0005"
RETENTION_WAIT_S = 150
OPENING = "my left shin hurts, a burning feeling like a hot poker"
KEPT_OPENING = "my right shin hurts, a dull ache"  # the declined erasure keeps it


@pytest.fixture(scope="module")
def private_servers(channel_env: Dict[str, str]) -> Iterator[Servers]:
    db = ROOT / ".state" / f"test-privacy-{secrets.token_hex(4)}.db"
    running = start_servers(
        {
            **channel_env,
            "TRACKER_DB": str(db),
            "RETENTION_DAYS": RETENTION_DAYS,
            "RETENTION_INTERVAL_S": "2",
        }
    )
    running.tracker_db = db  # type: ignore[attr-defined]
    _wait_until_answering(running)
    yield running
    running.stop()
    for path in db.parent.glob(db.name + "*"):
        path.unlink()


def _wait_until_answering(servers: Servers, timeout_s: float = 180) -> None:
    """The server may take a while to load its model after it starts listening."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if servers.send("privacy-ready", "hello"):
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(2)
    servers.stop()
    pytest.fail("the assistant never answered:\n" + "".join(servers.log[-40:]))


def stored_bytes(servers: Servers) -> bytes:
    """The database file and any journal beside it, as bytes on disk."""
    db: Path = servers.tracker_db  # type: ignore[attr-defined]
    return b"".join(path.read_bytes() for path in sorted(db.parent.glob(db.name + "*")))


def texts(reply: List[Dict[str, Any]]) -> str:
    return " ".join(m.get("text") or "" for m in reply)


def user_texts(servers: Servers, sender: str) -> List[str]:
    return [e.get("text") or "" for e in servers.tracker(sender)["events"] if e["event"] == "user"]


def button_payloads(reply: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for m in reply for b in m.get("buttons") or []]


def test_erasure_mid_interview_leaves_nothing(private_servers: Servers):
    servers, sender = private_servers, f"patient-{secrets.token_hex(6)}"
    servers.send(sender, OPENING)
    assert servers.slots(sender)["requested_slot"], "the interview should be running"
    assert OPENING.encode() in stored_bytes(servers)  # so the check below can fail
    assert sender.encode() in stored_bytes(servers)

    confirm = servers.send(sender, "delete my data")
    assert "delete" in texts(confirm).lower() and "/affirm" in button_payloads(confirm)
    done = servers.send(sender, "yes")
    assert "deleted" in texts(done).lower()

    data = stored_bytes(servers)
    assert OPENING.encode() not in data and b"hot poker" not in data
    assert sender.encode() not in data
    tracker = servers.tracker(sender)
    assert user_texts(servers, sender) == []
    assert not tracker["slots"].get("pain_location")
    assert sender.encode() not in stored_bytes(servers)  # reading the tracker stores nothing


def test_declined_erasure_continues_the_interview(private_servers: Servers):
    servers, sender = private_servers, f"patient-{secrets.token_hex(6)}"
    servers.send(sender, KEPT_OPENING)
    asked = servers.slots(sender)["requested_slot"]
    assert asked
    confirm = servers.send(sender, "forget me")
    assert "/deny" in button_payloads(confirm)
    assert servers.slots(sender)["requested_slot"] is None  # "no" cannot answer the question
    reply = servers.send(sender, "no")
    assert "nothing has been deleted" in texts(reply).lower()
    slots = servers.slots(sender)
    assert slots["requested_slot"] == asked, "the same question should be asked again"
    assert slots.get(asked) in (None, []), "the 'no' must not answer the pending question"
    assert slots["pain_location"], "what the patient said before is kept"
    assert KEPT_OPENING in user_texts(servers, sender)
    # ...and the interview goes on.
    servers.send(
        sender,
        {"pain_side": "left", "pain_quality": "burning", "pain_duration_days": "about 10 days"}.get(
            asked, "sitting"
        ),
    )
    assert servers.slots(sender)["requested_slot"] != asked


def test_erasure_outside_an_interview(private_servers: Servers):
    servers, sender = private_servers, f"patient-{secrets.token_hex(6)}"
    servers.send(sender, "hello")
    servers.send(sender, "erase what I told you")
    done = servers.send(sender, "/affirm")  # the "Yes, delete it" button
    assert "deleted" in texts(done).lower()
    assert user_texts(servers, sender) == []
    assert sender.encode() not in stored_bytes(servers)


def test_erasure_on_telegram(private_servers: Servers):
    from tests.channels.conftest import TelegramPatient
    from tests.fakes import current_fakes

    patient = TelegramPatient(private_servers, current_fakes())
    patient.say(OPENING)
    assert OPENING.encode() in stored_bytes(private_servers)
    patient.say("please delete my data")
    question = patient.last_message()
    assert question and "delete" in question["text"].lower()
    patient.press(question, "Yes, delete it")
    answer = patient.last_message()
    assert answer and "deleted" in answer["text"].lower()
    data = stored_bytes(private_servers)
    assert OPENING.encode() not in data and patient.sender.encode() not in data
    assert user_texts(private_servers, patient.sender) == []


def _rows(servers: Servers, sender: str) -> int:
    import sqlite3

    with sqlite3.connect(servers.tracker_db) as db:  # type: ignore[attr-defined]
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[
            0
        ]


def test_retention_deletes_idle_conversations_and_logs_counts_only(private_servers: Servers):
    servers = private_servers
    idle, busy = f"idle-{secrets.token_hex(6)}", f"busy-{secrets.token_hex(6)}"
    servers.send(idle, "hello")
    servers.send(busy, "hello")
    assert _rows(servers, idle) and _rows(servers, busy)
    deadline = time.time() + RETENTION_WAIT_S
    while _rows(servers, idle) and time.time() < deadline:
        servers.send(busy, "thanks")  # the busy conversation never idles
        time.sleep(5)
    assert _rows(servers, idle) == 0, "the idle conversation was not deleted"
    assert _rows(servers, busy) > 0, "an active conversation was deleted"
    log = "".join(servers.log)
    assert "Retention: deleted" in log
    assert idle not in log and busy not in log
