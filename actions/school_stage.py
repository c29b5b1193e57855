"""A child's age decides the school stage: "my son is 17 and new here, which school?" asks about upper
secondary school (the language introduction programme), however the classifier read "school". Preschool is up to
five, förskoleklass and compulsory school from six to fifteen, upper secondary from sixteen until the year one
turns twenty (Skolverket, the sources of those three topics).

Only an age the message states as an age counts ("17 years old", "is 17", "عمره 17", "синові 17 років"): "3 kids",
"here for 5 years" and "5 minutes away" are no ages, and ages of several stages leave the topic as read.
"""
from __future__ import annotations

import re

from common.names import fold

STAGES = ("preschool", "compulsory_school", "upper_secondary")

# Folded text (common.names.fold): "år" -> "ar", "jährig" -> "jahrig", "синові" -> "синови", "їй" -> "ии".
# "5 years" alone is no age ("we have lived here for 5 years"): an age is said as one, after "is", or right
# after the child it belongs to.
_AGE_WORD = (r"years? old|year[- ]old|y/?o|ar gammal\w*|aring\w*|arig\w*|jahre? alt|jahrig\w*|jaar oud|jarig\w*|"
             r"ричн\w*")
_BEFORE = r"\b(?:aged?|is|ist|ar|van|pa)|عمره|عمرها|عمرو|بعمر|иому|ии|ему|еи"
_CHILD = (r"\b(?:son|sons|dotter|dottern|barnet|kid|child|daughter|sohn|tochter|kind|zoon|dochter|"
          r"син\w*|дочц\w*|дочк\w*|доньц\w*|дитин\w*|ребен\w*|сын\w*)|ابني|ابنتي|بنتي|ولدي|طفلي")
_NOT_AGE = (r"\s*(?:min|km|kr|sek|tim|hour|uhr|stund|euro|eur|%|procent|percent|dag|day|tag|week|veck|woch|maand|"
            r"month|manad|monat|kilo|meter|mil|uur)")  # "the school is 5 minutes away"
_AGE = re.compile(
    rf"(?<!\d)(\d{{1,2}}) ?-? ?(?:{_AGE_WORD})(?!\w)"                # 17 years old, 17-year-old, 16-åring
    rf"|(?:{_BEFORE})\s+(\d{{1,2}})(?!\d)(?!{_NOT_AGE})"             # is 17, är 17, van 16 jaar, عمره 17
    rf"|(?:{_CHILD})\W+(?:\w+\W+)?(\d{{1,2}})(?!\d)(?!{_NOT_AGE})"  # my son 17, ابني 17 سنة, синові 17 років
)


def _stage(age: int) -> str | None:
    if age <= 5:
        return "preschool"
    if age <= 15:
        return "compulsory_school"
    if age <= 19:
        return "upper_secondary"
    return None


def stage_for(key: str, text: str) -> str:
    """`key`, or the school stage of the one age the message states when `key` is a school stage."""
    if key not in STAGES:
        return key
    stages = {_stage(int(next(age for age in ages if age))) for ages in _AGE.findall(fold(text))}
    if len(stages) != 1:
        return key
    return stages.pop() or key
