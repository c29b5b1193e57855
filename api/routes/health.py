"""GET /health — is every part of Lotsen reachable?"""
from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Response
from sqlalchemy import text

from api.deps import SettingsDep
from catalog.session import get_engine

router = APIRouter(tags=["health"])


def _database_ok(url: str) -> bool:
    try:
        with get_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _http_ok(client: httpx.AsyncClient, url: str) -> bool:
    try:
        return (await client.get(url)).status_code < 500
    except httpx.HTTPError:
        return False


@router.get("/health")
async def health(response: Response, settings: SettingsDep) -> dict:
    async with httpx.AsyncClient(timeout=2.0) as client:
        rasa, actions = await asyncio.gather(
            _http_ok(client, f"{settings.rasa_url}/"), _http_ok(client, f"{settings.action_server_url}/health")
        )
    checks = {"database": await asyncio.to_thread(_database_ok, settings.database_url), "rasa": rasa, "action_server": actions}
    healthy = all(checks.values())
    response.status_code = 200 if healthy else 503
    return {"status": "ok" if healthy else "degraded", "checks": checks}
