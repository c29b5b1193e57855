"""Settings from environment variables (documented in .env.example)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", f"sqlite:///{ROOT / '.run' / 'lotsen.db'}"))
    rasa_url: str = field(default_factory=lambda: _env("RASA_URL", f"http://127.0.0.1:{_env('RASA_PORT', '5005')}"))
    action_server_url: str = field(
        default_factory=lambda: _env("ACTION_SERVER_URL", f"http://127.0.0.1:{_env('ACTION_PORT', '5055')}")
    )
    # The Rasa URL as the newcomer's browser reaches it (socket.io for the web widget).
    public_rasa_url: str = field(
        default_factory=lambda: _env("PUBLIC_RASA_URL", f"http://localhost:{_env('RASA_PORT', '5005')}")
    )
    # Token of Rasa's HTTP API, shared by the launcher with the app (tracker look-ups, model hot-swap).
    rasa_token: str = field(default_factory=lambda: _env("RASA_TOKEN", ""))
    locales_dir: Path = ROOT / "locales"
    # Shown in every apology so a newcomer always has a human way forward.
    fallback_contact_url: str = field(
        default_factory=lambda: _env("FALLBACK_CONTACT_URL", "https://www.informationsverige.se/")
    )


def get_settings() -> Settings:
    return Settings()
