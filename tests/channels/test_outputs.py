"""The output channels against the API fakes, without a Rasa server: what one bot message of
each kind (text, buttons, image, the custom assessment) becomes on each app."""

import asyncio
from typing import Any, Dict, Iterator

import pytest
from rasa.shared.exceptions import RasaException

from channels.telegram import TelegramInput, TelegramOutput
from channels.whatsapp import WhatsAppOutput
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio

TOKEN = "1234567890:AAH-fake-telegram-token_for_tests"
MAP = "https://leg-pain.example.org/maps/dermatomes.png?highlight=S1"
ASSESSMENT = {"assessment": {"triage": "self_care", "causes": [], "dermatomes": ["S1"]}}


def bot_message(**parts: Any) -> Dict[str, Any]:
    message = {
        "text": None,
        "buttons": None,
        "image": None,
        "custom": None,
        "elements": None,
        "quick_replies": None,
        "attachment": None,
    }
    message.update(parts)
    return message


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN, "leg_pain_test_bot").start()
    yield fake
    fake.stop()


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio("AC" + "0" * 32, "1" * 32, "whatsapp:+14155238886").start()
    yield fake
    fake.stop()


def test_telegram_output(telegram: FakeTelegram) -> None:
    output = TelegramOutput(TOKEN, api_url=telegram.url)

    async def send() -> None:
        await output.send_response("42", bot_message(text="Part one.\n\nPart two."))
        await output.send_response("42", bot_message(custom=ASSESSMENT))
        await output.send_response("42", bot_message(image=MAP))
        await output.send_response(
            "42",
            bot_message(
                text="Which leg?", buttons=[{"title": t, "payload": t} for t in ("left", "right")]
            ),
        )
        await output.session.close()

    asyncio.run(send())
    calls = [
        (
            c["method"],
            c["params"].get("text") or c["params"].get("photo") or c["params"].get("document"),
        )
        for c in telegram.calls
    ]
    # the assessment payload itself is not sent; the summary for the doctor is, as a PDF
    assert [c[0] for c in calls] == [
        "sendMessage",
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMessage",
    ]
    assert calls[:2] == [("sendMessage", "Part one."), ("sendMessage", "Part two.")]
    assert calls[3:] == [("sendPhoto", MAP), ("sendMessage", "Which leg?")]
    document = telegram.calls[2]
    assert (
        document["params"]["document"].endswith(".pdf")
        and "/webhooks/report/" in document["params"]["document"]
    )
    assert "42" not in document["params"]["document"].split("/webhooks/report/")[1]
    assert document["response"]["document"]["mime_type"] == "application/pdf"
    keyboard = telegram.calls[-1]["response"]["reply_markup"]["inline_keyboard"]
    assert keyboard == [
        [{"text": "left", "callback_data": "left"}, {"text": "right", "callback_data": "right"}]
    ]


def test_whatsapp_output(twilio: FakeTwilio) -> None:
    output = WhatsAppOutput(
        twilio.account_sid, twilio.auth_token, twilio.number, api_url=twilio.url, buffered=True
    )
    to = "whatsapp:+447700900123"

    async def send() -> None:
        await output.send_response(to, bot_message(text="Part one.\n\nPart two."))
        await output.send_response(to, bot_message(custom=ASSESSMENT))
        await output.send_response(to, bot_message(text="Part three."))
        await output.send_response(to, bot_message(image=MAP))
        await output.send_response(
            to,
            bot_message(
                text="Which leg?", buttons=[{"title": t, "payload": t} for t in ("left", "right")]
            ),
        )
        assert twilio.calls == []  # nothing goes out before the turn is over
        await output.flush()

    asyncio.run(send())
    report = twilio.calls[1]
    assert len(report["media_urls"]) == 1 and report["media_urls"][0].endswith(".pdf")
    assert "/webhooks/report/" in report["media_urls"][0] and ".html" in report["body"]
    assert "447700900123" not in report["media_urls"][0] + report["body"]
    assert [(c["body"], c["media_urls"]) for c in twilio.calls[:1] + twilio.calls[2:]] == [
        ("Part one.\n\nPart two.", []),
        ("Part three.", []),
        (None, [MAP]),
        ("Which leg?\n\nReply with a number, or in your own words:\n1. left\n2. right", []),
    ]
    assert all(c["status"] == 201 and c["to"] == to for c in twilio.calls)


def test_telegram_start_up_checks_the_bot_name(telegram: FakeTelegram) -> None:
    webhook = "https://leg-pain.example.org/webhooks/telegram/webhook"
    right = TelegramInput(TOKEN, "leg_pain_test_bot", webhook, api_url=telegram.url)
    right.get_output_channel()
    assert [c["method"] for c in telegram.calls] == ["setWebhook", "getMe"]
    wrong = TelegramInput(TOKEN, "LegPainBot", webhook, api_url=telegram.url)
    with pytest.raises(RasaException, match="belongs to 'leg_pain_test_bot'"):
        wrong.get_output_channel()
