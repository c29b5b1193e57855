"""Where a message's sentences end: one rule for the NLU (a language request beside a question) and the actions
(a long message answered on its question)."""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?؟…])\s+|\n+")


def split(text: str) -> list[str]:
    """The sentences of `text`, stripped, empty ones left out."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]
