"""Unguessable, expiring links to a patient's report.

A link carries a Fernet token (AES-128-CBC encrypted and HMAC-SHA256 signed, with its time of
issue): the conversation id inside is neither readable (a phone number or chat id must not
appear in a URL that proxies log) nor forgeable, and the token is refused after 24 hours.
The key comes from REPORT_SECRET; without it each process makes a random one at start, so
links stop working after a restart and are not understood by another replica: set
REPORT_SECRET (the same on every Rasa server) in production.
"""

import base64
import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from typing import Dict, Optional

from cryptography.fernet import Fernet, InvalidToken

TTL_SECONDS = 24 * 60 * 60
ROUTE = "/webhooks/report"  # the report channel's blueprint (report/channel.py)
_random_secret = secrets.token_urlsafe(32)


class BadLink(Exception):
    """The token was not made by this server (or was altered)."""


class ExpiredLink(Exception):
    """The token is genuine but older than TTL_SECONDS."""


@dataclass(frozen=True)
class Link:
    sender: str
    issued: float


def _fernet(secret: Optional[str] = None) -> Fernet:
    secret = secret or os.environ.get("REPORT_SECRET") or _random_secret
    key = hashlib.sha256(("report-link:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def make_token(sender: str, now: Optional[float] = None, secret: Optional[str] = None) -> str:
    issued = int(time.time() if now is None else now)
    return _fernet(secret).encrypt_at_time(sender.encode("utf-8"), issued).decode("ascii")


def read_token(token: str, now: Optional[float] = None, secret: Optional[str] = None) -> Link:
    fernet = _fernet(secret)
    at = int(time.time() if now is None else now)
    try:
        issued = fernet.extract_timestamp(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError, ValueError):
        raise BadLink() from None
    try:
        sender = fernet.decrypt_at_time(token.encode("ascii"), TTL_SECONDS, at).decode("utf-8")
    except InvalidToken:
        raise (ExpiredLink() if at - issued > TTL_SECONDS else BadLink()) from None
    return Link(sender, float(issued))


def public_base() -> str:
    """Where patients (and Telegram, Twilio) reach the Rasa server that serves reports."""
    base = (
        os.environ.get("REPORT_PUBLIC_URL")
        or os.environ.get("RASA_PUBLIC_URL")
        or f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
    )
    return base.rstrip("/")


def report_links(sender: str, now: Optional[float] = None) -> Dict[str, str]:
    """{"pdf": ..., "html": ..., "expires": ISO time} for this conversation's report."""
    issued = time.time() if now is None else now
    token = make_token(sender, issued)
    base = f"{public_base()}{ROUTE}/{token}"
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(issued + TTL_SECONDS))
    return {"pdf": f"{base}.pdf", "html": f"{base}.html", "expires": expires}


def chart_link(sender: str, now: Optional[float] = None) -> str:
    """The pain diary's trend chart (PNG) of this conversation, as it is when fetched."""
    token = make_token(sender, time.time() if now is None else now)
    return f"{public_base()}{ROUTE}/{token}.png"
