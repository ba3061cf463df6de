"""The channels' own rules, without a server: keyboards, callback data, commands, numbered
options and message sizes."""

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from channels.telegram import CALLBACK_DATA_MAX_BYTES, TelegramInput, TelegramOutput, keyboard_rows
from channels.whatsapp import MAX_BODY, chosen_payload, chunks, last_buttons, merged, options_text

TOKEN = "1234567890:AAH-fake-telegram-token_for_tests"


def buttons(*titles: str):
    return [{"title": t, "payload": t} for t in titles]


def test_keyboard_rows_fit_a_phone() -> None:
    rows = keyboard_rows(buttons("2", "4", "6", "8", "10", "I don't know"))
    assert [[b["title"] for b in row] for row in rows] == [
        ["2", "4", "6"],
        ["8", "10", "I don't know"],
    ]
    long = keyboard_rows(buttons("Weak immune system or injecting drugs", "No, none of these"))
    assert [len(row) for row in long] == [1, 1]


def test_long_payloads_fit_telegram_callback_data() -> None:
    output = TelegramOutput(TOKEN)
    payload = '/inform{"body_region": "outer foot and little toe", "side": "left"}'
    data = output.callback_data(payload)
    assert len(data.encode()) <= CALLBACK_DATA_MAX_BYTES
    assert output.payload_for(data) == payload
    assert output.callback_data("left") == "left" and output.payload_for("left") == "left"


def test_telegram_commands_become_intents() -> None:
    channel = TelegramInput(TOKEN, "leg_pain_test_bot", "https://example.org/webhook")
    channel._output = TelegramOutput(TOKEN)  # no webhook registration in a unit test
    assert channel.command_as_intent("/start") == "/greet"
    assert channel.command_as_intent("/start@leg_pain_test_bot") == "/greet"
    assert channel.command_as_intent("/start clinic-poster") == "/greet"
    assert channel.command_as_intent("/help") == "/ask_capabilities"
    assert channel.command_as_intent("/request_diary") == "/request_diary"
    assert channel.command_as_intent("it burns when I sit") == "it burns when I sit"


def test_numbered_options_and_replies() -> None:
    options = buttons("shooting", "burning", "tingling", "I don't know")
    text = options_text(options)
    assert "1. shooting" in text and "4. I don't know" in text
    assert chosen_payload("2", options) == "burning"
    assert chosen_payload(" 3. ", options) == "tingling"
    assert chosen_payload("Burning", options) == "burning"
    assert chosen_payload("1 and 3", options) == "shooting and tingling"
    assert chosen_payload("1, 2, 3", options) == "shooting, burning and tingling"
    assert chosen_payload("5", options) is None
    assert chosen_payload("it burns", options) is None


def test_numeric_options_are_not_renumbered() -> None:
    scores = buttons("2", "4", "6", "8", "10", "I don't know")
    assert "1. 2" not in options_text(scores)
    assert chosen_payload("7", scores) is None  # "7" means 7, not the seventh option
    assert chosen_payload("6", scores) == "6"


def test_several_intents_are_not_joined() -> None:
    offer = [
        {"title": "Yes, show my pain diary", "payload": "/request_diary"},
        {"title": "No, thanks", "payload": "/goodbye"},
    ]
    assert chosen_payload("1", offer) == "/request_diary"
    assert chosen_payload("1 and 2", offer) is None


def test_options_come_from_the_last_bot_message_only() -> None:
    asked = BotUttered("Which leg?", {"buttons": buttons("left", "right")})
    assert last_buttons([asked, ActionExecuted("action_listen")]) == buttons("left", "right")
    assert last_buttons([asked, UserUttered("left")]) == []
    assert last_buttons([asked, BotUttered("Thanks.")]) == []


def test_messages_fit_twilio() -> None:
    paragraph = "word " * 150
    text = "\n\n".join([paragraph.strip()] * 8)
    pieces = chunks(text)
    assert all(len(p) <= MAX_BODY for p in pieces) and len(pieces) > 1
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )
    base = {"to": "whatsapp:+1", "from_": "whatsapp:+2"}
    image = {"to": "whatsapp:+1", "from_": "whatsapp:+2", "media_url": ["https://x/m.png"]}
    out = merged(
        [
            dict(base, body="a"),
            dict(base, body="b"),
            image,
            dict(base, body="c"),
            dict(base, body="x" * MAX_BODY),
        ]
    )
    assert [m.get("body") for m in out] == ["a\n\nb", None, "c", "x" * MAX_BODY]
