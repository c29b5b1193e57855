"""Rasa's SQL tracker store, with the trackers of active conversations kept in memory.

Rasa rebuilds the whole tracker from the database on every message (every event parsed from JSON), so
each turn costs more the longer the conversation is. Here a conversation's tracker stays in memory after
it is saved and is reused while the database shows nothing new for that sender (its highest event id is
unchanged) and the object was not changed without being saved (its length is unchanged). Any other writer
— a second Rasa process, an operator, a failed turn — makes the entry stale and the tracker is read again,
so the database stays the only truth; this is a cache, not a second store. Named in endpoints.yml.
"""
from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Iterator, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

# (tracker, highest event id in the database, number of events when saved)
_Entry = Tuple[DialogueStateTracker, Optional[int], int]


def _sqlite_wal(connection: Any, _record: Any) -> None:
    """The local default: write-ahead log, synced at checkpoints rather than on every message (a crash of
    the process loses nothing; only a power cut can lose the last moments). Production uses PostgreSQL."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CachedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cache_size: int = 1000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection per session; keep a few open instead.
            url, _ = self.engine.url, self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_wal)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self._cache: "OrderedDict[Text, _Entry]" = OrderedDict()
        self._cache_size = int(cache_size)
        events = self.SQLEvent.__table__
        self._last_id = sa.select([sa.func.max(events.c.id)]).where(events.c.sender_id == sa.bindparam("sender_id"))

    def _last_event_id(self, sender_id: Text) -> Optional[int]:
        with self.engine.connect() as connection:  # a plain statement: no ORM session for one number
            return connection.execute(self._last_id, {"sender_id": sender_id}).scalar()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        entry = self._cache.pop(sender_id, None)
        if entry is not None:
            tracker, last_id, length = entry
            if len(tracker.events) == length and self._last_event_id(sender_id) == last_id:
                self._cache[sender_id] = entry  # most recently used last
                return tracker
        return await super().retrieve(sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events not yet stored: known without counting rows when this tracker came from the cache
        (checked against the database when it was retrieved, this turn, under the conversation's lock)."""
        entry = self._cache.get(tracker.sender_id)
        if entry is not None and entry[0] is tracker:
            return itertools.islice(tracker.events, entry[2], len(tracker.events))
        return super()._additional_events(session, tracker)

    async def save(self, tracker: DialogueStateTracker) -> None:
        entry = self._cache.get(tracker.sender_id)
        saved = entry[2] if entry is not None and entry[0] is tracker else 0
        await super().save(tracker)
        self._cache.pop(tracker.sender_id, None)
        # Rasa's retrieve returns the latest session only; a tracker that now spans two is read again.
        if any(isinstance(event, SessionStarted) for event in itertools.islice(tracker.events, max(saved, 2), None)):
            return
        self._cache[tracker.sender_id] = (tracker, self._last_event_id(tracker.sender_id), len(tracker.events))
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
