"""The pain diary kept over days, against the real servers (the session's `servers`): check-ins on
simulated days (the day from the message's metadata, which only the test settings allow), the
summary and chart, worsening that re-triages, an emergency mid-check-in, the report's diary,
erasure, and the daily Telegram reminder firing against the fake Telegram API - also after a
server restart."""

import datetime as dt
import re
import secrets
import time
from typing import Any, Dict, List, Optional

import pytest
import requests

from report.links import ROUTE, make_token
from tests.channels.conftest import TelegramPatient
from tests.fakes import Fakes, current_fakes
from tests.support.servers import Servers

PNG = b"\x89PNG\r\n\x1a\n"
REMINDER = "Time for your pain diary"
FIRST_QUESTION = "How bad was the pain at its worst today"


def send(servers: Servers, sender: str, text: str, day: str) -> List[Dict[str, Any]]:
    reply = requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text, "metadata": {"diary_date": day}},
        timeout=60,
    )
    reply.raise_for_status()
    return reply.json()


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def customs(messages: List[Dict[str, Any]], key: str) -> List[Any]:
    return [m["custom"][key] for m in messages if key in (m.get("custom") or {})]


def check_in(servers: Servers, sender: str, day: str, replies: List[str]) -> List[Dict[str, Any]]:
    """The replies of a whole check-in, in order; what the last one got back."""
    got: List[Dict[str, Any]] = []
    for text in replies:
        assert servers.slots(sender).get("requested_slot") or not got, texts(got)
        got = send(servers, sender, text, day)
    assert servers.slots(sender).get("requested_slot") is None, texts(got)
    return got


def fetch(servers: Servers, secret: str, sender: str, kind: str) -> requests.Response:
    token = make_token(sender, secret=secret)
    return requests.get(f"{servers.rasa_url}{ROUTE}/{token}.{kind}", timeout=120)


def test_a_diary_over_several_days_with_chart_retriage_report_and_erasure(
    servers: Servers, channel_env: Dict[str, str]
) -> None:
    secret = channel_env["REPORT_SECRET"]
    sender = f"diary-{secrets.token_hex(6)}"

    first = check_in(
        servers,
        sender,
        "2026-11-20",
        ["diary", "3", "my left shin", "burning", "rest", "no"],
    )
    assert "Saved in your pain diary for Friday 20 November: worst pain 3" in texts(first)
    assert not customs(first, "diary_chart")  # one day: no trend yet
    assert not customs(first, "assessment")

    second = check_in(
        servers,
        sender,
        "2026-11-23",
        ["log today's pain", "3", "same as before", "/diary_same", "/deny", "/deny"],
    )
    said = texts(second)
    assert "worst pain 3" in said and "about the same as when you started" in said, said
    assert customs(second, "diary_chart") and not customs(second, "assessment")
    assert "Nothing in today's entry changes my advice" in said

    # One long message answers three questions at once; the pain is up 5 points.
    third = check_in(
        servers,
        sender,
        "2026-11-26",
        ["add to my pain diary", "8 out of 10, burning in my left shin", "/deny", "/deny"],
    )
    said = texts(third)
    assert "worse than when you started" in said, said
    assert "changes my advice" in said and "up 5 points" in said, said
    assessment = customs(third, "assessment")
    assert assessment and assessment[0]["triage"] in ("see_doctor", "urgent"), assessment
    slots = servers.slots(sender)
    assert "worsening" in slots["risk_factors"]
    days = [(e["day"], e["severity"]) for e in slots["diary_entries"]]
    assert days == [("2026-11-20", 3.0), ("2026-11-23", 3.0), ("2026-11-26", 8.0)]
    assert slots["diary_entries"][0]["regions"] == ["shin"]
    assert slots["diary_entries"][1]["regions"] == ["shin"]  # "same as before"

    # The summary shows the diary's trend too.
    summary = send(servers, sender, "show my pain diary", "2026-11-26")
    assert "Pain diary" in texts(summary) and "worse than" in texts(summary)
    assert customs(summary, "diary_chart")

    chart = fetch(servers, secret, sender, "png")
    assert chart.status_code == 200 and chart.headers["Content-Type"] == "image/png"
    assert chart.content.startswith(PNG) and "no-store" in chart.headers["Cache-Control"]
    page = fetch(servers, secret, sender, "html")
    assert page.status_code == 200
    assert "3 days in the diary, from 20 Nov to 26 Nov" in page.text
    # (its trend is as of the day the report is made: the simulated days are in the past)
    assert 'id="diary"' in page.text and "data:image/png" in page.text

    send(servers, sender, "delete my data", "2026-11-26")
    erased = send(servers, sender, "yes", "2026-11-26")
    assert "deleted" in texts(erased)
    assert not servers.slots(sender).get("diary_entries")
    for kind in ("png", "html", "pdf"):
        assert fetch(servers, secret, sender, kind).status_code == 410, kind


