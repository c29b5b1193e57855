"""bot/nlg.py on recorded trackers: what Rasa sends the NLG endpoint, and the apology when it fails."""
from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.nlg import LotsenNLG
from tests.bot.recording_server import recording_server


def nlg_for(url: str) -> LotsenNLG:
    return LotsenNLG(EndpointConfig(url=url, fallback_contact_url="https://contact.example/"))


def test_the_endpoint_gets_the_slots_not_the_history(recorded):
    tracker = recorded("german_four_turns.json")
    rendered = {"text": "Antwort", "language": "de", "dir": "ltr"}

    async def run():
        async with recording_server(lambda body: rendered) as server:
            message = await nlg_for(f"{server.url}/nlg").generate("utter_faq_answer", tracker, "rest",
                                                                   faq_key="find_rental", municipality="Krokom")
            return message, server.bodies

    message, bodies = asyncio.run(run())
    assert message == rendered
    [body] = bodies
    assert body["response"] == "utter_faq_answer" and body["channel"] == {"name": "rest"}
    assert body["arguments"] == {"faq_key": "find_rental", "municipality": "Krokom"}
    assert body["tracker"]["sender_id"] == "recorded-de"
    assert set(body["tracker"]) == {"sender_id", "slots"}  # no event history: the cost does not grow
    assert body["tracker"]["slots"]["language"] == "de" and body["tracker"]["slots"]["municipality"] == "Krokom"


@pytest.mark.parametrize("reply, status", [({"text": 42}, 200), ({"detail": "boom"}, 500), ([1, 2], 200)])
def test_a_failing_or_invalid_endpoint_gives_the_apology_in_the_conversations_language(recorded, reply, status):
    tracker = recorded("german_four_turns.json")

    async def run():
        async with recording_server(lambda body: reply, status=status) as server:
            return await nlg_for(f"{server.url}/nlg").generate("utter_greet", tracker, "rest")

    message = asyncio.run(run())
    assert message["language"] == "de" and message["dir"] == "ltr"
    assert "https://contact.example/" in message["text"] and "Sorry" not in message["text"]  # German, not English


def test_an_unreachable_endpoint_gives_the_apology(domain):
    tracker = DialogueStateTracker.from_events("x", [], domain.slots)
    tracker.update(Event.from_parameters({"event": "slot", "name": "language", "value": "ar"}))
    message = asyncio.run(nlg_for("http://127.0.0.1:9/nlg").generate("utter_greet", tracker, "rest"))
    assert message["language"] == "ar" and message["dir"] == "rtl" and "contact.example" in message["text"]
