"""The Rasa server's limits and their settings (README, "Limits and security"): pure Python,
no Sanic, so that they can be unit tested and shared by the HTTP middleware and the channels.

| variable | default | meaning |
|---|---|---|
| MAX_MESSAGE_CHARS | 2000 | a longer message skips the NLU and gets a "please shorten" reply |
| MAX_REQUEST_BYTES | 262144 | a larger request body is refused (413) before it is parsed |
| RATE_LIMIT_PER_SENDER | 30/minute | messages one conversation may send (0 or "off": no limit) |
| RATE_LIMIT_PER_ADDRESS | 300/minute | messages one client address may send (REST, socket.io) |

256 KB of body is far above any real message (2,000 characters are at most 12 KB of JSON) yet
lets a pasted 100 KB text get the kind "please shorten" reply instead of a bare error.
"""

import os
import re
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict, Iterable, List, Mapping, Optional

DEFAULTS = {
    "MAX_MESSAGE_CHARS": "2000",
    "MAX_REQUEST_BYTES": str(256 * 1024),
    "RATE_LIMIT_PER_SENDER": "30/minute",
    "RATE_LIMIT_PER_ADDRESS": "300/minute",
}
PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}
OFF = {"0", "off", "none", "unlimited"}


class SettingError(ValueError):
    """A limit set to something that cannot be read; the server refuses to start."""


@dataclass(frozen=True)
class Rate:
    count: int  # messages allowed per `seconds`; 0 means no limit
    seconds: float

    @property
    def unlimited(self) -> bool:
        return self.count <= 0


def parse_rate(name: str, value: str) -> Rate:
    """ "30/minute", "5/second", "100/hour", "30" (per minute), "0" or "off" (no limit)."""
    text = value.strip().lower()
    if text in OFF:
        return Rate(0, 60.0)
    count, _, period = text.partition("/")
    period = period.strip() or "minute"
    period = period[:-1] if period.endswith("s") and period[:-1] in PERIODS else period
    if not count.strip().isdigit() or period not in PERIODS:
        raise SettingError(
            f"{name}={value!r}: write it as N/second, N/minute or N/hour (or 0 for no limit)"
        )
    return Rate(int(count), PERIODS[period])


def _positive_int(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) <= 0:
        raise SettingError(f"{name}={value!r}: must be a whole number above 0")
    return int(value)


@dataclass(frozen=True)
class Limits:
    max_message_chars: int
    max_request_bytes: int
    per_sender: Rate
    per_address: Rate

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Limits":
        env = os.environ if env is None else env
        value = {name: env.get(name) or default for name, default in DEFAULTS.items()}
        return cls(
            max_message_chars=_positive_int("MAX_MESSAGE_CHARS", value["MAX_MESSAGE_CHARS"]),
            max_request_bytes=_positive_int("MAX_REQUEST_BYTES", value["MAX_REQUEST_BYTES"]),
            per_sender=parse_rate("RATE_LIMIT_PER_SENDER", value["RATE_LIMIT_PER_SENDER"]),
            per_address=parse_rate("RATE_LIMIT_PER_ADDRESS", value["RATE_LIMIT_PER_ADDRESS"]),
        )


class RateLimiter:
    """Sliding-window counts per key, in this process's memory: with several Rasa replicas
    each one counts on its own (a patient's messages usually reach the same replica only if
    the load balancer keeps them there). The number of keys is bounded, so a flood of
    made-up sender ids cannot exhaust memory: the oldest are forgotten first."""

    def __init__(
        self, rate: Rate, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.max_keys = max_keys
        self.clock = clock
        self._hits: Dict[str, Deque[float]] = {}

    def hit(self, key: str) -> Optional[float]:
        """Count one message for `key`. None if it is allowed, else the seconds to wait."""
        if self.rate.unlimited:
            return None
        now = self.clock()
        hits = self._hits.pop(key, None) or deque()
        self._hits[key] = hits  # re-inserted: the dict's order is the order of last use
        while hits and hits[0] <= now - self.rate.seconds:
            hits.popleft()
        if len(hits) >= self.rate.count:
            return max(0.0, hits[0] + self.rate.seconds - now)
        hits.append(now)
        while len(self._hits) > self.max_keys:
            del self._hits[next(iter(self._hits))]
        return None


def origin_pattern(origin: str) -> str:
    """An ALLOWED_ORIGINS entry in the form Rasa's `--cors` (sanic-cors) understands: an exact
    origin stays a plain string; `*` alone allows every origin; a `*` inside an entry is a
    wildcard ("http://localhost:*" any port, "https://*.example.org" any subdomain), written
    as an anchored regular expression."""
    origin = origin.strip().rstrip("/")
    if origin == "*" or "*" not in origin:
        return origin
    regex = re.sub(r":\\\*$", ":[0-9]+", re.escape(origin))  # a port wildcard at the end
    return "^" + regex.replace(r"\*", "[A-Za-z0-9-]+") + "$"


def cors_origins(setting: str) -> List[str]:
    """The comma-separated ALLOWED_ORIGINS setting as `--cors` arguments."""
    return [origin_pattern(o) for o in setting.split(",") if o.strip()]


def default_origins(web_public_url: str) -> List[str]:
    """The demo page's own origin, as localhost and as 127.0.0.1 (the same machine)."""
    origin = web_public_url.strip().rstrip("/")
    twins = [origin]
    for one, other in (("//localhost", "//127.0.0.1"), ("//127.0.0.1", "//localhost")):
        if one in origin:
            twins.append(origin.replace(one, other, 1))
    return list(dict.fromkeys(twins))


def origin_allowed(origin: str, patterns: Iterable[str]) -> bool:
    """Matched exactly as sanic-cors matches `--cors` entries (so that refusing a request
    and leaving out its CORS headers always agree)."""
    for pattern in patterns:
        if pattern == "*":
            return True
        if _looks_like_regex(pattern):
            if re.match(pattern, origin, flags=re.IGNORECASE):
                return True
        elif origin.lower() == pattern.lower():
            return True
    return False


def _looks_like_regex(pattern: str) -> bool:
    return any(c in pattern for c in "*\\]?")  # sanic_cors.core.probably_regex


def retry_after_header(seconds: float) -> str:
    return str(max(1, int(seconds + 0.999)))
