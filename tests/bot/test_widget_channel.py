"""bot/channels.py, the web widget's socket.io channel: browsers only from the listed origins (engine.io checks
them on both transports; the CORS headers stay Sanic-CORS's, sent once), and the embedding site's municipality
as the conversation's default place (the `municipality` slot, set once, never over a place the user named)."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker

from bot import channels

CREDENTIALS = {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True,
               "metadata_key": "customData", "max_message_length": "2000", "max_messages_per_minute": "0"}


def channel_with(**credentials):
    received = []

    async def on_new_message(message) -> None:
        received.append(message)

    channel = channels.SocketIOChannel.from_credentials({**CREDENTIALS, **credentials})
    channel.blueprint(on_new_message)

    async def emit(*args, **kwargs) -> None:
        pass

    channel.sio.emit = emit
    return channel, channel.sio.handlers["/"]["user_uttered"], received


def test_only_the_listed_origins_may_connect_and_the_cors_headers_are_sent_once():
    channel, _, _ = channel_with(cors_origins="https://www.karlstad.se, http://localhost:8000")
    engine = channel.sio.eio
    assert channel.origins == ["https://www.karlstad.se", "http://localhost:8000"]
    assert engine.cors_allowed_origins == ["https://www.karlstad.se", "http://localhost:8000"]
    assert engine._cors_allowed_origins({"HTTP_ORIGIN": "https://evil.example"}) == engine.cors_allowed_origins
    assert engine._cors_headers({"HTTP_ORIGIN": "https://www.karlstad.se", "REQUEST_METHOD": "GET"}) == []


def test_a_wildcard_origin_is_refused():
    with pytest.raises(ValueError, match="not allowed"):
        channels.SocketIOChannel.from_credentials({**CREDENTIALS, "cors_origins": "https://a.se,*"})


def test_without_a_list_the_channel_is_rasas_own():
    channel, _, _ = channel_with()
    assert channel.origins == [] and channel.sio.eio.cors_allowed_origins == []


class Processor:
    def __init__(self, tracker: DialogueStateTracker) -> None:
        self.tracker, self.saved = tracker, 0

    async def fetch_tracker_and_update_session(self, sender_id, output_channel=None, metadata=None):
        assert sender_id == self.tracker.sender_id
        return self.tracker

    async def save_tracker(self, tracker) -> None:
        self.saved += 1


def tracker(*events) -> DialogueStateTracker:
    slots = [TextSlot("municipality", mappings=[{}], influence_conversation=False)]
    return DialogueStateTracker.from_events("s1", list(events), slots)


def say(channel, handler, metadata) -> None:
    asyncio.run(handler("sid", {"message": "Is SFI free?", "session_id": "s1", "customData": metadata}))


def test_the_sites_municipality_becomes_the_conversations_default_place_once():
    channel, handler, received = channel_with()
    processor = Processor(tracker())
    channel._app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        processor=processor, lock_store=InMemoryLockStore())))
    say(channel, handler, {"language": "sv", "municipality": "Karlstad"})
    assert processor.tracker.get_slot("municipality") == "Karlstad" and processor.saved == 1
    assert [message.text for message in received] == ["Is SFI free?"]  # and the message goes on to NLU
    say(channel, handler, {"language": "sv", "municipality": "Karlstad"})
    assert processor.saved == 1  # settled: not asked again


def test_a_place_the_user_named_is_never_overwritten():
    channel, handler, received = channel_with()
    processor = Processor(tracker(UserUttered("I live in Torsby"), SlotSet("municipality", "Torsby"),
                                  SlotSet("municipality", None)))
    channel._app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        processor=processor, lock_store=InMemoryLockStore())))
    say(channel, handler, {"municipality": "Karlstad"})
    assert processor.tracker.get_slot("municipality") is None and processor.saved == 0 and len(received) == 1


@pytest.mark.parametrize("metadata", [{}, {"municipality": ""}, {"municipality": 7}, {"municipality": "x" * 81}])
def test_no_default_place_without_a_plausible_name(metadata):
    channel, handler, received = channel_with()
    processor = Processor(tracker())
    channel._app = SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(
        processor=processor, lock_store=InMemoryLockStore())))
    say(channel, handler, metadata)
    assert processor.tracker.get_slot("municipality") is None and processor.saved == 0 and len(received) == 1
