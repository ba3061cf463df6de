"""Calls to the action server over kept-alive connections.

Rasa 3.6 opens a new aiohttp session, so a new TCP connection, for every call to the action
server, and a turn of the interview makes up to three (slot extraction, form validation, the
next question): connecting was about 5% of the Rasa process's CPU per message (py-spy,
README "Performance"), and the tracker sent with each call is encoded by the standard
library's json. Here each endpoint keeps one session per event loop, whose connections stay
open between calls, and encodes with ujson (already installed with Rasa; Sanic reads it).

A kept connection the action server has just closed (it restarted, or its keep-alive ran
out) fails the call at once with "server disconnected": that call is made once more on a
fresh connection. Calling an action twice is safe: an action only returns events, which
Rasa applies once. Connections are dropped before the action server's own keep-alive
timeout (Sanic's 5 s) to make that rare.
"""

import asyncio
import os
import ssl
from typing import Any, Dict, List, Optional, Text, Tuple

import aiohttp
import ujson
from aiohttp.client_exceptions import ContentTypeError
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, ClientResponseError, EndpointConfig
from rasa.utils.endpoints import concat_url as _concat_url

from rasa_ext import local_actions

KEEP_ALIVE_S = 4.0  # under Sanic's KEEP_ALIVE_TIMEOUT (5 s) on the action server
_SESSIONS = "_kept_sessions"
# Every kept session, so that a server stopping closes their connections (aiohttp warns of,
# and the action server keeps, connections that were never closed).
_OPENED: List[Tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = []


def _dumps(value: Any) -> str:
    return ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False)


def kept_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """This endpoint's session on the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    sessions: Dict[int, aiohttp.ClientSession] = endpoint.__dict__.setdefault(_SESSIONS, {})
    session = sessions.get(id(loop))
    if session is None or session.closed:
        auth = None
        if endpoint.basic_auth:
            auth = aiohttp.BasicAuth(
                endpoint.basic_auth["username"], endpoint.basic_auth["password"]
            )
        session = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_S),
            json_serialize=_dumps,
        )
        sessions[id(loop)] = session
        _OPENED.append((loop, session))
    return session


async def close_kept_sessions(*_: Any) -> None:
    """A Sanic listener: the kept sessions opened on this loop are closed."""
    loop = asyncio.get_running_loop()
    for opened in [kept for kept in _OPENED if kept[0] is loop]:
        _OPENED.remove(opened)
        if not opened[1].closed:
            await opened[1].close()


def _ssl_context(endpoint: EndpointConfig) -> Optional[ssl.SSLContext]:
    if not endpoint.cafile:
        return None
    if not os.path.exists(endpoint.cafile):
        from rasa.shared.exceptions import FileNotFoundException

        raise FileNotFoundException(
            f"Failed to find certificate file, '{os.path.abspath(endpoint.cafile)}' does not exist."
        )
    return ssl.create_default_context(cafile=endpoint.cafile)


def _prepare(
    endpoint: EndpointConfig, content_type: Optional[Text], kwargs: Dict[Text, Any]
) -> Tuple[Dict[Text, Any], Dict[Text, Any]]:
    """Rasa's own headers and query parameters for a request (EndpointConfig.request)."""
    headers: Dict[Text, Any] = {"Content-Type": content_type} if content_type else {}
    headers.update(kwargs.pop("headers", None) or {})
    headers.update(endpoint.headers or {})
    return headers, endpoint.combine_parameters(kwargs)


async def request(
    self: EndpointConfig,
    method: Text = "post",
    subpath: Optional[Text] = None,
    content_type: Optional[Text] = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Optional[Any]:
    """EndpointConfig.request, on the kept session: the same arguments, answer and errors.
    A call of an action that runs in this process (rasa_ext/local_actions.py) stays here."""
    call = kwargs.get("json")
    if isinstance(call, dict) and local_actions.runs_here(call.get("next_action"), _IN_PROCESS):
        return await local_actions.run(call)
    headers, params = _prepare(self, content_type, kwargs)
    url = _concat_url(self.url, subpath)
    sslcontext = _ssl_context(self)
    for attempt in (1, 2):
        try:
            async with kept_session(self).request(
                method,
                url,
                headers=headers,
                params=params,
                compress=compress,
                ssl=sslcontext,
                **kwargs,
            ) as response:
                if response.status >= 400:
                    raise ClientResponseError(
                        response.status, response.reason, await response.content.read()
                    )
                try:
                    return await response.json(loads=ujson.loads)
                except ContentTypeError:
                    return None
        except aiohttp.ServerDisconnectedError:
            if attempt == 2:
                raise
    return None


_IN_PROCESS = "off"


def install() -> None:
    global _IN_PROCESS
    _IN_PROCESS = local_actions.mode()
    EndpointConfig.request = request
