"""POST /nlg — Rasa's NLG callback (rasa/core/nlg/callback.py)."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from api.db import session_scope
from api.language import conversation_language
from api.nlg.render import UnknownResponse, message_text, render
from api.settings import get_settings

log = logging.getLogger(__name__)
router = APIRouter(tags=["nlg"])


class NlgRequest(BaseModel):
    response: str
    arguments: dict[str, Any] = {}
    tracker: dict[str, Any] = {}
    channel: dict[str, Any] = {}


@router.post("/nlg")
def nlg(request: NlgRequest) -> dict[str, Any]:
    language = conversation_language(request.tracker.get("slots") or {})
    try:
        with session_scope() as session:
            return render(session, request.response, language, request.arguments)
    except UnknownResponse:
        raise HTTPException(status_code=422, detail=f"unknown response {request.response!r}") from None
    except SQLAlchemyError:
        # The catalog is down: the user still gets a short apology in their language.
        log.exception("catalog unavailable while rendering %s", request.response)
        return {"text": message_text("utter_error", language, {"url": get_settings().fallback_contact_url})}


