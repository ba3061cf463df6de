"""What a webhook body must look like before Rasa's channel code reads it (pure Python).

Rasa's channels trust their input: `request.json.get("sender")` on a list, `msg.chat.id` on
an update without a message, a lone UTF-16 surrogate that the tracker store cannot encode,
all end in HTTP 500. Each check here returns None when the body is fine, else a short reason
for a 400 answer; none of them echoes the body (it may hold a patient's words).
"""

import json
import re
import unicodedata
import urllib.parse
from typing import Any, Dict, List, Optional, Tuple

MAX_SENDER_CHARS = 256
# A client's own id for a message, the same when it sends it again (rasa_ext/resends.py).
MESSAGE_ID_FIELD = "message_id"
MAX_MESSAGE_ID_CHARS = 100
_MESSAGE_ID = re.compile(f"[A-Za-z0-9_.:-]{{1,{MAX_MESSAGE_ID_CHARS}}}")
MAX_METADATA_DEPTH = 8


class BadBody(ValueError):
    """The reason a body is refused, short and safe to show (never the body itself)."""


def _reject_constant(name: str) -> Any:
    raise BadBody(f"{name} is not valid JSON")


def parse_json(body: bytes) -> Any:
    """The JSON document in `body`, as the standard library reads it, without NaN/Infinity
    (other JSON parsers and PostgreSQL refuse them)."""
    if not body or not body.strip():
        raise BadBody("the request body is empty; send a JSON object")
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise BadBody("the request body is not UTF-8 text") from None
    except RecursionError:
        raise BadBody("the JSON is nested too deeply") from None
    except json.JSONDecodeError as error:
        raise BadBody(f"the request body is not valid JSON ({error.msg})") from None


def text_problem(value: str) -> Optional[str]:
    """Text the tracker store, the logs and every channel can carry: no lone surrogates (not
    encodable as UTF-8) and no NUL (PostgreSQL text cannot hold it)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text"
    if "\x00" in value:
        return "contains a NUL character"
    return None


def sender_problem(sender: Any) -> Optional[str]:
    if not isinstance(sender, str):
        return "'sender' must be a string (the conversation id)"
    if not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return f"'sender' must be 1 to {MAX_SENDER_CHARS} characters"
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in sender):
        return "'sender' must not contain control characters"
    problem = text_problem(sender)
    return f"'sender' {problem}" if problem else None


def _depth(value: Any, limit: int) -> int:
    """How deeply `value` nests, counted no further than `limit` + 1."""
    stack: List[Tuple[Any, int]] = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            break
        children = (
            item.values() if isinstance(item, dict) else (item if isinstance(item, list) else ())
        )
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _strings(value: Any) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def valid_message_id(value: Any) -> bool:
    return isinstance(value, str) and _MESSAGE_ID.fullmatch(value) is not None


def rest_problem(data: Any) -> Optional[str]:
    """Rasa's REST channel: {"sender": str, "message": str, "metadata"?: object,
    "input_channel"?: str, "message_id"?: str (rasa_ext/resends.py)}."""
    if not isinstance(data, dict):
        return 'the body must be a JSON object like {"sender": "...", "message": "..."}'
    problem = sender_problem(data.get("sender"))
    if problem:
        return problem
    message = data.get("message")
    if not isinstance(message, str):
        return "'message' must be a string"
    problem = text_problem(message)
    if problem:
        return f"'message' {problem}"
    channel = data.get("input_channel")
    if channel is not None and (
        not isinstance(channel, str) or text_problem(channel) or len(channel) > MAX_SENDER_CHARS
    ):
        return "'input_channel' must be a short string"
    message_id = data.get(MESSAGE_ID_FIELD)
    if message_id is not None and not valid_message_id(message_id):
        return (
            f"'{MESSAGE_ID_FIELD}' must be 1 to {MAX_MESSAGE_ID_CHARS} letters, digits or - _ . :"
        )
    metadata = data.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            return "'metadata' must be a JSON object"
        if _depth(metadata, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH:
            return f"'metadata' must not nest deeper than {MAX_METADATA_DEPTH} levels"
        if any(text_problem(s) for s in _strings(metadata)):
            return "'metadata' holds text that is not valid Unicode"
    return None


def _chat_problem(message: Any, where: str) -> Optional[str]:
    if not isinstance(message, dict):
        return f"'{where}' must be an object"
    chat = message.get("chat")
    if (
        not isinstance(chat, dict)
        or not isinstance(chat.get("id"), (int, str))
        or isinstance(chat.get("id"), bool)
    ):
        return f"'{where}.chat.id' is missing"
    return None


def _text_field_problem(container: Dict[str, Any], field: str, where: str) -> Optional[str]:
    value = container.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        return f"'{where}.{field}' must be a string"
    problem = text_problem(value)
    return f"'{where}.{field}' {problem}" if problem else None


def telegram_problem(update: Any) -> Optional[str]:
    """A Telegram update, checked along the paths Rasa's TelegramInput reads
    (callback_query.message.chat.id and .data; edited_message; message.text or .location)."""
    if not isinstance(update, dict):
        return "a Telegram update must be a JSON object"
    if not isinstance(update.get("update_id"), int) or isinstance(update.get("update_id"), bool):
        return "'update_id' must be a number"
    if update.get("callback_query") is not None:
        query = update["callback_query"]
        if not isinstance(query, dict):
            return "'callback_query' must be an object"
        return (
            _chat_problem(query.get("message"), "callback_query.message")
            or _text_field_problem(query, "data", "callback_query")
            or (
                None
                if isinstance(query.get("data"), str)
                else "'callback_query.data' must be a string"
            )
        )
    for field in ("edited_message", "message"):
        if update.get(field) is not None:
            message = update[field]
            problem = _chat_problem(message, field) or _text_field_problem(message, "text", field)
            if problem:
                return problem
            location = message.get("location")
            if location is not None and not (
                isinstance(location, dict)
                and all(
                    isinstance(location.get(k), (int, float))
                    and not isinstance(location.get(k), bool)
                    for k in ("longitude", "latitude")
                )
            ):
                return f"'{field}.location' must hold a longitude and a latitude"
            return None
    return None


def telegram_is_ignored(update: Dict[str, Any]) -> bool:
    """A well-formed update Rasa has nothing to answer (a patient blocking the bot, a sticker
    in an edit, ...): Rasa's channel would fail on it, so it is acknowledged here."""
    if update.get("callback_query") is not None:
        return False
    if update.get("edited_message") is not None:
        return not isinstance(update["edited_message"].get("text"), str)
    return update.get("message") is None


