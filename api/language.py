"""The six languages and how a conversation's language is decided from its slots."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES: tuple[str, ...] = ("sv", "en", "de", "nl", "ar", "uk")
RTL_LANGUAGES = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"
# When a text is missing in the user's language: English first, then Swedish (the source of most facts).
FALLBACK_CHAIN: tuple[str, ...] = ("en", "sv")


def conversation_language(slots: Mapping[str, Any]) -> str:
    """The sticky `language` slot wins; a channel hint or a weak guess only counts until it is set."""
    for name in ("language", "language_hint"):
        value = slots.get(name)
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE


def fallbacks(language: str) -> list[str]:
    return [language] + [code for code in FALLBACK_CHAIN if code != language]
