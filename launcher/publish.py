"""`python -m launcher.publish RUN_ID`: one publish, started by the staff admin in the background.

Exports the database's questions as Rasa training data, trains (skipped when a model of exactly these inputs
exists), and swaps the new model into the running Rasa server through its HTTP API (`PUT /model` with the
server's token). The run's status, times and log tail are written to its `training_run` row as it goes; a
failure keeps the current model and records why. The admin allows one run at a time.
"""
from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections import deque
from datetime import datetime, timezone

import httpx
from sqlalchemy import update

from bot.build.export import export
from bot.build.model import MODELS, ROOT, inputs_hash, train_command
from catalog import queries
from catalog.models import FaqEntry, TrainingRun
from catalog.session import session_scope
from settings import get_settings

LOG_LINES = 40
# Its own build folder: `make run`, `make model` and benchmarks export to .build/train meanwhile.
BUILD = ROOT / ".build" / "publish"
SWAP_TIMEOUT = 300.0  # loading a model takes seconds; a cold start of the encoder can take longer


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _update(run_id: int, **values) -> None:
    with session_scope() as session:
        run = session.get(TrainingRun, run_id)
        for name, value in values.items():
            setattr(run, name, value)


def train(run_id: int) -> str:
    """Train on the exported inputs, streaming the output's tail into the run; the model's path."""
    name = f"lotsen-{inputs_hash(build=BUILD)}"
    model = MODELS / f"{name}.tar.gz"
    if model.exists():
        _update(run_id, log_tail=f"model {name} exists for these inputs: no training needed")
        return str(model)
    MODELS.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=LOG_LINES)
    process = subprocess.Popen(train_command(ROOT / "config.yml", name, build=BUILD), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "LOTSEN_GAZETTEER": str(BUILD / "gazetteer.yml")})
    assert process.stdout is not None
    for count, line in enumerate(process.stdout):
        tail.append(line.rstrip())
        if count % 20 == 0:
            _update(run_id, log_tail="\n".join(tail))
    _update(run_id, log_tail="\n".join(tail))
    if process.wait() != 0 or not model.exists():
        raise RuntimeError(f"training failed (exit {process.returncode}); see the log tail")
    return str(model)


def swap(model: str) -> None:
    settings = get_settings()
    reply = httpx.put(f"{settings.rasa_url}/model", params={"token": settings.rasa_token.get_secret_value()},
                      json={"model_file": model}, timeout=SWAP_TIMEOUT)
    if reply.status_code != 204:
        raise RuntimeError(f"Rasa refused the model: HTTP {reply.status_code} {reply.text[:300]}")


def run(run_id: int) -> int:
    _update(run_id, status="training", started_at=_now())
    try:
        export(BUILD)  # the questions as they are now in the database
        with session_scope() as session:
            keys = sorted({key for key, _language, _text in queries.faq_questions(session)})
        model = train(run_id)
        swap(model)
        with session_scope() as session:
            session.execute(update(FaqEntry).where(FaqEntry.key.in_(keys)).values(in_model=True))
        _update(run_id, status="done", finished_at=_now(), model=model.rsplit("/", 1)[-1], keys=keys)
        return 0
    except Exception as error:  # the current model stays; the admin shows why
        _update(run_id, status="failed", finished_at=_now(), error=f"{error}\n\n{traceback.format_exc(limit=3)}")
        return 1


if __name__ == "__main__":
    raise SystemExit(run(int(sys.argv[1])))
