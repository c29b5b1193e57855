"""Every FAQ entry is reachable in every language: some of its own training questions lead to it."""
from __future__ import annotations

import asyncio
import re

import pytest
import yaml
from rasa.core.agent import Agent

from bot.build.model import BUILD, ROOT, ensure_model

LANGUAGES = ("sv", "en", "de", "nl", "ar", "uk")
SAMPLE = 4
_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(ensure_model()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_faq_key_is_reachable(agent, language):
    questions = {}
    for path in sorted((ROOT / "data" / "catalog" / "faq" / "questions" / language).glob("*.yml")):
        questions.update(yaml.safe_load(path.read_text()))
    assert (BUILD / "data" / "faq" / f"{language}.yml").exists()

    async def reached(key: str, examples: list[str]) -> bool:
        for example in examples[:SAMPLE]:
            parse = await agent.parse_message(_MARKUP.sub(r"\1", example))
            ranking = [item["name"] for item in parse.get("intent_ranking", []) if item["name"] != "nlu_fallback"]
            if ranking[:1] == [f"faq_{key}"]:
                return True
        return False

    unreachable = [key for key, examples in questions.items() if not asyncio.run(reached(key, examples))]
    assert unreachable == []
