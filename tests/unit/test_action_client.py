"""Calls to the action server reuse their connection and survive one the server closed
(rasa_ext/action_client.py), against a real HTTP server on a free port."""

import asyncio
from typing import Any, List

import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from rasa_ext import action_client


async def _serve(handler: Any) -> Any:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, EndpointConfig(url=f"http://127.0.0.1:{port}/webhook", token="t")


def test_calls_share_one_connection_and_keep_rasas_answers() -> None:
    peers: List[Any] = []

    async def echo(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))  # type: ignore[union-attr]
        body = await request.json()
        if body.get("fail"):
            return web.Response(status=500, text="no")
        return web.json_response({"got": body, "token": request.query.get("token")})

    async def run() -> None:
        runner, endpoint = await _serve(echo)
        try:
            for n in range(3):
                answer = await action_client.request(endpoint, json={"n": n, "text": "é/ü"})
                assert answer == {"got": {"n": n, "text": "é/ü"}, "token": "t"}
            with pytest.raises(ClientResponseError):
                await action_client.request(endpoint, json={"fail": True})
            session = action_client.kept_session(endpoint)
        finally:
            await action_client.close_kept_sessions()  # the server's after_server_stop
            await runner.cleanup()
        assert session.closed

    asyncio.run(run())
    assert len(peers) == 4 and len(set(peers)) == 1, peers


def test_a_connection_the_server_closed_is_replaced() -> None:
    calls: List[int] = []

    async def closing(request: web.Request) -> web.Response:
        calls.append(1)
        await request.read()
        if len(calls) == 2:  # the server drops the kept connection without answering
            request.transport.close()  # type: ignore[union-attr]
            await asyncio.sleep(0.1)
        return web.json_response({"ok": len(calls)})

    async def run() -> None:
        runner, endpoint = await _serve(closing)
        try:
            assert await action_client.request(endpoint, json={}) == {"ok": 1}
            assert await action_client.request(endpoint, json={}) == {"ok": 3}
        finally:
            await action_client.close_kept_sessions()
            await runner.cleanup()

    asyncio.run(run())
    assert len(calls) == 3
