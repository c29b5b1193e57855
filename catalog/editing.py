"""Every change staff make to the content, validated, recorded in the audit log and revertible.

One function per kind of record. Each takes a locator (what is changed) and the new values (None deletes),
writes the audit entry with the record before and after, and returns it. `revert` applies an entry's
"before" through the same function, so a revert is itself audited. The bot reads the database on every
reply, so a saved change is live at once: no retraining, no restart.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import (
    LOCAL_NOTE_MAX_CHARS,
    SERVICE_CATEGORIES,
    AuditEntry,
    FaqEntry,
    FaqQuestion,
    FaqText,
    LocalNote,
    Municipality,
    Service,
    ServiceCategory,
    StaffAccount,
)
from catalog.report import link_problem, official_domains  # the content report's own rules for links
from catalog.seed_schema import Answer, HttpsUrl
from common.languages import LANGUAGES

SOURCE_LANGUAGES = ("sv", "en")  # a change to these marks the other translations outdated


class EditError(ValueError):
    """A clear reason a change was refused; nothing was written."""


def _check(adapter_type: Any, value: Any, field: str) -> Any:
    try:
        return TypeAdapter(adapter_type).validate_python(value)
    except ValidationError as error:
        raise EditError(f"{field}: {error.errors()[0]['msg']}") from None


def _entry(session: Session, key: str) -> FaqEntry:
    entry = session.scalars(select(FaqEntry).where(FaqEntry.key == key)).one_or_none()
    if entry is None:
        raise EditError(f"no FAQ topic {key!r}")
    return entry


def _audit(session: Session, account: StaffAccount | None, kind: str, target: str, locator: dict,
           before: dict | None, after: dict | None) -> AuditEntry:
    entry = AuditEntry(at=datetime.now(timezone.utc).replace(tzinfo=None), account=account, kind=kind, target=target,
                       before=None if before is None else {**before, "_at": locator},
                       after=None if after is None else {**after, "_at": locator})
    session.add(entry)
    session.flush()
    return entry


KEEP = object()  # save_answer's authority when the caller does not give one: the stored line stays


def save_answer(session: Session, account: StaffAccount | None, key: str, language: str, answer: str | None,
                authority: str | None | object = KEEP) -> AuditEntry:
    """An answer (and its authority line: None or "" clears it, KEEP leaves it) in one language; a Swedish or
    English change outdates the others."""
    if language not in LANGUAGES:
        raise EditError(f"unknown language {language!r}")
    entry = _entry(session, key)
    text = next((t for t in entry.texts if t.language == language), None)
    before = None if text is None else {"answer": text.answer, "authority": text.authority, "outdated": text.outdated}
    if answer is None:
        if text is not None:
            session.delete(text)
    else:
        answer = _check(Answer, answer, "answer")
        if text is None:
            text = FaqText(entry=entry, language=language, answer=answer)
            session.add(text)
        changed = text.answer != answer
        if authority is not KEEP:
            text.authority = (authority or "").strip() or None
        text.answer, text.outdated = answer, False
        if changed and language in SOURCE_LANGUAGES:
            for other in entry.texts:
                if other.language not in SOURCE_LANGUAGES:
                    other.outdated = True
    after = None if answer is None else {"answer": text.answer, "authority": text.authority, "outdated": False}
    return _audit(session, account, "faq_text", f"{key}/{language}", {"key": key, "language": language}, before, after)


def create_topic(session: Session, account: StaffAccount | None, key: str, *, category: str, authority: str,
                 source_url: str, reviewed_on: str | date, answers: dict[str, str],
                 questions: dict[str, list[str]]) -> AuditEntry:
    """A new FAQ topic with its answers and example questions per language. Retrieval answers it at once;
    a publish trains it into the model (`in_model` false until then)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{2,50}", key):
        raise EditError("key: 3–50 lower-case letters, digits or _, starting with a letter")
    if session.scalar(select(FaqEntry.id).where(FaqEntry.key == key)):
        raise EditError(f"key: a topic {key!r} exists")
    if not re.fullmatch(r"[a-z_]{2,40}", category):
        raise EditError("category: lower-case letters and _")
    if not (answers.get("en") or answers.get("sv")):
        raise EditError("answer: at least the English or Swedish answer is needed")
    entry = FaqEntry(key=key, topic=category, authority=authority.strip() or "-", source_url=source_url or "https://-",
                     reviewed_on=date.today(), in_model=False)
    session.add(entry)
    session.flush()
    created = _audit(session, account, "faq_entry_created", key, {"key": key}, None, {"category": category})
    save_topic(session, account, key, authority=authority, source_url=source_url, reviewed_on=reviewed_on)
    for language, answer in answers.items():
        if answer.strip():
            save_answer(session, account, key, language, answer)
    for language, lines in questions.items():
        save_questions(session, account, key, language, lines)
    return created


def save_questions(session: Session, account: StaffAccount | None, key: str, language: str,
                   lines: list[str]) -> AuditEntry | None:
    """A topic's example questions in one language (the whole list); the topic leaves the model until a
    publish retrains it, and retrieval answers it meanwhile."""
    if language not in LANGUAGES:
        raise EditError(f"unknown language {language!r}")
    entry = _entry(session, key)
    wanted = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if any(len(line) > 500 for line in wanted):
        raise EditError("questions: at most 500 characters each")
    existing = [q for q in entry.questions if q.language == language]
    before = sorted(q.text for q in existing)
    if before == sorted(wanted):
        return None  # nothing changed, nothing to audit
    for question in existing:
        if question.text not in wanted:
            session.delete(question)
    have = {q.text for q in existing}
    session.add_all(FaqQuestion(entry=entry, language=language, text=text) for text in wanted if text not in have)
    entry.in_model = False
    session.flush()
    return _audit(session, account, "faq_questions", f"{key}/{language}", {"key": key, "language": language},
                  {"questions": before}, {"questions": wanted})


