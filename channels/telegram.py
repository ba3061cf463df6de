"""Telegram: Rasa's own telegram channel, plus what a patient-facing bot needs on top.

Rasa's TelegramInput/TelegramOutput do the work (updates to UserMessages, buttons to inline
keyboards, images to sendPhoto). The webhook stays /webhooks/telegram/webhook. This adds:

- `api_url` (or TELEGRAM_API_URL): the Bot API server - a self-hosted telegram-bot-api, or
  a local fake in the tests. Rasa's TelegramOutput can only talk to api.telegram.org.
- `secret_token` (or TELEGRAM_SECRET_TOKEN): registered with setWebhook; Telegram sends it
  back in X-Telegram-Bot-Api-Secret-Token and updates without it are refused, so whoever
  learns the webhook URL cannot talk as a patient or make the bot write to a chat.
- /start and /help: Telegram sends "/start" when a patient opens the bot (and Rasa's channel
  sends it after /restart); Rasa would read it as an unknown intent "start".
- keyboard presses acknowledged: answerCallbackQuery stops the spinner on the pressed
  button, and the question is edited to show the chosen answer without its stale keyboard.
- keyboards laid out in rows that fit a phone; callback data kept within Telegram's 64 bytes.
- the `custom` assessment payload is not sent: it is data for widgets, and the assessment
  is already sent in plain words. In its place the patient gets the one-page summary for the
  doctor as a PDF document (sendDocument with its signed link; report/).
- getMe asked once (Rasa asks on every update), the webhook set once, and a message Telegram
  refuses is logged instead of failing the update (Telegram would deliver it again and the
  patient would get the answers twice).
"""

