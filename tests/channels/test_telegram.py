"""Telegram, end to end: updates posted to the real server's /webhooks/telegram/webhook as
Telegram sends them; the bot's replies read back from the fake Bot API."""

import urllib.parse
from typing import Any, Dict, List

import pytest
import requests

from tests.channels.conftest import (
    Interview,
    TelegramPatient,
    assessment_of,
    bot_messages,
    looks_like_json,
    tracker_of,
)
from tests.fakes import Fakes
from tests.support.servers import Servers


def texts(calls: List[Dict[str, Any]]) -> List[str]:
    return [c["params"]["text"] for c in calls if c["method"] == "sendMessage"]


@pytest.fixture(scope="module")
def patient(servers: Servers, fakes: Fakes) -> TelegramPatient:
    """A patient who opens the bot, describes the pain and answers every question, by
    tapping the keyboard where the answer is a button and typing otherwise."""
    patient = TelegramPatient(servers, fakes)
    patient.say("/start")
    patient.say("I have a shooting pain on the outside of my left foot")
    for slot in Interview(servers, patient.sender).questions():
        patient.answer(slot)
    return patient


@pytest.fixture(scope="module")
def tracker(servers: Servers, patient: TelegramPatient) -> Dict[str, Any]:
    return tracker_of(servers, patient.sender)


def test_webhook_is_registered_with_its_secret(fakes: Fakes, servers: Servers) -> None:
    calls = [c for c in fakes.telegram.calls if c["method"] == "setWebhook"]
    assert calls, "the channel did not call setWebhook at start-up"
    assert calls[0]["params"]["url"] == fakes.env["TELEGRAM_WEBHOOK_URL"]
    assert calls[0]["params"]["secret_token"] == fakes.env["TELEGRAM_SECRET_TOKEN"]


def test_start_greets_with_a_keyboard(servers: Servers, fakes: Fakes) -> None:
    patient = TelegramPatient(servers, fakes)
    patient.say("/start")
    latest = tracker_of(servers, patient.sender)["latest_message"]
    assert latest["intent"]["name"] == "greet"
    sent = fakes.telegram.sent(patient.chat_id)
    assert len(sent) == 1, texts(sent)
    greeting = bot_messages(tracker_of(servers, patient.sender))[-1]
    assert sent[0]["params"]["text"] == greeting["text"]
    keyboard = sent[0]["response"]["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == [
        b["title"] for b in greeting["data"]["buttons"]
    ]


def test_help_command_explains_what_the_bot_does(servers: Servers, fakes: Fakes) -> None:
    patient = TelegramPatient(servers, fakes)
    patient.say("/help")
    assert (
        tracker_of(servers, patient.sender)["latest_message"]["intent"]["name"]
        == "ask_capabilities"
    )
    assert texts(fakes.telegram.sent(patient.chat_id))


def test_restart_starts_over_with_the_greeting(servers: Servers, fakes: Fakes) -> None:
    patient = TelegramPatient(servers, fakes)
    patient.say("/start")
    patient.say("I have a burning pain on the front of my left shin")
    assert tracker_of(servers, patient.sender)["slots"]["pain_side"] == "left"
    before = len(fakes.telegram.sent(patient.chat_id))
    patient.say("/restart")  # Rasa's channel restarts, then sends "/start" itself
    tracker = tracker_of(servers, patient.sender)
    assert tracker["slots"]["pain_side"] is None
    assert tracker["latest_message"]["intent"]["name"] == "greet"
    greeting = bot_messages(tracker)[-1]["text"]
    assert texts(fakes.telegram.sent(patient.chat_id)[before:])[-1] == greeting


def test_update_without_the_secret_token_is_refused(servers: Servers, fakes: Fakes) -> None:
    patient = TelegramPatient(servers, fakes)
    for secret in (None, "not-the-secret"):
        reply = patient.post(patient.message_update("/start"), secret=secret)
        assert reply.status_code == 403
    assert fakes.telegram.sent(patient.chat_id) == []
    events = tracker_of(servers, patient.sender)["events"]
    assert not [e for e in events if e["event"] == "user"]


def test_interview_reaches_the_assessment(
    patient: TelegramPatient, tracker: Dict[str, Any]
) -> None:
    assessment = assessment_of(tracker)
    assert assessment, "no assessment in the conversation"
    assert tracker["slots"]["dermatomes"] == ["S1"]
    assert assessment["dermatomes"] == ["S1"]
    said = "\n".join(texts(patient.fake.sent(patient.chat_id)))
    assert assessment["triage_headline"] in said
    for cause in assessment["causes"][:3]:
        assert cause["name"] in said
    assert len(patient.presses) >= 8, "most answers should have been keyboard presses"


def test_no_raw_json_reaches_the_patient(patient: TelegramPatient) -> None:
    sent = texts(patient.fake.sent(patient.chat_id))
    assert sent
    assert [t for t in sent if looks_like_json(t)] == []


