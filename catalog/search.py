"""Retrieval over the FAQ database: finds the entry whose stored questions best match a message.

Used when the NLU model is not confident, so content published by staff is answerable before retraining.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from catalog import queries
from common.names import fold

_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
MIN_SCORE = 72


def plain(example: str) -> str:
    """Training-example markup removed: '[Krokom](municipality)' -> 'Krokom'."""
    return _MARKUP.sub(r"\1", example)


def best_faq_key(session: Session, message: str, language: str, min_score: float = MIN_SCORE) -> str | None:
    wanted = fold(message)
    if len(wanted) < 4:
        return None
    rows = queries.faq_questions(session, language) or queries.faq_questions(session)
    choices = {index: fold(plain(text)) for index, (_key, _lang, text) in enumerate(rows)}
    best = process.extractOne(wanted, choices, scorer=fuzz.token_set_ratio, score_cutoff=min_score)
    return rows[best[2]][0] if best else None
