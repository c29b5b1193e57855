"""Run all of Lotsen locally: `python -m api.launcher` (what `make run` calls).

Prepares the database, catalogs and model, then starts the action server, the app and the Rasa server,
waits until each answers, prints the chat URL and stops all three on Ctrl-C. The e2e tests and the
benchmarks start the same stack on free ports through `Stack`.
"""
from __future__ import annotations

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

from api.settings import ROOT

BOT_BIN = ROOT / ".venv" / "bot" / "bin"
APP_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url: str | None = None, model: Path | None = None) -> Path:
    """Migrate and seed the catalog, compile the gettext catalogs, train the model if its inputs changed
    (or use the given model)."""
    from api.catalog import export, migrate, seed
    from bot.model import ensure_model

    migrate.upgrade(database_url)
    seed.load(database_url=database_url)
    compile_catalogs()
    if model is not None:
        return model
    export.export(database_url=database_url)
    return ensure_model()


def compile_catalogs() -> None:
    subprocess.run(
        [str(APP_BIN / "pybabel"), "compile", "-d", str(ROOT / "locales"), "-D", "messages"],
        check=True,
    )


@dataclass
class Stack:
    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    app_port: int = 8000
    env: dict[str, str] = field(default_factory=dict)
    token: str = field(default_factory=lambda: os.environ.get("RASA_TOKEN") or secrets.token_hex(16))
    log_dir: Path = ROOT / ".run" / "logs"
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

    def environment(self) -> dict[str, str]:
        run_dir = ROOT / ".run"
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "APP_PORT": str(self.app_port),
            "RASA_URL": self.rasa_url,
            "ACTION_SERVER_URL": self.action_url,
            "NLG_URL": f"{self.app_url}/nlg",
            "TRACKER_URL": os.environ.get("TRACKER_URL") or f"sqlite:///{run_dir / 'tracker.db'}",
            "RASA_TOKEN": self.token,
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            **self.env,
        }
        return env

    def commands(self) -> dict[str, list[str]]:
        return {
            "actions": [str(APP_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                        "--port", str(self.action_port)],
            "app": [str(APP_BIN / "python"), "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
                    "--port", str(self.app_port), "--log-level", "warning", "--ws", "none"],
            "rasa": [str(BOT_BIN / "rasa"), "run", "--model", str(self.model),
                     "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
                     "--port", str(self.rasa_port), "--cors", "*", "--enable-api",
                     "--auth-token", self.token],
        }

    def start(self, names: tuple[str, ...] = ("actions", "app", "rasa")) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        (ROOT / ".run").mkdir(exist_ok=True)
        env, commands = self.environment(), self.commands()
        for name in names:
            log = (self.log_dir / f"{name}-{self.rasa_port}.log").open("w")
            self.processes[name] = subprocess.Popen(
                commands[name], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_healthy(self, timeout: float = 240) -> None:
        checks = {"actions": f"{self.action_url}/health", "app": f"{self.app_url}/nlg", "rasa": f"{self.rasa_url}/"}
        deadline = time.monotonic() + timeout
        for name, url in checks.items():
            if name not in self.processes:
                continue
            while True:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited; see {self.log_dir}/{name}-{self.rasa_port}.log")
                try:
                    if httpx.get(url, timeout=2).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} did not become healthy at {url}")
                time.sleep(0.5)

    def stop(self, names: tuple[str, ...] | None = None) -> None:
        for name in list(names or self.processes):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def main() -> int:
    model = prepare()
    stack = Stack(
        model=model,
        rasa_port=int(os.environ.get("RASA_PORT", 5005)),
        action_port=int(os.environ.get("ACTION_PORT", 5055)),
        app_port=int(os.environ.get("APP_PORT", 8000)),
    )
    stack.start()
    try:
        stack.wait_healthy()
        print(f"\nLotsen is running: open http://localhost:{stack.app_port}/  (Ctrl-C stops it)\n", flush=True)
        while all(process.poll() is None for process in stack.processes.values()):
            time.sleep(1)
        print("a process exited; stopping Lotsen", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
