"""What routes take as parameters: a catalog session per request and the settings.

Tests swap them with `app.dependency_overrides[get_session] = ...`, never by patching module globals.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from catalog.session import session_scope
from settings import Settings, get_settings


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


# scope="function": the session commits when the route returns, before the response is sent — a page that
# says "Saved." (or a bot reply that follows it) never comes before the commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
