"""bot/remote_action.py: written against Rasa 3.6.21's RemoteAction (contract), and what it changes
(behaviour), on a recorded tracker and a real HTTP action server on 127.0.0.1."""
from __future__ import annotations

import asyncio

import pytest
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.utils.endpoints import EndpointConfig

from bot import remote_action
from bot.nlg import LotsenNLG
from tests.bot.recording_server import recording_server


def test_rasa_is_the_version_and_code_the_replacements_were_written_for():
    assert rasa.__version__ == remote_action.RASA_VERSION
    assert remote_action.contract_problems() == []


def test_a_changed_rasa_method_is_named_and_refused(monkeypatch):
    async def run(self, output_channel, nlg, tracker, domain):  # a different body than Rasa 3.6.21's
        return []

    monkeypatch.setattr(RemoteAction, "run", run)
    monkeypatch.setattr(remote_action, "_installed", False)
    assert any("RemoteAction.run changed" in problem for problem in remote_action.contract_problems())
    with pytest.raises(RuntimeError, match="written for another Rasa"):
        remote_action.install()


@pytest.fixture
def installed(monkeypatch):
    """The replacements installed, and Rasa's originals restored afterwards."""
    for name in remote_action.REPLACED:
        monkeypatch.setattr(RemoteAction, name, getattr(RemoteAction, name))
    monkeypatch.setattr(remote_action, "_installed", False)
    remote_action.install()
    assert RemoteAction.run.__module__ == "bot.remote_action"


def test_current_turn_starts_at_the_latest_user_message(recorded):
    tracker = recorded("german_four_turns.json")
    events = remote_action.current_turn(tracker)
    assert [event["event"] for event in events] == ["user"]
    assert events[0]["text"] == "Wie finde ich dort eine Wohnung?"


def test_the_action_server_receives_only_the_current_turn(installed, recorded, domain):
    tracker = recorded("german_four_turns.json")
    assert len(tracker.events) == 18

    async def run():
        async with recording_server(lambda body: {"events": [], "responses": []}) as server:
            action = RemoteAction("action_answer", EndpointConfig(url=f"{server.url}/webhook"))
            nlg = LotsenNLG(EndpointConfig(url="http://127.0.0.1:9/nlg"))
            events = await action.run(CollectingOutputChannel(), nlg, tracker, domain)
            return events, server.bodies

    events, [payload] = asyncio.run(run())
    assert events == []
    sent = payload["tracker"]
    assert [event["event"] for event in sent["events"]] == ["user"]
    assert sent["latest_message"]["text"] == "Wie finde ich dort eine Wohnung?"
    assert sent["slots"]["municipality"] == "Krokom" and sent["slots"]["language"] == "de"  # slots still whole
    assert payload["next_action"] == "action_answer" and payload["version"] == rasa.__version__


def test_a_failing_action_server_gives_the_apology_not_silence(installed, recorded, domain):
    tracker = recorded("german_four_turns.json")

    async def run():
        async with recording_server(lambda body: {"error": "boom"}, status=500) as server:
            action = RemoteAction("action_answer", EndpointConfig(url=f"{server.url}/webhook"))
            nlg = LotsenNLG(EndpointConfig(url="http://127.0.0.1:9/nlg", fallback_contact_url="https://c.example/"))
            return await action.run(CollectingOutputChannel(), nlg, tracker, domain)

    [event] = asyncio.run(run())
    assert event.text and "https://c.example/" in event.text
    assert event.metadata["language"] == "de"
