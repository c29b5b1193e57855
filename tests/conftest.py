"""Shared fixtures: real databases (a fresh SQLite file; a throw-away PostgreSQL database when reachable)."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from api.deps import get_session
from api.main import create_app
from catalog import migrate, seed
from catalog import session as db
from settings import get_settings

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_reachable() -> bool:
    try:
        with create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2}).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


POSTGRES = _postgres_reachable()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'catalog.db'}"


@contextmanager
def _postgres_database(template: str | None = None) -> Iterator[str]:
    """A throw-away database on the local server (a copy of `template` if given), dropped afterwards (never the
    configured one)."""
    if not POSTGRES:
        if os.environ.get("CI") == "true":  # CI has PostgreSQL: its absence is a failure, not a skip
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (CI=true)")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"lotsen_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        db.get_engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with _postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    """Each test using this runs on SQLite and on PostgreSQL (skipped when PostgreSQL is not reachable)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture(scope="session")
def _seeded_sqlite_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "catalog.db"
    migrate.upgrade(f"sqlite:///{path}")
    seed.load(database_url=f"sqlite:///{path}")
    db.get_engine(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def _seeded_postgres_template() -> Iterator[str]:
    with _postgres_database() as url:
        migrate.upgrade(url)
        seed.load(database_url=url)
        db.get_engine(url).dispose()  # a template database may have no open connections
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def catalog_url(request, tmp_path) -> Iterator[str]:
    """A fresh, migrated database loaded with the repository's seed files, each test its own: a copy of one
    seeded per session (SQLite: the file; PostgreSQL: CREATE DATABASE … TEMPLATE), not a seeding per test."""
    if request.param == "sqlite":
        path = tmp_path / "catalog.db"
        shutil.copyfile(request.getfixturevalue("_seeded_sqlite_file"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("_seeded_postgres_template")
    with _postgres_database(template=template) as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def seeded(request) -> Iterator[str]:
    """One seeded catalog per backend, shared by read-only tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{request.getfixturevalue('_seeded_sqlite_file')}"
        return
    with _postgres_database(template=request.getfixturevalue("_seeded_postgres_template")) as url:
        yield url


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory, _seeded_sqlite_file) -> str:
    """A seeded SQLite catalog for tests that need one database, not both backends."""
    path = tmp_path_factory.mktemp("catalog1") / "catalog.db"
    shutil.copyfile(_seeded_sqlite_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_database(seeded_sqlite, monkeypatch) -> Iterator[str]:
    """Point the actions (their process reads DATABASE_URL through the settings) at the shared seeded SQLite
    catalog. The app's routes get theirs through `app.dependency_overrides` instead (see `app_client`)."""
    monkeypatch.setenv("DATABASE_URL", seeded_sqlite)
    get_settings.cache_clear()
    yield seeded_sqlite
    get_settings.cache_clear()


def session_on(url: str) -> Callable[[], Iterator[Session]]:
    """A replacement for api.deps.get_session that opens sessions on `url`."""

    def get_session() -> Iterator[Session]:
        with db.session_scope(url) as session:
            yield session

    return get_session


@pytest.fixture
def app_client(seeded_sqlite) -> Iterator[TestClient]:
    """The app with its catalog session on the shared seeded SQLite catalog."""
    app = create_app()
    app.dependency_overrides[get_session] = session_on(seeded_sqlite)
    with TestClient(app) as client:
        yield client
