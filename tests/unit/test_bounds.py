"""The pure parts of the input bounds: settings, the rate limiter, origins, body checks, the
question asked again after a too-long message (the servers are tested in tests/e2e)."""

import json

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from rasa_ext.limits import (
    Limits,
    Rate,
    RateLimiter,
    SettingError,
    cors_origins,
    default_origins,
    origin_allowed,
    parse_rate,
)
from rasa_ext.message_bounds import pending_question
from rasa_ext.request_checks import (
    BadBody,
    parse_json,
    rest_problem,
    telegram_is_ignored,
    telegram_problem,
    twilio_problem,
)


@pytest.mark.parametrize(
    "text, rate",
    [
        ("30/minute", Rate(30, 60)),
        ("5/second", Rate(5, 1)),
        ("100/hours", Rate(100, 3600)),
        ("12", Rate(12, 60)),
        ("off", Rate(0, 60)),
        ("0", Rate(0, 60)),
    ],
)
def test_rates_are_read_as_documented(text, rate):
    assert parse_rate("X", text) == rate


@pytest.mark.parametrize("text", ["fast", "10/fortnight", "-1/minute", "1.5/second"])
def test_unreadable_rates_stop_the_server_with_the_setting_named(text):
    with pytest.raises(SettingError, match="RATE_LIMIT_PER_SENDER"):
        Limits.from_env({"RATE_LIMIT_PER_SENDER": text})


def test_defaults():
    limits = Limits.from_env({})
    assert limits.max_message_chars == 2000
    assert limits.max_request_bytes == 256 * 1024
    assert limits.per_sender == Rate(30, 60) and limits.per_address == Rate(300, 60)
    with pytest.raises(SettingError, match="MAX_MESSAGE_CHARS"):
        Limits.from_env({"MAX_MESSAGE_CHARS": "0"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides_and_keys_do_not_share_it():
    clock = Clock()
    limiter = RateLimiter(Rate(3, 60), clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    clock.now += 20
    wait = limiter.hit("a")
    assert wait == pytest.approx(40)
    assert limiter.hit("b") is None  # another patient is unaffected
    clock.now += 40.5
    assert limiter.hit("a") is None


def test_no_limit_and_a_bounded_number_of_keys():
    assert all(RateLimiter(Rate(0, 60)).hit("a") is None for _ in range(1000))
    limiter = RateLimiter(Rate(1, 60), max_keys=10)
    for number in range(100):
        limiter.hit(f"sender-{number}")
    assert len(limiter._hits) == 10


def test_origins_default_to_the_demo_page_and_wildcards_are_anchored():
    assert default_origins("http://localhost:8000/") == [
        "http://localhost:8000",
        "http://127.0.0.1:8000",
    ]
    patterns = cors_origins("https://clinic.example.org, http://localhost:*, https://*.nhs.uk")
    assert origin_allowed("https://clinic.example.org", patterns)
    assert origin_allowed("HTTPS://CLINIC.EXAMPLE.ORG", patterns)
    assert origin_allowed("http://localhost:5173", patterns)
    assert origin_allowed("https://trust.nhs.uk", patterns)
    for refused in [
        "https://clinic.example.org.evil.com",
        "http://localhost:80.evil.com",
        "https://evil.com/?https://clinic.example.org",
        "https://a.b.nhs.uk",
        "https://evilnhs.uk",
        "null",
    ]:
        assert not origin_allowed(refused, patterns), refused
    assert origin_allowed("https://anything.example", cors_origins("*"))


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"", "empty"),
        (b"   ", "empty"),
        (b"{", "not valid JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"a": NaN}', "NaN"),
    ],
)
def test_unreadable_json(body, reason):
    with pytest.raises(BadBody, match=reason):
        parse_json(body)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        5,
        "hi",
        {},
        {"message": "hi"},
        {"sender": 5, "message": "hi"},
        {"sender": "", "message": "hi"},
        {"sender": "a" * 257, "message": "hi"},
        {"sender": "a\nb", "message": "hi"},
        {"sender": "a"},
        {"sender": "a", "message": None},
        {"sender": "a", "message": ["hi"]},
        {"sender": "a", "message": "\ud800"},
        {"sender": "a", "message": "a\x00b"},
        {"sender": "a", "message": "hi", "metadata": []},
        {"sender": "a", "message": "hi", "metadata": json.loads('{"a":' * 20 + "1" + "}" * 20)},
        {"sender": "a", "message": "hi", "input_channel": 3},
    ],
)
def test_rest_bodies_refused(data):
    assert rest_problem(data)


def test_rest_bodies_accepted():
    assert rest_problem({"sender": "whatsapp:+4470", "message": ""}) is None
    assert (
        rest_problem(
            {
                "sender": "ä😀",
                "message": "brûlure ",
                "metadata": {"a": [1]},
                "input_channel": "rest",
            }
        )
        is None
    )


def update(**fields):
    return {"update_id": 7, **fields}


CHAT = {"chat": {"id": 42}}


