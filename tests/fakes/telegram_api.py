"""A fake Telegram Bot API server (https://core.telegram.org/bots/api): records every call
and answers like Telegram, including the errors a careless bot runs into (a message too
long or empty, callback data over 64 bytes, a webhook that is not https)."""

import itertools
import json
import re
import time
from typing import Any, Dict, List, Optional

from aiohttp import web

from tests.fakes.server import FakeServer

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_CAPTION = 1024
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


class FakeTelegram(FakeServer):
    def __init__(self, token: str, bot_name: str) -> None:
        super().__init__()
        self.token = token
        self.bot = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Leg pain",
            "username": bot_name,
        }
        self._message_ids = itertools.count(100)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        params: Dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        else:
            params.update({k: v for k, v in (await request.post()).items()})
        method = request.match_info["method"]
        call = self.record(method=method, params=params, response=None)
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        reply = handler(params)
        if isinstance(reply, web.Response):
            return reply
        call["response"] = reply
        return _ok(reply)

    # ---- methods ---------------------------------------------------------------------------
    def api_getMe(self, params: Dict[str, Any]) -> Any:
        return self.bot

    def api_setWebhook(self, params: Dict[str, Any]) -> Any:
        if not str(params.get("url", "")).startswith("https://"):
            return _error(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if "secret_token" in params and not SECRET_TOKEN.fullmatch(params["secret_token"]):
            return _error(400, "Bad Request: secret token contains unallowed characters")
        return True

    def api_sendMessage(self, params: Dict[str, Any]) -> Any:
        text = params.get("text", "")
        if not params.get("chat_id"):
            return _error(400, "Bad Request: chat_id is empty")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        markup = self._markup(params)
        if isinstance(markup, web.Response):
            return markup
        inline = markup if markup and "inline_keyboard" in markup else None  # as Telegram
        return self._message(params["chat_id"], text=text, reply_markup=inline)

    def api_sendPhoto(self, params: Dict[str, Any]) -> Any:
        if not params.get("chat_id") or not params.get("photo"):
            return _error(400, "Bad Request: there is no photo in the request")
        photo = [{"file_id": "AgAD-fake", "file_unique_id": "fake", "width": 800, "height": 600}]
        return self._message(params["chat_id"], photo=photo)

    def api_sendDocument(self, params: Dict[str, Any]) -> Any:
        """By URL (Telegram then fetches it; only PDF, ZIP and GIF) or by file_id."""
        document = params.get("document")
        if not params.get("chat_id") or not document:
            return _error(400, "Bad Request: there is no document in the request")
        if len(str(params.get("caption", ""))) > MAX_CAPTION:
            return _error(400, "Bad Request: message caption is too long")
        name = str(document).split("?")[0].rsplit("/", 1)[-1]
        return self._message(
            params["chat_id"],
            caption=params.get("caption"),
            document={
                "file_id": "BQAD-fake",
                "file_unique_id": "fake-doc",
                "file_name": name,
                "mime_type": "application/pdf",
            },
        )

    def api_answerCallbackQuery(self, params: Dict[str, Any]) -> Any:
        if not params.get("callback_query_id"):
            return _error(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        return True

    def api_editMessageText(self, params: Dict[str, Any]) -> Any:
        if not params.get("chat_id") or not params.get("message_id"):
            return _error(400, "Bad Request: message identifier is not specified")
        if not params.get("text", "").strip():
            return _error(400, "Bad Request: message text is empty")
        message = self._message(params["chat_id"], text=params["text"])
        message["message_id"] = int(params.get("message_id", 0))
        return message

    # ---- helpers ---------------------------------------------------------------------------
    def _markup(self, params: Dict[str, Any]) -> Any:
        if "reply_markup" not in params:
            return None
        raw = params["reply_markup"]
        try:
            markup = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return _error(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if not data or len(data.encode()) > MAX_CALLBACK_DATA:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _message(self, chat_id: Any, **content: Any) -> Dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "from": self.bot,
            "chat": {"id": int(chat_id), "type": "private", "first_name": "Test"},
            "date": int(time.time()),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        return message

    # ---- for tests -------------------------------------------------------------------------
    def sent(self, chat_id: int, *methods: str) -> List[Dict[str, Any]]:
        """Calls that send to this chat, oldest first (by default sendMessage and sendPhoto)."""
        methods = methods or ("sendMessage", "sendPhoto")
        return [
            c
            for c in list(self.calls)
            if c["method"] in methods and str(c["params"].get("chat_id")) == str(chat_id)
        ]

    def last_keyboard_message(self, chat_id: int) -> Optional[Dict[str, Any]]:
        """The last message (as Telegram returned it) that carried an inline keyboard."""
        for call in reversed(self.sent(chat_id, "sendMessage")):
            if call["response"] and (call["response"].get("reply_markup") or {}).get(
                "inline_keyboard"
            ):
                return call["response"]
        return None
