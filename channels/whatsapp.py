"""WhatsApp (and SMS) through Twilio: Rasa's own twilio channel, plus what a patient-facing
bot needs on top. The webhook stays /webhooks/twilio/webhook. This adds:

- the X-Twilio-Signature checked against `webhook_url` (TWILIO_WEBHOOK_URL, the exact URL
  in the Twilio console): Rasa's channel accepts any POST, so anyone could talk as a patient
  or make the bot send WhatsApp messages to any number at the clinic's expense.
- `api_url` (or TWILIO_API_URL): where the Messages API is (a local fake in the tests).
- buttons as a numbered list: WhatsApp has no buttons without pre-approved templates. A
  reply "2", "1 and 3" or an option's exact words is answered as if it had been tapped; the
  options are read back from the conversation's last bot message in the tracker store, so
  this survives a restart.
- one turn's replies merged into as few messages as fit Twilio's 1600 characters: separate
  WhatsApp messages sent in a burst may arrive out of order.
- the `custom` assessment payload is not sent (Rasa's TwilioOutput would hand its keys to
  messages.create, which fails); the assessment is already sent in plain words. In its place
  the patient gets the one-page summary for the doctor: the PDF as a media link (Twilio
  fetches it from its signed link) and the link of the page to print (report/).
- Twilio's synchronous client runs in a thread, so sending never blocks the server.
- voice notes, photos and locations get a short "please type" instead of an empty message.
"""

import asyncio
import logging
import os
import re
import urllib.parse
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from rasa_ext import resends
from report.links import chart_link, report_links
from report.words import words

logger = logging.getLogger(__name__)
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)  # it logs every request

MAX_BODY = 1600  # Twilio refuses longer message bodies (error 21617)
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
TEXT_ONLY = (
    "Sorry, I can only read typed messages, not voice notes, pictures or "
    "locations. Please type your answer."
)


def numbered(buttons: List[Dict[Text, Any]]) -> bool:
    """Options are numbered unless a title is a number itself (a 0-10 pain score)."""
    return not any(str(b.get("title", "")).strip().isdigit() for b in buttons)


def options_text(buttons: List[Dict[Text, Any]]) -> Text:
    titles = [str(b.get("title", "")) for b in buttons]
    if numbered(buttons):
        lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
        return "Reply with a number, or in your own words:\n" + "\n".join(lines)
    return "You can reply: " + " / ".join(titles)


def chosen_payload(reply: Text, buttons: List[Dict[Text, Any]]) -> Optional[Text]:
    """The payload a reply to these options stands for, if it names options."""
    said = reply.strip().rstrip(".!").casefold()
    for button in buttons:
        if str(button.get("title", "")).strip().casefold() == said:
            return button.get("payload") or button["title"]
    if not numbered(buttons):
        return None
    tokens = [t for t in re.split(r"[\s,;&+]+|\band\b", said) if t]
    if not tokens or not all(t.isdigit() and 1 <= int(t) <= len(buttons) for t in tokens):
        return None
    payloads = list(
        dict.fromkeys(
            buttons[int(t) - 1].get("payload") or buttons[int(t) - 1]["title"] for t in tokens
        )
    )
    if len(payloads) == 1:
        return payloads[0]
    if any(p.startswith("/") for p in payloads):  # several intents cannot go in one message
        return None
    return ", ".join(payloads[:-1]) + " and " + payloads[-1]


def last_buttons(events: List[Any]) -> List[Dict[Text, Any]]:
    """The buttons of the bot's last message, if it came after the user's last one."""
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            return (event.data or {}).get("buttons") or []
    return []


def chunks(text: Text, limit: int = MAX_BODY) -> List[Text]:
    """The text in pieces of at most `limit` characters, cut between lines (else words)."""
    pieces: List[Text] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return pieces + ([text] if text else [])


