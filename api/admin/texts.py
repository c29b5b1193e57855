"""The admin's own texts: English in the templates, Swedish from locales/sv/LC_MESSAGES/admin.po (Babel)."""
from __future__ import annotations

import gettext
from functools import lru_cache

from settings import get_settings

ADMIN_LANGUAGES = ("en", "sv")


@lru_cache(maxsize=None)
def translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("admin", localedir=get_settings().locales_dir, languages=[language], fallback=True)


def admin_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """?lang= first (remembered in a cookie), then the cookie, then the browser's Accept-Language."""
    for choice in (query, cookie):
        if choice in ADMIN_LANGUAGES:
            return choice
    return "sv" if (accept or "").lower().startswith("sv") else "en"