import asyncio
import hashlib
import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, User
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from rasa_ext import resends
from report.links import chart_link, report_links
from report.words import words

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram commands and the intent each one means (the domain's intents).
COMMANDS = {"/start": "/greet", "/help": "/ask_capabilities"}
CALLBACK_DATA_MAX_BYTES = 64
ROW_CHARS = 24  # button titles per keyboard row, so that each stays readable on a phone
ROW_BUTTONS = 3


def keyboard_rows(buttons: List[Dict[Text, Any]]) -> List[List[Dict[Text, Any]]]:
    rows: List[List[Dict[Text, Any]]] = [[]]
    for button in buttons:
        row = rows[-1]
        width = sum(len(b["title"]) for b in row) + len(button["title"])
        if row and (len(row) == ROW_BUTTONS or width > ROW_CHARS):
            rows.append([])
        rows[-1].append(button)
    return [row for row in rows if row]


class TelegramOutput(RasaTelegramOutput):
    def __init__(
        self,
        access_token: Optional[Text],
        api_url: Optional[Text] = None,
        secret_token: Optional[Text] = None,
    ) -> None:
        server = TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION
        super(RasaTelegramOutput, self).__init__(access_token, server=server)  # aiogram's Bot
        self.secret_token = secret_token
        self._me: Optional[User] = None
        self._long_payloads: Dict[Text, Text] = {}

    async def get_me(self) -> User:
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def set_webhook(self, url: Text, **kwargs: Any) -> bool:
        # aiogram 2.15 predates secret_token (Bot API 6.1), so the call is made directly.
        payload = {"url": url, **kwargs}
        if self.secret_token:
            payload["secret_token"] = self.secret_token
        return await self.request("setWebhook", payload)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        try:
            await super().send_response(recipient_id, message)
        except TelegramAPIError as error:
            # No chat id: it identifies the patient.
            logger.error("Telegram refused a message: %s", error)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        if button_type:  # a response that asks for one of Rasa's layouts gets it
            await super().send_text_with_buttons(recipient_id, text, buttons, button_type, **kwargs)
            return
        markup = InlineKeyboardMarkup()
        for row in keyboard_rows(buttons):
            markup.row(
                *[
                    InlineKeyboardButton(
                        b["title"], callback_data=self.callback_data(b.get("payload") or b["title"])
                    )
                    for b in row
                ]
            )
        await self.send_message(recipient_id, text, reply_markup=markup)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        try:
            await self.send_photo(recipient_id, image)
        except TelegramAPIError as error:
            logger.warning(
                "Telegram could not send the picture %s (%s). Telegram fetches it "
                "itself: WEB_PUBLIC_URL must be the web page's public https address.",
                image,
                error,
            )

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        if "assessment" in json_message:  # data for widgets; the words were sent already
            await self.send_report(recipient_id)
            return
        if "diary_chart" in json_message:  # the pain diary's chart: Telegram fetches it
            await self.send_image_url(recipient_id, chart_link(recipient_id))
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def send_report(self, recipient_id: Text) -> None:
        """The summary for the doctor as a document. Telegram fetches the PDF from its link
        itself, so RASA_PUBLIC_URL (or REPORT_PUBLIC_URL) must be the public https address."""
        link = report_links(recipient_id)["pdf"]
        try:
            await self.send_document(recipient_id, link, caption=words()["telegram_caption"])
        except TelegramAPIError as error:
            logger.warning(
                "Telegram could not send the report document (%s); it fetches "
                "the PDF itself from RASA_PUBLIC_URL",
                error,
            )

    def callback_data(self, payload: Text) -> Text:
        """The payload itself, or a short key for one longer than Telegram allows."""
        if len(payload.encode()) <= CALLBACK_DATA_MAX_BYTES:
            return payload
        key = "#" + hashlib.sha256(payload.encode()).hexdigest()[:32]
        self._long_payloads[key] = payload
        return key

    def payload_for(self, data: Text) -> Text:
        return self._long_payloads.get(data, data)

    async def acknowledge(self, query: Dict[Text, Any]) -> None:
        """Stop the pressed button's spinner; show the answer in place of the keyboard."""
        try:
            await self.answer_callback_query(query["id"])
            message = query.get("message") or {}
            rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
            chosen = next(
                (
                    b.get("text")
                    for row in rows
                    for b in row
                    if b.get("callback_data") == query.get("data")
                ),
                None,
            )
            if chosen and message.get("text"):
                await self.edit_message_text(
                    f"{message['text']}\n\nYour answer: {chosen}",
                    message["chat"]["id"],
                    message["message_id"],
                )
        except (TelegramAPIError, KeyError, TypeError) as error:
            logger.debug("could not acknowledge a keyboard press: %s", error)


class TelegramInput(RasaTelegramInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        assert credentials is not None  # raise_missing_credentials_exception raised
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            debug_mode=False,
            api_url=credentials.get("api_url") or os.environ.get("TELEGRAM_API_URL"),
            secret_token=(
                credentials.get("secret_token") or os.environ.get("TELEGRAM_SECRET_TOKEN")
            ),
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        debug_mode: bool = False,
        api_url: Optional[Text] = None,
        secret_token: Optional[Text] = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.api_url = api_url
        self.secret_token = secret_token
        self._output: Optional[TelegramOutput] = None

    def get_output_channel(self) -> TelegramOutput:
        """One output channel; the webhook is set once, when the server starts."""
        if self._output is None:
            output = TelegramOutput(self.access_token, self.api_url, self.secret_token)

            async def register() -> None:
                try:
                    await output.set_webhook(self.webhook_url)
                    me = await output.get_me()
                finally:  # the session belongs to this short-lived loop
                    await output.session.close()
                if me.username != self.verify:  # Rasa would ignore every update silently
                    raise RasaException(
                        f"TELEGRAM_BOT_NAME is '{self.verify}' but the token "
                        f"belongs to '{me.username}' (without the @)"
                    )

            try:
                asyncio.run(register())
            except TelegramAPIError as error:
                raise RasaException(f"Failed to set the Telegram webhook: {error}") from error
            self._output = output
        return self._output

    def command_as_intent(self, text: Optional[Text]) -> Optional[Text]:
        if text and text.startswith("/"):
            command = text.split()[0].split("@")[0].lower()  # "/start@MyBot deep-link"
            if command in COMMANDS:
                return COMMANDS[command]
        return self.get_output_channel().payload_for(text) if text else text

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            message.text = self.command_as_intent(message.text)
            await on_new_message(message)

        telegram_webhook = super().blueprint(handle)
        output = self.get_output_channel()

        @telegram_webhook.middleware("request")
        async def check_update(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if self.secret_token and not hmac.compare_digest(
                request.headers.get(SECRET_HEADER, ""), self.secret_token
            ):
                logger.warning("Refused a Telegram update without the webhook's secret token")
                return response.text("forbidden", status=403)
            update = request.json
            if isinstance(update, dict):  # Telegram resends an update that got no answer
                resends.remember(update.get("update_id"), prefix="telegram-")
            if isinstance(update, dict) and update.get("callback_query"):
                await output.acknowledge(update["callback_query"])
            return None

        return telegram_webhook