def merged(messages: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Consecutive text messages joined, as long as they fit one WhatsApp message."""
    out: List[Dict[Text, Any]] = []
    for message in messages:
        last = out[-1] if out else None
        if (
            last
            and set(last) == set(message) == {"to", "from_", "body"}
            and last["to"] == message["to"]
            and len(last["body"]) + 2 + len(message["body"]) <= MAX_BODY
        ):
            out[-1] = {**last, "body": f"{last['body']}\n\n{message['body']}"}
        else:
            out.append(dict(message))
    return out


class WhatsAppOutput(TwilioOutput):
    """Sends at once, or (`buffered`, one per incoming message) collects until flush()."""

    def __init__(
        self,
        account_sid: Optional[Text],
        auth_token: Optional[Text],
        twilio_number: Optional[Text],
        api_url: Optional[Text] = None,
        buffered: bool = False,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_url:
            self.api.base_url = api_url.rstrip("/")
        self._pending: Optional[List[Dict[Text, Any]]] = [] if buffered else None

    async def _send_message(self, message_data: Dict[Text, Any]) -> Any:
        if self._pending is not None:
            self._pending.append(message_data)
            return None
        return await self._create(message_data)

    async def _create(self, message_data: Dict[Text, Any]) -> Any:
        try:
            return await asyncio.to_thread(self.messages.create, **message_data)
        except TwilioRestException as error:
            # No phone number: it identifies the patient.
            # Twilio's message text can quote the phone number: log its code only.
            logger.error("Twilio refused a message (code %s)", error.code)
            return None

    async def flush(self) -> None:
        pending, self._pending = self._pending or [], []
        for message_data in merged(pending):
            await self._create(message_data)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in chunks(text.strip()):
            await self._send_message(
                {"to": recipient_id, "from_": self.twilio_number, "body": part}
            )

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, f"{text}\n\n{options_text(buttons)}")

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        if "assessment" in json_message:  # data for widgets; the words were sent already
            links = report_links(recipient_id)
            await self._send_message(
                {
                    "to": recipient_id,
                    "from_": self.twilio_number,
                    "body": words()["whatsapp_body"].format(page=links["html"]),
                    "media_url": [links["pdf"]],
                }
            )
            return
        if "diary_chart" in json_message:  # the pain diary's chart, as a media message
            await self.send_image_url(recipient_id, chart_link(recipient_id))
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class WhatsAppInput(TwilioInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        assert credentials is not None  # raise_missing_credentials_exception raised
        number = credentials.get("twilio_number")
        if isinstance(number, int):  # an SMS number (+1415...) that YAML read as a number
            number = f"+{number}"
        return cls(
            credentials.get("account_sid"),
            str(credentials.get("auth_token") or ""),
            number,
            debug_mode=False,
            webhook_url=(credentials.get("webhook_url") or os.environ.get("TWILIO_WEBHOOK_URL")),
            api_url=credentials.get("api_url") or os.environ.get("TWILIO_API_URL"),
        )

    def __init__(
        self,
        account_sid: Optional[Text],
        auth_token: Optional[Text],
        twilio_number: Optional[Text],
        debug_mode: bool = False,
        webhook_url: Optional[Text] = None,
        api_url: Optional[Text] = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.webhook_url = webhook_url
        self.api_url = api_url

    def get_output_channel(
        self, buffered: bool = False, number: Optional[Text] = None
    ) -> WhatsAppOutput:
        return WhatsAppOutput(
            self.account_sid, self.auth_token, number or self.twilio_number, self.api_url, buffered
        )

    def signed_by_twilio(self, request: Request) -> bool:
        url = self.webhook_url or request.url
        # Twilio signs every field, empty ones too (Body is empty for a voice note), and
        # Sanic's request.form drops those.
        params = dict(urllib.parse.parse_qsl(request.body.decode(), keep_blank_values=True))
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if RequestValidator(self.auth_token).validate(url, params, signature):
            return True
        logger.warning(
            "Refused a POST to the Twilio webhook: its %s does not match %s (set "
            "TWILIO_WEBHOOK_URL to the exact URL in the Twilio console)",
            SIGNATURE_HEADER,
            url,
        )
        return False

    async def with_choice(self, request: Request, sender: Text, text: Text) -> Text:
        """A numbered (or word-for-word) answer to the last options, as their payload."""
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
        except Exception:  # the plain text still goes through
            logger.debug("could not read the last options of a conversation", exc_info=True)
            return text
        buttons = last_buttons(list(tracker.events)) if tracker else []
        return (chosen_payload(text, buttons) if buttons else None) or text

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.signed_by_twilio(request):
                return response.text("invalid signature", status=403)
            sender = request.form.get("From")
            text = (request.form.get("Body") or "").replace("¡", "@").strip()  # as Rasa's
            if not sender:
                return response.text(EMPTY_TWIML, content_type="text/xml")
            # Replies come from the number the patient wrote to (signed by Twilio), so one
            # account can serve a WhatsApp sender and an SMS number at once.
            out = self.get_output_channel(buffered=True, number=request.form.get("To"))
            if not text:
                await out.send_text_message(sender, TEXT_ONLY)
            else:
                resends.remember(request.form.get("MessageSid"))  # Twilio retries on timeout
                try:
                    await on_new_message(
                        UserMessage(
                            await self.with_choice(request, sender, text),
                            out,
                            sender,
                            input_channel=self.name(),
                            metadata=self.get_metadata(request),
                        )
                    )
                except Exception as error:  # the traceback could quote the patient's words
                    logger.error("could not handle a WhatsApp message (%s)", type(error).__name__)
                    if self.debug_mode:
                        raise
            await out.flush()  # whatever was said before an error still goes out
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return twilio_webhook
