"""A real HTTP server on 127.0.0.1 that records the JSON bodies it receives and answers with a given reply:
the other end of Rasa's calls (NLG endpoint, action server) in tests that do not start the whole stack."""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Dict, List

from aiohttp import web


class Recording:
    def __init__(self, url: str) -> None:
        self.url = url
        self.bodies: List[Dict[str, Any]] = []


@asynccontextmanager
async def recording_server(reply: Callable[[Dict[str, Any]], Any], status: int = 200) -> AsyncIterator[Recording]:
    recording = Recording("")

    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        recording.bodies.append(body)
        return web.json_response(reply(body), status=status)

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # the free port the OS gave
    recording.url = f"http://127.0.0.1:{port}"
    try:
        yield recording
    finally:
        await runner.cleanup()
