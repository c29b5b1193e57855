"""Name folding shared by the catalog, the actions and the bot's NLU components."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Arabic letters that are written in several ways; folded to one so أوسترسوند == اوسترسوند.
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": ""})
# Ukrainian/Russian spelling pairs for the same Swedish name (Естерсунд / Эстерсунд).
_CYRILLIC = str.maketrans({"э": "е", "ё": "е", "ы": "и", "і": "и", "ї": "и", "й": "и", "є": "е", "ъ": "", "ь": ""})


@lru_cache(maxsize=8192)  # the same names are folded on every look-up; folding is pure
def fold(text: str) -> str:
    """Lower-case, strip diacritics and harakat, unify script variants: 'Östersunds' -> 'ostersunds'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.translate(_ARABIC).translate(_CYRILLIC).replace("'", "").replace("’", "").split())
