"""Sanic middleware on the Rasa server: hostile HTTP input gets a short JSON 4xx, never a 500.

Installed by rasa_ext/server.py on the app Rasa builds (README, "Limits and security"):

- request bodies over MAX_REQUEST_BYTES are refused with 413 by Sanic itself, from the
  Content-Length header or while a chunked body streams in, before anything parses them;
- the REST, Telegram and Twilio webhooks check their body's shape (rasa_ext/request_checks.py)
  and answer 400 with {"error": ..., "message": ...} instead of letting Rasa's channel fail;
- REST messages are rate limited per client address and per sender (429 + Retry-After);
- a browser Origin not in ALLOWED_ORIGINS is refused (403) on the REST webhook and socket.io:
  CORS headers alone stop a page from reading the answer, not from sending the message, and
  they do nothing for WebSockets;
- every response carries security headers; webhook and tracker answers are never cached.
"""

import logging
from typing import Any, Dict, List, Optional

from sanic import Sanic, response
from sanic.exceptions import InvalidUsage, MethodNotSupported, NotFound, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_ext.limits import Limits, RateLimiter, origin_allowed, retry_after_header
from rasa_ext.request_checks import (
    BadBody,
    api_problem,
    api_reads_json,
    parse_json,
    rest_problem,
    telegram_is_ignored,
    telegram_problem,
    twilio_problem,
)

logger = logging.getLogger(__name__)

REST_PATH = "/webhooks/rest/webhook"
TELEGRAM_PATH = "/webhooks/telegram/webhook"
TWILIO_PATH = "/webhooks/twilio/webhook"
SOCKETIO_PREFIX = "/socket.io"
# The Rasa server only answers JSON and socket.io: nothing it sends may run as a page.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PRIVATE_PREFIXES = ("/webhooks/", "/conversations/")
# Rasa's HTTP API endpoints that read a JSON body (checked by request_checks.api_problem).
API_JSON_PREFIXES = ("/model/parse", "/conversations/")


def error(
    status: int, code: str, message: str, headers: Optional[Dict[str, str]] = None
) -> HTTPResponse:
    return response.json({"error": code, "message": message}, status=status, headers=headers)


def client_address(request: Request) -> str:
    """The peer address, or the proxied one only where Sanic is told to trust a proxy
    (SANIC_PROXIES_COUNT / SANIC_REAL_IP_HEADER / SANIC_FORWARDED_SECRET)."""
    return request.remote_addr or request.ip or "unknown"


class HttpBounds:
    def __init__(
        self, limits: Limits, origins: List[str], per_sender: RateLimiter, per_address: RateLimiter
    ) -> None:
        self.limits = limits
        self.origins = origins
        self.per_sender = per_sender
        self.per_address = per_address

    def install(self, app: Sanic) -> None:
        app.config.REQUEST_MAX_SIZE = self.limits.max_request_bytes
        app.config.WEBSOCKET_MAX_SIZE = self.limits.max_request_bytes
        app.config.FALLBACK_ERROR_FORMAT = "json"
        app.register_middleware(self.check_request, "request")
        app.register_middleware(self.add_headers, "response")
        app.error_handler.add(PayloadTooLarge, self.too_large)
        app.error_handler.add(InvalidUsage, self.bad_request)
        app.error_handler.add(NotFound, self.not_found)
        app.error_handler.add(MethodNotSupported, self.not_allowed)

    # -- errors Sanic raises itself (before any handler runs)

    def too_large(self, request: Request, exception: Exception) -> HTTPResponse:
        return error(
            413, "too_large", f"the request body is over {self.limits.max_request_bytes} bytes"
        )

    def bad_request(self, request: Request, exception: Exception) -> HTTPResponse:
        return error(400, "bad_request", "the request could not be read")

    def not_found(self, request: Request, exception: Exception) -> HTTPResponse:
        return error(404, "not_found", "no such address")

    def not_allowed(self, request: Request, exception: Exception) -> HTTPResponse:
        return error(405, "method_not_allowed", "this address does not take that method")

    # -- middleware

    async def check_request(self, request: Request) -> Optional[HTTPResponse]:
        # Sanic runs request middleware again while it answers an error: once is enough, and
        # a body too large to read (413 on its way) is not checked at all.
        if getattr(request.ctx, "bounds_checked", False) or (
            request.stream is not None and request.stream.request_body
        ):
            return None
        request.ctx.bounds_checked = True
        path = request.path.rstrip("/") or "/"
        origin = request.headers.get("origin")
        if (
            origin
            and (path == REST_PATH or path.startswith(SOCKETIO_PREFIX))
            and not origin_allowed(origin, self.origins)
        ):
            return error(
                403,
                "origin_not_allowed",
                "this web site is not allowed to use the assistant (ALLOWED_ORIGINS)",
            )
        if path == TELEGRAM_PATH and request.method == "GET":  # Rasa's handler returns None
            return error(405, "method_not_allowed", "Telegram posts its updates")
        if request.method not in ("POST", "PUT"):
            return None
        if path == REST_PATH:
            return self.check_rest(request)
        if path == TELEGRAM_PATH:
            return self.check_telegram(request)
        if path.startswith(API_JSON_PREFIXES) and request.method in ("POST", "PUT"):
            return self.check_api(request, path)
        if path == TWILIO_PATH:
            problem = twilio_problem(request.body or b"", request.headers.get("content-type", ""))
            return error(400, "bad_request", problem) if problem else None
        return None

    def check_rest(self, request: Request) -> Optional[HTTPResponse]:
        wait = self.per_address.hit(client_address(request))
        if wait is not None:
            return self.too_many(wait, "from this address")
        try:
            data = parse_json(request.body or b"")
        except BadBody as reason:
            return error(400, "bad_request", str(reason))
        problem = rest_problem(data)
        if problem:
            return error(400, "bad_request", problem)
        request.parsed_json = data  # Rasa's channel reads exactly what was checked
        wait = self.per_sender.hit(f"rest:{data['sender']}")
        if wait is not None:
            return self.too_many(wait, "in this conversation")
        return None

    def check_api(self, request: Request, path: str) -> Optional[HTTPResponse]:
        if not api_reads_json(request.method, path):
            return None
        try:
            data = parse_json(request.body or b"")
        except BadBody as reason:
            return error(400, "bad_request", str(reason))
        problem = api_problem(request.method, path, data)
        if problem:
            return error(400, "bad_request", problem)
        request.parsed_json = data
        return None

    def check_telegram(self, request: Request) -> Optional[HTTPResponse]:
        try:
            update = parse_json(request.body or b"")
        except BadBody as reason:
            return error(400, "bad_request", str(reason))
        problem = telegram_problem(update)
        if problem:
            return error(400, "bad_request", problem)
        if telegram_is_ignored(update):
            return response.json({"ok": True, "ignored": True})
        request.parsed_json = update
        return None

    def too_many(self, wait: float, where: str) -> HTTPResponse:
        seconds = retry_after_header(wait)
        return error(
            429,
            "too_many_requests",
            f"too many messages {where}; please wait {seconds} seconds",
            headers={"Retry-After": seconds},
        )

    async def add_headers(self, request: Request, reply: Any) -> None:
        if reply is None or not hasattr(reply, "headers"):
            return
        for name, value in SECURITY_HEADERS.items():
            if name not in reply.headers:
                reply.headers[name] = value
        if request.path.startswith(PRIVATE_PREFIXES):
            reply.headers["Cache-Control"] = "no-store"
