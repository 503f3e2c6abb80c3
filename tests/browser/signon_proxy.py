"""A sign-on proxy for the browser tests: what a site puts in front of `hotseat serve
--behind-proxy --user-header X-Forwarded-User` (nginx with auth_request, oauth2-proxy...),
reduced to what Hotseat sees of it. On a port of 127.0.0.1 of its own, it forwards every
request and the terminal's WebSocket to the server, with the header set to the person it
"signed on" (every browser is that person here), replacing any the browser sent."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import ClientSession, WSMsgType, web

HEADER = "X-Forwarded-User"
HOP = {"connection", "upgrade", "keep-alive", "transfer-encoding", "host", "content-length",
       "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
       "sec-websocket-accept", "content-encoding"}


async def _relay(source: Any, sink: Any) -> None:
    """Every message of one WebSocket to the other, until the first closes."""
    async for msg in source:
        if msg.type == WSMsgType.BINARY:
            await sink.send_bytes(msg.data)
        elif msg.type == WSMsgType.TEXT:
            await sink.send_str(msg.data)


def _app(upstream: str, person: str) -> web.Application:
    async def forward(request: web.Request) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in HOP and k.lower() != HEADER.lower()}
        headers[HEADER] = person
        target = upstream.rstrip("/") + str(request.rel_url)
        async with ClientSession() as session:
            if request.headers.get("Upgrade", "").lower() == "websocket":
                browser = web.WebSocketResponse()
                await browser.prepare(request)
                open_sockets.add(browser)
                async with session.ws_connect(target, headers=headers) as server:
                    async def down() -> None:
                        await _relay(server, browser)
                        await browser.close()
                    pump = asyncio.ensure_future(down())
                    await _relay(browser, server)
                    await server.close()
                    pump.cancel()
                open_sockets.discard(browser)
                return browser
            async with session.request(request.method, target, headers=headers,
                                       data=await request.read()) as answer:
                body = await answer.read()
                return web.Response(status=answer.status, body=body, headers={
                    k: v for k, v in answer.headers.items() if k.lower() not in HOP})

    async def close_sockets(_: web.Application) -> None:
        """At the end, the tabs' terminals are closed: a WebSocket open waits for nobody."""
        for ws in list(open_sockets):
            await ws.close()

    open_sockets: set[web.WebSocketResponse] = set()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    app.on_shutdown.append(close_sockets)
    return app


@contextmanager
def sign_on_proxy(upstream: str, person: str, port: int) -> Iterator[str]:
    """The proxy on http://127.0.0.1:PORT/, naming `person` to `upstream`, until the block
    ends; yields its address."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner: Any = None

    async def start() -> None:
        nonlocal runner
        runner = web.AppRunner(_app(upstream, person))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()),
                                              loop.run_forever()), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
