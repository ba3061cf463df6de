"""WhatsApp through Twilio, end to end: signed form posts to the real server's
/webhooks/twilio/webhook as Twilio sends them; the bot's replies read back from the fake
Twilio Messages API."""

import urllib.parse
from typing import Any, Dict, List

import pytest
import requests

from tests.channels.conftest import (
    Interview,
    WhatsAppPatient,
    answer_for,
    assessment_of,
    bot_messages,
    looks_like_json,
    tracker_of,
)
from tests.fakes import Fakes
from tests.support.servers import Servers

TRIGGERS = ("sitting", "coughing or sneezing")  # answered with two numbers: "2 and 5"


@pytest.fixture(scope="module")
def patient(servers: Servers, fakes: Fakes) -> WhatsAppPatient:
    """A patient who says hello, describes the pain and answers every question with the
    number of the option where there is one, and in words otherwise."""
    patient = WhatsAppPatient(servers, fakes)
    patient.replies: List[Dict[str, Any]] = []
    patient.say("Hi")
    patient.say("I have a shooting pain on the outside of my left foot")
    for slot in Interview(servers, patient.sender).questions():
        options = patient.options(patient.last_body())
        by_title = {title.casefold(): number for title, number in options.items()}
        wanted = answer_for(slot, list(options))
        if slot == "pain_triggers" and all(t in by_title for t in TRIGGERS):
            reply = " and ".join(by_title[t] for t in TRIGGERS)
        else:
            reply = by_title.get(wanted.casefold(), wanted)
        sent = patient.say(reply)
        patient.replies.append({"slot": slot, "reply": reply, "sent": sent})
    return patient


@pytest.fixture(scope="module")
def tracker(servers: Servers, patient: WhatsAppPatient) -> Dict[str, Any]:
    return tracker_of(servers, patient.sender)


def bodies(messages: List[Dict[str, Any]]) -> List[str]:
    return [m["body"] for m in messages if m["body"]]


