"""Training time of Lotsen's model on the full data, from an empty Rasa cache: `make bench-training`.

Issue 13's target is under 3 minutes on this 2-core machine (issue 3 had 5). Each run trains with the command
`make model` uses, in a new cache and output folder, so nothing is reused; the times of Rasa's components come from its
training log. Results go to bench/results/training.json. A benchmark, not a test: it measures, it does not judge.
"""
from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bot.build.model import ROOT, inputs_hash, train_command

RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 180
_HOOK = re.compile(r"^(\S+ \S+) INFO\s+rasa\.engine\.training\.hooks\s+- "
                   r"(Starting to train|Finished training) component '([^']+)'", re.MULTILINE)


def component_seconds(log: str) -> dict[str, float]:
    """Seconds per component, from the `Starting to train / Finished training component` lines of Rasa's log."""
    started: dict[str, datetime] = {}
    seconds: dict[str, float] = {}
    for stamp, event, component in _HOOK.findall(log):
        at = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
        if event.startswith("Starting"):
            started[component] = at
        elif component in started:
            seconds[component] = (at - started.pop(component)).total_seconds()
    return seconds


def train_once() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "RASA_CACHE_DIRECTORY": str(Path(folder) / "cache"), "PYTHONPATH": str(ROOT),
               "RASA_TELEMETRY_ENABLED": "false"}
        started = time.monotonic()
        result = subprocess.run(train_command(ROOT / "config.yml", "bench", Path(folder)), cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
        seconds = time.monotonic() - started
    return {"seconds": round(seconds, 1), "components": component_seconds(result.stdout + result.stderr)}


def main() -> int:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    results = []
    for run in range(runs):
        results.append(train_once())
        print(f"run {run + 1}/{runs}: {results[-1]['seconds']} s", flush=True)
    median = statistics.median(r["seconds"] for r in results)
    report = {
        "what": "`rasa train` of config.yml on the full training data from an empty Rasa cache (bot.model.train_command)",
        "inputs": inputs_hash(), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "runs": results, "median_seconds": median, "target_seconds": TARGET_SECONDS,
        "within_target": median < TARGET_SECONDS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
