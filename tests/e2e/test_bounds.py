"""Bounded input against the real servers (README, "Limits and security"): hostile bodies get a
short JSON 4xx and the server stays healthy; a message over MAX_MESSAGE_CHARS gets a kind reply
in every channel and the interview goes on; rate limits answer 429 (REST) or a clear reply
without touching other patients; a 100 KB sender does not hold up another patient; security
headers and CORS origins.

These servers run with the product's default ALLOWED_ORIGINS and short rate limits. Each test
talks from its own loopback address (127.0.0.x), so that the per-address limit of one test
never counts another's requests.
"""

import contextlib
import http.client
import json
import secrets
import statistics
import threading
import time
from html.parser import HTMLParser
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import requests
import socketio
from requests.adapters import HTTPAdapter

from tests.channels.conftest import TelegramPatient, WhatsAppPatient, answer_for
from tests.fakes import current_fakes
from tests.support import summary
from tests.support.servers import Servers, start_servers

PER_SENDER = 6
PER_ADDRESS = 40
MAX_CHARS = 2000
TOO_LONG = "a lot to read at once"
TOO_MANY = "faster than I can answer"
SYMPTOMS = "my left leg hurts"


@pytest.fixture(scope="module")
def bounded(channel_env: Dict[str, str]) -> Iterator[Servers]:
    running = start_servers(
        {
            **channel_env,
            "RATE_LIMIT_PER_SENDER": f"{PER_SENDER}/minute",
            "RATE_LIMIT_PER_ADDRESS": f"{PER_ADDRESS}/minute",
            "MAX_MESSAGE_CHARS": str(MAX_CHARS),
            "ALLOWED_ORIGINS": "",
        }
    )  # the default: the demo page only
    yield running
    running.stop()


class FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(address: str) -> requests.Session:
    """HTTP from this loopback address (any 127.x.y.z is this machine)."""
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def new_sender(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def rest(
    session: requests.Session, servers: Servers, sender: str, message: str, **kwargs: Any
) -> requests.Response:
    return session.post(
        f"{servers.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
        **kwargs,
    )


def texts(reply: requests.Response) -> List[str]:
    return [m.get("text") or "" for m in reply.json()]


def healthy(servers: Servers) -> None:
    assert requests.get(servers.rasa_url + "/", timeout=10).status_code == 200
    reply = rest(client("127.0.0.9"), servers, new_sender("healthy"), "hello")
    assert reply.status_code == 200 and reply.json(), reply.text


# ---- hostile requests --------------------------------------------------------------------

JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
REST = "/webhooks/rest/webhook"
TELEGRAM = "/webhooks/telegram/webhook"
TWILIO = "/webhooks/twilio/webhook"
HOSTILE: List[Tuple[str, str, str, Any, Dict[str, str]]] = [
    # (what, method, path, body, headers)
    ("empty body", "POST", REST, b"", JSON),
    ("whitespace", "POST", REST, b"  \n ", JSON),
    ("null", "POST", REST, b"null", JSON),
    ("a list", "POST", REST, b'[{"sender": "a", "message": "hi"}]', JSON),
    ("a number", "POST", REST, b"42", JSON),
    ("a string", "POST", REST, b'"hello"', JSON),
    ("true", "POST", REST, b"true", JSON),
    ("invalid JSON", "POST", REST, b'{"sender": "a", "message": ', JSON),
    ("not UTF-8", "POST", REST, b'{"sender": "a", "message": "\xff\xfe"}', JSON),
    ("form instead of JSON", "POST", REST, b"sender=a&message=hi", FORM),
    ("missing sender", "POST", REST, b'{"message": "hi"}', JSON),
    ("missing message", "POST", REST, b'{"sender": "a"}', JSON),
    ("null message", "POST", REST, b'{"sender": "a", "message": null}', JSON),
    ("number sender", "POST", REST, b'{"sender": 12345, "message": "hi"}', JSON),
    ("object sender", "POST", REST, b'{"sender": {"id": 1}, "message": "hi"}', JSON),
    ("list message", "POST", REST, b'{"sender": "a", "message": ["hi"]}', JSON),
    ("object message", "POST", REST, b'{"sender": "a", "message": {"text": "hi"}}', JSON),
    ("empty sender", "POST", REST, b'{"sender": "", "message": "hi"}', JSON),
    ("huge sender", "POST", REST, json.dumps({"sender": "s" * 5000, "message": "hi"}), JSON),
    ("NUL in sender", "POST", REST, b'{"sender": "a\\u0000b", "message": "hi"}', JSON),
    ("lone surrogate", "POST", REST, b'{"sender": "a", "message": "pain \\ud83d"}', JSON),
    ("NaN metadata", "POST", REST, b'{"sender": "a", "message": "hi", "metadata": NaN}', JSON),
    ("list metadata", "POST", REST, b'{"sender": "a", "message": "hi", "metadata": []}', JSON),
    (
        "deeply nested",
        "POST",
        REST,
        b'{"sender": "a", "message": "hi", "metadata": '
        + b'{"a":' * 5000
        + b"1"
        + b"}" * 5000
        + b"}",
        JSON,
    ),
    ("nested arrays", "POST", REST, b"[" * 200_000, JSON),
    (
        "body over the limit",
        "POST",
        REST,
        json.dumps({"sender": "a", "message": "x" * 400_000}),
        JSON,
    ),
    ("Content-Length says 1 GB", "POST", REST, b"{}", {**JSON, "Content-Length": "999999999"}),
    ("wrong method", "PUT", REST, b'{"sender": "a", "message": "hi"}', JSON),
    ("Telegram: empty", "POST", TELEGRAM, b"", JSON),
    ("Telegram: a list", "POST", TELEGRAM, b"[]", JSON),
    ("Telegram: a string", "POST", TELEGRAM, b'"update"', JSON),
    ("Telegram: invalid JSON", "POST", TELEGRAM, b"{update", JSON),
    ("Telegram: message is a number", "POST", TELEGRAM, b'{"update_id": 1, "message": 5}', JSON),
    ("Telegram: no chat", "POST", TELEGRAM, b'{"update_id": 1, "message": {"text": "hi"}}', JSON),
    (
        "Telegram: number text",
        "POST",
        TELEGRAM,
        b'{"update_id": 1, "message": {"chat": {"id": 1}, "text": 7}}',
        JSON,
    ),
    (
        "Telegram: button without message",
        "POST",
        TELEGRAM,
        b'{"update_id": 1, "callback_query": {"id": "1", "data": "/affirm"}}',
        JSON,
    ),
    ("Telegram: GET", "GET", TELEGRAM, b"", {}),
    ("Twilio: JSON body", "POST", TWILIO, b'{"From": "whatsapp:+1", "Body": "hi"}', JSON),
    ("Twilio: no From", "POST", TWILIO, b"Body=hi", FORM),
    ("Twilio: not UTF-8", "POST", TWILIO, b"From=%FF%FE&Body=hi", FORM),
    ("Twilio: unsigned", "POST", TWILIO, b"From=whatsapp%3A%2B15550001&Body=hi", FORM),
    (
        "Telegram: no secret token",
        "POST",
        TELEGRAM,
        json.dumps(
            {"update_id": 3, "message": {"message_id": 1, "chat": {"id": 77}, "text": "hi"}}
        ),
        JSON,
    ),
    (
        "socket.io: junk poll",
        "POST",
        "/socket.io/?EIO=4&transport=polling&sid=nope",
        b"\x00\xff junk",
        {"Content-Type": "text/plain"},
    ),
    ("unknown path", "POST", "/webhooks/nothing/webhook", b"{}", JSON),
]
# Rasa's HTTP API ({token} is filled in): authenticated, yet a wrong shape is no server error.
API = "?token={token}"
HOSTILE += [
    ("API parse: null", "POST", "/model/parse" + API, b"null", JSON),
    ("API parse: number text", "POST", "/model/parse" + API, b'{"text": 5}', JSON),
    ("API parse: invalid JSON", "POST", "/model/parse" + API, b"{", JSON),
    ("API messages: a list", "POST", "/conversations/api-a/messages" + API, b"[]", JSON),
    (
        "API messages: no sender",
        "POST",
        "/conversations/api-a/messages" + API,
        b'{"text": "hi"}',
        JSON,
    ),
    ("API trigger_intent: empty", "POST", "/conversations/api-a/trigger_intent" + API, b"", JSON),
    (
        "API trigger_intent: a string",
        "POST",
        "/conversations/api-a/trigger_intent" + API,
        b'"greet"',
        JSON,
    ),
    (
        "API events: a list of numbers",
        "POST",
        "/conversations/api-a/tracker/events" + API,
        b"[5]",
        JSON,
    ),
    (
        "API events: user without text",
        "POST",
        "/conversations/api-a/tracker/events" + API,
        b'{"event": "user"}',
        JSON,
    ),
    (
        "API replace events: an object",
        "PUT",
        "/conversations/api-a/tracker/events" + API,
        b'{"event": "user", "text": "hi"}',
        JSON,
    ),
]
# Refusals in the channels' own words: short plain text (unauthenticated posts), or
# engine.io's JSON string.
PLAIN_REFUSALS = {"Twilio: unsigned", "Telegram: no secret token", "socket.io: junk poll"}


def send_raw(
    servers: Servers, address: str, method: str, path: str, body: bytes, headers: Dict[str, str]
) -> Tuple[int, bytes]:
    """One request exactly as given (requests would correct a false Content-Length)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", servers.rasa_port, timeout=60, source_address=(address, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def test_every_hostile_request_gets_a_short_json_4xx_and_the_server_stays_healthy(
    bounded: Servers,
) -> None:
    answers: List[Tuple[str, int]] = []
    problems = []
    for what, method, path, body, headers in HOSTILE:
        data = body.encode() if isinstance(body, str) else body
        path = path.replace("{token}", bounded.token)
        status, content = send_raw(bounded, "127.0.0.3", method, path, data, headers)
        answers.append((what, status))
        error = None
        with contextlib.suppress(ValueError):
            error = json.loads(content)
        readable = isinstance(error, dict) or (what in PLAIN_REFUSALS and content)
        if not 400 <= status < 500 or not readable or len(content) > 500 or b"Traceback" in content:
            problems.append(f"{what}: {status} {content[:120]!r}")
    server_errors = sum(1 for _, status in answers if status >= 500)
    summary.SECTIONS.append(
        (
            "hostile requests (tests/e2e/test_bounds.py)",
            f"{len(HOSTILE)} hostile requests, {server_errors} answered 5xx",
        )
    )
    assert len(HOSTILE) >= 20
    assert not problems, "\n".join(problems)
    assert "Traceback" not in "".join(bounded.log)
    healthy(bounded)


def test_well_formed_updates_with_nothing_to_answer_are_acknowledged(bounded: Servers) -> None:
    """Telegram sends updates Rasa has no answer for (a patient blocking the bot): they get
    200, as Telegram would otherwise deliver them again and again."""
    reply = requests.post(
        bounded.rasa_url + TELEGRAM,
        json={"update_id": 9, "my_chat_member": {"chat": {"id": 1}}},
        timeout=30,
    )
    assert reply.status_code == 200


# ---- long messages -----------------------------------------------------------------------


def requested_slot(servers: Servers, sender: str) -> Optional[str]:
    return servers.tracker(sender)["slots"].get("requested_slot")


def test_a_long_message_gets_a_kind_reply_and_the_interview_goes_on(bounded: Servers) -> None:
    session = client("127.0.0.4")
    sender = new_sender("long")
    first = rest(session, bounded, sender, SYMPTOMS)
    question = texts(first)[-1]
    slot = requested_slot(bounded, sender)
    assert slot, f"the interview did not start: {texts(first)}"
    events_before = len(bounded.tracker(sender)["events"])

    story = "It started years ago, and " + "the pain goes on and on. " * 200
    assert len(story) > MAX_CHARS
    reply = rest(session, bounded, sender, story)
    assert reply.status_code == 200
    said = texts(reply)
    assert TOO_LONG in said[0] and str(MAX_CHARS) in said[0], said
    assert said[-1] == question, "the pending question is asked again"

    tracker = bounded.tracker(sender)
    assert tracker["slots"]["requested_slot"] == slot
    assert len(tracker["events"]) == events_before, "nothing of it is stored"
    assert "on and on" not in json.dumps(tracker)
    assert "on and on" not in "".join(bounded.log)

    after = rest(session, bounded, sender, answer_for(slot, []))  # the interview goes on
    assert after.status_code == 200 and after.json()
    assert requested_slot(bounded, sender) != slot, texts(after)


def test_a_pasted_100_kb_message_gets_the_kind_reply_not_an_error(bounded: Servers) -> None:
    """Under MAX_REQUEST_BYTES (256 KB) a long paste is answered in words (its time is
    checked under load in test_a_100_kb_sender_does_not_hold_up_another_patient)."""
    reply = rest(client("127.0.0.4"), bounded, new_sender("paste"), "ache " * 20_000)
    assert reply.status_code == 200 and TOO_LONG in texts(reply)[0]


def test_long_messages_on_telegram_and_whatsapp(bounded: Servers) -> None:
    fakes = current_fakes()
    telegram = TelegramPatient(bounded, fakes)
    telegram.say("x" * (MAX_CHARS + 1))
    sent = [c["params"].get("text", "") for c in fakes.telegram.sent(telegram.chat_id)]
    assert any(TOO_LONG in text for text in sent), sent

    whatsapp = WhatsAppPatient(bounded, fakes)
    reply = whatsapp.post(whatsapp.form("my leg " * 1000))
    assert reply.status_code == 200
    bodies = [c["body"] for c in fakes.twilio.sent(whatsapp.sender)]
    assert any(TOO_LONG in body for body in bodies), bodies


class SocketPatient:
    """The widget's side of Rasa's socket.io channel (session persistence on)."""

    def __init__(
        self, servers: Servers, origin: Optional[str] = None, address: str = "127.0.0.1"
    ) -> None:
        self.session_id = secrets.token_hex(16)
        self.replies: List[Dict[str, Any]] = []
        self.confirmed = threading.Event()
        self.sio = socketio.Client(reconnection=False, http_session=client(address))
        self.sio.on("session_confirm", lambda *_: self.confirmed.set())
        self.sio.on("bot_uttered", self.replies.append)
        headers = {"Origin": origin} if origin else {}
        self.sio.connect(servers.rasa_url, transports=["polling"], headers=headers, wait_timeout=20)
        self.sio.emit("session_request", {"session_id": self.session_id})
        assert self.confirmed.wait(20)

    def say(self, text: str, expected: int = 1, timeout: float = 30) -> List[Dict[str, Any]]:
        before = len(self.replies)
        self.sio.emit("user_uttered", {"message": text, "session_id": self.session_id})
        deadline = time.monotonic() + timeout
        while len(self.replies) < before + expected and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # any further message of the same turn
        return self.replies[before:]

    def close(self) -> None:
        self.sio.disconnect()


def test_long_messages_and_junk_events_on_socketio(bounded: Servers) -> None:
    patient = SocketPatient(bounded, origin=bounded.web_url)
    try:
        greeting = patient.say("hello")
        assert greeting, "no answer over socket.io"
        for junk in (
            None,
            [],
            5,
            "text",
            {"message": 5, "session_id": patient.session_id},
            {"message": "hi", "session_id": ["x"]},
        ):
            patient.sio.emit("user_uttered", junk)
        replies = patient.say("y" * (MAX_CHARS + 500), expected=2)
        assert TOO_LONG in replies[0].get("text", ""), replies
        assert replies[-1].get("text") == greeting[-1].get("text")
        assert patient.say("hello"), "the conversation goes on after the junk"
    finally:
        patient.close()
    assert "Traceback" not in "".join(bounded.log)


# ---- rate limits -------------------------------------------------------------------------


def test_the_sender_limit_answers_429_without_touching_another_patient(bounded: Servers) -> None:
    session = client("127.0.0.5")
    busy, other = new_sender("busy"), new_sender("other")
    statuses = [rest(session, bounded, busy, "hi").status_code for _ in range(PER_SENDER)]
    assert statuses == [200] * PER_SENDER
    refused = rest(session, bounded, busy, "hi")
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_requests"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert rest(session, bounded, other, "hi").status_code == 200


def test_the_sender_limit_on_socketio_is_a_clear_reply(bounded: Servers) -> None:
    patient = SocketPatient(bounded, origin=bounded.web_url, address="127.0.0.13")
    try:
        for _ in range(PER_SENDER):
            assert patient.say("/greet"), "no answer within the limit"
        refused = patient.say("/greet")
        assert len(refused) == 1 and TOO_MANY in refused[0].get("text", ""), refused
    finally:
        patient.close()


def test_the_address_limit_counts_one_address_only(bounded: Servers) -> None:
    crowd = client("127.0.0.6")
    statuses = [
        rest(crowd, bounded, new_sender("crowd"), "/greet").status_code
        for _ in range(PER_ADDRESS + 1)
    ]
    assert statuses[:PER_ADDRESS] == [200] * PER_ADDRESS and statuses[-1] == 429, statuses
    assert rest(client("127.0.0.7"), bounded, new_sender("else"), "/greet").status_code == 200


def test_the_sender_limit_on_telegram_is_a_clear_reply(bounded: Servers) -> None:
    fakes = current_fakes()
    patient = TelegramPatient(bounded, fakes)
    for _ in range(PER_SENDER + 1):
        patient.say("hello")
    sent = [c["params"].get("text", "") for c in fakes.telegram.sent(patient.chat_id)]
    assert TOO_MANY in sent[-1], sent[-1]
    other = TelegramPatient(bounded, fakes)
    other.say("hello")
    assert not any(
        TOO_MANY in c["params"].get("text", "") for c in fakes.telegram.sent(other.chat_id)
    )


# ---- one huge sender against another patient ---------------------------------------------

SCRIPT = ["hello", SYMPTOMS, "outer foot and little toe", "a few days", "6"]


def p95_of(session: requests.Session, servers: Servers) -> Tuple[float, List[float]]:
    sender, latencies = new_sender("patient"), []
    for text in SCRIPT:
        started = time.monotonic()
        reply = rest(session, servers, sender, text)
        latencies.append(time.monotonic() - started)
        assert reply.status_code == 200 and reply.json(), reply.text
    return statistics.quantiles(latencies, n=20, method="inclusive")[-1], latencies


def test_a_100_kb_sender_does_not_hold_up_another_patient(bounded: Servers) -> None:
    """A functional bound, not a benchmark: while 100 KB messages keep coming from one
    address, another patient's p95 stays under a second. On a machine so busy that the same
    patient needs more than that with no flood at all, the bounds (1 s, and 2 s for each 100 KB
    message) become 1.5x that p95: before the length check, one 100 KB message held every
    patient up for minutes."""
    patient = client("127.0.0.10")
    alone, _ = p95_of(patient, bounded)
    stop = threading.Event()
    flood_times: List[float] = []

    def flood() -> None:
        session = client("127.0.0.8")
        while not stop.is_set() and len(flood_times) < PER_ADDRESS - 2:
            started = time.monotonic()
            reply = rest(session, bounded, new_sender("flood"), "z" * 100_000)
            assert reply.status_code == 200 and TOO_LONG in texts(reply)[0]
            flood_times.append(time.monotonic() - started)

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    try:
        flooded, latencies = p95_of(patient, bounded)
    finally:
        stop.set()
        thread.join(60)
    assert flood_times, "the flood did not run alongside"
    summary.SECTIONS.append(
        (
            "100 KB sender vs another patient (tests/e2e/test_bounds.py)",
            f"{len(flood_times)} 100 KB messages, slowest "
            f"{max(flood_times):.2f}s; another patient's p95 {flooded:.2f}s "
            f"({alone:.2f}s with no flood)",
        )
    )
    busy = 1.5 * alone  # the machine's own slowness, measured with no flood
    assert max(flood_times) < max(2.0, busy), f"a 100 KB message took {max(flood_times):.2f}s"
    assert flooded < max(1.0, busy), f"another patient's p95 was {flooded:.2f}s: {latencies}"


# ---- headers and origins -----------------------------------------------------------------


class Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: List[str] = []
        self.handlers: List[str] = []
        self._open: Optional[Dict[str, Optional[str]]] = None

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self._open = dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._open is not None and "src" not in self._open and data.strip():
            self.inline.append(data.strip()[:60])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def test_the_web_page_sends_a_strict_policy_and_has_no_inline_script(bounded: Servers) -> None:
    reply = requests.get(bounded.web_url + "/", timeout=30)
    policy = reply.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "frame-ancestors" in directives and "'unsafe-eval'" not in policy
    assert f"localhost:{bounded.rasa_port}" in directives["connect-src"]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"]
    page = Scripts()
    page.feed(reply.text)
    assert not page.inline and not page.handlers, (page.inline, page.handlers)


def test_the_rasa_server_sends_security_headers(bounded: Servers) -> None:
    for reply in (
        requests.get(bounded.rasa_url + "/", timeout=30),
        rest(client("127.0.0.11"), bounded, new_sender("h"), "hi"),
    ):
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]
        assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert reply.headers["Cache-Control"] == "no-store"


def test_only_the_demo_pages_origin_may_use_rasa_from_a_browser(bounded: Servers) -> None:
    session = client("127.0.0.12")
    allowed = f"http://localhost:{bounded.web_port}"
    foreign = "https://evil.example"
    for origin in (allowed, allowed.replace("localhost", "127.0.0.1")):
        preflight = session.options(
            bounded.rasa_url + REST,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
            timeout=30,
        )
        assert preflight.headers.get("Access-Control-Allow-Origin") == origin
        sent = rest(session, bounded, new_sender("cors"), "hi", headers={"Origin": origin})
        assert sent.status_code == 200
        assert sent.headers.get("Access-Control-Allow-Origin") == origin
    preflight = session.options(
        bounded.rasa_url + REST,
        headers={"Origin": foreign, "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") != foreign
    refused = rest(session, bounded, new_sender("cors"), "hi", headers={"Origin": foreign})
    assert refused.status_code == 403 and refused.json()["error"] == "origin_not_allowed"
    handshake = f"{bounded.rasa_url}/socket.io/?EIO=4&transport=polling"
    assert session.get(handshake, headers={"Origin": allowed}, timeout=30).status_code == 200
    assert session.get(handshake, headers={"Origin": foreign}, timeout=30).status_code == 403
    # server to server (Telegram, Twilio, curl) sends no Origin and is not affected
    assert rest(session, bounded, new_sender("cors"), "hi").status_code == 200
