"""Tests that run in the Rasa environment (.venv/bot): custom NLU components and the trained model."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


import json  # noqa: E402

import pytest  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "trackers" / "rasa"


@pytest.fixture(scope="session")
def domain():
    """The exported training domain (make model writes it), with every slot the trackers need."""
    from rasa.shared.core.domain import Domain

    from bot.build.model import BUILD

    return Domain.load(str(BUILD / "domain"))


@pytest.fixture
def recorded(domain):
    """recorded(name) -> the DialogueStateTracker recorded in tests/fixtures/trackers/rasa/<name>."""
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    def load(name: str) -> DialogueStateTracker:
        document = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        events = [Event.from_parameters(event) for event in document["events"]]
        return DialogueStateTracker.from_events(document["sender_id"], events, domain.slots)

    return load
