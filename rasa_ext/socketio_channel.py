"""Rasa's socket.io channel with two fixes for Rasa 3.6 + python-socketio 5.x.

1. `session_request` calls `sio.enter_room(...)` without `await`. In python-socketio >= 5.10
   `AsyncServer.enter_room` is a coroutine, so with `session_persistence: true` the client
   never joins the room named after its session id and never receives a `bot_uttered`
   (RasaHQ/rasa#13027, fix proposed in RasaHQ/rasa#13168).
2. `send_custom_json` spreads the payload into `sio.emit(**json_message)`, so a custom
   message without a `data` key (e.g. `{"assessment": {...}}`) raises TypeError. Here it is
   emitted as the event's data, as later Rasa versions do.

And one addition: an assessment payload gets `report: {pdf, html, expires}`, the signed links
to the patient's one-page summary for the doctor (report/), which the widget's card offers.

Also: a `user_uttered` event that is not a message (not an object, a non-text message or
session id, unreadable metadata) is dropped instead of raising inside python-socketio, and the
patient's address is handed to the per-address rate limit (rasa_ext/message_bounds.py).

Use it in credentials.yml instead of `socketio:` (same keys):
    rasa_ext.socketio_channel.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""

import inspect
import json
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels import socketio as rasa_socketio
from sanic import Blueprint

from rasa_ext.message_bounds import CLIENT_ADDRESS
from rasa_ext.request_checks import sender_problem, text_problem
from report.links import chart_link, report_links


def client_address(sio: Any, sid: str) -> Optional[str]:
    """The patient's address as the Sanic request that opened the connection saw it."""
    try:
        request = sio.get_environ(sid).get("sanic.request")
        return (request.remote_addr or request.ip) if request is not None else None
    except Exception:  # a connection that has just gone away
        return None


async def _enter_room(sio: Any, sid: Text, room: Text) -> None:
    result = sio.enter_room(sid, room)
    if inspect.isawaitable(result):  # python-socketio >= 5.10; older versions are sync
        await result


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        if "diary_chart" in json_message:  # the pain diary's chart, as an image
            await self.send_image_url(recipient_id, chart_link(recipient_id))
            return
        if "assessment" in json_message and "report" not in json_message:
            # the widget's card offers the summary for the doctor (report/links.py)
            json_message = {**json_message, "report": report_links(recipient_id)}
        if "data" in json_message:
            json_message.setdefault("room", recipient_id)
            await self.sio.emit(self.bot_message_evt, **json_message)
        else:
            await self.sio.emit(self.bot_message_evt, json_message, room=recipient_id)


class SocketIOInput(rasa_socketio.SocketIOInput):
    """Rasa's `socketio` input channel (same name, same credentials) with the fixes above."""

    def get_output_channel(self) -> Optional[rasa_socketio.OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(
        self, on_new_message: Callable[[rasa_socketio.UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None, *_: Any) -> None:
            data = dict(data) if isinstance(data, dict) else {}
            if not data.get("session_id") or sender_problem(data["session_id"]):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await _enter_room(sio, sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None, *_: Any) -> None:
            # Anything a client can emit arrives here: what is not a message is dropped
            # (it would raise inside python-socketio and log a stack trace).
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not sender_id or sender_problem(sender_id):
                    return  # Rasa warns and ignores messages without a session id too
            else:
                sender_id = sid
            if text_problem(data.get("message", "")):
                return
            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            CLIENT_ADDRESS.set(client_address(sio, sid))  # for the per-address rate limit
            await on_new_message(
                rasa_socketio.UserMessage(
                    data.get("message", ""),
                    SocketIOOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else {},
                )
            )

        return blueprint
