"""GET / — the chat page; the widget talks to Rasa's socket.io channel.

The page's configuration (languages with their own names and writing direction, the socket URL, the message
limit) comes from the server, so the widget holds no second list of languages.
"""
from __future__ import annotations

import json
from pathlib import Path

from babel import Locale
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep
from common.languages import DEFAULT_LANGUAGE, LANGUAGES, direction

router = APIRouter(tags=["web"])
PAGE = Path(__file__).resolve().parent.parent / "web" / "index.html"


def widget_config(socket_url: str, max_length: int) -> dict:
    return {
        "socketUrl": socket_url,
        "maxLength": max_length,
        "defaultLanguage": DEFAULT_LANGUAGE,
        "languages": [
            {"code": code, "name": Locale.parse(code).get_display_name(code).capitalize(), "dir": direction(code)}
            for code in LANGUAGES
        ],
    }


@router.get("/", response_class=HTMLResponse)
def chat_page(settings: SettingsDep) -> str:
    config = widget_config(settings.public_rasa_url, settings.max_message_length)
    return PAGE.read_text(encoding="utf-8").replace("__LOTSEN_CONFIG__", json.dumps(config, ensure_ascii=False))
