"""Patients on Telegram and WhatsApp: real-format webhook posts to the running assistant
(the `servers` fixture), with the bot's replies read back from the local API fakes."""

import itertools
import re
import secrets
import time
import urllib.parse
from typing import Any, Dict, List, Optional

import pytest
import requests
from twilio.request_validator import RequestValidator

from tests.fakes import Fakes, current_fakes
from tests.support.servers import Servers

# A simple S1 sciatica patient: what they answer to each question (by requested_slot).
ANSWERS = {
    "pain_location": "outer foot and little toe",
    "pain_side": "left",
    "pain_quality": "shooting",
    "pain_duration_days": "a few days",
    "pain_triggers": "sitting",
    "pain_relievers": "lying down",
    "pain_severity": "6",
    "back_pain": "yes",
    "age": "45",
    "rash": "no",
    "chickenpox_history": "no",
    "diabetes_history": "no",
}
NONE_OF_THESE = ("No, none of these", "no")
MAX_QUESTIONS = 40


def answer_for(slot: str, options: List[str]) -> str:
    if slot in ANSWERS:
        return ANSWERS[slot]
    lowered = {o.casefold(): o for o in options}
    return next((lowered[n.casefold()] for n in NONE_OF_THESE if n.casefold() in lowered), "no")


def tracker_of(servers: Servers, sender: str) -> Dict[str, Any]:
    """The conversation's tracker. The sender goes into the path as it is: Rasa does not
    decode the path, so "whatsapp:+44..." quoted as "whatsapp%3A%2B44..." (as
    Servers.tracker does) would name another, empty conversation."""
    quoted = urllib.parse.quote(sender, safe=":+@")
    reply = requests.get(
        f"{servers.rasa_url}/conversations/{quoted}/tracker",
        params={"token": servers.token},
        timeout=30,
    )
    reply.raise_for_status()
    return reply.json()


