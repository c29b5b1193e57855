"""launcher/stack.py: one environment for the three servers, made from the settings; loopback by default."""
from __future__ import annotations

from pathlib import Path

import pytest

from launcher.stack import Stack
from settings import get_settings


@pytest.fixture
def stack(monkeypatch) -> Stack:
    for name in ("BIND_HOST", "CORS_ORIGINS", "MAX_MESSAGE_LENGTH", "LOTSEN_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield Stack(model=Path("model.tar.gz"), rasa_port=6005, action_port=6055, app_port=6000, token="t" * 32)
    get_settings.cache_clear()


def test_every_server_listens_on_loopback_by_default(stack):
    commands, environment = stack.commands(), stack.environment()
    rasa = commands["rasa"]
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1"
    assert commands["app"][commands["app"].index("--host") + 1] == "127.0.0.1"
    assert environment["SANIC_HOST"] == "127.0.0.1"  # rasa_sdk's interface


def test_production_opens_them_only_when_told(stack, monkeypatch):
    monkeypatch.setenv("BIND_HOST", "0.0.0.0")
    get_settings.cache_clear()
    assert stack.environment()["SANIC_HOST"] == "0.0.0.0"
    assert "0.0.0.0" in stack.commands()["rasa"]


def test_rasa_gets_an_allow_list_of_origins_never_a_wildcard(stack):
    rasa = stack.commands()["rasa"]
    origins = rasa[rasa.index("--cors") + 1: rasa.index("--enable-api")]
    assert "*" not in origins and "http://localhost:6000" in origins


def test_rasa_starts_through_the_patch_installer_with_the_settings_it_needs(stack):
    assert stack.commands()["rasa"][1:3] == ["-m", "bot.serve"]
    environment = stack.environment()
    for name in ("NLG_URL", "ACTION_SERVER_URL", "TRACKER_URL", "FALLBACK_CONTACT_URL", "MAX_MESSAGE_LENGTH"):
        assert environment[name]  # filled into bot/endpoints.yml and bot/credentials.yml by Rasa
    assert environment["NLG_URL"] == "http://127.0.0.1:6000/nlg" and environment["MAX_MESSAGE_LENGTH"] == "2000"


def test_every_variable_in_the_rasa_configuration_is_passed_even_when_unset(stack):
    import re

    from settings import ROOT

    environment = stack.environment()
    for name in ("credentials.yml", "endpoints.yml"):
        text = "\n".join(line.split("#")[0] for line in (ROOT / "bot" / name).read_text().splitlines())
        for variable in re.findall(r"\$\{(\w+)\}", text):
            assert variable in environment, f"bot/{name} needs {variable}; the launcher must pass it"
    assert environment["MAX_MESSAGES_PER_MINUTE"] == "30"
