"""The bot's own texts on the Rasa side, for the moments the app cannot render them (it is down, or a message
was refused before NLU): the same gettext catalogs (locales/) and message ids (common.messages)."""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Text

from common.languages import direction
from common.messages import RESPONSES

LOCALES = Path(__file__).resolve().parent.parent / "locales"


@lru_cache(maxsize=None)
def _catalog(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("messages", localedir=LOCALES, languages=[language])
    except OSError:
        return gettext.NullTranslations()  # English, the source language


def message(name: str, language: str, **values: Any) -> Dict[Text, Any]:
    """A bot message in `language`, carrying its language like every message the NLG endpoint renders."""
    text = _catalog(language).gettext(RESPONSES[name]).format(**values)
    return {"text": text, "language": language, "dir": direction(language)}
