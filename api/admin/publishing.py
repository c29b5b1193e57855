"""Publish from the admin: queue a training run and start it as its own process (`launcher.publish`).

Training takes minutes and two cores; it runs apart from the app's process, which only reads the run's row
for the status page. One run at a time: a new one is refused while another is queued or training.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import StaffAccount, TrainingRun
from settings import ROOT, RUN_DIR


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def running(session: Session) -> TrainingRun | None:
    return session.scalars(select(TrainingRun).where(TrainingRun.status.in_(("queued", "training")))).first()


def start(session: Session, account: StaffAccount) -> TrainingRun:
    run = TrainingRun(status="queued", requested_by=account.id, queued_at=now(), keys=[], log_tail="")
    session.add(run)
    session.commit()  # the process reads the row
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    with (RUN_DIR / f"publish-{run.id}.log").open("a") as log:
        subprocess.Popen([sys.executable, "-m", "launcher.publish", str(run.id)], cwd=ROOT, stdout=log,
                         stderr=subprocess.STDOUT, start_new_session=True)
    return run
