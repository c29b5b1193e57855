"""/api/v1 — the JSON API: the catalog for integrations, and the conversation language for the widget."""
from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.catalog import queries
from api.db import session_scope
from api.language import RTL_LANGUAGES, conversation_language
from api.settings import get_settings

router = APIRouter(prefix="/api/v1", tags=["api"])


def _session():
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


class ServiceOut(BaseModel):
    category: str
    name: str
    url: str


class MunicipalityOut(BaseModel):
    name: str
    official_name: str
    scb_code: str
    county: str
    website: str
    services: list[ServiceOut]


class LanguageOut(BaseModel):
    language: str
    dir: str


@router.get("/municipalities", response_model=list[MunicipalityOut])
def list_municipalities(session: SessionDep) -> list[MunicipalityOut]:
    return [
        MunicipalityOut(
            name=m.name, official_name=m.official_name, scb_code=m.scb_code, county=m.county.name,
            website=m.website,
            services=[ServiceOut(category=s.category.code, name=s.name, url=s.url) for s in m.services],
        )
        for m in queries.municipalities(session)
    ]


@router.get("/conversations/{conversation_id}/language", response_model=LanguageOut)
async def conversation_language_of(
    conversation_id: Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[\w\-:.]+$")],
) -> LanguageOut:
    settings = get_settings()
    try:
        async with httpx.AsyncClient(timeout=3.0) as client:
            response = await client.get(
                f"{settings.rasa_url}/conversations/{conversation_id}/tracker",
                params={"include_events": "NONE", "token": settings.rasa_token},
            )
    except httpx.HTTPError:
        raise HTTPException(status_code=503, detail="the assistant is not reachable") from None
    if response.status_code != 200:
        raise HTTPException(status_code=404, detail="unknown conversation")
    language = conversation_language(response.json().get("slots") or {})
    return LanguageOut(language=language, dir="rtl" if language in RTL_LANGUAGES else "ltr")
