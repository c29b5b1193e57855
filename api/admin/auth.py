"""Who is signed in, and what they may do: session cookie, CSRF, login rate limit, role checks.

The session is Starlette's signed cookie (itsdangerous): HttpOnly, SameSite=Strict, Secure in production,
holding only the account id and the CSRF token. Every form carries that token; every route names the roles
it admits, and a test walks every route with each role.
"""
from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.deps import SessionDep
from catalog.models import ROLES, StaffAccount

SESSION_HOURS = 8


class LoginLimiter:
    """At most `attempts` failed sign-ins per address and per e-mail within `window` seconds."""

    def __init__(self, attempts: int = 5, window: float = 600.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = {}

    def wait_seconds(self, *keys: str) -> int:
        now = time.monotonic()
        waits = []
        for key in keys:
            failures = self._failures.get(key, deque())
            while failures and now - failures[0] > self.window:
                failures.popleft()
            if len(failures) >= self.attempts:
                waits.append(int(self.window - (now - failures[0])) + 1)
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._failures.setdefault(key, deque()).append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """Every POST carries the session's token in its form: a page of another site cannot post for staff."""
    if request.method != "POST":
        return
    form = await request.form()
    sent, expected = str(form.get("csrf") or ""), request.session.get("csrf") or ""
    if not expected or not secrets.compare_digest(sent, expected):
        raise HTTPException(403, "The form has expired or did not come from this site. Reload the page and try again.")


def current_account(request: Request, session: SessionDep) -> StaffAccount | None:
    account_id = request.session.get("account")
    account = session.get(StaffAccount, account_id) if account_id else None
    if account is None or not account.active or request.session.get("until", 0) < time.time():
        return None
    return account


def allow(*roles: str) -> Callable[..., StaffAccount]:
    """A dependency admitting the given roles: 401 when not signed in, 403 for another role."""
    unknown = set(roles) - set(ROLES)
    assert not unknown, unknown

    async def dependency(request: Request,
                         account: Annotated[StaffAccount | None, Depends(current_account)]) -> StaffAccount:
        if account is None:
            raise HTTPException(401, "Sign in at /admin/login")
        if account.role not in roles:
            raise HTTPException(403, "Your role may not use this page")
        await check_csrf(request)
        return account

    return dependency

