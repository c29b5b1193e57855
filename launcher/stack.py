"""The three servers of Lotsen as child processes: Rasa (.venv/bot), the action server and the app (.venv/app).

Used by `make run`, the end-to-end tests and the benchmarks, so all three start the same stack.
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.build.export import export
from bot.build.model import ensure_model
from catalog import migrate, seed
from settings import ROOT, RUN_DIR, get_settings

BOT_BIN = ROOT / ".venv" / "bot" / "bin"
APP_BIN = Path(sys.executable).parent
NAMES = ("actions", "app", "rasa")
log = logging.getLogger("launcher")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url: str | None = None, model: Path | None = None) -> Path:
    """Migrate and seed the catalog, compile the gettext catalogs, train the model if its inputs changed
    (or use the given model)."""
    migrate.upgrade(database_url)
    outcome = seed.load_if_changed(database_url=database_url)
    if outcome == "kept staff changes":
        log.warning("the seed files changed, but staff changed content since they were loaded: kept the staff's "
                    "changes (export them with `make content-export`, or reload the files with `make db`)")
    compile_catalogs()
    if model is not None:
        return model
    export(database_url=database_url)
    return ensure_model()


def compile_catalogs() -> None:
    for domain in ("messages", "admin"):  # the bot's texts (six languages); the staff admin's (Swedish)
        subprocess.run([str(APP_BIN / "pybabel"), "compile", "-d", str(ROOT / "locales"), "-D", domain], check=True)


def _default_token() -> str:
    return get_settings().rasa_token.get_secret_value() or secrets.token_hex(16)


@dataclass
class Stack:
    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    app_port: int = 8000
    env: dict[str, str] = field(default_factory=dict)
    token: str = field(default_factory=_default_token)
    log_dir: Path = RUN_DIR / "logs"
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def log_file(self, name: str) -> Path:
        return self.log_dir / f"{name}-{self.rasa_port}.log"

    def environment(self) -> dict[str, str]:
        """One environment for the three: the settings, with this stack's ports and URLs. The Rasa side
        reads its part through ${VARIABLES} in bot/endpoints.yml and bot/credentials.yml."""
        settings = get_settings()
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "APP_PORT": str(self.app_port),
            "RASA_URL": self.rasa_url,
            "ACTION_SERVER_URL": self.action_url,
            "NLG_URL": f"{self.app_url}/nlg",
            "DATABASE_URL": settings.database_url,
            "TRACKER_URL": settings.tracker_url,
            "FALLBACK_CONTACT_URL": settings.fallback_contact_url,
            "MAX_MESSAGE_LENGTH": str(settings.max_message_length),
            "MAX_MESSAGES_PER_MINUTE": str(settings.max_messages_per_minute),
            # The messenger channels (bot/credentials.yml): every variable passed, empty when unset (channel off).
            "PUBLIC_WEBHOOK_BASE_URL": settings.public_webhook_base_url,
            "TELEGRAM_TOKEN": settings.telegram_token.get_secret_value(),
            "TELEGRAM_WEBHOOK_SECRET": settings.telegram_webhook_secret.get_secret_value(),
            "TELEGRAM_API_URL": settings.telegram_api_url,
            "FACEBOOK_PAGE_ACCESS_TOKEN": settings.facebook_page_access_token.get_secret_value(),
            "FACEBOOK_SECRET": settings.facebook_secret.get_secret_value(),
            "FACEBOOK_VERIFY": settings.facebook_verify.get_secret_value(),
            "FACEBOOK_API_URL": settings.facebook_api_url,
            "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": settings.twilio_auth_token.get_secret_value(),
            "TWILIO_WHATSAPP_NUMBER": settings.twilio_whatsapp_number,
            "TWILIO_API_URL": settings.twilio_api_url,
            "SANIC_HOST": settings.bind_host,  # the action server's interface (rasa_sdk reads it)
            "RASA_TOKEN": self.token,
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            **self.env,
            # The one allow-list for the app's widget API and Rasa's socket.io channel (bot/credentials.yml).
            "CORS_ORIGINS": ",".join(self.origins()),
        }

    def origins(self) -> list[str]:
        """Browser origins allowed to use the widget (the app's API, Rasa's channels): CORS_ORIGINS — this stack's
        own `env` first, then the settings — plus the stack's own page when it runs on other ports (tests,
        benchmarks). Never "*" (the settings refuse it)."""
        settings = get_settings()
        configured = self.env.get("CORS_ORIGINS")
        origins = settings.cors_origins if configured is None else \
            [origin.strip() for origin in configured.split(",") if origin.strip()]
        if self.app_port != settings.app_port:  # a stack on other ports (tests, benchmarks) serves its own page
            origins = [*origins, f"http://localhost:{self.app_port}", f"http://127.0.0.1:{self.app_port}"]
        if "*" in origins:
            raise ValueError("CORS_ORIGINS must list origins; '*' is not allowed")
        return list(dict.fromkeys(origins))

    def commands(self) -> dict[str, list[str]]:
        settings = get_settings()
        origins = self.origins()
        return {
            "actions": [str(APP_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                        "--port", str(self.action_port)],
            "app": [str(APP_BIN / "python"), "-m", "uvicorn", "api.main:app", "--host", settings.bind_host,
                    "--port", str(self.app_port), "--log-level", "warning", "--ws", "none"],
            # bot.serve installs Lotsen's Rasa patches, then runs Rasa's own command line.
            "rasa": [str(BOT_BIN / "python"), "-m", "bot.serve", "run", "--model", str(self.model),
                     "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
                     "--interface", settings.bind_host, "--port", str(self.rasa_port),
                     "--cors", *origins, "--enable-api", "--auth-token", self.token],
        }

    def start(self, names: tuple[str, ...] = NAMES) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env, commands = self.environment(), self.commands()
        for name in names:
            with self.log_file(name).open("a") as output:
                self.processes[name] = process = subprocess.Popen(
                    commands[name], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl-C reaches the launcher only; it stops each group itself
                )
            log.info("started %s (pid %d, log: %s)", name, process.pid, self.log_file(name))

    def health_urls(self) -> dict[str, str]:
        return {"actions": f"{self.action_url}/health", "app": f"{self.app_url}/nlg", "rasa": f"{self.rasa_url}/"}

    def healthy(self, name: str) -> bool:
        try:
            return httpx.get(self.health_urls()[name], timeout=2).status_code < 500
        except httpx.HTTPError:
            return False

    def wait_healthy(self, timeout: float = 240, names: tuple[str, ...] | None = None) -> None:
        deadline = time.monotonic() + timeout
        for name in names or tuple(self.processes):
            while not self.healthy(name):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited; see {self.log_file(name)}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} did not become healthy at {self.health_urls()[name]}")
                time.sleep(0.5)

    def exited(self) -> list[str]:
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def stop(self, names: tuple[str, ...] | None = None, timeout: float = 20) -> None:
        """The one way servers are stopped: SIGTERM to each one's process group at once, SIGKILL to whatever is
        still there after `timeout` — also to what a server left behind in its group when it exited by itself."""
        stopping = {name: self.processes.pop(name) for name in list(names or self.processes) if name in self.processes}
        for process in stopping.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, process in stopping.items():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %.0f s; killing it", name, timeout)
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)  # the group id is the leader's pid, kept by Linux while members remain
    except ProcessLookupError:
        pass
