"""A child's age decides the school stage: "my son is 17 and new here, which school?" asks about upper
secondary school (the language introduction programme), however the classifier read "school". Preschool is up to
five, förskoleklass and compulsory school from six to fifteen, upper secondary from sixteen until the year one
turns twenty (Skolverket, the sources of those three topics).

Only an age the message states as an age counts ("17 år", "is 17", "عمره 17", "17 років"): "3 kids" is no age,
and ages of several stages ("kids of 4 and 9") leave the topic as the classifier read it.
"""
from __future__ import annotations

import re

from common.names import fold

STAGES = ("preschool", "compulsory_school", "upper_secondary")

# Folded text (common.names.fold): "år" -> "ar", "jährig" -> "jahrig", "سنة" -> "سنه", "років" -> "рокив".
_UNIT = (r"ar|aring\w*|arig\w*|years?|yrs?|yo|year[- ]old|jahre?|jahrig\w*|jaar|jarig\w*|"
         r"سنه|سنوات|سنين|عام|اعوام|рок\w*|рик|лет|год\w*|ричн\w*")
_AGE = re.compile(
    rf"(?<!\d)(\d{{1,2}}) ?-? ?(?:{_UNIT})(?!\w)"                                     # 17 år, 17-year-old
    r"|(?:\b(?:aged?|is|ist|ar)|عمره|عمرها|عمرو|بعمر)\s+(\d{1,2})(?!\d)"              # is 17, är 17, عمره 17
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
    stages = {_stage(int(a or b)) for a, b in _AGE.findall(fold(text))}
    if len(stages) != 1:
        return key
    return stages.pop() or key
