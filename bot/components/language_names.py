"""How people name the six languages, in each of the six languages (folded: lower case, no diacritics).

Used to honour explicit requests such as "kan du svara på svenska?" or "بالعربية من فضلك".
"""
from __future__ import annotations

import re

STEMS: dict[str, tuple[str, ...]] = {
    "sv": ("svensk", "swedish", "schwedisch", "zweeds", "sweeds", "السويد", "سويدي", "шведськ", "шведск", "swidi"),
    "en": ("engelsk", "english", "englisch", "engels", "inglish", "انجليز", "انكليز", "англи", "английск", "inglizi"),
    "de": ("tysk", "german", "deutsch", "duits", "المان", "الماني", "нимецьк", "немецк", "almani"),
    "nl": ("nederlandsk", "hollandsk", "dutch", "niederlandisch", "hollandisch", "nederlands", "hollands",
           "vlaams", "هولند", "нидерландськ", "нидерландск", "голландськ", "голландск"),
    "ar": ("arabisk", "arabic", "arabisch", "arabe", "عربي", "العربيه", "арабськ", "арабск", "3arabi", "arabi"),
    "uk": ("ukrainsk", "ukrainian", "ukrainisch", "oekraiens", "اوكران", "украинськ", "украинск", "ukraini"),
}

_PATTERN = re.compile("|".join(sorted((re.escape(s) for stems in STEMS.values() for s in stems), key=len, reverse=True)))
_LANGUAGE_OF = {stem: code for code, stems in STEMS.items() for stem in stems}


# The sentence of a message that asks for another language beside a question ("kan du svara på engelska? hur
# får jag ett id-kort?"): set by the intent classifier, honoured by the language detector.
LANGUAGE_REQUEST = "language_request"


# "I don't speak Swedish", "Ich spreche kein Schwedisch", "не розмовляю шведською": a language named right after
# a negation is the one the user does not want (folded words).
NEGATIONS = {"not", "dont", "don't", "no", "never", "cant", "can't", "inte", "ej", "kein", "keine", "nicht", "niet",
             "geen", "لا", "ما", "مش", "не", "ни"}
_WORDS = re.compile(r"[\w']+")


def named_languages(folded_text: str) -> list[str]:
    """Languages named in the text, in order of mention, without repeats."""
    found = [_LANGUAGE_OF[match.group(0)] for match in _PATTERN.finditer(folded_text)]
    return list(dict.fromkeys(found))


def requested_languages(folded_text: str) -> list[str]:
    """The languages a request asks for: those named, less those with a negation among the two words before."""
    found = [_LANGUAGE_OF[match.group(0)] for match in _PATTERN.finditer(folded_text)
             if not NEGATIONS.intersection(_WORDS.findall(folded_text[:match.start()])[-2:])]
    return list(dict.fromkeys(found))


# Swedish terms people keep in any language ("personnummer", "Arbetsförmedlingen"): they say nothing about
# the language a message is written in, so they are left out before detection (folded stems).
# Matched as prefixes: "samordning" also covers "samordningsnummer", "forsakringskassa" "Försäkringskassan".
LOANWORDS = ("personnummer", "arbetsformedling", "migrationsverket", "skatteverket",
             "socialstyrelsen", "skolverket", "transportstyrelsen", "sfi", "komvux",
             "bankid", "kommun", "forskola", "a-kassa", "akassa", "vardcentral", "folkbokfor", "id-kort",
             "foraldrapenning", "barnbidrag", "bostadsko", "legitimation", "platsbanken", "hyresgast",
             "forsorjningsstod", "gymnasie", "fritids", "lararlegitimation", "uppehallstillstand", "1177",
             # the welfare state's words, kept in Swedish whatever the language around them
             "bostadsbidrag", "bostadsratt", "hyresratt", "hyresvard", "forstahand", "andrahand", "hemforsakring",
             "boplats", "folktandvard", "tandvard", "tandlakar", "barnmorsk", "bvc", "mvc", "akuten", "sjukpenning",
             "sjukskriv", "foraldraledig", "vardnadsbidrag", "kollektivavtal", "anstallning", "arbetsgivar",
             "forsakringskassa", "samordning", "uppehallsratt", "uppehallskort", "medborgarskap", "korkort",
             "validering", "yrkeshogskola", "hogskola", "universitet", "gymnasium", "forskoleklass", "modersmal",
             "csn", "etablering", "handlaggning", "lakarintyg", "swish",
             "fackforbund", "facket", "socialtjanst", "socialkontor", "hemtjanst", "aktivitetsstod", "personbevis",
             "flyttanmal", "flyttgods", "skattetabell")


def is_loanword(folded_word: str) -> bool:
    return folded_word.startswith(LOANWORDS)
