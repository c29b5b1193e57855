"""settings/: typed settings from the environment; production refuses empty or placeholder secrets."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from settings import Settings

PRODUCTION = {"LOTSEN_PROFILE": "production", "DATABASE_URL": "postgresql+psycopg://lotsen@db/lotsen",
              "TRACKER_URL": "postgresql://lotsen@db/lotsen_tracker", "RASA_TOKEN": "a" * 32}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("LOTSEN_PROFILE", "DATABASE_URL", "TRACKER_URL", "RASA_TOKEN", "CORS_ORIGINS", "APP_PORT",
                 "RASA_PORT", "BIND_HOST", "MAX_MESSAGE_LENGTH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def settings(monkeypatch, **environment) -> Settings:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def test_development_needs_nothing_and_stays_on_this_machine(monkeypatch):
    found = settings(monkeypatch)
    assert found.profile == "development" and found.bind_host == "127.0.0.1"
    assert found.database_url.startswith("sqlite:///") and found.max_message_length == 2000
    assert found.cors_origins == ["http://localhost:8000", "http://127.0.0.1:8000"]
    assert found.rasa_url == "http://127.0.0.1:5005"


def test_values_come_from_the_environment(monkeypatch):
    found = settings(monkeypatch, APP_PORT="9000", CORS_ORIGINS="https://a.example, https://b.example",
                     MAX_MESSAGE_LENGTH="500")
    assert found.app_port == 9000 and found.max_message_length == 500
    assert found.cors_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize("token", ["", "changeme", "secret", "short"])
def test_production_refuses_an_empty_or_placeholder_token(monkeypatch, token):
    with pytest.raises(ValidationError, match="RASA_TOKEN"):
        settings(monkeypatch, **{**PRODUCTION, "RASA_TOKEN": token})


def test_production_refuses_sqlite_and_accepts_a_real_setup(monkeypatch):
    with pytest.raises(ValidationError, match="SQLite"):
        settings(monkeypatch, **{**PRODUCTION, "DATABASE_URL": "sqlite:///x.db"})
    assert settings(monkeypatch, **PRODUCTION).profile == "production"


@pytest.mark.parametrize("environment", [{"CORS_ORIGINS": "*"}, {"APP_PORT": "0"}, {"LOTSEN_PROFILE": "staging"},
                                         {"MAX_MESSAGE_LENGTH": "many"}])
def test_invalid_values_are_refused_with_the_variable_named(monkeypatch, environment):
    with pytest.raises(ValidationError):
        settings(monkeypatch, **environment)


def test_the_token_never_prints(monkeypatch):
    found = settings(monkeypatch, **PRODUCTION)
    assert "a" * 32 not in repr(found) and "a" * 32 not in str(found.model_dump())
