"""Read queries over the catalog, shared by the custom actions, the NLG endpoint and the admin.

Functions take the session as their first argument so callers own transactions and lifetimes.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    ChecklistStep,
    County,
    FaqEntry,
    FaqQuestion,
    FaqText,
    LocalNote,
    Municipality,
    Service,
    ServiceCategory,
)
from common.names import fold


def municipalities(session: Session) -> Sequence[Municipality]:
    return session.scalars(select(Municipality).order_by(Municipality.name)).all()


def find_municipality(session: Session, name: str | None) -> Municipality | None:
    """A municipality by its name, official name, SCB code, any alias or one of its localities, ignoring case
    and diacritics ("Sveg" is in Härjedalen)."""
    return find_place(session, name)[0]


def find_place(session: Session, name: str | None) -> tuple[Municipality | None, str | None]:
    """(the municipality, the locality's name when `name` is one of its localities rather than itself)."""
    if not name:
        return None, None
    wanted = fold(name)
    every = municipalities(session)
    for municipality in every:
        names = [municipality.name, municipality.official_name, municipality.scb_code, *municipality.aliases]
        if wanted in {fold(candidate) for candidate in names}:
            return municipality, None
    for municipality in every:
        for locality in municipality.localities or ():
            if wanted in {fold(candidate) for candidate in [locality["name"], *locality.get("aliases", ())]}:
                return municipality, locality["name"]
    return None, None


def find_county(session: Session, name: str | None) -> County | None:
    """A county by its name ("Värmlands län"), its region ("Region Värmland") or an alias ("Värmland")."""
    if not name:
        return None
    wanted = fold(name)
    for county in counties(session):
        names = [county.name, county.key, county.region, county.region.removeprefix("Region "), *county.aliases]
        if wanted in {fold(candidate) for candidate in names}:
            return county
    return None


def county_services(session: Session, county: County, category: str) -> Sequence[Service]:
    """The county's (region's) pages for a category: health care, public transport."""
    query = (
        select(Service).join(ServiceCategory)
        .where(ServiceCategory.code == category, Service.county_id == county.id, Service.none.is_(False))
        .order_by(Service.name)
    )
    return session.scalars(query).all()


def local_services(session: Session, municipality: Municipality, category: str) -> Sequence[Service]:
    """The municipality's pages for a category, or else its county's (health care, public transport)."""
    query = (
        select(Service)
        .join(ServiceCategory)
        .where(ServiceCategory.code == category)
        .where(or_(Service.municipality_id == municipality.id, Service.county_id == municipality.county_id))
        .where(Service.none.is_(False))
        .order_by(Service.municipality_id.is_(None), Service.name)
    )
    return session.scalars(query).all()


def service_none(session: Session, municipality: Municipality, category: str) -> Service | None:
    """The statement that the municipality has no service of this category (with the page that shows it)."""
    query = (
        select(Service).join(ServiceCategory)
        .where(ServiceCategory.code == category, Service.municipality_id == municipality.id, Service.none.is_(True))
    )
    return session.scalars(query).first()


def local_notes(session: Session, entry: FaqEntry, municipality: Municipality, language: str) -> Sequence[str]:
    """The municipality's own notes under a national answer, in the reply's language."""
    query = select(LocalNote.text).where(LocalNote.entry_id == entry.id, LocalNote.municipality_id == municipality.id,
                                         LocalNote.language == language)
    return session.scalars(query).all()


def faq_entry(session: Session, key: str) -> FaqEntry | None:
    return session.scalars(select(FaqEntry).where(FaqEntry.key == key)).one_or_none()


def faq_answer(session: Session, key: str, languages: Sequence[str]) -> tuple[FaqText, str] | None:
    """The answer in the first of `languages` that has a current one (an outdated translation is passed
    over for the next language: English, kept current by the editors), and that language."""
    texts = session.scalars(
        select(FaqText).join(FaqEntry)
        .where(FaqEntry.key == key, FaqText.language.in_(languages), FaqText.outdated.is_(False))
    ).all()
    by_language = {text.language: text for text in texts}
    for language in languages:
        if language in by_language:
            return by_language[language], language
    return None


def faq_questions(session: Session, language: str | None = None) -> Sequence[tuple[str, str, str]]:
    """(key, language, text) of every stored question, for training export and retrieval."""
    query = select(FaqEntry.key, FaqQuestion.language, FaqQuestion.text).join(FaqEntry).order_by(
        FaqEntry.key, FaqQuestion.language, FaqQuestion.text
    )
    if language:
        query = query.where(FaqQuestion.language == language)
    return session.execute(query).tuples().all()


def faq_answers(session: Session, language: str) -> Sequence[tuple[str, str]]:
    """(key, answer) of every current answer in a language, for retrieval."""
    query = select(FaqEntry.key, FaqText.answer).join(FaqEntry).where(
        FaqText.language == language, FaqText.outdated.is_(False))
    return session.execute(query).tuples().all()


def counties(session: Session) -> Sequence[County]:
    return session.scalars(select(County).options(selectinload(County.municipalities)).order_by(County.name)).all()


def step_applies(conditions: dict, situation: dict) -> bool:
    """Whether a checklist step's conditions hold for a user's situation (see ChecklistStep)."""
    for name, wanted in conditions.items():
        have = situation.get(name)
        if name == "children":
            if not set(wanted) & set(have or ()):
                return False
        elif isinstance(wanted, list):
            if have not in wanted:
                return False
        elif have != wanted:
            return False
    return True


def checklist(session: Session, situation: dict) -> Sequence[ChecklistStep]:
    steps = session.scalars(
        select(ChecklistStep).options(selectinload(ChecklistStep.faq_entry)).order_by(ChecklistStep.position)
    ).all()
    return [step for step in steps if step_applies(step.conditions, situation)]


def checklist_steps(session: Session, keys: Sequence[str]) -> Sequence[ChecklistStep]:
    query = (
        select(ChecklistStep).where(ChecklistStep.key.in_(keys))
        .options(selectinload(ChecklistStep.faq_entry))
        .order_by(ChecklistStep.position)
    )
    return session.scalars(query).all()


def service_category(session: Session, code: str) -> ServiceCategory | None:
    return session.scalars(select(ServiceCategory).where(ServiceCategory.code == code)).one_or_none()


def source_urls(session: Session, keys: Sequence[str]) -> list[str]:
    """The official pages of the entries `keys`, in that order (one query)."""
    found = dict(session.execute(select(FaqEntry.key, FaqEntry.source_url).where(FaqEntry.key.in_(keys))).tuples().all())
    return [found[key] for key in keys if key in found]
