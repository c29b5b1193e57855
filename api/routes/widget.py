"""The embeddable chat widget: its script, its configuration and texts, and a conversation's messages.

One `<script src="https://<lotsen>/widget.js" data-…>` adds Lotsen to any page (README, "Embedding the widget"):

- GET /widget.js — the widget and the socket.io client (installed from the npm registry by `make widget`) in one
  script, served by this app; nothing comes from a CDN, and the widget's CSS (/static/widget.css) uses the
  system's fonts. The socket.io client is wrapped so it defines no global and ignores a page's AMD loader.
- GET /api/v1/widget/config — the socket URL, message limit, languages (their own names, writing direction),
  the embedding site's municipality resolved in the catalog (the conversation's default place), and the texts.
- GET /api/v1/widget/texts?language=ar — the widget's own texts in one language, from the gettext catalogs
  (`widget_*` in common/messages.py), so the widget follows the conversation's language.
- GET /api/v1/widget/conversations/{session_id} — what a widget conversation said so far, from Rasa's tracker
  store, so a reload or a new tab shows the conversation (the session id is kept in the browser). Only
  conversations of the socket.io channel, by the ids its session_request hands out (32 hex digits).

Pages on other origins read these with CORS, allowed only for CORS_ORIGINS (api/main.py; never "*").
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import httpx
from babel import Locale
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Receive, Scope, Send

from api import i18n
from api.deps import SessionDep, SettingsDep
from catalog import queries
from common.languages import DEFAULT_LANGUAGE, LANGUAGE_SLOTS, LANGUAGES, direction, known, reply_language
from common.messages import RESPONSES

router = APIRouter(tags=["widget"])
API = "/api/v1/widget/"
ASSETS = frozenset({"/widget.js", "/static/widget.css"})
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
SOCKET_IO = STATIC / "vendor" / "socket.io.min.js"
WIDGET = STATIC / "widget.js"
TEXTS = {name.removeprefix("widget_"): name for name in RESPONSES if name.startswith("widget_")}
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_MESSAGES = 400  # the latest messages of a conversation shown after a reload
WIDGET_CHANNEL = "socketio"


# --- the script ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _bundle(stamp: tuple[float, float]) -> tuple[bytes, str]:
    """widget.js with the socket.io client inside its own scope: `module`/`exports` make the client's UMD wrapper
    hand itself over instead of setting window.io, and `define` is hidden from pages with an AMD loader."""
    client = "\n".join(line for line in SOCKET_IO.read_text(encoding="utf-8").splitlines()
                       if not line.startswith("//# sourceMappingURL="))
    body = ("/*! Lotsen chat widget, with socket.io-client (MIT, https://socket.io), served by Lotsen itself. */\n"
            "(function () {\nvar module = { exports: {} }, exports = module.exports, define;\n"
            f"{client}\n;var io = module.exports;\n{WIDGET.read_text(encoding='utf-8')}\n}}());\n").encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


@router.get("/widget.js", include_in_schema=False)
def widget_script(request: Request) -> Response:
    if not SOCKET_IO.is_file():
        raise HTTPException(status_code=503, detail="the widget's socket.io client is missing: run `make widget`")
    body, etag = _bundle((SOCKET_IO.stat().st_mtime, WIDGET.stat().st_mtime))
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


# --- configuration and texts -------------------------------------------------------------------------------------

def texts(language: str) -> dict[str, str]:
    return {key: i18n.translate(RESPONSES[name], language) for key, name in TEXTS.items()}


def languages() -> list[dict[str, str]]:
    return [{"code": code, "name": Locale.parse(code).get_display_name(code).capitalize(), "dir": direction(code)}
            for code in LANGUAGES]


@router.get("/api/v1/widget/texts")
def widget_texts(language: Annotated[str, Query(max_length=10)]) -> dict[str, Any]:
    code = known(language)
    if code is None:
        raise HTTPException(status_code=422, detail=f"unknown language; one of {', '.join(LANGUAGES)}")
    return {"language": code, "dir": direction(code), "texts": texts(code)}


@router.get("/api/v1/widget/config")
def widget_config(session: SessionDep, settings: SettingsDep,
                  language: Annotated[str | None, Query(max_length=10)] = None,
                  municipality: Annotated[str | None, Query(max_length=80)] = None) -> dict[str, Any]:
    """The widget's configuration. `language`: the embedder's initial language (ignored unless one of ours);
    `municipality`: the site's municipality by name, slug or SCB code (null when the catalog does not know it)."""
    code = known(language) or DEFAULT_LANGUAGE
    place = queries.find_municipality(session, municipality) if municipality else None
    return {
        "socketUrl": settings.public_rasa_url,
        "maxLength": settings.max_message_length,
        "defaultLanguage": DEFAULT_LANGUAGE,
        "languages": languages(),
        # The picker's name in every language, so anyone finds it whatever language the widget shows.
        "languageLabel": " · ".join(dict.fromkeys(i18n.translate(RESPONSES["widget_language"], c) for c in LANGUAGES)),
        "municipality": {"name": place.name, "officialName": place.official_name} if place else None,
        "language": code,
        "dir": direction(code),
        "texts": texts(code),
    }


