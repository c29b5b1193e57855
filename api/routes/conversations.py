"""GET /api/v1/conversations/{id}/language — a conversation's reply language, for integrations.

The widget does not need it (every bot message carries its language); a staff tool or another channel can.
"""
from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, HTTPException, Path
from pydantic import BaseModel

from api.deps import SettingsDep
from common.languages import direction, reply_language

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])
ConversationId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w\-:.]+$")]


class LanguageOut(BaseModel):
    language: str
    dir: str


@router.get("/{conversation_id}/language", response_model=LanguageOut)
async def conversation_language(conversation_id: ConversationId, settings: SettingsDep) -> LanguageOut:
    try:
        async with httpx.AsyncClient(timeout=3.0) as client:
            response = await client.get(
                f"{settings.rasa_url}/conversations/{conversation_id}/tracker",
                params={"include_events": "NONE", "token": settings.rasa_token.get_secret_value()},
            )
    except httpx.HTTPError:
        raise HTTPException(status_code=503, detail="the assistant is not reachable") from None
    if response.status_code != 200:
        raise HTTPException(status_code=404, detail="unknown conversation")
    language = reply_language(response.json().get("slots") or {})
    return LanguageOut(language=language, dir=direction(language))
