"""The FastAPI app: `uvicorn api.main:app`."""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.nlg.routes import router as nlg_router
from api.routes.health import router as health_router
from api.routes.v1 import router as v1_router
from api.routes.web import router as web_router

WEB = Path(__file__).resolve().parent / "web"


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = FastAPI(title="Lotsen", version="0.1.0")
    app.include_router(nlg_router)
    app.include_router(health_router)
    app.include_router(v1_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static")
    return app


app = create_app()