def save_topic(session: Session, account: StaffAccount | None, key: str, *, authority: str, source_url: str,
               reviewed_on: str | date, change_url: str | None = None) -> AuditEntry:
    """A topic's authority (English), official source page, review date and rule-change page."""
    entry = _entry(session, key)
    if not authority.strip():
        raise EditError("authority: required")
    for field, url in (("source_url", source_url), ("change_url", change_url)):
        if url and (problem := link_problem(url, official_domains())):
            raise EditError(f"{field}: {problem}")
    if not source_url:
        raise EditError("source_url: required")
    reviewed = _check(date, reviewed_on, "reviewed_on")
    before = _topic_values(entry)
    entry.authority, entry.source_url, entry.reviewed_on = authority.strip(), source_url, reviewed
    entry.change_url = change_url or None
    return _audit(session, account, "faq_entry", key, {"key": key}, before, _topic_values(entry))


def _topic_values(entry: FaqEntry) -> dict:
    return {"authority": entry.authority, "source_url": entry.source_url,
            "reviewed_on": entry.reviewed_on.isoformat(), "change_url": entry.change_url}


def save_service(session: Session, account: StaffAccount | None, municipality: Municipality, category: str,
                 values: dict | None) -> AuditEntry:
    """A municipality's page for a category (name, url, checked_source), or `none` with the page showing it;
    None removes the category's entries."""
    if category not in SERVICE_CATEGORIES or SERVICE_CATEGORIES[category] != "municipal":
        raise EditError(f"unknown municipal service category {category!r}")
    code = session.scalars(select(ServiceCategory).where(ServiceCategory.code == category)).one()
    existing = [s for s in municipality.services if s.category_id == code.id]
    before = _service_values(existing[0]) if existing else None
    for service in existing[1:]:
        session.delete(service)  # one page per category from the admin; the seed may hold two
    after = None
    if values is None:
        if existing:
            session.delete(existing[0])
    else:
        none = bool(values.get("none"))
        checked = _check(HttpsUrl, values.get("checked_source") or "", "checked_source")
        url = checked if none else _check(HttpsUrl, values.get("url") or "", "url")
        name = "" if none else (values.get("name") or "").strip()
        if not none and not name:
            raise EditError("name: required")
        if problem := link_problem(url, official_domains()):
            raise EditError(f"url: {problem}")
        service = existing[0] if existing else Service(category=code, municipality=municipality, url=url)
        session.add(service)
        service.name, service.url, service.none, service.checked_source = name, url, none, checked
        after = _service_values(service)
    session.flush()
    return _audit(session, account, "service", f"{municipality.name}/{category}",
                  {"municipality": municipality.name, "category": category}, before, after)


def _service_values(service: Service) -> dict:
    return {"name": service.name, "url": service.url, "none": service.none, "checked_source": service.checked_source}


def save_note(session: Session, account: StaffAccount | None, key: str, municipality: Municipality, language: str,
              text: str | None) -> AuditEntry:
    """A municipality's short local note under a national answer; empty text removes it."""
    if language not in LANGUAGES:
        raise EditError(f"unknown language {language!r}")
    entry = _entry(session, key)
    note = session.scalars(select(LocalNote).filter_by(entry_id=entry.id, municipality_id=municipality.id,
                                                       language=language)).one_or_none()
    before = None if note is None else {"text": note.text}
    text = (text or "").strip()
    if len(text) > LOCAL_NOTE_MAX_CHARS:
        raise EditError(f"text: at most {LOCAL_NOTE_MAX_CHARS} characters")
    if not text:
        if note is not None:
            session.delete(note)
    else:
        note = note or LocalNote(entry=entry, municipality=municipality, language=language)
        note.text = text
        session.add(note)
    session.flush()
    return _audit(session, account, "local_note", f"{key}/{municipality.name}/{language}",
                  {"key": key, "municipality": municipality.name, "language": language},
                  before, {"text": text} if text else None)


def revert(session: Session, account: StaffAccount | None, audit_id: int) -> AuditEntry:
    """Put back the record as it was before an audited change (itself recorded as a change)."""
    change = session.get(AuditEntry, audit_id)
    if change is None:
        raise EditError(f"no change #{audit_id}")
    at = (change.before or change.after or {})["_at"]
    before = {k: v for k, v in (change.before or {}).items() if k != "_at"} or None
    if change.kind == "faq_text":
        result = save_answer(session, account, at["key"], at["language"], before and before["answer"],
                             before and before["authority"])
        if before and before.get("outdated"):
            text = next(t for t in _entry(session, at["key"]).texts if t.language == at["language"])
            text.outdated = True
        return result
    if change.kind == "faq_entry":
        return save_topic(session, account, at["key"], **before)
    if change.kind == "faq_questions":
        return save_questions(session, account, at["key"], at["language"], before["questions"])
    if change.kind == "faq_entry_created":
        raise EditError("a new topic is removed by its editors, not reverted")
    municipality = session.scalars(select(Municipality).where(Municipality.name == at["municipality"])).one()
    if change.kind == "service":
        return save_service(session, account, municipality, at["category"], before)
    return save_note(session, account, at["key"], municipality, at["language"], before and before["text"])
