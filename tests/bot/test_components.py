"""Every trainable NLU component goes through the same checks (tests/bot/component_checks.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.components.embedding_classifier import SentenceEmbeddingClassifier
from bot.components.gazetteer import MunicipalityGazetteer
from bot.components.language_detector import LanguageDetector
from bot.components.linear_classifier import LinearIntentClassifier
from tests.bot.component_checks import CHECKS, PLACES, Case, training_data


def gazetteer_file(folder: Path) -> dict:
    path = folder / "gazetteer.yml"
    path.write_text(yaml.safe_dump({"places": PLACES}, allow_unicode=True), encoding="utf-8")
    return {"gazetteer": str(path)}


CASES = [
    Case(LinearIntentClassifier),
    Case(SentenceEmbeddingClassifier),
    Case(MunicipalityGazetteer, config=gazetteer_file),
    Case(LanguageDetector, data=lambda: training_data(with_language=True),
         untrained_entities=("language", "language_hint")),
]


@pytest.mark.parametrize("check", CHECKS, ids=[check.__name__ for check in CHECKS])
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_component(case: Case, check, tmp_path: Path) -> None:
    check(case, tmp_path)
