"""Rasa's HTTP endpoint configuration, keeping its connection open between requests.

Rasa's `EndpointConfig.request` opens a new aiohttp session, and so a new TCP connection, for every request:
to the NLG endpoint and to the action server, several times per message. This subclass lends one session per
event loop instead and changes nothing else (headers, parameters, token, basic auth, TLS and errors are
Rasa's). Idle connections are dropped after IDLE_SECONDS, before the servers at the other end close them
(uvicorn and Sanic after 5 s), so a request never goes out on a connection the server is closing.
"""
from __future__ import annotations

import asyncio
from typing import Any, Optional

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

IDLE_SECONDS = 2.0


class _Lent:
    """`async with` over a kept session: lends it and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc: Any) -> None:
        return None


class KeepAliveEndpoint(EndpointConfig):
    _session: Optional[aiohttp.ClientSession] = None
    _loop: Optional[asyncio.AbstractEventLoop] = None

    @classmethod
    def of(cls, endpoint: EndpointConfig) -> "KeepAliveEndpoint":
        if isinstance(endpoint, cls):
            return endpoint
        return cls(endpoint.url, endpoint.params, endpoint.headers, endpoint.basic_auth, endpoint.token,
                   endpoint.token_name, endpoint.cafile, type=endpoint.type, **endpoint.kwargs)

    def session(self) -> Any:  # what `async with` takes, as Rasa's returns
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            self._session = aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_SECONDS))
            self._loop = loop
        return _Lent(self._session)
