"""The six languages, and the one function that decides a reply's language from a conversation's slots."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES: tuple[str, ...] = ("sv", "en", "de", "nl", "ar", "uk")
RTL_LANGUAGES = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"
# When a text is missing in the user's language: English first, then Swedish (the source of most facts).
FALLBACK_CHAIN: tuple[str, ...] = ("en", "sv")
# The slots a reply's language is read from, strongest first: the sticky `language` slot (set only on a
# confident sentence or an explicit request), then the channel's hint (the widget's or messenger's locale).
LANGUAGE_SLOTS: tuple[str, ...] = ("language", "language_hint")


def reply_language(slots: Mapping[str, Any]) -> str:
    """The language every reply of this conversation is written in. NLG, API and actions all ask here."""
    for name in LANGUAGE_SLOTS:
        value = slots.get(name)
        if value in LANGUAGES:
            return value
    return DEFAULT_LANGUAGE


def direction(language: str) -> str:
    """'rtl' or 'ltr', for the `dir` attribute of whatever shows a text in `language`."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def fallbacks(language: str) -> list[str]:
    return [language] + [code for code in FALLBACK_CHAIN if code != language]


def known(language: Any) -> str | None:
    """`language` if it is one of ours, else None (for hints from outside: metadata, URLs, headers)."""
    return language if language in LANGUAGES else None
