"""Load data/catalog into the database: `python -m catalog.seed [DIR]`.

Every file is validated first; the database is written in one transaction, so an invalid file changes
nothing. Loading is idempotent: rows are matched by their natural keys and brought in line with the files.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog import yaml_lines
from catalog.models import (
    SERVICE_CATEGORIES,
    ChecklistStep,
    County,
    FaqEntry,
    FaqLocalCategory,
    FaqQuestion,
    FaqText,
    Municipality,
    Service,
    ServiceCategory,
)
from catalog.seed_schema import Answer, Authority, ChecklistIn, CountyIn, MunicipalityIn, Questions, ServiceIn, TopicIn
from catalog.session import session_scope
from common.languages import LANGUAGES
from settings import ROOT

DEFAULT_DIR = ROOT / "data" / "catalog"


class SeedError(ValueError):
    """A seed file is invalid; the message names file, line and field."""


@dataclass
class Catalog:
    counties: list[CountyIn] = field(default_factory=list)
    municipalities: dict[str, MunicipalityIn] = field(default_factory=dict)  # slug -> municipality
    topics: dict[str, tuple[str, TopicIn]] = field(default_factory=dict)  # key -> (category, topic)
    answers: dict[tuple[str, str], str] = field(default_factory=dict)  # (key, lang) -> answer
    authorities: dict[tuple[str, str], str] = field(default_factory=dict)  # (key, lang) -> authority line
    questions: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (key, lang) -> examples
    checklist: ChecklistIn | None = None


def _validate(path: Path, root: Any, adapter: TypeAdapter | type[BaseModel], at: tuple = ()) -> Any:
    """Validate the part of `root` found at `at`; errors point at the offending line."""
    value = root
    for part in at:
        value = value[part]
    try:
        if isinstance(adapter, type):
            return adapter.model_validate(value)
        return adapter.validate_python(value)
    except ValidationError as error:
        first = error.errors()[0]
        location = at + tuple(first["loc"])
        line = yaml_lines.line_of(root, location) or 1
        field_name = ".".join(str(part) for part in location) or "(document)"
        raise SeedError(f"{path}:{line}: {field_name}: {first['msg']}") from None


def _read(path: Path, mapping: bool = True) -> Any:
    try:
        document = yaml_lines.load(path)
    except Exception as error:  # yaml.YAMLError carries its own mark
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise SeedError(f"{path}:{line}: (syntax): {getattr(error, 'problem', error)}") from None
    if mapping and not isinstance(document, dict):
        raise SeedError(f"{path}:1: (document): expected a mapping")
    return document


def read_catalog(directory: Path = DEFAULT_DIR) -> Catalog:
    """Parse and validate every seed file; raise SeedError on the first problem."""
    catalog = Catalog()
    for path in sorted((directory / "counties").glob("*.yml")):
        catalog.counties.append(_validate(path, _read(path), CountyIn))
    county_keys = {county.key for county in catalog.counties}

    for path in sorted((directory / "municipalities").glob("*.yml")):
        document = _read(path)
        municipality = _validate(path, document, MunicipalityIn)
        if municipality.county not in county_keys:
            line = yaml_lines.line_of(document, ("county",))
            raise SeedError(f"{path}:{line}: county: unknown county {municipality.county!r}")
        catalog.municipalities[path.stem] = municipality

    topic_adapter = TypeAdapter(TopicIn)
    for path in sorted((directory / "faq" / "topics").glob("*.yml")):
        document = _read(path)
        for key in document:
            if key in catalog.topics:
                raise SeedError(f"{path}:{document.lines[key]}: {key}: FAQ key defined twice")
            catalog.topics[key] = (path.stem, _validate(path, document, topic_adapter, (key,)))

    answer_adapter, questions_adapter = TypeAdapter(Answer), TypeAdapter(Questions)
    authority_adapter = TypeAdapter(Authority)
    for lang in LANGUAGES:
        path = directory / "faq" / "authorities" / f"{lang}.yml"
        if path.exists():
            document = _read(path)
            for key in document:
                _known_key(catalog, path, document, key)
                catalog.authorities[(key, lang)] = _validate(path, document, authority_adapter, (key,))
        for path in sorted((directory / "faq" / "answers" / lang).glob("*.yml")):
            document = _read(path)
            for key in document:
                _known_key(catalog, path, document, key)
                catalog.answers[(key, lang)] = _validate(path, document, answer_adapter, (key,))
        path = directory / "faq" / "questions" / f"{lang}.yml"
        if path.exists():
            document = _read(path)
            for key in document:
                _known_key(catalog, path, document, key)
                examples = _validate(path, document, questions_adapter, (key,))
                catalog.questions[(key, lang)] = list(dict.fromkeys(examples))

    for key, (_, topic) in catalog.topics.items():
        unknown = [other for other in topic.see_also if other not in catalog.topics]
        if unknown:
            raise SeedError(f"{directory / 'faq' / 'topics'}: {key}.see_also: no such FAQ key {unknown[0]!r}")

    path = directory / "checklist.yml"
    if path.exists():
        document = _read(path)
        catalog.checklist = _validate(path, document, ChecklistIn)
        for index, step in enumerate(catalog.checklist.steps):
            if step.faq not in catalog.topics:
                line = yaml_lines.line_of(document, ("steps", index, "faq"))
                raise SeedError(f"{path}:{line}: steps.{index}.faq: no such FAQ key {step.faq!r}")
    return catalog


def _known_key(catalog: Catalog, path: Path, document: Any, key: str) -> None:
    if key not in catalog.topics:
        raise SeedError(f"{path}:{document.lines[key]}: {key}: no such FAQ key in faq/topics")


def write_catalog(session: Session, catalog: Catalog) -> None:
    categories = {}
    for code, scope in SERVICE_CATEGORIES.items():
        categories[code] = _upsert(session, ServiceCategory, {"code": code}, {"scope": scope})

    counties = {}
    for county_in in catalog.counties:
        county = _upsert(
            session, County, {"key": county_in.key},
            {"name": county_in.name, "code": county_in.code, "region": county_in.region, "website": county_in.website,
             "aliases": list(county_in.aliases)},
        )
        counties[county.key] = county
        _sync_services(session, categories, county_in.services, county=county)

    for slug, municipality_in in catalog.municipalities.items():
        municipality = _upsert(
            session, Municipality, {"scb_code": municipality_in.scb_code},
            {
                "slug": slug, "name": municipality_in.name, "official_name": municipality_in.official_name,
                "county": counties[municipality_in.county], "website": municipality_in.website,
                "aliases": list(municipality_in.aliases),
                "localities": [locality.model_dump() for locality in municipality_in.localities],
            },
        )
        _sync_services(session, categories, municipality_in.services, municipality=municipality)

    for key, (topic, topic_in) in catalog.topics.items():
        entry = _upsert(
            session, FaqEntry, {"key": key},
            {
                "topic": topic, "authority": topic_in.authority, "source_url": topic_in.source_url,
                "reviewed_on": topic_in.reviewed_on, "offer_checklist": topic_in.offer_checklist,
                "see_also": list(topic_in.see_also),
            },
        )
        _sync_local_links(session, entry, [categories[code] for code in topic_in.local])
        for lang in LANGUAGES:
            if (key, lang) in catalog.answers:
                authority = catalog.authorities.get((key, lang)) or (topic_in.authority if lang == "en" else None)
                _upsert(session, FaqText, {"entry": entry, "language": lang},
                        {"answer": catalog.answers[key, lang], "authority": authority})
            if (key, lang) in catalog.questions:
                _sync_questions(session, entry, lang, catalog.questions[key, lang])

    if catalog.checklist is not None:
        keys = [step.key for step in catalog.checklist.steps]
        session.execute(delete(ChecklistStep).where(ChecklistStep.key.not_in(keys)))
        for position, step in enumerate(catalog.checklist.steps, start=1):
            _upsert(
                session, ChecklistStep, {"key": step.key},
                {
                    "position": position, "titles": dict(step.titles),
                    "faq_entry": session.scalars(select(FaqEntry).filter_by(key=step.faq)).one(),
                    "conditions": step.when.model_dump(exclude_none=True),
                },
            )


def _upsert(session: Session, model: type, match: dict, values: dict):
    row = session.scalars(select(model).filter_by(**match)).one_or_none()
    if row is None:
        row = model(**match)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return row


def _sync_services(session: Session, categories: dict, services: list[ServiceIn], **owner) -> None:
    owner_column, owner_row = next(iter(owner.items()))
    existing = session.scalars(select(Service).filter_by(**{owner_column: owner_row})).all()
    by_key = {(service.category.code, service.url): service for service in existing}
    wanted = set()
    for service_in in services:
        key = (service_in.category, service_in.url)
        wanted.add(key)
        service = by_key.get(key) or Service(category=categories[service_in.category], url=service_in.url, **owner)
        session.add(service)
        for name in ("name", "checked_source", "email", "phone", "address", "opening_hours"):
            setattr(service, name, getattr(service_in, name) or None)
    for key, service in by_key.items():
        if key not in wanted:
            session.delete(service)
    session.flush()


def _sync_local_links(session: Session, entry: FaqEntry, wanted: list[ServiceCategory]) -> None:
    if [link.category_id for link in entry.local_links] == [category.id for category in wanted]:
        return
    entry.local_links.clear()
    session.flush()
    entry.local_links.extend(
        FaqLocalCategory(category=category, position=position) for position, category in enumerate(wanted, start=1)
    )
    session.flush()


def _sync_questions(session: Session, entry: FaqEntry, lang: str, texts: list[str]) -> None:
    session.execute(
        delete(FaqQuestion).where(
            FaqQuestion.entry_id == entry.id, FaqQuestion.language == lang, FaqQuestion.text.not_in(texts)
        )
    )
    present = set(session.scalars(select(FaqQuestion.text).filter_by(entry_id=entry.id, language=lang)))
    session.add_all(FaqQuestion(entry=entry, language=lang, text=text) for text in texts if text not in present)
    session.flush()


def load(directory: Path = DEFAULT_DIR, database_url: str | None = None) -> Catalog:
    catalog = read_catalog(directory)
    with session_scope(database_url) as session:
        write_catalog(session, catalog)
    return catalog


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DIR
    try:
        catalog = load(directory)
    except SeedError as error:
        print(f"seed: {error}", file=sys.stderr)
        return 1
    print(
        f"seed: {len(catalog.counties)} counties, {len(catalog.municipalities)} municipalities, "
        f"{len(catalog.topics)} FAQ topics, {len(catalog.answers)} answers, "
        f"{sum(map(len, catalog.questions.values()))} questions"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
