"""Gettext catalogs (loaded once) and Babel formatting for the six languages."""
from __future__ import annotations

import gettext
import logging
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.lists import format_list

from common.languages import LANGUAGES
from settings import get_settings

log = logging.getLogger(__name__)
SOURCE_LANGUAGE = "en"


@lru_cache(maxsize=None)
def catalog(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("messages", localedir=get_settings().locales_dir, languages=[language])
    except FileNotFoundError:
        if language != SOURCE_LANGUAGE:
            log.warning("no compiled catalog for %r (run `make catalogs`)", language)
        return gettext.NullTranslations()


def translate(message: str, language: str) -> str:
    """The message in `language`; English (the source) with a logged warning when untranslated."""
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return message
    translations = catalog(language)
    translated = translations.gettext(message)
    # A translation may equal its source ("{category} in {municipality}" in German): only a missing one is told.
    if translated == message and message not in getattr(translations, "_catalog", {}):
        log.warning("missing %s translation: %r", language, message[:60])
    return translated


def format_day(day: date, language: str) -> str:
    return format_date(day, format="long", locale=language)


def format_names(names: list[str], language: str) -> str:
    return format_list(names, locale=language)