def bot_messages(tracker: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [e for e in tracker["events"] if e["event"] == "bot"]


def assessment_of(tracker: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    for event in bot_messages(tracker):
        custom = (event.get("data") or {}).get("custom") or {}
        if "assessment" in custom:
            return custom["assessment"]
    return None


def looks_like_json(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(("{", "[")) or '"triage"' in text or "'triage'" in text


class Interview:
    """Asks each requested slot until the form is done; fails if a question repeats."""

    def __init__(self, servers: Servers, sender: str) -> None:
        self.servers = servers
        self.sender = sender
        self.asked: List[str] = []

    def questions(self):
        for _ in range(MAX_QUESTIONS):
            slot = tracker_of(self.servers, self.sender)["slots"].get("requested_slot")
            if not slot:
                return
            self.asked.append(slot)
            assert self.asked.count(slot) <= 3, f"stuck on {slot}: asked {self.asked}"
            yield slot
        pytest.fail(f"the interview did not end after {MAX_QUESTIONS} answers: {self.asked}")


@pytest.fixture(scope="session")
def fakes(servers: Servers) -> Fakes:
    return current_fakes()


# ---- Telegram ----------------------------------------------------------------------------
_update_ids = itertools.count(500_000_000)


class TelegramPatient:
    """A private chat with the bot, sending updates exactly as Telegram posts them."""

    def __init__(self, servers: Servers, fakes: Fakes) -> None:
        self.servers = servers
        self.fake = fakes.telegram
        self.secret = fakes.env["TELEGRAM_SECRET_TOKEN"]
        self.chat_id = 100_000_000 + secrets.randbelow(900_000_000)
        self.user = {
            "id": self.chat_id,
            "is_bot": False,
            "first_name": "Alex",
            "last_name": "Patient",
            "username": f"alex{self.chat_id}",
            "language_code": "en",
        }
        self.presses: List[Dict[str, Any]] = []
        self._message_ids = itertools.count(1)

    @property
    def sender(self) -> str:
        return str(self.chat_id)

    def post(self, update: Dict[str, Any], secret: Optional[str] = "") -> requests.Response:
        secret = self.secret if secret == "" else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        reply = requests.post(
            f"{self.servers.rasa_url}/webhooks/telegram/webhook",
            json=update,
            headers=headers,
            timeout=60,
        )
        return reply

    def message_update(self, text: str) -> Dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "from": self.user,
            "chat": {
                "id": self.chat_id,
                "first_name": "Alex",
                "last_name": "Patient",
                "username": self.user["username"],
                "type": "private",
            },
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
        return {"update_id": next(_update_ids), "message": message}

    def say(self, text: str) -> None:
        reply = self.post(self.message_update(text))
        assert reply.status_code == 200 and reply.text == "success", reply.text

    def press(self, message: Dict[str, Any], title: str) -> None:
        """Tap the inline-keyboard button with this title under the bot's message."""
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        button = next(b for b in buttons if b["text"].casefold() == title.casefold())
        query = {
            "id": str(secrets.randbits(63)),
            "from": self.user,
            "message": message,
            "chat_instance": str(-secrets.randbits(62)),
            "data": button["callback_data"],
        }
        self.presses.append({"query": query, "title": button["text"]})
        reply = self.post({"update_id": next(_update_ids), "callback_query": query})
        assert reply.status_code == 200 and reply.text == "success", reply.text

    def last_message(self) -> Optional[Dict[str, Any]]:
        sent = self.fake.sent(self.chat_id, "sendMessage")
        return sent[-1]["response"] if sent else None

    def answer(self, slot: str) -> None:
        """Tap the wanted answer if the question has it as a button, else type it."""
        message = self.last_message() or {}
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        options = [b["text"] for row in rows for b in row]
        wanted = answer_for(slot, options)
        if wanted.casefold() in (o.casefold() for o in options):
            self.press(message, wanted)
        else:
            self.say(wanted)


# ---- WhatsApp through Twilio -------------------------------------------------------------
OPTION_LINE = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


class WhatsAppPatient:
    """A WhatsApp user, sending form posts exactly as Twilio does, signed with the token."""

    def __init__(self, servers: Servers, fakes: Fakes) -> None:
        self.servers = servers
        self.fake = fakes.twilio
        self.url = fakes.env["TWILIO_WEBHOOK_URL"]
        self.validator = RequestValidator(fakes.env["TWILIO_AUTH_TOKEN"])
        self.number = f"+4477009{secrets.randbelow(10**5):05d}"
        self.sender = f"whatsapp:{self.number}"

    def form(self, body: str, media: int = 0) -> Dict[str, str]:
        sid = "SM" + secrets.token_hex(16)
        form = {
            "SmsMessageSid": sid,
            "NumMedia": str(media),
            "ProfileName": "Alex",
            "MessageType": "text" if not media else "image",
            "SmsSid": sid,
            "WaId": self.number.lstrip("+"),
            "SmsStatus": "received",
            "Body": body,
            "To": self.fake.number,
            "NumSegments": "1",
            "ReferralNumMedia": "0",
            "MessageSid": sid,
            "AccountSid": self.fake.account_sid,
            "From": self.sender,
            "ApiVersion": "2010-04-01",
        }
        if media:
            form.update(
                {
                    "MediaContentType0": "audio/ogg",
                    "MediaUrl0": f"https://api.twilio.com/2010-04-01/Accounts/"
                    f"{self.fake.account_sid}/Messages/{sid}/Media/ME1",
                }
            )
        return form

    def post(self, form: Dict[str, str], signature: Optional[str] = "") -> requests.Response:
        if signature == "":
            signature = self.validator.compute_signature(self.url, form)
        headers = {"X-Twilio-Signature": signature} if signature is not None else {}
        return requests.post(
            f"{self.servers.rasa_url}/webhooks/twilio/webhook",
            data=form,
            headers=headers,
            timeout=60,
        )

    def say(self, body: str) -> List[Dict[str, Any]]:
        """Send a message; the WhatsApp messages the bot sent back."""
        before = len(self.fake.sent(self.sender))
        reply = self.post(self.form(body))
        assert reply.status_code == 200, reply.text
        assert "<Response" in reply.text
        return self.fake.sent(self.sender)[before:]

    def last_body(self) -> str:
        bodies = [m["body"] for m in self.fake.sent(self.sender) if m["body"]]
        return bodies[-1] if bodies else ""

    @staticmethod
    def options(body: str) -> Dict[str, str]:
        """{title: number} of the numbered options at the end of a message."""
        return {title.strip(): number for number, title in OPTION_LINE.findall(body)}
