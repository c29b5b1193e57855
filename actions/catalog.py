"""The actions' way into the catalog: blocking queries run off the event loop, failures become apologies."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalog.session import session_scope

log = logging.getLogger(__name__)
T = TypeVar("T")


class CatalogUnavailable(RuntimeError):
    pass


async def ask(query: Callable[[Session], T]) -> T:
    """Run `query(session)` in a worker thread with its own short transaction."""

    def run() -> T:
        with session_scope() as session:
            return query(session)

    try:
        return await asyncio.to_thread(run)
    except SQLAlchemyError as error:
        log.exception("catalog query failed")
        raise CatalogUnavailable(str(error)) from error