def twilio_problem(body: bytes, content_type: str) -> Optional[str]:
    """Twilio posts its webhooks form-encoded, always with `From`."""
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return "Twilio webhooks are form-encoded (application/x-www-form-urlencoded)"
    try:
        form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return "the form is not UTF-8 text"
    sender = (form.get("From") or [""])[0]
    if not sender.strip():
        return "'From' is missing"
    problem = sender_problem(sender) or next(
        (f"'{k}' {text_problem(v)}" for k, vs in form.items() for v in vs if text_problem(v)), None
    )
    return problem


def _events_problem(events: Any, replace: bool) -> Optional[str]:
    if isinstance(events, dict) and not replace:
        events = [events]
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return (
            "the events must be a list of objects"
            if replace
            else ("send one event object or a list of them")
        )
    for event in events:
        if not isinstance(event.get("event"), str):
            return "every event needs an 'event' name"
        if event["event"] == "user" and not isinstance(event.get("text"), str):
            return "a 'user' event needs its 'text'"
    return None


API_JSON_ACTIONS = {
    ("POST", "messages"),
    ("POST", "trigger_intent"),
    ("POST", "execute"),
    ("POST", "tracker/events"),
    ("PUT", "tracker/events"),
}


def _api_action(path: str) -> str:
    """What a /conversations/<id>/... path does (the id itself may hold slashes)."""
    if path.startswith("/conversations/"):
        for _, action in API_JSON_ACTIONS:
            if path.endswith("/" + action) and len(path) > len("/conversations//" + action):
                return action
    return ""


def api_reads_json(method: str, path: str) -> bool:
    """An endpoint of Rasa's HTTP API whose JSON body api_problem checks."""
    if method == "POST" and path == "/model/parse":
        return True
    return (method, _api_action(path)) in API_JSON_ACTIONS


def api_problem(method: str, path: str, data: Any) -> Optional[str]:
    """Rasa's HTTP API (token-protected), the JSON endpoints that fail with a 500 on a body of
    the wrong shape. None also for paths this does not know."""
    if method == "POST" and path == "/model/parse":
        return (
            None
            if isinstance(data, dict) and isinstance(data.get("text"), str)
            else ('send {"text": "..."}')
        )
    action = _api_action(path)
    if method == "POST" and action == "messages":
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("text"), str)
            or not isinstance(data.get("sender"), str)
        ):
            return 'send {"text": "...", "sender": "user"}'
        parse_data = data.get("parse_data")
        return (
            None
            if parse_data is None or isinstance(parse_data, dict)
            else ("'parse_data' must be an object")
        )
    if method == "POST" and action in ("trigger_intent", "execute"):
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return 'send {"name": "..."}'
        entities = data.get("entities")
        return (
            None
            if entities is None or isinstance(entities, (dict, list))
            else ("'entities' must be an object")
        )
    if action == "tracker/events" and method in ("POST", "PUT"):
        return _events_problem(data, replace=method == "PUT")
    return None