def test_pain_in_the_other_leg_and_an_emergency_sign_mid_check_in(servers: Servers) -> None:
    sender = f"diary-{secrets.token_hex(6)}"
    check_in(servers, sender, "2026-11-20", ["diary", "4", "left calf", "aching", "rest", "no"])
    # "now my right leg too": the interview's rule for symptoms in both legs, at once.
    got = check_in(
        servers,
        sender,
        "2026-11-21",
        ["log today's pain", "5", "in my right leg too now"] + ["/deny"] * 3,
    )
    said = texts(got)
    assert "it is now in both legs" in said, said
    assert customs(got, "assessment"), said
    assert servers.slots(sender)["pain_side"] == "both"

    send(servers, sender, "diary", "2026-11-22")
    alarm = send(servers, sender, "I can't control my bladder since this morning", "2026-11-22")
    assessment = customs(alarm, "assessment")
    assert assessment and assessment[0]["triage"] == "emergency", texts(alarm)
    tracker = servers.tracker(sender)
    assert tracker["active_loop"] in ({}, None) or not tracker["active_loop"].get("name")


# ---- Telegram: the daily reminder -------------------------------------------------------------
@pytest.fixture()
def patient(servers: Servers) -> TelegramPatient:
    return TelegramPatient(servers, current_fakes())


def in_seconds(seconds: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)).strftime("%H:%M:%S")


def reminders_sent(fakes: Fakes, patient: TelegramPatient, after: int = 0) -> List[str]:
    sent = [c["params"].get("text") or "" for c in fakes.telegram.sent(patient.chat_id)][after:]
    return [t for t in sent if t.startswith(REMINDER)]


def wait_for_reminder(
    fakes: Fakes, patient: TelegramPatient, after: int, timeout: float
) -> Optional[str]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = reminders_sent(fakes, patient, after)
        if found:
            return found[0]
        time.sleep(0.5)
    return None


def test_a_daily_telegram_reminder_fires_and_survives_a_restart(
    servers: Servers, patient: TelegramPatient
) -> None:
    fakes = current_fakes()
    patient.say(f"remind me every day at {in_seconds(4)}")
    confirmed = patient.last_message() or {}
    assert re.search(r"remind you every day at \d\d:\d\d:\d\d \(UTC\)", confirmed["text"])
    before = len(fakes.telegram.sent(patient.chat_id))
    assert wait_for_reminder(fakes, patient, before, timeout=20), "the reminder never came"
    time.sleep(1)  # the check-in's first question follows the reminder
    assert FIRST_QUESTION in (patient.last_message() or {}).get("text", "")
    tracker = servers.tracker(patient.sender)
    scheduled = [e for e in tracker["events"] if e["event"] == "reminder"]
    assert len(scheduled) == 2  # the one set, and tomorrow's, set when it fired
    assert scheduled[1]["date_time"][:10] != scheduled[0]["date_time"][:10]

    # Set again a little ahead, then restart the servers before it is due: the reminder is
    # only in the tracker store now, and must still come.
    patient.say(f"remind me at {in_seconds(8)}")
    marker = len(fakes.telegram.sent(patient.chat_id))
    servers.restart()
    assert not reminders_sent(fakes, patient, marker)[1:], "fired twice"
    assert wait_for_reminder(fakes, patient, marker, timeout=30), "lost in the restart"

    # Mid-check-in (the reminder started one): stopped, then the check-in's question again.
    marker = len(fakes.telegram.sent(patient.chat_id))
    patient.say("stop reminders")
    after = [c["params"].get("text") or "" for c in fakes.telegram.sent(patient.chat_id)][marker:]
    assert any("no more diary reminders" in text for text in after), after
    assert FIRST_QUESTION in after[-1]
    assert servers.slots(patient.sender)["diary_reminder_time"] is None
    events = servers.tracker(patient.sender)["events"]
    assert any(e["event"] == "cancel_reminder" for e in events)


def test_reminders_are_for_telegram(servers: Servers) -> None:
    got = send(servers, f"diary-{secrets.token_hex(6)}", "remind me at 8pm", "2026-11-20")
    assert "Daily reminders are sent in Telegram" in texts(got)
