"""A long conversation on the real server: its session starts afresh at a quiet point
(rasa_ext/session_rollover.py) and nothing the patient sees or the tracker API shows changes."""

import uuid

QUESTIONS = ["what is a dermatome?", "what is sciatica?", "what causes shingles?", "thanks"]


def test_a_long_conversation_goes_on_in_new_sessions_with_nothing_lost(servers):
    sender = f"test-long-{uuid.uuid4().hex[:8]}"
    first = {}
    sent = []
    for n in range(28):
        text = QUESTIONS[n % len(QUESTIONS)]
        reply = [m.get("text") for m in servers.send(sender, text)]
        sent.append(text)
        assert reply, f"no answer to message {n + 1}"
        if text in first:
            assert reply == first[text], f"message {n + 1} is answered differently"
        first.setdefault(text, reply)
    tracker = servers.tracker(sender)
    events = tracker["events"]
    assert sum(e["event"] == "session_started" for e in events) >= 2, "no new session began"
    assert [e["text"] for e in events if e["event"] == "user"] == sent, "messages lost or doubled"
    assert tracker["latest_message"]["intent"]["name"]
