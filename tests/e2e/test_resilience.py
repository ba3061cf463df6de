"""Conversations survive a restart, and emergencies are handled with the action server down."""

import secrets
import uuid

from tests.e2e.patients import assessment_in
from tests.support.servers import ROOT, start_servers


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
