"""Rasa's own checks on the assembled training data and the trained model's dialogue (conversation tests)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from bot.build.model import BUILD, ROOT, ensure_model

RASA = str(ROOT / ".venv" / "bot" / "bin" / "rasa")


def test_training_data_and_domain_validate():
    result = subprocess.run(
        [RASA, "data", "validate", "--domain", str(BUILD / "domain"), "--data", str(BUILD / "data")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_conversation_stories_pass(tmp_path: Path):
    result = subprocess.run(
        [RASA, "test", "core", "--model", str(ensure_model()), "--stories", str(ROOT / "tests" / "conversations"),
         "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
