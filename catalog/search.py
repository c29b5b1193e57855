"""Retrieval over the FAQ database: ranks the topics in the user's language by their questions and answer.

BM25 (bm25s) over one document per topic — its example questions and its answer — with words folded and cut
to their first five letters, a cheap stem that works for inflected Swedish, German, Ukrainian and Arabic.
Used (1) when the NLU model is unsure, and (2) for topics staff added or extended after the running model was
trained (`FaqEntry.in_model` false): they are answerable at once, before a publish retrains the model.
Measured on the held-out sets: bench/eval_retrieval.py -> bench/results/retrieval.md.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import bm25s
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog import queries
from catalog.models import AuditEntry, FaqEntry, FaqQuestion
from common.names import fold

_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_WORD = re.compile(r"\w+")
STEM = 5
# Thresholds on the margin (best − second score) / best, chosen on the held-out sets (bench/results/retrieval.md):
# when the classifier is unsure, answer from retrieval at >= 0.1 (about 0.92 precision, 80 % answered);
# an untrained topic overrides the classifier's confident choice only at >= 0.2 (about 0.95 precision).
FALLBACK_MARGIN = 0.1
OVERRIDE_MARGIN = 0.2


def plain(example: str) -> str:
    """Training-example markup removed: '[Krokom](municipality)' -> 'Krokom'."""
    return _MARKUP.sub(r"\1", example)


def tokens(text: str) -> list[str]:
    return [word[:STEM] for word in _WORD.findall(fold(plain(text))) if len(word) > 1]


@dataclass(frozen=True)
class Ranked:
    key: str
    score: float
    margin: float  # (best − second) / best: how clearly the best topic stands out


class _Index:
    def __init__(self, keys: list[str], documents: list[list[str]]) -> None:
        self.keys = keys
        self.bm25 = bm25s.BM25()
        self.bm25.index(documents, show_progress=False)

    def best(self, words: list[str]) -> Ranked | None:
        if not words or len(self.keys) < 2:
            return None
        found, scores = self.bm25.retrieve([words], k=2, show_progress=False)
        best, second = float(scores[0][0]), float(scores[0][1])
        if best <= 0:
            return None
        return Ranked(self.keys[int(found[0][0])], best, (best - second) / best)


_cache: dict[tuple[str, tuple], _Index] = {}
_lock = threading.Lock()


def _version(session: Session) -> tuple:
    """Changes whenever questions or answers change: new question ids, or a new audited edit."""
    questions = session.execute(select(func.count(FaqQuestion.id), func.max(FaqQuestion.id))).one()
    return (*questions, session.scalar(select(func.max(AuditEntry.id))))


def _index(session: Session, language: str) -> _Index | None:
    version = _version(session)
    with _lock:
        if (language, version) in _cache:
            return _cache[language, version]
    documents: dict[str, list[str]] = {}
    for key, _language, text in queries.faq_questions(session, language):
        documents.setdefault(key, []).extend(tokens(text))
    if not documents:
        return None
    for key, answer in queries.faq_answers(session, language):
        if key in documents:
            documents[key].extend(tokens(answer))
    index = _Index(list(documents), list(documents.values()))
    with _lock:
        for stale in [cached for cached in _cache if cached[0] == language]:
            del _cache[stale]
        _cache[language, version] = index
    return index


def best_topic(session: Session, message: str, language: str) -> Ranked | None:
    index = _index(session, language)
    return index.best(tokens(message)) if index else None


def best_faq_key(session: Session, message: str, language: str, min_margin: float = FALLBACK_MARGIN) -> str | None:
    """The topic to answer when the classifier is unsure, or None (the normal fallback)."""
    ranked = best_topic(session, message, language)
    return ranked.key if ranked and ranked.margin >= min_margin else None


def untrained_override(session: Session, message: str, language: str) -> str | None:
    """A topic the running model has not learned yet, when retrieval clearly prefers it for this message."""
    if not session.scalar(select(func.count(FaqEntry.id)).where(FaqEntry.in_model.is_(False))):
        return None
    ranked = best_topic(session, message, language)
    if ranked is None or ranked.margin < OVERRIDE_MARGIN:
        return None
    untrained = session.scalar(select(FaqEntry.id).where(FaqEntry.key == ranked.key, FaqEntry.in_model.is_(False)))
    return ranked.key if untrained else None
