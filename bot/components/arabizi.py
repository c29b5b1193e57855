"""A consonant skeleton that Arabic letters and Arabizi share: "ro5sa" and "رخصة" both become "rxs".

Arabic speakers write to Lotsen in both scripts, and far more examples exist in Arabic letters than in Latin
ones. Short vowels are not written in Arabic and are written every which way in Arabizi, so the skeleton
keeps only consonants, in classes that both spellings agree on: emphatic and plain letters merged (ص/س -> s),
Arabizi digits read as the letters they stand for (7 = ح, 5 = خ, 2 = ق as Levantine and Egyptian say it),
ع, hamza and the weak letters (ا و ي) dropped, the article and its prepositions (ال، بال، لل) left off.
Cyrillic words have no skeleton: Ukrainian has nothing to share it with.
"""
from __future__ import annotations

import re

from common.names import fold

_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_ARABIC = {"ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "t", "ج": "j", "گ": "j", "ح": "h", "ه": "h", "خ": "x",
           "د": "d", "ذ": "d", "ض": "d", "ظ": "d", "ر": "r", "ز": "z", "س": "s", "ص": "s", "ش": "c", "چ": "c",
           "غ": "g", "ف": "f", "ڤ": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n"}
# Digraphs before single letters; vowels and w/y (long vowels in Arabic, dropped there too) map to nothing.
_LATIN = {"sh": "c", "ch": "c", "kh": "x", "gh": "g", "th": "t", "dh": "d", "ph": "f",
          "2": "q", "3": "", "5": "x", "6": "t", "7": "h", "8": "q", "9": "q",
          "g": "j", "c": "k", "p": "b", "v": "f", "a": "", "e": "", "i": "", "o": "", "u": "", "w": "", "y": ""}
_LATIN_PATTERN = re.compile("|".join(sorted(map(re.escape, _LATIN), key=len, reverse=True)))
_CONSONANTS = set("bcdfghjklmnqrstxz")
_ARTICLE = re.compile(r"^[وف]?(?:[بلك]?ال|لل)(?=..)")
_ARTICLE_ALONE = {"bl", "ll", "wl", "fl"}  # "bel", "lal", "wel" … written apart in Arabizi
_WORD = re.compile(r"\w+")


def word_skeleton(word: str) -> str:
    if _CYRILLIC_LETTER.search(word):
        return ""
    if _ARABIC_LETTER.search(word):
        word = _ARTICLE.sub("", word)
        if word.endswith("ه"):  # ta marbuta, folded to ه: Arabizi writes it as a vowel
            word = word[:-1]
        consonants = "".join(_ARABIC.get(char, "") for char in word)
    else:
        consonants = "".join(char for char in _LATIN_PATTERN.sub(lambda m: _LATIN[m.group(0)], word)
                             if char in _CONSONANTS)
    consonants = re.sub(r"(.)\1+", r"\1", consonants)  # "mahamm", "ta2addom": doubling isn't written in Arabic
    return "" if len(consonants) < 2 or consonants in _ARTICLE_ALONE else consonants


def skeleton(text: str) -> str:
    """The text's words as consonant skeletons (words without one are left out)."""
    return " ".join(filter(None, (word_skeleton(word) for word in _WORD.findall(fold(text)))))
