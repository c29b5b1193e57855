"""The same question has another answer for someone with temporary protection (the EU directive for people
from Ukraine): until they can be registered, Migrationsverket — not the municipality or Försäkringskassan —
pays their allowance and arranges housing, health care costs SEK 50 with the UT card, school is not
compulsory, and no work permit is needed. "Do I need a work permit?" from a person who says they have
temporary protection is answered with protection_jobs, not the general work-permit rules.

An asylum seeker is in another situation: while the case is examined they may work without a work permit only
with Migrationsverket's exemption (AT-UND), so their work questions ("do I need a work permit?", or "may I
work while I wait for the decision?", which reads like a question about processing times) get asylum_work.

Refugee status (asylum granted, subsidiary protection, quota refugees) is a third situation: its first steps are
registering at once and the establishment programme, so a "what do I do first?" that names it gets
first_steps_refugee, and one that names Ukraine or temporary protection gets first_steps_protection.

The situation is read from the message itself, and only from its own words (the checklist's "protection" purpose
covers all three, so it is not used).
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
    "first_steps_refugee": "first_steps_protection",
}


# Someone waiting for an asylum decision, in their words (folded): "asylsökande", "applied for asylum",
# "Asylantrag", "asielzoeker", "طالب لجوء", "шукаю притулку", "LMA card" (the asylum seeker's card; "lma" alone
# is also Arabizi for "when").
_ASYLUM_SEEKER = re.compile("|".join((
    r"asylsokande", r"sokt asyl", r"asylarende", r"\blma[- ]?(kort|card|karte|kaart|карт)", r"asylum seeker",
    r"(applied|applying) for asylum", r"asylum (case|application|decision)", r"asylbewerber", r"asylsuchend",
    r"asylantrag", r"asylverfahren", r"asylentscheidung", r"asielzoeker", r"asielaanvraag", r"asielzaak",
    r"asielbeslis",
    r"طالب\w* (ال)?لجوء", r"طلب (ال)?لجوء", r"قدمت (على )?(ال)?لجوء", r"قرار (ال)?لجوء", r"لجوئي",
    r"притулк", r"притулок", r"убежищ",
)))
# Stems of "work" in the six languages (and Russian), folded: "job" also finds "jobb", "عمل" also "أعمل" and "العمل".
_WORK = re.compile(r"arbet|arbeit|work|job|werk|شغل|اشتغل|عمل|працю|робот|работ")
# Work questions an asylum seeker asks, however the classifier read them.
ASYLUM_VARIANTS = {key: "asylum_work" for key in (
    "work_permit", "job_search", "protection_jobs", "arbetsformedlingen", "permit_processing_time")}

# Granted refugee status or asylum, in their words (folded: "لاجئ" -> "لاجي", "біженця" -> "биженця"): the status
# words, or asylum named without a word for still seeking or waiting (_WAITING).
_REFUGEE = re.compile("|".join((
    r"flykting", r"skyddsstatus", r"skyddsbehov", r"refugee", r"subsidiary protection", r"protection status",
    r"fluchtling", r"schutzstatus", r"subsidiar", r"vluchteling", r"beschermingsstatus", r"subsidiaire",
    r"\basyl\b", r"\basylum\b", r"\basiel\b",
    r"لاجي", r"لجو[ءي]", r"حمايه (بديله|ثانويه)",
    r"(би|бе)жен", r"притул", r"убежищ", r"додатков\w* захист", r"дополнительн\w* защит",
)))
_WAITING = re.compile("|".join((
    r"asylsokande", r"sokt asyl", r"vantar", r"seeker", r"appl(y|ied|ying|ication)", r"wait",
    r"asylbewerber", r"asylsuchend", r"antrag", r"beantragt", r"warte", r"asielzoeker", r"aanvra", r"wacht",
    r"طالب", r"طلب", r"قدمت", r"انتظر", r"ناطر", r"استني",
    r"шука", r"чека", r"жду", r"ожида", r"\blma\b",
)))
_UKRAINE = re.compile(r"ukrain|oekrain|اوكران|украин")
REFUGEE_VARIANTS = {"first_steps": "first_steps_refugee", "first_steps_protection": "first_steps_refugee"}


def answer_for(key: str, text: str) -> str:
    """`key`, or its counterpart for the user's situation: temporary protection, an asylum seeker asking about
    work, or refugee status."""
    folded = fold(text)
    if key in VARIANTS and _TEMPORARY_PROTECTION.search(folded):
        return VARIANTS[key]
    if key in ASYLUM_VARIANTS and _ASYLUM_SEEKER.search(folded) and _WORK.search(folded):
        return ASYLUM_VARIANTS[key]
    if key == "first_steps_refugee" and _UKRAINE.search(folded):  # Ukrainians in Sweden have temporary protection
        return VARIANTS[key]
    if (key in REFUGEE_VARIANTS and _REFUGEE.search(folded) and not _UKRAINE.search(folded)
            and not _WAITING.search(folded)):
        return REFUGEE_VARIANTS[key]
    return key
