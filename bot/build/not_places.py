"""Find the frequent words of the six languages (and Russian) that the gazetteer would read as a place:
`python -m bot.build.not_places` rewrites data/catalog/not_places.yml, to be reviewed like any content diff.

Needs `pip install wordfreq` (a development tool, not a requirement of Lotsen): its 50,000 most frequent words
per language. Each word the gazetteer matches on its own is sorted by how it matched:
- by spelling similarity (rapidfuzz): always a word, not a misspelt place ("halen" ~ Hallen, "alter" ~ Alster,
  "snacka" ~ Nacka);
- through an inflection or attached preposition of a short name (5 letters or fewer): a word ("lite" -> Lit,
  "скорее" -> Скоре, "سوني" -> سونه); a genitive ("Bergs") and longer names' inflections are the place
  ("Karlstads", "Стокгольмі");
- exactly a locality's name or alias, and among the 20,000 most frequent words: a word first ("hallen" the
  hall, "глава" a chapter, "backe" a hill); municipalities', counties' and other towns' names and aliases are
  never listed by the script (a few by hand: "кроком", by steps, is also Krokom).
The gazetteer then needs a locative or the name's exact spelling before it takes such a word for a place, and
never takes a similar-looking word for one (bot.components.gazetteer).
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.components.gazetteer import MunicipalityGazetteer, Word
from common.names import fold

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "data" / "catalog" / "not_places.yml"
LANGUAGES = ("sv", "en", "de", "nl", "ar", "uk", "ru")
TOP = 50_000
SHORT_FORM = 5
FREQUENT_EXACT = 20_000

HEADER = """\
# Frequent words that look like a place name to the gazetteer: similar to one (halen ~ Hallen), an inflection of
# a short one (lite -> Lit, скорее -> Скоре) or a locality's name that is mostly a word (hallen, глава).
# A word listed here counts as a place only after a locative or in the name's exact spelling ("bor i Hallen"),
# never by similarity. Written by `python -m bot.build.not_places` from wordfreq's 50,000 most frequent words
# per language (sv en de nl ar uk ru) and reviewed; add a word by hand when a message shows another one.
"""


def classify(gazetteer: MunicipalityGazetteer, places: dict, word: str, rank: int) -> bool:
    """Whether `word`, matched by the gazetteer on its own, is an ordinary word rather than a place."""
    match = gazetteer._longest_match([Word(word, 0)], 0)
    if match is None:
        return False
    name, _, score = match
    if score < 100:
        return True
    folded = fold(word)
    if folded not in gazetteer._forms:  # an inflection of a short form, but not a genitive ("Bergs", "Lunds")
        form = next(c for c in gazetteer._candidates(folded) if c in gazetteer._forms)
        return len(form) <= SHORT_FORM and folded != form + "s"
    return "value" in places[name] and rank < FREQUENT_EXACT  # a locality's name or alias


def block_yaml(document: dict[str, dict[str, list[str]]]) -> str:
    """Two levels of mappings over lists, in the catalog files' style (what `make content-export` writes back)."""
    def scalar(word: str) -> str:
        return word if yaml.safe_load(word) == word else json.dumps(word, ensure_ascii=False)

    lines = []
    for group, by_language in document.items():
        lines.append(f"{group}:")
        lines += [line for language, words in by_language.items()
                  for line in [f"  {language}:", *(f"    - {scalar(word)}" for word in words)]]
    return "\n".join(lines) + "\n"


def main() -> None:
    from wordfreq import top_n_list

    places = yaml.safe_load((ROOT / ".build" / "train" / "gazetteer.yml").read_text(encoding="utf-8"))["places"]
    gazetteer = MunicipalityGazetteer({**MunicipalityGazetteer.get_default_config()}, None, None, {"places": places})
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    for language in LANGUAGES:
        for rank, word in enumerate(top_n_list(language, TOP)):
            folded = fold(word)
            if folded not in seen and classify(gazetteer, places, word, rank):
                seen.add(folded)
                found.setdefault(language, []).append(folded)
    kept = yaml.safe_load(OUTPUT.read_text(encoding="utf-8")).get("by_hand", {}) if OUTPUT.exists() else {}
    document = {"by_hand": kept, "words": {language: sorted(words) for language, words in found.items()}}
    OUTPUT.write_text(HEADER + block_yaml(document), encoding="utf-8")
    print(f"not_places: {len(seen)} words in {OUTPUT}")


if __name__ == "__main__":
    main()
