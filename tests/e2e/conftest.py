"""End to end: the real Rasa server, action server and app on free ports, a fresh SQLite catalog and tracker."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from common.languages import LANGUAGES, direction
from launcher.stack import Stack, free_port, prepare


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    run_dir = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    model = prepare(database_url)
    stack = Stack(
        model=model, rasa_port=free_port(), action_port=free_port(), app_port=free_port(), log_dir=run_dir,
        env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}"},
    )
    stack.start()
    try:
        stack.wait_healthy()
        yield stack
    finally:
        stack.stop()


class Chat:
    """One conversation over Rasa's REST channel. Every reply must be a non-empty message that carries the
    language it is written in (`metadata.language`, `metadata.dir`)."""

    def __init__(self, stack: Stack, sender: str) -> None:
        self.stack, self.sender = stack, sender
        self.messages: list[dict] = []

    def post(self, text, metadata: dict | None = None) -> httpx.Response:
        return httpx.post(f"{self.stack.rasa_url}/webhooks/rest/webhook",
                          json={"sender": self.sender, "message": text, "metadata": metadata or {}}, timeout=60)

    def say(self, text: str, metadata: dict | None = None) -> str:
        response = self.post(text, metadata)
        assert response.status_code == 200, response.text
        self.messages = response.json()
        assert self.messages, f"no reply to {text!r}"
        for message in self.messages:
            assert (message.get("text") or "").strip(), f"an empty message in reply to {text!r}: {message}"
            language = message.get("metadata", {}).get("language")
            assert language in LANGUAGES, f"a message without its language in reply to {text!r}: {message}"
            assert message["metadata"]["dir"] == direction(language)
        return "\n\n".join(message["text"] for message in self.messages)

    @property
    def languages(self) -> set[str]:
        """The languages the latest reply says it is written in."""
        return {message["metadata"]["language"] for message in self.messages}

    def tracker(self) -> dict:
        response = httpx.get(
            f"{self.stack.rasa_url}/conversations/{self.sender}/tracker",
            params={"token": self.stack.token}, timeout=30,
        )
        response.raise_for_status()
        return response.json()


@pytest.fixture
def chat(stack) -> Chat:
    return Chat(stack, f"e2e-{uuid.uuid4().hex[:12]}")
