"""GET / — Lotsen's own chat page: the embeddable widget (api/routes/widget.py) inline, as any site embeds it.

The page holds no configuration of its own: the widget asks the server (languages with their own names and
writing direction, the socket URL, the message limit, its texts), and the page's lang/dir follow the
conversation (`data-page-language="follow"`).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["web"])
PAGE = Path(__file__).resolve().parent.parent / "web" / "index.html"


@router.get("/", response_class=HTMLResponse)
def chat_page() -> str:
    return PAGE.read_text(encoding="utf-8")
