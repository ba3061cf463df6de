"""Rasa's socket.io channel with two fixes for Rasa 3.6 + python-socketio 5.x.

1. `session_request` calls `sio.enter_room(...)` without `await`. In python-socketio >= 5.10
   `AsyncServer.enter_room` is a coroutine, so with `session_persistence: true` the client
   never joins the room named after its session id and never receives a `bot_uttered`
   (RasaHQ/rasa#13027, fix proposed in RasaHQ/rasa#13168).
2. `send_custom_json` spreads the payload into `sio.emit(**json_message)`, so a custom
   message without a `data` key (e.g. `{"assessment": {...}}`) raises TypeError. Here it is
   emitted as the event's data, as later Rasa versions do.

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


async def _enter_room(sio: Any, sid: Text, room: Text) -> None:
    result = sio.enter_room(sid, room)
    if inspect.isawaitable(result):  # python-socketio >= 5.10; older versions are sync
        await result


class SocketIOOutput(rasa_socketio.SocketIOOutput):
    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
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

    def blueprint(self, on_new_message: Callable[[rasa_socketio.UserMessage], Awaitable[Any]]
                  ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data or {}
            if not data.get("session_id"):
                data["session_id"] = uuid.uuid4().hex
            if self.session_persistence:
                await _enter_room(sio, sid, data["session_id"])
            await sio.emit("session_confirm", data["session_id"], room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if self.session_persistence:
                if not data.get("session_id"):
                    return  # Rasa warns and ignores such messages too
                sender_id = data["session_id"]
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            await on_new_message(rasa_socketio.UserMessage(
                data.get("message", ""), SocketIOOutput(sio, self.bot_message_evt), sender_id,
                input_channel=self.name(), metadata=metadata))

        return blueprint
