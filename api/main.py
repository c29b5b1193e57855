"""The FastAPI app: `uvicorn api.main:app`. The web layer only: one router per resource."""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.routes import conversations, health, municipalities, nlg, web

WEB = Path(__file__).resolve().parent / "web"


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = FastAPI(title="Lotsen", version="0.1.0")
    for module in (nlg, municipalities, conversations, health, web):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static")
    return app


app = create_app()