@pytest.mark.parametrize(
    "data",
    [
        [],
        "x",
        {"message": CHAT},
        update(update_id="7"),
        update(message=5),
        update(message={"text": "hi"}),
        update(message={"chat": "x", "text": "hi"}),
        update(message={**CHAT, "text": 5}),
        update(message={**CHAT, "location": {"latitude": 1}}),
        update(callback_query={"data": "/affirm"}),
        update(callback_query={"message": CHAT}),
        update(callback_query=[]),
        update(edited_message={"text": "hi"}),
    ],
)
def test_telegram_updates_refused(data):
    assert telegram_problem(data)


def test_telegram_updates_accepted_or_acknowledged():
    fine = [
        update(message={**CHAT, "text": "hi"}),
        update(callback_query={"message": CHAT, "data": "/affirm"}),
        update(message={**CHAT, "location": {"latitude": 1.5, "longitude": 2}}),
    ]
    assert all(telegram_problem(u) is None and not telegram_is_ignored(u) for u in fine)
    ignored = [
        update(),
        update(my_chat_member={"chat": {"id": 1}}),
        update(edited_message={**CHAT, "sticker": {}}),
    ]
    assert all(telegram_problem(u) is None and telegram_is_ignored(u) for u in ignored)


FORM = "application/x-www-form-urlencoded"


def test_twilio_forms():
    assert twilio_problem(b"From=whatsapp%3A%2B4470&Body=hi", FORM) is None
    assert twilio_problem(b"From=whatsapp%3A%2B4470&Body=&NumMedia=1", FORM) is None
    assert twilio_problem(b'{"From": "x"}', "application/json")
    assert twilio_problem(b"Body=hi", FORM)
    assert twilio_problem(b"From=%FF", FORM)
    assert twilio_problem(b"From=a&Body=%00", FORM)


def test_the_pending_question_is_the_unanswered_last_bot_message():
    question = BotUttered("Where is the pain?", {"buttons": [{"title": "Foot", "payload": "foot"}]})
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi"),
        question,
        ActionExecuted("action_listen"),
    ]
    assert pending_question(events) == {
        "text": "Where is the pain?",
        "buttons": [{"title": "Foot", "payload": "foot"}],
    }
    assert pending_question(events + [UserUttered("my foot")]) is None
    assert pending_question([]) is None


def _serve_web():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "web" / "serve_web.py"
    spec = importlib.util.spec_from_file_location("serve_web_for_headers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_web_pages_policy_names_rasa_and_the_framing_sites(monkeypatch):
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://rasa.example.org")
    monkeypatch.setenv("WEB_PUBLIC_URL", "https://chat.example.org")
    serve_web = _serve_web()
    headers = serve_web.security_headers()
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self' https://rasa.example.org wss://rasa.example.org"
    assert "https://chat.example.org" in policy["img-src"]
    assert policy["frame-ancestors"] == "'self'" and headers["X-Frame-Options"] == "SAMEORIGIN"
    monkeypatch.setenv("FRAME_ANCESTORS", "'self', https://partner.example.com")
    headers = serve_web.security_headers()
    assert (
        "frame-ancestors 'self' https://partner.example.com" in headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in headers  # it cannot name another site


def test_the_http_api_bodies_rasa_would_fail_on():
    from rasa_ext.request_checks import api_problem, api_reads_json

    assert api_reads_json("POST", "/model/parse")
    assert api_reads_json("PUT", "/conversations/a/b/tracker/events")
    assert not api_reads_json("POST", "/conversations/a/predict")
    assert not api_reads_json("GET", "/conversations/a/tracker")
    assert not api_reads_json("POST", "/conversations/messages")
    refused = [
        ("POST", "/model/parse", None),
        ("POST", "/model/parse", {"text": 5}),
        ("POST", "/conversations/a/messages", []),
        ("POST", "/conversations/a/messages", {"text": "hi"}),
        ("POST", "/conversations/a/messages", {"text": "hi", "sender": "user", "parse_data": 1}),
        ("POST", "/conversations/a/trigger_intent", "greet"),
        ("POST", "/conversations/a/execute", {"name": 5}),
        ("POST", "/conversations/a/tracker/events", [5]),
        ("POST", "/conversations/a/tracker/events", {"event": "user"}),
        ("PUT", "/conversations/a/tracker/events", {"event": "slot"}),
    ]
    for method, path, data in refused:
        assert api_problem(method, path, data), (method, path, data)
    accepted = [
        ("POST", "/model/parse", {"text": "hi"}),
        ("POST", "/conversations/a/messages", {"text": "hi", "sender": "user"}),
        ("POST", "/conversations/a/trigger_intent", {"name": "greet", "entities": {"a": 1}}),
        ("POST", "/conversations/a/tracker/events", {"event": "slot", "name": "x", "value": 1}),
        ("PUT", "/conversations/a/tracker/events", [{"event": "user", "text": "hi"}]),
    ]
    for method, path, data in accepted:
        assert api_problem(method, path, data) is None, (method, path, data)
