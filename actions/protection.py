"""The same question has another answer for someone with temporary protection (the EU directive for people
from Ukraine): until they can be registered, Migrationsverket — not the municipality or Försäkringskassan —
pays their allowance and arranges housing, health care costs SEK 50 with the UT card, school is not
compulsory, and no work permit is needed. "Do I need a work permit?" from a person who says they have
temporary protection is answered with protection_jobs, not the general work-permit rules.

The situation is read from the message itself, and only from the directive's own words: refugee status or
asylum is another situation with other rules (the checklist's "protection" purpose covers both, so it is
not used).
"""
from __future__ import annotations

import re

from common.names import fold

# Folded text (common.names.fold): lower case, no diacritics, й -> и, ة -> ه, أ -> ا.
_TEMPORARY_PROTECTION = re.compile("|".join((
    r"tillfallig\w* skydd", r"massflykt", r"temporary protection", r"vorubergehend\w* schutz",
    r"tijdelijke bescherming", r"حمايه\s*(ال)?موقت", r"(ال)?حمايه (ال)?موقته",
    r"тимчасов\w* захист", r"временн\w* защит", r"tymchasov\w* zakhyst",
)))

# General topic -> the topic that answers it for someone with temporary protection.
VARIANTS = {
    "work_permit": "protection_jobs", "job_search": "protection_jobs", "arbetsformedlingen": "protection_jobs",
    "financial_assistance": "protection_allowance",
    "find_rental": "protection_housing", "housing_queue": "protection_housing",
    "health_centre": "protection_health_care", "dental_care": "protection_health_care",
    "maternity_care": "protection_health_care",
    "preschool": "protection_school", "compulsory_school": "protection_school",
    "upper_secondary": "protection_school",
    "population_registration": "temporary_protection",
    "work_permit_extension": "protection_ends", "permanent_residence": "protection_ends",
    "first_steps": "first_steps_protection", "first_steps_work_non_eu": "first_steps_protection",
}


def has_temporary_protection(text: str) -> bool:
    return bool(_TEMPORARY_PROTECTION.search(fold(text)))


def answer_for(key: str, text: str) -> str:
    """`key`, or its temporary-protection counterpart when the user said they have temporary protection."""
    variant = VARIANTS.get(key)
    return variant if variant and has_temporary_protection(text) else key
