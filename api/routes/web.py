"""GET / — the chat page; the widget talks to Rasa's socket.io channel."""
from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.language import LANGUAGES, RTL_LANGUAGES
from api.settings import get_settings

router = APIRouter(tags=["web"])
PAGE = Path(__file__).resolve().parent.parent / "web" / "index.html"


@router.get("/", response_class=HTMLResponse)
def chat_page() -> str:
    config = {
        "socketUrl": get_settings().public_rasa_url,
        "languages": list(LANGUAGES),
        "rtl": sorted(RTL_LANGUAGES),
    }
    return PAGE.read_text(encoding="utf-8").replace("__LOTSEN_CONFIG__", json.dumps(config))
