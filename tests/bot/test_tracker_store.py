"""The tracker cache never changes what a conversation is: the database stays the truth (SQLite and PostgreSQL)."""
from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

from bot.tracker_store import CachedSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
slots:
  municipality: {type: text, influence_conversation: false, mappings: [{type: custom}]}
""")
POSTGRES_ADMIN = os.environ.get("TEST_POSTGRES_URL_SYNC", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres():
    name = f"lotsen_tracker_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL is not reachable")
    return admin, name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    admin, name = _postgres()
    yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(coroutine):
    return asyncio.run(coroutine)


def turn(tracker, text: str) -> None:
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(ActionExecuted("action_listen"))


def start(store, sender: str):
    tracker = run(store.get_or_create_tracker(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def stored(url: str, sender: str) -> list:
    plain = SQLTrackerStore(DOMAIN, host=url)
    return [event.as_dict() for event in run(plain.retrieve(sender)).events]


def test_a_cached_conversation_is_what_the_database_holds(url):
    store, sender = CachedSQLTrackerStore(DOMAIN, host=url), uuid.uuid4().hex
    tracker = start(store, sender)
    for index in range(5):
        turn(tracker, f"hello {index}")
        run(store.save(tracker))
        tracker = run(store.retrieve(sender))
    assert tracker is run(store.retrieve(sender))  # served from memory
    assert [event.as_dict() for event in tracker.events] == stored(url, sender)  # and nothing stored twice


def test_another_writer_makes_the_cache_stale(url):
    store, other, sender = CachedSQLTrackerStore(DOMAIN, host=url), SQLTrackerStore(DOMAIN, host=url), uuid.uuid4().hex
    tracker = start(store, sender)
    run(store.save(tracker))
    elsewhere = run(other.retrieve(sender))
    elsewhere.update(SlotSet("municipality", "Krokom"))
    run(other.save(elsewhere))
    again = run(store.retrieve(sender))
    assert again is not tracker and again.get_slot("municipality") == "Krokom"


def test_a_turn_that_failed_before_saving_is_read_again(url):
    store, sender = CachedSQLTrackerStore(DOMAIN, host=url), uuid.uuid4().hex
    tracker = start(store, sender)
    run(store.save(tracker))
    turn(tracker, "never saved")  # e.g. the turn crashed before Rasa saved it
    again = run(store.retrieve(sender))
    assert "never saved" not in [getattr(event, "text", None) for event in again.events]
    assert [event.as_dict() for event in again.events] == stored(url, sender)


def test_a_new_session_is_read_like_rasa_reads_it(url):
    store, sender = CachedSQLTrackerStore(DOMAIN, host=url), uuid.uuid4().hex
    tracker = start(store, sender)
    turn(tracker, "first session")
    run(store.save(tracker))
    tracker = run(store.retrieve(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    again = run(store.retrieve(sender))
    assert again is not tracker
    assert [event.as_dict() for event in again.events] == stored(url, sender)
    assert "first session" not in [getattr(event, "text", None) for event in again.events]
