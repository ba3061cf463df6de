"""A message sent again is answered again, never taken in twice.

A turn can be saved and its answer still be lost: the Rasa server is killed between saving
the turn and replying, the network drops the reply, or the load balancer retries a request
whose server died (HAProxy's `retry-on empty-response`). The client then sends the same
message again; without this, the interview would record it twice (a doubled answer, the
next question skipped).

So a message can carry an id that stays the same when it is sent again:
- REST: `"message_id"` in the body (optional; up to 100 letters, digits and `-_.:`), else the
  `X-Request-ID` header that HAProxy adds (deploy/haproxy.cfg: the same on its own retries);
- Telegram: the update's `update_id` (Telegram resends an update that got no 200);
- WhatsApp: Twilio's `MessageSid` (Twilio retries a webhook that timed out).

The id becomes the stored UserUttered's `message_id`. Inside the conversation's lock (so a
resend waits for the first attempt to finish), a message whose id the conversation already
holds is not run again: the assistant sends the replies that followed it, exactly as stored.
"""

import contextvars
from typing import Any, Dict, Iterable, List, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic
from sanic.request import Request

from rasa_ext.request_checks import MESSAGE_ID_FIELD, valid_message_id

REST_PATH = "/webhooks/rest/webhook"
HEADER = "X-Request-ID"

# The id of the message this request (or update) brings, set by its channel.
CLIENT_MESSAGE_ID: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "client_message_id", default=None
)


def remember(message_id: Any, prefix: str = "") -> None:
    """The message this request brings has this id (ignored unless it is a valid one)."""
    value = None if message_id is None else f"{prefix}{message_id}"
    CLIENT_MESSAGE_ID.set(value if valid_message_id(value) else None)


def earlier_replies(events: Iterable[Any], message_id: str) -> Optional[List[Dict[str, Any]]]:
    """The replies that followed the stored message with this id (possibly none), or None
    when the conversation does not hold it."""
    replies: Optional[List[Dict[str, Any]]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if event.message_id == message_id:
                replies = []
        elif isinstance(event, BotUttered) and replies is not None:
            replies.append(event.message())
    return replies


_handle_message = MessageProcessor.handle_message


async def handle_message(
    self: MessageProcessor, message: UserMessage
) -> Optional[List[Dict[str, Any]]]:
    message_id = CLIENT_MESSAGE_ID.get()
    if message_id is None:
        return await _handle_message(self, message)
    CLIENT_MESSAGE_ID.set(None)  # one request, one message
    message.message_id = message_id
    tracker = await self.tracker_store.retrieve(message.sender_id)
    replies = earlier_replies(tracker.events, message_id) if tracker else None
    if replies is None:
        return await _handle_message(self, message)
    for reply in replies:
        await message.output_channel.send_response(message.sender_id, reply)
    if isinstance(message.output_channel, CollectingOutputChannel):
        return message.output_channel.messages
    return None


async def _rest_message_id(request: Request) -> None:
    if request.method != "POST" or request.path.rstrip("/") != REST_PATH:
        return
    body = getattr(request, "parsed_json", None)  # checked by rasa_ext.http_bounds
    given = body.get(MESSAGE_ID_FIELD) if isinstance(body, dict) else None
    remember(given if given is not None else request.headers.get(HEADER))


def install(app: Sanic) -> None:
    """Resends answered from the stored turn: the processor checks the id, and the REST
    webhook takes it from the body or HAProxy's header (after http_bounds parsed the body)."""
    MessageProcessor.handle_message = handle_message
    app.register_middleware(_rest_message_id, "request")
