"""End to end: the real Rasa server, action server and app on free ports, a fresh SQLite catalog and tracker."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from api.launcher import Stack, free_port, prepare


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
    """One conversation over Rasa's REST channel."""

    def __init__(self, stack: Stack, sender: str) -> None:
        self.stack, self.sender = stack, sender

    def say(self, text: str, metadata: dict | None = None) -> str:
        response = httpx.post(
            f"{self.stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text, "metadata": metadata or {}}, timeout=60,
        )
        assert response.status_code == 200, response.text
        return "\n\n".join(message.get("text", "") for message in response.json())

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