def test_every_question_comes_with_its_keyboard(
    patient: TelegramPatient, tracker: Dict[str, Any]
) -> None:
    calls = patient.fake.sent(patient.chat_id, "sendMessage")
    with_buttons = [e for e in bot_messages(tracker) if (e.get("data") or {}).get("buttons")]
    assert len(with_buttons) >= 10
    for event in with_buttons:
        call = next((c for c in calls if c["params"]["text"] == event["text"]), None)
        assert call, f"not sent to Telegram: {event['text']!r}"
        keyboard = call["response"]["reply_markup"]["inline_keyboard"]
        assert [(b["text"], b["callback_data"]) for row in keyboard for b in row] == [
            (b["title"], b["payload"]) for b in event["data"]["buttons"]
        ]
        assert all(len(row) <= 3 for row in keyboard)


def test_keyboard_presses_are_understood_and_acknowledged(
    patient: TelegramPatient, tracker: Dict[str, Any]
) -> None:
    slots = tracker["slots"]
    assert slots["pain_side"] == "left"
    assert "sitting" in slots["pain_triggers"]
    assert slots["back_pain"] is True and slots["diabetes_history"] is False
    calls = patient.fake.calls
    answered = [
        c["params"]["callback_query_id"] for c in calls if c["method"] == "answerCallbackQuery"
    ]
    assert {p["query"]["id"] for p in patient.presses} <= set(answered)
    edits = {
        (int(c["params"]["message_id"]), c["params"]["text"])
        for c in calls
        if c["method"] == "editMessageText"
    }
    for press in patient.presses:
        message = press["query"]["message"]
        assert (
            message["message_id"],
            f"{message['text']}\n\nYour answer: {press['title']}",
        ) in edits


def test_dermatome_map_is_sent_as_a_photo(patient: TelegramPatient) -> None:
    photos = patient.fake.sent(patient.chat_id, "sendPhoto")
    assert photos, "no sendPhoto: the assessment should send the dermatome map as an image"
    url = urllib.parse.urlsplit(photos[-1]["params"]["photo"])
    assert url.path == "/maps/dermatomes.png"
    assert "S1" in urllib.parse.parse_qs(url.query)["highlight"][0].split(",")


def test_the_summary_for_the_doctor_is_sent_as_a_document(patient: TelegramPatient) -> None:
    """sendDocument with the PDF's signed link (Telegram fetches it), which does not show the
    chat id and works."""
    documents = patient.fake.sent(patient.chat_id, "sendDocument")
    assert len(documents) == 1, "the assessment should send the summary for the doctor once"
    link = documents[0]["params"]["document"]
    assert "/webhooks/report/" in link and link.endswith(".pdf")
    assert str(patient.chat_id) not in link
    assert documents[0]["params"].get("caption")
    reply = requests.get(link, timeout=120)
    assert reply.status_code == 200 and reply.headers["Content-Type"] == "application/pdf"
    assert reply.content.startswith(b"%PDF-") and "no-store" in reply.headers["Cache-Control"]


def test_pain_diary_from_the_keyboard(servers: Servers, patient: TelegramPatient) -> None:
    offer = patient.last_message()
    assert offer and offer.get("reply_markup"), "the assessment should end with an offer"
    before = len(patient.fake.sent(patient.chat_id))
    patient.press(offer, "Yes, show my pain diary")
    assert (
        tracker_of(servers, patient.sender)["latest_message"]["intent"]["name"] == "request_diary"
    )
    diary = texts(patient.fake.sent(patient.chat_id)[before:])
    assert diary and not [t for t in diary if looks_like_json(t)]


def test_emergency_advice_arrives_at_once(servers: Servers, fakes: Fakes) -> None:
    patient = TelegramPatient(servers, fakes)
    patient.say("/start")
    patient.say("my leg hurts and I suddenly can't feel between my legs and I wet myself")
    tracker = tracker_of(servers, patient.sender)
    assessment = assessment_of(tracker)
    assert assessment and assessment["triage"] == "emergency"
    sent = texts(fakes.telegram.sent(patient.chat_id))
    assert assessment["triage_headline"] in "\n".join(sent)
    assert [t for t in sent if looks_like_json(t)] == []


def test_an_update_telegram_sends_again_is_answered_again_not_taken_in_twice(
    servers: Servers, fakes: Fakes
) -> None:
    """Telegram posts an update again when its first post got no answer (rasa_ext/resends.py):
    the same update_id is answered with the same replies and recorded once."""
    patient = TelegramPatient(servers, fakes)
    patient.say("/start")
    update = patient.message_update("a burning pain on the front of my right thigh")
    for _ in range(2):
        reply = patient.post(update)
        assert reply.status_code == 200 and reply.text == "success", reply.text
    tracker = tracker_of(servers, patient.sender)
    said = [e for e in tracker["events"] if e["event"] == "user"]
    assert [e["text"] for e in said].count(update["message"]["text"]) == 1, said
    sent = texts(fakes.telegram.sent(patient.chat_id))
    question = bot_messages(tracker)[-1]["text"]
    assert sent[-2:] == [question, question], sent
