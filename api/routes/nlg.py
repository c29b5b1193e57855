"""POST /nlg — Rasa's NLG callback (rasa/core/nlg/callback.py).

Every reply carries the language it is written in (`language`, `dir`): Rasa keeps unknown keys of an NLG
reply as the bot message's metadata, and Lotsen's channels (bot/channels.py) hand them to the widget.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from api.deps import SessionDep, SettingsDep
from api.render import UnknownResponse, message_text, render
from common.languages import direction, reply_language

log = logging.getLogger(__name__)
router = APIRouter(tags=["nlg"])


class NlgRequest(BaseModel):
    response: str
    arguments: dict[str, Any] = {}
    tracker: dict[str, Any] = {}
    channel: dict[str, Any] = {}


@router.post("/nlg")
def nlg(request: NlgRequest, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    language = reply_language(request.tracker.get("slots") or {})
    try:
        message = render(session, request.response, language, request.arguments)
    except UnknownResponse:
        raise HTTPException(status_code=422, detail=f"unknown response {request.response!r}") from None
    except SQLAlchemyError:
        # The catalog is down: the user still gets a short apology in their language.
        log.exception("catalog unavailable while rendering %s", request.response)
        message = {"text": message_text("utter_error", language, {"url": settings.fallback_contact_url})}
    return {**message, "language": language, "dir": direction(language)}
