"""The FastAPI app: `uvicorn api.main:app`. The web layer only: one router per resource, and the staff admin."""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from api.admin import auth as admin_auth
from api.admin import routes as admin
from api.routes import conversations, health, municipalities, nlg, web, widget
from settings import get_settings

WEB = Path(__file__).resolve().parent / "web"


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    app = FastAPI(title="Lotsen", version="0.1.0")
    for module in (nlg, municipalities, conversations, health, web, widget, admin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static")
    # Pages that embed the widget read its API (and its script and CSS) from their own origin: only the origins in
    # CORS_ORIGINS (never "*", the settings refuse it), only GET, no cookies; the rest of the app allows none.
    app.add_middleware(widget.WidgetCORS, allow_origins=settings.cors_origins, allow_methods=["GET"],
                       allow_credentials=False, max_age=600)
    # The staff admin's session: a signed cookie, HttpOnly (Starlette's default), SameSite=Strict, Secure in
    # production. Development signs with a key random per start (sign in again after a restart).
    secret = settings.admin_secret.get_secret_value() or secrets.token_urlsafe(32)
    app.add_middleware(SessionMiddleware, secret_key=secret, session_cookie="lotsen_admin", same_site="strict",
                       https_only=settings.profile == "production", max_age=admin_auth.SESSION_HOURS * 3600)

    @app.exception_handler(StarletteHTTPException)
    async def admin_errors(request: Request, error: StarletteHTTPException):
        if request.url.path.startswith("/admin") and "text/html" in request.headers.get("accept", ""):
            return admin.admin_error_page(request, error.status_code, str(error.detail))
        return await http_exception_handler(request, error)

    return app


app = create_app()