def test_unsigned_or_forged_posts_are_refused(servers: Servers, fakes: Fakes) -> None:
    patient = WhatsAppPatient(servers, fakes)
    form = patient.form("Hi")
    assert patient.post(form, signature=None).status_code == 403
    assert patient.post(form, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    forged = dict(form, Body="I wet myself")  # signed for "Hi", body changed on the way
    signature = patient.validator.compute_signature(patient.url, form)
    assert patient.post(forged, signature=signature).status_code == 403
    assert fakes.twilio.sent(patient.sender) == []
    assert not [e for e in tracker_of(servers, patient.sender)["events"] if e["event"] == "user"]


def test_greeting_numbers_its_options(servers: Servers, fakes: Fakes) -> None:
    patient = WhatsAppPatient(servers, fakes)
    sent = patient.say("Hi")
    assert tracker_of(servers, patient.sender)["latest_message"]["intent"]["name"] == "greet"
    assert len(sent) == 1
    greeting = bot_messages(tracker_of(servers, patient.sender))[-1]
    assert sent[0]["body"].startswith(greeting["text"].strip())
    assert sent[0]["from"] == fakes.twilio.number
    assert patient.options(sent[0]["body"]) == {
        b["title"]: str(n) for n, b in enumerate(greeting["data"]["buttons"], start=1)
    }


def test_interview_reaches_the_assessment(
    patient: WhatsAppPatient, tracker: Dict[str, Any]
) -> None:
    assessment = assessment_of(tracker)
    assert assessment, "no assessment in the conversation"
    assert tracker["slots"]["dermatomes"] == ["S1"]
    said = "\n\n".join(bodies(patient.fake.sent(patient.sender)))
    assert assessment["triage_headline"] in said
    for cause in assessment["causes"][:3]:
        assert cause["name"] in said


def test_numbered_replies_are_understood(patient: WhatsAppPatient, tracker: Dict[str, Any]) -> None:
    numbers = [r for r in patient.replies if r["reply"].replace(" and ", "").isdigit()]
    assert len(numbers) >= 8, patient.replies
    slots = tracker["slots"]
    assert slots["pain_side"] == "left"
    assert {"sitting", "coughing"} <= set(slots["pain_triggers"])
    assert slots["back_pain"] is True and slots["diabetes_history"] is False
    assert slots["pain_severity"] == 6


def test_no_raw_json_and_nothing_twilio_refuses(patient: WhatsAppPatient) -> None:
    sent = patient.fake.sent(patient.sender)
    assert [b for b in bodies(sent) if looks_like_json(b)] == []
    assert all(len(b) <= 1600 for b in bodies(sent))
    assert [c for c in patient.fake.refused() if c["to"] == patient.sender] == []


def test_assessment_arrives_in_few_messages_in_order(
    patient: WhatsAppPatient, tracker: Dict[str, Any]
) -> None:
    assessment = assessment_of(tracker)
    events = bot_messages(tracker)
    first = next(
        i for i, e in enumerate(events) if assessment["triage_headline"] in (e.get("text") or "")
    )
    turn = [e["text"].strip() for e in events[first:] if e.get("text")]
    sent = bodies(patient.replies[-1]["sent"])
    assert len(turn) >= 4
    assert len(sent) < len(turn), "the turn's messages should be merged"
    said = "\n\n".join(sent)
    positions = [said.find(text.split("\n")[0]) for text in turn]
    assert -1 not in positions, "a message of the assessment was not sent"
    assert positions == sorted(positions), "the assessment's messages are out of order"


def test_dermatome_map_is_sent_as_media(patient: WhatsAppPatient) -> None:
    media = [
        url for m in patient.fake.sent(patient.sender) for url in m["media_urls"] if "/maps/" in url
    ]
    assert media, "no media message: the assessment should send the dermatome map as an image"
    url = urllib.parse.urlsplit(media[-1])
    assert url.path == "/maps/dermatomes.png"
    assert "S1" in urllib.parse.parse_qs(url.query)["highlight"][0].split(",")


def test_the_summary_for_the_doctor_is_a_media_link(patient: WhatsAppPatient) -> None:
    """The PDF as a media message (Twilio fetches it from its signed link), with the link of
    the page to print; neither link shows the phone number."""
    reports = [
        m
        for m in patient.fake.sent(patient.sender)
        if any("/webhooks/report/" in url for url in m["media_urls"])
    ]
    assert len(reports) == 1, "the assessment should send the summary for the doctor once"
    pdf = reports[0]["media_urls"][0]
    page = next(w for w in reports[0]["body"].split() if "/webhooks/report/" in w)
    digits = patient.sender.split("+")[-1]
    assert digits not in pdf and digits not in page
    reply = requests.get(pdf, timeout=120)
    assert reply.status_code == 200 and reply.headers["Content-Type"] == "application/pdf"
    assert "no-store" in reply.headers["Cache-Control"]
    assert requests.get(page, timeout=60).status_code == 200


def test_pain_diary_by_number(servers: Servers, patient: WhatsAppPatient) -> None:
    options = patient.options(patient.last_body())
    assert "Yes, show my pain diary" in options, patient.last_body()
    sent = patient.say(options["Yes, show my pain diary"])
    assert (
        tracker_of(servers, patient.sender)["latest_message"]["intent"]["name"] == "request_diary"
    )
    assert bodies(sent) and not [b for b in bodies(sent) if looks_like_json(b)]


def test_voice_note_gets_asked_to_type(servers: Servers, fakes: Fakes) -> None:
    patient = WhatsAppPatient(servers, fakes)
    reply = patient.post(patient.form("", media=1))
    assert reply.status_code == 200
    sent = fakes.twilio.sent(patient.sender)
    assert len(sent) == 1 and "type" in sent[0]["body"]
    assert not [e for e in tracker_of(servers, patient.sender)["events"] if e["event"] == "user"]


def test_emergency_advice_arrives_at_once(servers: Servers, fakes: Fakes) -> None:
    patient = WhatsAppPatient(servers, fakes)
    patient.say("Hi")
    sent = patient.say("my leg hurts and I suddenly can't feel between my legs and I wet myself")
    assessment = assessment_of(tracker_of(servers, patient.sender))
    assert assessment and assessment["triage"] == "emergency"
    assert assessment["triage_headline"] in "\n".join(bodies(sent))
    assert [b for b in bodies(sent) if looks_like_json(b)] == []
    assert all(len(b) <= 1600 for b in bodies(sent))


def test_no_phone_number_in_any_log_line(
    servers: Servers, fakes: Fakes, patient: WhatsAppPatient
) -> None:
    """A whole interview, an emergency and a voice note went through this server: the
    patients' numbers are in none of its log lines (nor the national part alone)."""
    numbers = {patient.sender.split(":")[-1]}
    for number in numbers:
        assert not [line for line in servers.log if number in line or number[3:] in line]
