"""A long message (a story with a question inside) is answered on its main question.

A message is read sentence by sentence when it is long (a story: its topic may be in any sentence), or when it
has several sentences and the classifier is unsure of the whole ("I came from Kharkiv with two children, 7 and
12. … I am an accountant. How do I find work?" scores 0.3 for family maintenance as a whole): then only a topic
asked in a question counts ("just landed, no personnummer yet. What ID do phone shops want?" is about phones,
not about first steps), else the whole message's intent stands. It is split into sentences; Rasa's own NLU
(`POST /model/parse`, the server the message came through) classifies each; the most confident FAQ topic among
the sentences asked as questions (else among all) is answered and the next one offered. When Rasa cannot be
asked, the whole message's intent stands.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx

from common.messages import faq_key
from common.sentences import split
from settings import get_settings

log = logging.getLogger(__name__)
LONG = 280  # characters: shorter messages are one question (a phone screen's worth, roughly)
MIN_CONFIDENCE = 0.7  # the SVM is sure of real questions (~1.0); fragments ("I want to show my boss") score ~0.5


@dataclass(frozen=True)
class Topic:
    key: str
    confidence: float
    sentence: str


def sentences(text: str) -> list[str]:
    """The sentences of `text` long enough to carry a question (three words or more)."""
    return [part for part in split(text) if len(part.split()) >= 3]


def is_long(text: str) -> bool:
    return len(text) >= LONG and len(sentences(text)) >= 2


def reading(text: str, confidence: float = 1.0) -> str | None:
    """How a message is read: "story" (long: a topic from any sentence), "questions" (several sentences and
    the whole's intent below MIN_CONFIDENCE: a topic from a question), None (as a whole)."""
    if is_long(text):
        return "story"
    if confidence < MIN_CONFIDENCE and len(sentences(text)) >= 2:
        return "questions"
    return None


async def _parse(client: httpx.AsyncClient, text: str) -> dict:
    settings = get_settings()
    response = await client.post(f"{settings.rasa_url}/model/parse", json={"text": text},
                                 params={"token": settings.rasa_token.get_secret_value()})
    response.raise_for_status()
    return response.json()


async def topics(text: str, whole: str | None = None, questions_only: bool = False,
                 min_confidence: float = MIN_CONFIDENCE) -> list[Topic]:
    """FAQ topics found in the sentences of `text` (`questions_only`: in its questions), each topic once:
    questions first, among them the topic the whole message was classified as (`whole`, what the story is
    about), then the most confident."""
    parts = [part for part in sentences(text) if is_question(part) or not questions_only]
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            parses = await asyncio.gather(*(_parse(client, part) for part in parts))
    except (httpx.HTTPError, ValueError):
        log.warning("Rasa could not be asked to parse the sentences of a long message")
        return []
    found: dict[str, Topic] = {}
    for part, parse in zip(parts, parses):
        intent = parse.get("intent") or {}
        key, confidence = faq_key(intent.get("name")), float(intent.get("confidence") or 0)
        if key and confidence >= min_confidence and confidence > getattr(found.get(key), "confidence", 0):
            found[key] = Topic(key, confidence, part)
    return ordered(list(found.values()), whole)


def ordered(found: list[Topic], whole: str | None = None) -> list[Topic]:
    """A story's question is asked in a question ("… how do I find work?"): those sentences come first. Of two
    questions ("How do I register with Arbetsförmedlingen? Can I do it without BankID?") the one on what the
    whole story is about (`whole`), then the more confident."""
    return sorted(found, key=lambda topic: (not is_question(topic.sentence), topic.key != whole, -topic.confidence))


QUESTION_MARKS = ("?", "؟")  # Latin and Arabic


def is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith(QUESTION_MARKS)
