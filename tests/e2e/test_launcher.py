"""`make run` end to end: the real launcher (`python -m launcher`) on free ports, with its own SQLite catalog and
tracker. It starts the three servers, answers over Rasa's REST channel, restarts a killed action server while
the user gets the designed apology, and stops everything on SIGTERM.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from common.messages import RESPONSES
from launcher.stack import free_port, prepare
from settings import ROOT

pytestmark = pytest.mark.e2e

PREPARE_TIMEOUT = 600  # migrate, seed, export; a training only if someone changed the model's inputs meanwhile
STARTUP_TIMEOUT = 90  # from the servers' start to "Lotsen is running": mostly Rasa loading the model (15-30 s)
RESTART_TIMEOUT = 60
STOP_TIMEOUT = 30
APOLOGY = RESPONSES["utter_error"].split("{url}")[0].strip()  # "Sorry, something went wrong on my side. …"
STARTED = re.compile(r"started (\w+) \(pid (\d+)")
RUNNING = "Lotsen is running: open http://localhost:{port}/"


def wait_for(condition: Callable[[], object], timeout: float, what: str, output: Path | None = None) -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            tail = "\n".join(output.read_text(errors="replace").splitlines()[-40:]) if output else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n--- launcher output ---\n{tail}")
        time.sleep(0.25)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes (its parent, the launcher, has not reaped it yet)
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind; TIME_WAIT is no owner
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class Launcher:
    process: subprocess.Popen
    output: Path
    ports: dict[str, int]

    @property
    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def pids(self) -> dict[str, list[int]]:
        """Every server the launcher has started, by name, oldest first (from its "started NAME (pid N)" lines)."""
        started: dict[str, list[int]] = {}
        for name, pid in STARTED.findall(self.text):
            started.setdefault(name, []).append(int(pid))
        return started

    def wait_for_line(self, line: str, timeout: float) -> None:
        def seen() -> bool:
            assert self.process.poll() is None, f"the launcher exited with {self.process.returncode}:\n{self.text}"
            return line in self.text
        wait_for(seen, timeout, repr(line), self.output)

    def healthy(self, url: str) -> bool:
        try:
            return httpx.get(url, timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


def say(ports: dict[str, int], sender: str, text: str) -> str:
    response = httpx.post(f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=60)
    assert response.status_code == 200, f"{text!r} -> {response.status_code} {response.text}"
    messages = response.json()
    assert messages, f"no reply to {text!r}"
    for message in messages:
        assert (message.get("text") or "").strip(), f"an empty message in reply to {text!r}: {message}"
    return "\n\n".join(message["text"] for message in messages)


@pytest.fixture
def launcher(tmp_path) -> Iterator[Launcher]:
    database_url = f"sqlite:///{tmp_path / 'catalog.db'}"
    # Train now if the model's inputs changed, so the launcher's own `prepare` finds the model and the startup
    # deadline measures the start, not a training. The launcher then prepares the same catalog a second time,
    # as a second `make run` does.
    prepare(database_url)
    ports = {"rasa": free_port(), "actions": free_port(), "app": free_port()}
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "RASA_PORT": str(ports["rasa"]), "ACTION_PORT": str(ports["actions"]), "APP_PORT": str(ports["app"]),
           "DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{tmp_path / 'tracker.db'}"}
    for derived in ("RASA_URL", "ACTION_SERVER_URL", "PUBLIC_RASA_URL", "CORS_ORIGINS", "RASA_TOKEN"):
        env.pop(derived, None)  # derived from the ports above, not inherited from the caller's shell
    output = tmp_path / "launcher.log"
    with output.open("w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "launcher"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                   stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    launcher = Launcher(process, output, ports)
    try:
        yield launcher
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        for group in [process.pid, *(pids[-1] for pids in launcher.pids().values())]:
            try:  # the servers run in their own sessions: killing the launcher's group alone would leave them
                os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        process.wait(timeout=10)
        for name in ports:  # the launcher writes the servers' logs to .run/logs/NAME-RASAPORT.log: keep them here
            log = ROOT / ".run" / "logs" / f"{name}-{ports['rasa']}.log"
            if log.exists():
                shutil.move(log, tmp_path / log.name)


def test_make_run_serves_restarts_a_crashed_action_server_and_stops_on_sigterm(launcher):
    ports, sender = launcher.ports, f"e2e-launcher-{uuid.uuid4().hex[:12]}"

    # 1. It starts and says where to go.
    launched = time.monotonic()
    launcher.wait_for_line("started rasa (pid", PREPARE_TIMEOUT)
    started = time.monotonic()
    launcher.wait_for_line(RUNNING.format(port=ports["app"]), STARTUP_TIMEOUT)
    prepared, startup = started - launched, time.monotonic() - started
    first = launcher.pids()
    assert set(first) == {"actions", "app", "rasa"} and all(len(pids) == 1 for pids in first.values()), first

    # 2. A conversation over the REST channel.
    assert "skatteverket.se" in say(ports, sender, "How do I get a personnummer?")

    # 3. The action server dies: the user gets the designed apology, the launcher restarts it, answers return.
    action_pid = first["actions"][0]
    os.killpg(action_pid, signal.SIGKILL)
    wait_for(lambda: not alive(action_pid), 10, f"the action server (pid {action_pid}) to die", launcher.output)
    apology = say(ports, sender, "How do I get a Swedish ID card?")
    assert APOLOGY in apology and "informationsverige.se" in apology, apology
    launcher.wait_for_line(f"actions exited with code {-signal.SIGKILL}; restarting", 10)
    launcher.wait_for_line("actions restarted", RESTART_TIMEOUT)
    restarted = launcher.pids()["actions"]
    assert len(restarted) == 2 and restarted[1] != action_pid and alive(restarted[1]), restarted
    wait_for(lambda: launcher.healthy(f"http://127.0.0.1:{ports['actions']}/health"), RESTART_TIMEOUT,
             "the restarted action server to be healthy", launcher.output)
    answer = say(ports, sender, "How do I get a Swedish ID card?")
    assert "skatteverket.se" in answer and APOLOGY not in answer, answer
    # The others kept serving: still their first processes.
    assert launcher.pids()["rasa"] == first["rasa"] and launcher.pids()["app"] == first["app"]

    # 4. SIGTERM stops all three and the launcher exits cleanly.
    servers = [launcher.pids()[name][-1] for name in ("actions", "app", "rasa")]
    launcher.process.send_signal(signal.SIGTERM)
    stopping = time.monotonic()
    try:
        code = launcher.process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the launcher did not exit within {STOP_TIMEOUT} s of SIGTERM:\n{launcher.text[-4000:]}")
    stop = time.monotonic() - stopping
    assert code == 0, launcher.text[-4000:]
    assert not [pid for pid in servers if alive(pid)], "servers left running after the launcher exited"
    for pid in servers:
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)  # nothing left in any server's process group either
    busy = {name: port for name, port in ports.items() if not port_free(port)}
    assert not busy, f"ports still in use after the launcher exited: {busy}"
    print(f"prepare {prepared:.1f} s, startup {startup:.1f} s, stop {stop:.1f} s")
