"""Load data/catalog into the database: `python -m catalog.seed [DIR]`.

Every file is validated first; the database is written in one transaction, so an invalid file changes
nothing. Loading is idempotent: rows are matched by their natural keys and brought in line with the files.
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog import yaml_lines
from catalog.models import (
    SERVICE_CATEGORIES,
    AuditEntry,
    ChecklistStep,
    County,
    FaqEntry,
    FaqLocalCategory,
    FaqQuestion,
    FaqText,
    LocalNote,
    Municipality,
    SeedState,
    Service,
    ServiceCategory,
)
from catalog.seed_schema import (
    Answer,
    Authority,
    ChecklistIn,
    CountyIn,
    LocalNotes,
    MunicipalityIn,
    Questions,
    ServiceIn,
    TopicIn,
)
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
    # (municipality slug, key, lang) -> note, from local_notes.yml; None without that file (notes left as they are)
    local_notes: dict[tuple[str, str, str], str] | None = None


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
        # One file per topic category and language, like the topics: answers, authority lines, questions.
        for path in sorted((directory / "faq" / "authorities" / lang).glob("*.yml")):
            document = _read(path)
            for key in document:
                _known_key(catalog, path, document, key)
                catalog.authorities[(key, lang)] = _validate(path, document, authority_adapter, (key,))
        for path in sorted((directory / "faq" / "answers" / lang).glob("*.yml")):
            document = _read(path)
            for key in document:
                _known_key(catalog, path, document, key)
                catalog.answers[(key, lang)] = _validate(path, document, answer_adapter, (key,))
        for path in sorted((directory / "faq" / "questions" / lang).glob("*.yml")):
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

    path = directory / "local_notes.yml"  # written by `make content-export` once staff have written a note
    if path.exists():
        document = _read(path)
        notes = _validate(path, document, TypeAdapter(LocalNotes))
        catalog.local_notes = {}
        for slug, by_key in notes.items():
            if slug not in catalog.municipalities:
                raise SeedError(f"{path}:{document.lines[slug]}: {slug}: no such municipality in municipalities/")
            for key, by_language in by_key.items():
                if key not in catalog.topics:
                    raise SeedError(f"{path}:{document[slug].lines[key]}: {slug}.{key}: no such FAQ key in faq/topics")
                for lang, text in by_language.items():
                    catalog.local_notes[(slug, key, lang)] = text
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
                "see_also": list(topic_in.see_also), "change_url": topic_in.change_url,
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

    if catalog.local_notes is not None:
        _sync_notes(session, catalog.local_notes)


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
        url = service_in.checked_source if service_in.none else service_in.url
        key = (service_in.category, url)
        wanted.add(key)
        service = by_key.get(key) or Service(category=categories[service_in.category], url=url, **owner)
        session.add(service)
        service.name = service_in.name or ""
        service.none = service_in.none
        for name in ("checked_source", "email", "phone", "address", "opening_hours"):
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


def _sync_notes(session: Session, notes: dict[tuple[str, str, str], str]) -> None:
    municipalities = {municipality.slug: municipality for municipality in session.scalars(select(Municipality))}
    entries = {entry.key: entry for entry in session.scalars(select(FaqEntry))}
    existing = {(note.municipality.slug, note.entry.key, note.language): note for note in session.scalars(select(LocalNote))}
    for locator, note in existing.items():
        if locator not in notes:
            session.delete(note)
    for (slug, key, lang), text in notes.items():
        note = existing.get((slug, key, lang)) or LocalNote(
            entry=entries[key], municipality=municipalities[slug], language=lang
        )
        note.text = text
        session.add(note)
    session.flush()


def load(directory: Path = DEFAULT_DIR, database_url: str | None = None) -> Catalog:
    catalog = read_catalog(directory)
    with session_scope(database_url) as session:
        write_catalog(session, catalog)
        _remember(session, files_hash(directory))
    return catalog


def files_hash(directory: Path = DEFAULT_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yml")):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _remember(session: Session, digest: str) -> None:
    session.execute(delete(SeedState))
    session.add(SeedState(files_hash=digest, loaded_at=datetime.now(timezone.utc).replace(tzinfo=None)))


def load_if_changed(directory: Path = DEFAULT_DIR, database_url: str | None = None) -> str:
    """What `make run` does: load the seed files when they changed since the last load — unless staff have
    changed content since then, which a reload would overwrite: those are kept, and the files wait until
    the content is exported (`make content-export`) or `make db` is run on purpose. Says which it did."""
    digest = files_hash(directory)
    with session_scope(database_url) as session:
        state = session.scalars(select(SeedState)).first()
        if state is not None and state.files_hash == digest:
            return "unchanged"
        if state is not None and session.scalar(select(AuditEntry.id).where(AuditEntry.at > state.loaded_at).limit(1)):
            return "kept staff changes"
    load(directory, database_url)
    return "loaded"


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
