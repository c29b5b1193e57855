"""Lotsen's settings: every environment variable of the app side is read here and nowhere else.

Typed with pydantic-settings; `.env.example` documents each one. Every app-side process reads them — the app,
the action server (the catalog's URL), the catalog and build commands and the launcher — so they sit at the
base of the house, beside `common`, not inside the web app. The Rasa side (its own environment, pydantic 1)
gets what it needs from the launcher, through `${VARIABLES}` in bot/endpoints.yml and bot/credentials.yml.

`LOTSEN_PROFILE=production` refuses empty or placeholder secrets and opens the servers to the network
only when BIND_HOST says so; the default development profile needs nothing set.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / ".run"
PLACEHOLDERS = frozenset({"", "changeme", "change-me", "change_me", "secret", "token", "password", "xxx", "todo"})
MIN_SECRET_LENGTH = 16


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore", frozen=True)

    profile: Literal["development", "production"] = Field("development", alias="LOTSEN_PROFILE")
    database_url: str = Field(f"sqlite:///{RUN_DIR / 'lotsen.db'}", alias="DATABASE_URL")
    tracker_url: str = Field(f"sqlite:///{RUN_DIR / 'tracker.db'}", alias="TRACKER_URL")
    # Where the three servers listen. 127.0.0.1 unless production opens them deliberately (the action
    # server has no authentication of its own).
    bind_host: str = Field("127.0.0.1", alias="BIND_HOST")
    rasa_port: int = Field(5005, alias="RASA_PORT", ge=1, le=65535)
    action_port: int = Field(5055, alias="ACTION_PORT", ge=1, le=65535)
    app_port: int = Field(8000, alias="APP_PORT", ge=1, le=65535)
    rasa_url: str = Field("", alias="RASA_URL")
    action_server_url: str = Field("", alias="ACTION_SERVER_URL")
    # The Rasa URL as the newcomer's browser reaches it (socket.io for the web widget).
    public_rasa_url: str = Field("", alias="PUBLIC_RASA_URL")
    # Origins of the pages allowed to use the web widget — the app's widget API and Rasa's socket.io channel, one
    # list (launcher/stack.py passes it to both) — comma-separated; never "*".
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="CORS_ORIGINS")
    # Token of Rasa's HTTP API, shared by the launcher with the app (tracker look-ups, model hot-swap).
    # Random per start in development; required in production.
    rasa_token: SecretStr = Field(SecretStr(""), alias="RASA_TOKEN")
    # Signs the staff admin's session cookie. Random per start in development (sign in again after a
    # restart); required in production.
    admin_secret: SecretStr = Field(SecretStr(""), alias="ADMIN_SECRET")
    # Shown in every apology so a newcomer always has a human way forward.
    fallback_contact_url: str = Field("https://www.informationsverige.se/", alias="FALLBACK_CONTACT_URL")
    # Longer messages are refused before NLU (bot/channels.py); the widget's own maxlength.
    max_message_length: int = Field(2000, alias="MAX_MESSAGE_LENGTH", ge=1, le=100_000)
    # More messages than this from one conversation within a minute are refused before NLU, on every channel
    # (bot/channels.py). 0: no limit (benchmarks).
    max_messages_per_minute: int = Field(30, alias="MAX_MESSAGES_PER_MINUTE", ge=0, le=10_000)
    # Messenger channels (bot/messengers.py, README "Messenger channels"): each is off while its token is unset.
    # The public HTTPS address of the Rasa server as the platforms reach it: Telegram's webhook is registered
    # there, Twilio signs its requests with it.
    public_webhook_base_url: str = Field("", alias="PUBLIC_WEBHOOK_BASE_URL")
    telegram_token: SecretStr = Field(SecretStr(""), alias="TELEGRAM_TOKEN")
    telegram_webhook_secret: SecretStr = Field(SecretStr(""), alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_api_url: str = Field("", alias="TELEGRAM_API_URL")  # default: Telegram's own (tests: a fake)
    facebook_page_access_token: SecretStr = Field(SecretStr(""), alias="FACEBOOK_PAGE_ACCESS_TOKEN")
    facebook_secret: SecretStr = Field(SecretStr(""), alias="FACEBOOK_SECRET")
    facebook_verify: SecretStr = Field(SecretStr(""), alias="FACEBOOK_VERIFY")
    facebook_api_url: str = Field("", alias="FACEBOOK_API_URL")  # default: graph.facebook.com
    twilio_account_sid: str = Field("", alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: SecretStr = Field(SecretStr(""), alias="TWILIO_AUTH_TOKEN")
    twilio_whatsapp_number: str = Field("", alias="TWILIO_WHATSAPP_NUMBER")
    twilio_api_url: str = Field("", alias="TWILIO_API_URL")  # default: api.twilio.com
    # The content report flags answers not reviewed within this many days.
    content_max_age_days: int = Field(365, alias="CONTENT_MAX_AGE_DAYS", ge=1)
    locales_dir: Path = ROOT / "locales"

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, values: dict) -> dict:
        raw = values.get("CORS_ORIGINS")
        if isinstance(raw, str):
            values = {**values, "CORS_ORIGINS": [origin.strip() for origin in raw.split(",") if origin.strip()]}
        return values

    @model_validator(mode="after")
    def _derived_and_safe(self) -> Settings:
        derived = {
            "rasa_url": self.rasa_url or f"http://127.0.0.1:{self.rasa_port}",
            "action_server_url": self.action_server_url or f"http://127.0.0.1:{self.action_port}",
            "public_rasa_url": self.public_rasa_url or f"http://localhost:{self.rasa_port}",
            "cors_origins": self.cors_origins or [f"http://localhost:{self.app_port}",
                                                  f"http://127.0.0.1:{self.app_port}"],
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)
        if "*" in self.cors_origins:
            raise ValueError("CORS_ORIGINS must list origins; '*' is not allowed")
        self._messengers_complete()
        if self.profile == "production":
            token = self.rasa_token.get_secret_value()
            if token.strip().lower() in PLACEHOLDERS or len(token) < MIN_SECRET_LENGTH:
                raise ValueError(f"RASA_TOKEN must be a real secret of at least {MIN_SECRET_LENGTH} characters "
                                 "in production (it is empty or a placeholder)")
            secret = self.admin_secret.get_secret_value()
            if secret.strip().lower() in PLACEHOLDERS or len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(f"ADMIN_SECRET must be a real secret of at least {MIN_SECRET_LENGTH} characters "
                                 "in production (it is empty or a placeholder)")
            if self.database_url.startswith("sqlite") or self.tracker_url.startswith("sqlite"):
                raise ValueError("production needs DATABASE_URL and TRACKER_URL on a database server, not SQLite")
        return self


    def messengers(self) -> list[str]:
        """The messenger channels that are configured (their token set)."""
        tokens = {"telegram": self.telegram_token.get_secret_value(),
                  "facebook": self.facebook_page_access_token.get_secret_value(), "whatsapp": self.twilio_account_sid}
        return [name for name, token in tokens.items() if token.strip()]

    def _messengers_complete(self) -> None:
        """A channel with its token set has what authenticates its webhook; none is served half-configured."""
        needs = {
            "telegram": {"TELEGRAM_WEBHOOK_SECRET": self.telegram_webhook_secret.get_secret_value(),
                         "PUBLIC_WEBHOOK_BASE_URL": self.public_webhook_base_url},
            "facebook": {"FACEBOOK_SECRET": self.facebook_secret.get_secret_value(),
                         "FACEBOOK_VERIFY": self.facebook_verify.get_secret_value()},
            "whatsapp": {"TWILIO_AUTH_TOKEN": self.twilio_auth_token.get_secret_value(),
                         "TWILIO_WHATSAPP_NUMBER": self.twilio_whatsapp_number,
                         "PUBLIC_WEBHOOK_BASE_URL": self.public_webhook_base_url},
        }
        for channel in self.messengers():
            missing = [name for name, value in needs[channel].items() if not value.strip()]
            if missing:
                raise ValueError(f"the {channel} channel is configured but {', '.join(missing)} is not set")
        secret = self.telegram_webhook_secret.get_secret_value()
        if self.telegram_token.get_secret_value() and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: 1–256 characters A–Z, a–z, 0–9, _ and - (Telegram's rule)")
        if self.profile == "production" and self.public_webhook_base_url and \
                not self.public_webhook_base_url.startswith("https://"):
            raise ValueError("PUBLIC_WEBHOOK_BASE_URL must be an https:// address in production (the platforms "
                             "call only HTTPS webhooks)")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
