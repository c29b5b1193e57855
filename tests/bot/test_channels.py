"""bot/channels.py: the socket.io length limit before NLU, and the language every sent message carries."""
from __future__ import annotations

import asyncio

import pytest

from bot import channels


class Emitted:
    """Stands in for the socket.io server's emit: what the channel would send to the browser."""

    def __init__(self) -> None:
        self.messages: list = []

    async def __call__(self, event, data=None, room=None, **kwargs) -> None:
        self.messages.append((event, data, room))


def socket_channel(max_length: int = 20):
    received = []

    async def on_new_message(message) -> None:
        received.append(message)

    channel = channels.SocketIOChannel.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True,
         "metadata_key": "customData", "max_message_length": str(max_length)})
    channel.blueprint(on_new_message)
    emitted = Emitted()
    channel.sio.emit = emitted
    handler = channel.sio.handlers["/"]["user_uttered"]
    return channel, handler, received, emitted


@pytest.mark.parametrize("language, words", [("de", "Zeichen"), ("uk", "символів"), ("ar", "حرف")])
def test_a_too_long_message_is_refused_before_nlu_with_a_localized_reply(language, words):
    channel, handler, received, emitted = socket_channel(max_length=20)
    before = channels.REFUSED["socketio"]
    asyncio.run(handler("sid", {"message": "x" * 21, "session_id": "s1", "customData": {"language": language}}))
    assert received == []  # nothing reached NLU or the tracker
    assert channels.REFUSED["socketio"] == before + 1
    [(event, data, room)] = emitted.messages
    assert event == "bot_uttered" and room == "s1"
    assert words in data["text"] and "20" in data["text"]
    assert data["metadata"]["language"] == language


def test_a_message_within_the_limit_reaches_nlu_through_the_language_carrying_output():
    channel, handler, received, emitted = socket_channel(max_length=20)
    asyncio.run(handler("sid", {"message": "x" * 20, "session_id": "s1", "customData": {"language": "sv"}}))
    [message] = received
    assert message.text == "x" * 20 and message.metadata == {"language": "sv"}
    assert isinstance(message.output_channel, channels.LanguageSocketIOOutput)


def test_every_part_of_a_bot_message_carries_its_language():
    channel, _, _, emitted = socket_channel()
    output = channels.LanguageSocketIOOutput(channel.sio, "bot_uttered")
    message = {"text": "Första stycket.\n\nAndra stycket.", "buttons": [{"title": "Ja", "payload": "/affirm"}],
               "language": "ar", "dir": "rtl", "utter_action": "utter_x"}
    asyncio.run(output.send_response("s1", message))
    assert [data["metadata"] for _, data, _ in emitted.messages] == [{"language": "ar", "dir": "rtl"}] * 2
    assert emitted.messages[-1][1]["quick_replies"][0]["title"] == "Ja"


def test_rest_replies_carry_their_language():
    collector = channels.LanguageCollectingOutputChannel()
    asyncio.run(collector.send_response("u", {"text": "Hallo", "language": "de", "dir": "ltr"}))
    asyncio.run(collector.send_response("u", {"text": "no language"}))
    assert collector.messages[0]["metadata"] == {"language": "de", "dir": "ltr"}
    assert "metadata" not in collector.messages[1]


def test_a_blank_socket_message_is_ignored():
    _, handler, received, emitted = socket_channel()
    asyncio.run(handler("sid", {"message": "  \n", "session_id": "s1", "customData": {}}))
    assert received == [] and emitted.messages == []


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limit_counts_each_conversation_within_a_minute_and_tells_once():
    clock = Clock()
    limits = channels.Limits(max_length=10, per_minute=3, clock=clock)
    assert [limits.check("rest", "a", "hej") for _ in range(3)] == [None, None, None]
    assert limits.check("rest", "b", "hej") is None  # another conversation has its own minute
    first, second = limits.check("rest", "a", "hej"), limits.check("rest", "a", "hej")
    assert (first.reason, first.tell, second.reason, second.tell) == ("too_fast", True, "too_fast", False)
    assert 1 <= first.retry_after <= 60
    clock.now += 61
    assert limits.check("rest", "a", "hej") is None
    assert limits.check("rest", "a", "x" * 11).reason == "too_long"  # a refused message counts towards the rate too
    assert all(channels.Limits(per_minute=0).check("rest", "a", "hej") is None for _ in range(100))  # 0: no limit


def test_a_flood_on_socket_io_gets_one_localized_reply():
    channel, handler, received, emitted = socket_channel()
    channel.limits = channels.Limits(max_length=20, per_minute=2)
    for _ in range(4):
        asyncio.run(handler("sid", {"message": "hej", "session_id": "s2", "customData": {"language": "uk"}}))
    assert len(received) == 2
    [(event, data, room)] = emitted.messages
    assert "хвилину" in data["text"] and data["metadata"]["language"] == "uk"
