"""`python -m launcher` (make run): prepare, start the three servers, keep them up, stop them together.

A server that exits is restarted after a back-off (1 s, doubling to 30 s; reset once it has run a minute)
and logged, while the other two keep serving — users meanwhile get the designed apology. Ctrl-C and SIGTERM
(what a container or service manager sends) stop all three.
"""
from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from launcher.stack import Stack, prepare
from settings import get_settings

log = logging.getLogger("launcher")
FIRST_BACKOFF, MAX_BACKOFF, STABLE_AFTER = 1.0, 30.0, 60.0


class Supervisor:
    """Restarts exited servers of a running stack, each with its own back-off."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.backoff = {name: FIRST_BACKOFF for name in stack.processes}
        self.started = {name: time.monotonic() for name in stack.processes}
        self.due: dict[str, float] = {}

    def tick(self) -> None:
        now = time.monotonic()
        for name in self.stack.exited():
            if name in self.due:
                continue
            code = self.stack.processes[name].returncode
            if now - self.started[name] > STABLE_AFTER:
                self.backoff[name] = FIRST_BACKOFF
            self.due[name] = now + self.backoff[name]
            log.warning("%s exited with code %s; restarting in %.0f s (log: %s)",
                        name, code, self.backoff[name], self.stack.log_file(name))
        for name, when in list(self.due.items()):
            if now >= when:
                del self.due[name]
                self.stack.stop((name,))  # whatever the exited server left in its process group
                self.stack.start((name,))
                self.started[name] = time.monotonic()
                self.backoff[name] = min(self.backoff[name] * 2, MAX_BACKOFF)
                log.warning("%s restarted (pid %d)", name, self.stack.processes[name].pid)


class Signals:
    """Ctrl-C (SIGINT) and SIGTERM both raise KeyboardInterrupt — one way out, and the finally block of `main`
    stops every server. Held while servers are started, so none is started without being recorded in the stack
    (it would outlive the launcher in its own session); ignored while the servers are stopped, so a second
    Ctrl-C cannot cut the stopping short."""

    def __init__(self) -> None:
        self.holding = self.pending = False

    def install(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._handle)

    def ignore(self) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)

    def _handle(self, *_: object) -> None:
        if self.holding:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def held(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.pending:
            raise KeyboardInterrupt


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per health check
    signals = Signals()
    signals.install()
    settings = get_settings()
    stack: Stack | None = None
    try:
        stack = Stack(model=prepare(), rasa_port=settings.rasa_port, action_port=settings.action_port,
                      app_port=settings.app_port)
        with signals.held():
            stack.start()
        stack.wait_healthy()
        print(f"\nLotsen is running: open http://localhost:{stack.app_port}/  (Ctrl-C stops it)\n", flush=True)
        supervisor = Supervisor(stack)
        while True:
            with signals.held():
                supervisor.tick()
            time.sleep(0.5)
    except KeyboardInterrupt:
        log.info("stopping")
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"Lotsen could not start: {error}", file=sys.stderr)
        return 1
    finally:
        signals.ignore()
        if stack is not None:
            stack.stop()
            log.info("stopped")


if __name__ == "__main__":
    raise SystemExit(main())
