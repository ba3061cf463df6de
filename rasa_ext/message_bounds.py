"""Every channel's messages pass here before Rasa sees them (rasa_ext/server.py wraps each
input channel's `on_new_message`): REST, socket.io, Telegram and WhatsApp alike.

- A message over MAX_MESSAGE_CHARS never reaches the NLU (its cost grows with its length and
  would hold up every other patient): the patient gets a kind reply and the question that was
  pending is asked again, so the interview simply goes on. Nothing of it is stored or logged.
- Over RATE_LIMIT_PER_SENDER (or, on socket.io, RATE_LIMIT_PER_ADDRESS) the patient is told to
  slow down and the message is dropped. REST messages were already counted by the HTTP
  middleware, which answers 429 instead.
"""

import contextvars
import logging
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from rasa_ext.limits import Limits, RateLimiter, retry_after_header

logger = logging.getLogger(__name__)

# Set by a channel that knows the patient's network address (socket.io), read by the guard.
CLIENT_ADDRESS: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "client_address", default=None
)

TOO_LONG = (
    "That is a lot to read at once - I can only take messages of up to {limit} "
    "characters. Could you tell me in a few short sentences? If this is an emergency, "
    "call your local emergency number now."
)
TOO_MANY = (
    "You are sending messages faster than I can answer them. Please wait {seconds} "
    "seconds, then send your answer again. If this is an emergency, call your local "
    "emergency number now."
)
HTTP_COUNTED_CHANNELS = {"rest"}  # rate limited by rasa_ext.http_bounds (HTTP 429)

Handler = Callable[[UserMessage], Awaitable[Any]]


def pending_question(events: Any) -> Optional[Dict[str, Any]]:
    """The bot's last message if the patient has not answered it yet, as a response dict
    (text, buttons, image, custom) that any output channel can send again."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, BotUttered):
            message = {key: value for key, value in (event.data or {}).items() if value is not None}
            if event.text:
                message["text"] = event.text
            return message if message.get("text") else None
    return None


class MessageBounds:
    def __init__(
        self,
        limits: Limits,
        per_sender: RateLimiter,
        per_address: RateLimiter,
        agent: Callable[[], Any],
    ) -> None:
        self.limits = limits
        self.per_sender = per_sender
        self.per_address = per_address
        self.agent = agent  # the running Agent (app.ctx.agent), read when a message comes

    def guard(self, channel: InputChannel) -> None:
        """Make `channel` hand its messages to the guard before Rasa."""
        name = channel.name()
        blueprint = channel.blueprint

        def guarded_blueprint(on_new_message: Handler) -> Any:
            async def handle(message: UserMessage) -> Any:
                return await self.handle(name, message, on_new_message)

            return blueprint(handle)

        setattr(channel, "blueprint", guarded_blueprint)  # noqa: B010 - an instance override

    async def handle(self, channel: str, message: UserMessage, on_new_message: Handler) -> Any:
        if channel not in HTTP_COUNTED_CHANNELS:
            wait = self.rate_limited(channel, message)
            if wait is not None:
                await self.say(message, TOO_MANY.format(seconds=retry_after_header(wait)))
                return None
        text = message.text
        if isinstance(text, str) and len(text) > self.limits.max_message_chars:
            message.text = ""  # the long text goes no further than this function
            logger.info(
                "a %s message over %d characters was not processed",
                channel,
                self.limits.max_message_chars,
            )
            await self.say(message, TOO_LONG.format(limit=self.limits.max_message_chars))
            await self.ask_again(message)
            return None
        return await on_new_message(message)

    def rate_limited(self, channel: str, message: UserMessage) -> Optional[float]:
        address = CLIENT_ADDRESS.get()
        if address is not None:
            wait = self.per_address.hit(address)
            if wait is not None:
                return wait
        return self.per_sender.hit(f"{channel}:{message.sender_id}")

    async def say(self, message: UserMessage, text: str) -> None:
        await message.output_channel.send_text_message(message.sender_id, text)

    async def ask_again(self, message: UserMessage) -> None:
        try:
            tracker = await self.agent().tracker_store.retrieve(message.sender_id)
        except Exception as problem:  # the kind reply has gone out; the patient can go on
            logger.warning("could not read the pending question (%s)", type(problem).__name__)
            return
        question = pending_question(tracker.events) if tracker else None
        if question:
            await message.output_channel.send_response(message.sender_id, question)
