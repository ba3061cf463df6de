"""A conversation store the Rasa server cannot reach gives a clear 503, never a hang or a
silent empty reply.

Rasa's REST channel catches every error of a turn and answers 200 with no messages, so a
patient whose message was lost (Redis lock store stopped, PostgreSQL tracker store
restarting) would see nothing at all. Installed by rasa_ext/server.py on the app Rasa builds:

- each input channel's turn runs inside `guard`: an error of the lock store or the tracker
  store is noted for this request (a context variable) and the patient is told, in that
  channel, to try again shortly (socket.io, Telegram, WhatsApp);
- on the REST webhook a response middleware turns such a turn into
  503 {"error": "store_unavailable", ...} with Retry-After; other routes (the tracker API)
  raising a store error get the same 503 from an error handler, logged without the URL.

Rasa wraps every tracker store in a FailSafeTrackerStore which, on an error, answers "no
such conversation" and saves the turn in memory instead: while PostgreSQL restarts, a patient
half-way through would silently start again from the greeting, and the turn would be lost
when the process ends. `fail_loudly` makes it pass the error on instead, so the turn gets the
503. A failed turn is never half saved (Rasa saves a turn's events in one transaction at its
end), so sending the message again is safe. Nothing here logs the message or the sender.
"""

import contextvars
import json
import logging
from typing import Any, Awaitable, Callable, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_S = 5
TRY_AGAIN = (
    "Sorry, I can't reach my records just now, so I didn't take in your last message. "
    "Please send it again in a few seconds."
)
REST_PATH = "/webhooks/rest/webhook"
Handler = Callable[[UserMessage], Awaitable[Any]]

# The store errors of this request's turn (a fresh list per request).
_FAILURES: contextvars.ContextVar[Optional[List[str]]] = contextvars.ContextVar(
    "store_failures", default=None
)


def store_error(exc: BaseException) -> Optional[str]:
    """Which store failed, if `exc` is a lock store or tracker store error."""
    import redis
    import sqlalchemy.exc

    if isinstance(exc, (LockError, redis.exceptions.RedisError)):
        return "lock store"
    if isinstance(exc, (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)):
        return "tracker store"
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return "tracker store"
    return None


async def guarded_turn(message: UserMessage, on_new_message: Handler) -> Any:
    try:
        return await on_new_message(message)
    except Exception as exc:  # noqa: BLE001 - only store errors are handled, others re-raised
        store = store_error(exc)
        if store is None:
            raise
        logger.warning(
            "the %s is unreachable (%s); the turn was not processed", store, type(exc).__name__
        )
        failures = _FAILURES.get()
        if failures is not None:
            failures.append(store)
        try:
            await message.output_channel.send_text_message(message.sender_id, TRY_AGAIN)
        except Exception:  # noqa: BLE001 - the channel itself may be what is down
            logger.warning("could not tell the patient to try again")
        return None


def guard(channel: InputChannel) -> None:
    """Make `channel` run every turn through `guarded_turn`."""
    blueprint = channel.blueprint

    def guarded_blueprint(on_new_message: Handler) -> Any:
        async def handle(message: UserMessage) -> Any:
            return await guarded_turn(message, on_new_message)

        return blueprint(handle)

    channel.blueprint = guarded_blueprint


async def _start_request(request: Request) -> None:
    _FAILURES.set([])


async def _answer_503(request: Request, reply: BaseHTTPResponse) -> None:
    """Turn this response into the 503 in place, so that the other response middleware
    (security headers) still applies to it."""
    failures = _FAILURES.get()
    if failures and request.path == REST_PATH:
        body = {
            "error": "store_unavailable",
            "message": f"The {failures[0]} is unreachable; the message was not processed. "
            f"Send it again in a few seconds.",
        }
        reply.status = 503
        reply.body = json.dumps(body).encode()
        reply.content_type = "application/json"
        reply.headers["Retry-After"] = str(RETRY_AFTER_S)


def fail_loudly() -> None:
    """FailSafeTrackerStore reads and writes the real store only, errors included."""

    async def retrieve(self: FailSafeTrackerStore, sender_id: str) -> Any:
        return await self._tracker_store.retrieve(sender_id)

    async def retrieve_full_tracker(self: FailSafeTrackerStore, sender_id: str) -> Any:
        return await self._tracker_store.retrieve_full_tracker(sender_id)

    async def save(self: FailSafeTrackerStore, tracker: Any) -> None:
        await self._tracker_store.save(tracker)

    FailSafeTrackerStore.retrieve = retrieve
    FailSafeTrackerStore.retrieve_full_tracker = retrieve_full_tracker
    FailSafeTrackerStore.save = save


def unavailable(request: Request, exc: Exception) -> HTTPResponse:
    """Any other route (the HTTP API's tracker endpoints) hitting a store error: the same
    503, and a log line without the URL (it holds the sender id), unlike Sanic's default."""
    store = store_error(exc) or "store"
    logger.warning("the %s is unreachable (%s) during an API request", store, type(exc).__name__)
    return response.json(
        {
            "error": "store_unavailable",
            "message": f"The {store} is unreachable. Try again in a few seconds.",
        },
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def install(app: Sanic) -> None:
    import redis
    import sqlalchemy.exc

    fail_loudly()
    for error in (
        LockError,
        redis.exceptions.RedisError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
    ):
        app.error_handler.add(error, unavailable)
    app.register_middleware(_start_request, "request")
    app.register_middleware(_answer_503, "response")
