"""Reading the checklist answers from free text or buttons, in any of the six languages.

Kept deliberately small: word stems per answer, matched on folded text (lower case, no diacritics).
"""
from __future__ import annotations

import re

from common.names import fold

YES = ("yes", "yeah", "yep", "sure", "correct", "ja", "jo", "japp", "absolut", "jawohl", "genau", "klopt",
       "zeker", "نعم", "ايوه", "اي", "اكيد", "так", "да", "ага", "звісно", "/affirm")
NO = ("no", "nope", "not", "nej", "nee", "nein", "niet", "geen", "kein", "inte", "لا", "ليس", "ні", "нет",
      "не", "none", "inga", "keine", "/deny")
UNKNOWN = ("dont know", "don't know", "vet inte", "weiss nicht", "weet niet", "not sure", "osaker", "unsure",
           "لا اعرف", "مش عارف", "не знаю", "ще не", "not yet", "inte an", "noch nicht", "nog niet")
PURPOSES = {
    "work": ("work", "job", "employ", "arbet", "jobb", "anstall", "arbeit", "stelle", "werk", "baan",
             "عمل", "شغل", "وظيف", "робот", "прац", "работ"),
    "study": ("stud", "plugg", "universit", "hogskol", "school", "education", "دراس", "جامع", "навча",
              "учеб", "студ"),
    "family": ("family", "familj", "famil", "partner", "spouse", "husband", "wife", "sambo", "make", "maka",
               "ehe", "echtgeno", "عائل", "اسر", "زوج", "сім", "родин", "чолов", "дружин", "муж", "жена"),
    "protection": ("protect", "skydd", "asyl", "schutz", "bescherm", "flykt", "refugee", "fluecht",
                   "vlucht", "ukrain", "حماي", "لجوء", "لاجئ", "захист", "біжен", "беж", "притул"),
}
_AGE = re.compile(r"\b(\d{1,2})\b")


_PUNCTUATION = re.compile(r"[^\w\s/']")


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    """Whole-word match of any phrase: 'no' matches "no thanks", not "november"."""
    words = f" {_PUNCTUATION.sub(' ', fold(text))} "
    return any(f" {fold(phrase)} " in words for phrase in phrases)


def yes_no(text: str) -> bool | None:
    if _has(text, NO) and not _has(text, YES):
        return False
    if _has(text, YES) and not _has(text, NO):
        return True
    return None


def purpose(text: str) -> str | None:
    folded = fold(text)
    found = [name for name, stems in PURPOSES.items() if any(fold(stem) in folded for stem in stems)]
    return found[0] if len(found) == 1 else None


STAGES = ("preschool", "school", "upper_secondary")
_CANONICAL_CHILDREN = re.compile(rf"^(none|any|({'|'.join(STAGES)})(,({'|'.join(STAGES)}))*)$")


def children(text: str) -> str | None:
    """'none', comma-separated school stages for the given ages, or 'any' (children, ages unknown)."""
    if _CANONICAL_CHILDREN.match(text):  # already an answer (the form re-validates filled slots)
        return text
    ages = [int(age) for age in _AGE.findall(text) if int(age) <= 19]
    if ages:
        stages = {"preschool" if age <= 5 else "school" if age <= 15 else "upper_secondary" for age in ages}
        return ",".join(sorted(stages))
    answer = yes_no(text)
    if answer is False:
        return "none"
    if answer is True:
        return "any"
    return None


def unknown(text: str) -> bool:
    return _has(text, UNKNOWN)
