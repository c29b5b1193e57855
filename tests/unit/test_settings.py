"""settings/: typed settings from the environment; production refuses empty or placeholder secrets."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from settings import Settings

PRODUCTION = {"LOTSEN_PROFILE": "production", "DATABASE_URL": "postgresql+psycopg://lotsen@db/lotsen",
              "TRACKER_URL": "postgresql://lotsen@db/lotsen_tracker", "RASA_TOKEN": "a" * 32, "ADMIN_SECRET": "b" * 32}


TELEGRAM = {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_SECRET": "s3cret-_token",
            "PUBLIC_WEBHOOK_BASE_URL": "https://chat.example.se"}
FACEBOOK = {"FACEBOOK_PAGE_ACCESS_TOKEN": "EAA", "FACEBOOK_SECRET": "app-secret", "FACEBOOK_VERIFY": "verify"}
WHATSAPP = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "token", "TWILIO_WHATSAPP_NUMBER": "+14155238886",
            "PUBLIC_WEBHOOK_BASE_URL": "https://chat.example.se"}
MESSENGERS = {*TELEGRAM, *FACEBOOK, *WHATSAPP, "TELEGRAM_API_URL", "FACEBOOK_API_URL", "TWILIO_API_URL"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("LOTSEN_PROFILE", "DATABASE_URL", "TRACKER_URL", "RASA_TOKEN", "CORS_ORIGINS", "APP_PORT",
                 "RASA_PORT", "BIND_HOST", "MAX_MESSAGE_LENGTH", "MAX_MESSAGES_PER_MINUTE", *MESSENGERS):
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
    for secret in ("a" * 32, "b" * 32):
        assert secret not in repr(found) and secret not in str(found.model_dump())


def test_production_refuses_a_placeholder_admin_secret(monkeypatch):
    with pytest.raises(ValidationError, match="ADMIN_SECRET"):
        settings(monkeypatch, **{**PRODUCTION, "ADMIN_SECRET": "changeme"})


def test_messengers_are_off_until_configured_and_on_when_complete(monkeypatch):
    assert settings(monkeypatch).messengers() == []
    found = settings(monkeypatch, **{**TELEGRAM, **FACEBOOK, **WHATSAPP})
    assert found.messengers() == ["telegram", "facebook", "whatsapp"] and found.max_messages_per_minute == 30


@pytest.mark.parametrize("environment, missing", [
    ({**TELEGRAM, "TELEGRAM_WEBHOOK_SECRET": ""}, "TELEGRAM_WEBHOOK_SECRET"),
    ({**TELEGRAM, "PUBLIC_WEBHOOK_BASE_URL": ""}, "PUBLIC_WEBHOOK_BASE_URL"),
    ({**FACEBOOK, "FACEBOOK_SECRET": ""}, "FACEBOOK_SECRET"),
    ({**FACEBOOK, "FACEBOOK_VERIFY": ""}, "FACEBOOK_VERIFY"),
    ({**WHATSAPP, "TWILIO_AUTH_TOKEN": ""}, "TWILIO_AUTH_TOKEN"),
    ({**WHATSAPP, "TWILIO_WHATSAPP_NUMBER": ""}, "TWILIO_WHATSAPP_NUMBER"),
    ({**TELEGRAM, "TELEGRAM_WEBHOOK_SECRET": "has spaces"}, "TELEGRAM_WEBHOOK_SECRET"),
])
def test_a_messenger_is_never_half_configured(monkeypatch, environment, missing):
    with pytest.raises(ValidationError, match=missing):
        settings(monkeypatch, **environment)


def test_production_needs_an_https_webhook_address(monkeypatch):
    with pytest.raises(ValidationError, match="https"):
        settings(monkeypatch, **PRODUCTION, **{**WHATSAPP,
                                                                      "PUBLIC_WEBHOOK_BASE_URL": "http://chat.example.se"})
