"""Conversations survive a restart, and emergencies are handled with the action server down."""

import secrets
import uuid
from typing import Any, Dict, List

import requests

from tests.e2e.patients import assessment_in
from tests.support.servers import ROOT, Servers, start_servers


def test_restart_keeps_the_conversation_and_emergencies_need_no_action_server():
    db = {"TRACKER_DB": str(ROOT / ".state" / f"restart-{secrets.token_hex(4)}.db")}
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    first = start_servers(db)
    try:
        first.send(sender, "burning on the outside of my left foot")
        before = first.slots(sender)
    finally:
        first.stop()
    assert before["pain_location"] == ["outer foot"]

    second = start_servers({**db, "ACTION_SERVER": "off"})
    try:
        after = second.slots(sender)
        assert after["pain_location"] == ["outer foot"]
        assert after["requested_slot"] == before["requested_slot"]
        reply = second.send(sender, "now I can't feel the toilet paper when I wipe")
    finally:
        second.stop()
    assessment = assessment_in(reply)
    assert assessment and assessment["triage"] == "emergency"
    assert "saddle_numbness" in assessment["red_flags"]
    assert "outer foot" in " ".join(m.get("text") or "" for m in reply) or assessment["dermatomes"]


def _post(servers: Servers, body: Dict[str, Any], **headers: str) -> requests.Response:
    return requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook", json=body, headers=headers, timeout=60
    )


def _said(servers: Servers, sender: str) -> List[str]:
    return [e["text"] for e in servers.tracker(sender)["events"] if e["event"] == "user"]


def test_a_message_sent_again_is_answered_again_not_taken_in_twice(servers: Servers) -> None:
    """A client whose answer was lost sends the message again with the same id (README,
    "Running at scale"): the same replies come back and the turn is recorded once; a new id is
    a new turn, and HAProxy's X-Request-ID is honoured the same way."""
    sender = f"resend-{uuid.uuid4().hex[:8]}"
    first = {"sender": sender, "message": "burning on the outside of my left foot"}
    replies = [_post(servers, {**first, "message_id": "m-1"}) for _ in range(2)]
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].json() and replies[1].json() == replies[0].json()
    assert _said(servers, sender) == [first["message"]]

    answer = {"sender": sender, "message": "about 3 days"}
    by_header = [_post(servers, answer, **{"X-Request-ID": "proxy-7f3a"}) for _ in range(2)]
    assert by_header[1].json() == by_header[0].json()
    assert _said(servers, sender) == [first["message"], answer["message"]]

    again = _post(servers, {**answer, "message_id": "m-3"})  # the same words, a new message
    assert again.status_code == 200
    assert _said(servers, sender) == [first["message"], answer["message"], answer["message"]]

    refused = _post(servers, {**first, "message_id": "not an id!"})
    assert refused.status_code == 400 and refused.json()["error"] == "bad_request"
