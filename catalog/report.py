"""Content health: `python -m catalog.report` (make content-report). Exit 1 when anything needs attention.

Lists FAQ answers not reviewed within the allowed age, FAQ entries missing a language (answer or training
questions), municipal services without a checked source, and links that look dead: malformed, not https,
or outside the official domains in data/catalog/official_domains.yml.
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

from catalog.models import FaqEntry, Municipality, Service
from catalog.session import session_scope
from common.languages import LANGUAGES
from settings import ROOT, get_settings

DOMAINS_FILE = ROOT / "data" / "catalog" / "official_domains.yml"


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
        if issue := link_problem(entry.source_url, domains):
            found.append(Problem("link", f"faq {entry.key}", f"{entry.source_url}: {issue}"))

    for municipality in session.scalars(select(Municipality).order_by(Municipality.name)):
        if issue := link_problem(municipality.website, domains):
            found.append(Problem("link", f"municipality {municipality.name}", f"{municipality.website}: {issue}"))
    services = session.scalars(select(Service).options(selectinload(Service.municipality), selectinload(Service.county)))
    for service in services:
        owner = service.municipality.name if service.municipality else service.county.name
        where = f"service {owner} / {service.name}"
        if not service.checked_source:
            found.append(Problem("unchecked", where, "no checked_source"))
        if issue := link_problem(service.url, domains):
            found.append(Problem("link", where, f"{service.url}: {issue}"))
    return found


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
