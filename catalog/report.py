"""Content health: `python -m catalog.report` (make content-report). Exit 1 when anything needs attention.

Lists FAQ answers not reviewed within the allowed age, FAQ entries missing a language (answer or training
questions), answers longer than a phone screen, answers stating a 2026 rule change without the authority's
page about the change, service categories fewer than 22 of the 24 municipalities cover (with a page or
`none: true`), municipal services without a checked source, and links that look dead: malformed, not
https, or outside the official domains in data/catalog/official_domains.yml.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import ANSWER_MAX_CHARS, COVERAGE_MIN, REQUIRED_CATEGORIES, FaqEntry, Municipality, Service
from catalog.session import session_scope
from common.languages import LANGUAGES
from settings import ROOT, get_settings

DOMAINS_FILE = ROOT / "data" / "catalog" / "official_domains.yml"
RULE_CHANGE_YEAR = "2026"  # an answer naming this year states a rule change and must link the authority's page on it


@dataclass(frozen=True)
class Problem:
    kind: str
    where: str
    detail: str


def official_domains(path: Path = DOMAINS_FILE) -> set[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {domain for group in document.values() for domain in group}


def link_problem(url: str | None, domains: set[str]) -> str | None:
    if not url:
        return "missing"
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "not https"
    host = (parts.hostname or "").lower()
    if not host or "." not in host or " " in url:
        return "malformed"
    if not any(host == domain or host.endswith("." + domain) for domain in domains):
        return f"{host} is not an official domain"
    return None


def problems(session: Session, *, today: date, max_age_days: int, domains: set[str]) -> list[Problem]:
    found: list[Problem] = []
    oldest_allowed = today - timedelta(days=max_age_days)
    entries = session.scalars(
        select(FaqEntry).options(selectinload(FaqEntry.texts), selectinload(FaqEntry.questions)).order_by(FaqEntry.key)
    ).all()
    for entry in entries:
        if entry.reviewed_on < oldest_allowed:
            found.append(Problem("stale", f"faq {entry.key}", f"reviewed {entry.reviewed_on}, older than {max_age_days} days"))
        answered = {text.language for text in entry.texts if text.answer.strip()}
        asked = {question.language for question in entry.questions}
        for language in LANGUAGES:
            if language not in answered:
                found.append(Problem("missing language", f"faq {entry.key}", f"no {language} answer"))
            if language not in asked:
                found.append(Problem("missing language", f"faq {entry.key}", f"no {language} questions"))
        for text in entry.texts:
            if len(text.answer) > ANSWER_MAX_CHARS:
                found.append(Problem("too long", f"faq {entry.key}",
                                     f"{text.language} answer has {len(text.answer)} characters (max {ANSWER_MAX_CHARS})"))
        if entry.change_url is None and any(RULE_CHANGE_YEAR in text.answer for text in entry.texts):
            found.append(Problem("change unlinked", f"faq {entry.key}",
                                 f"states a {RULE_CHANGE_YEAR} change without `change_url` (the authority's page on it)"))
        for url in filter(None, (entry.source_url, entry.change_url)):
            if issue := link_problem(url, domains):
                found.append(Problem("link", f"faq {entry.key}", f"{url}: {issue}"))

    for municipality in session.scalars(select(Municipality).order_by(Municipality.name)):
        if issue := link_problem(municipality.website, domains):
            found.append(Problem("link", f"municipality {municipality.name}", f"{municipality.website}: {issue}"))
    services = session.scalars(
        select(Service).options(selectinload(Service.municipality), selectinload(Service.county), selectinload(Service.category))
    ).all()
    found += coverage_problems(session, services)
    for service in services:
        owner = service.municipality.name if service.municipality else service.county.name
        where = f"service {owner} / {service.name or service.category.code + ' (none)'}"
        if not service.checked_source:
            found.append(Problem("unchecked", where, "no checked_source"))
        if issue := link_problem(service.url, domains):
            found.append(Problem("link", where, f"{service.url}: {issue}"))
    return found


def coverage(session: Session, services: list[Service]) -> dict[str, tuple[int, int, list[str]]]:
    """Per required category: municipalities with a page, with `none: true`, and the names of those with neither."""
    names = [municipality.name for municipality in session.scalars(select(Municipality).order_by(Municipality.name))]
    result = {}
    for code in REQUIRED_CATEGORIES:
        pages = {s.municipality.name for s in services if s.municipality and s.category.code == code and not s.none}
        nones = {s.municipality.name for s in services if s.municipality and s.category.code == code and s.none} - pages
        result[code] = (len(pages), len(nones), [name for name in names if name not in pages | nones])
    return result


def coverage_problems(session: Session, services: list[Service]) -> list[Problem]:
    return [
        Problem("coverage", f"category {code}",
                f"{pages + nones} of {pages + nones + len(missing)} municipalities (min {COVERAGE_MIN}); "
                f"missing: {', '.join(missing)}")
        for code, (pages, nones, missing) in coverage(session, services).items() if pages + nones < COVERAGE_MIN
    ]


def main() -> int:
    max_age = get_settings().content_max_age_days
    with session_scope() as session:
        found = problems(session, today=date.today(), max_age_days=max_age, domains=official_domains())
    for problem in found:
        print(f"{problem.kind:17} {problem.where}: {problem.detail}")
    print(f"content-report: {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