# --- a conversation so far ---------------------------------------------------------------------------------------

def transcript(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages a widget showed, from a Rasa tracker: a bot text split into parts as the socket.io channel
    sends them, buttons only on a last message still waiting for its answer; a user's button or language choice
    as the widget showed it (`shown` in the message metadata; other commands are not shown)."""
    messages: list[dict[str, Any]] = []
    for event in tracker.get("events") or []:
        kind, text = event.get("event"), event.get("text")
        if kind == "user" and isinstance(text, str):
            shown = (event.get("metadata") or {}).get("shown")
            shown = shown if isinstance(shown, str) and shown.strip() else (None if text.startswith("/") else text)
            if shown:
                messages.append({"from": "user", "text": shown})
            for message in messages:
                message.pop("buttons", None)  # answered (or passed over): no longer offered
        elif kind == "bot" and isinstance(text, str) and text.strip():
            metadata = event.get("metadata") or {}
            language = known(metadata.get("language"))
            parts = [part for part in text.strip().split("\n\n") if part.strip()] or [text]
            for part in parts:
                messages.append({"from": "bot", "text": part, "language": language,
                                 "dir": direction(language) if language else None})
            buttons = [{"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
                       for button in ((event.get("data") or {}).get("buttons") or []) if isinstance(button, dict)]
            if buttons:
                messages[-1]["buttons"] = buttons
    return messages[-MAX_MESSAGES:]


def is_widget_conversation(tracker: dict[str, Any]) -> bool:
    channels = {event.get("input_channel") for event in tracker.get("events") or [] if event.get("event") == "user"}
    return channels <= {WIDGET_CHANNEL}


SessionId = Annotated[str, PathParam(min_length=32, max_length=32, pattern=SESSION_ID.pattern)]


@router.get("/api/v1/widget/conversations/{session_id}")
async def widget_conversation(session_id: SessionId, settings: SettingsDep) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(
                f"{settings.rasa_url}/conversations/{session_id}/tracker",
                params={"include_events": "AFTER_RESTART", "token": settings.rasa_token.get_secret_value()},
            )
    except httpx.HTTPError:
        raise HTTPException(status_code=503, detail="the assistant is not reachable") from None
    if response.status_code != 200:
        raise HTTPException(status_code=503, detail="the assistant did not answer")
    tracker = response.json()
    if not is_widget_conversation(tracker):
        raise HTTPException(status_code=404, detail="unknown conversation")
    slots = tracker.get("slots") or {}
    # The conversation's language once it has one; until then (null) the widget keeps the one it shows.
    language = reply_language(slots) if any(known(slots.get(name)) for name in LANGUAGE_SLOTS) else None
    return {"language": language, "dir": direction(language) if language else None, "messages": transcript(tracker)}


class WidgetCORS(CORSMiddleware):
    """CORS for the widget only — its API, and its script and stylesheet (read by tools such as axe-core): the
    allowed origin is echoed, no other; the rest of the app answers no cross-origin request."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["path"].startswith(API) or scope["path"] in ASSETS):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)
