"""The staff admin's pages. Every route names the roles it admits (auth.allow); every change goes through
catalog/editing.py, which validates it and writes the audit log; the preview is the NLG renderer's own text."""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from api.admin import auth, publishing
from api.admin.texts import admin_language, translations
from api.deps import SessionDep
from api.render import render
from catalog import editing, staff, translations_po
from catalog.models import (
    ROLES,
    SERVICE_CATEGORIES,
    AuditEntry,
    FaqEntry,
    FaqText,
    LocalNote,
    Municipality,
    StaffAccount,
    TrainingRun,
)
from common.languages import LANGUAGES, direction

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                                            autoescape=True, extensions=["jinja2.ext.i18n"]))
limiter = auth.LoginLimiter()
MUNICIPAL = [code for code, scope in SERVICE_CATEGORIES.items() if scope == "municipal"]
CONTENT_ROLES = ("admin", "editor", "translator", "municipal_editor")


def page(request: Request, name: str, account: StaffAccount | None, status: int = 200, **context) -> HTMLResponse:
    language = admin_language(request.query_params.get("lang"), request.cookies.get("admin_lang"),
                              request.headers.get("accept-language"))
    env = templates.env
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    response = templates.TemplateResponse(request, name, {
        "account": account, "admin_lang": language, "csrf": auth.csrf_token(request), "languages": LANGUAGES,
        "direction": direction, **context}, status_code=status)
    if request.query_params.get("lang") == language:
        response.set_cookie("admin_lang", language, samesite="strict", httponly=True)
    return response


def back(url: str, message: str = "") -> RedirectResponse:
    return RedirectResponse(f"{url}{'&' if '?' in url else '?'}saved={quote(message)}" if message else url, 303)


# --- signing in ------------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, account: Annotated[StaffAccount | None, Depends(auth.current_account)]):
    return page(request, "login.html", account)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, session: SessionDep, email: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", _csrf: Annotated[None, Depends(auth.check_csrf)] = None):
    keys = (f"ip:{request.client.host if request.client else '-'}", f"email:{email.strip().lower()}")
    if wait := limiter.wait_seconds(*keys):
        return page(request, "login.html", None, 429, error="too_many", minutes=(wait + 59) // 60)
    account = staff.authenticate(session, email, password)
    if account is None:
        limiter.failed(*keys)
        return page(request, "login.html", None, 401, error="wrong", email=email)
    limiter.succeeded(*keys)
    request.session.clear()  # a new session id on sign-in: no fixation
    request.session.update({"account": account.id, "until": time.time() + auth.SESSION_HOURS * 3600})
    return RedirectResponse("/admin/faq", 303)


@router.post("/logout")
def logout(request: Request, _: Annotated[StaffAccount, Depends(auth.allow(*ROLES))]):
    request.session.clear()
    return RedirectResponse("/admin/login", 303)


@router.get("")
def home(_: Annotated[StaffAccount, Depends(auth.allow(*ROLES))]):
    return RedirectResponse("/admin/faq", 303)


# --- FAQ topics --------------------------------------------------------------------------------------------

@router.get("/faq", response_class=HTMLResponse)
def faq_list(request: Request, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow(*CONTENT_ROLES))],
             q: str = "", topic: str = "", language: str = "", status: str = ""):
    query = select(FaqEntry).options(selectinload(FaqEntry.texts)).order_by(FaqEntry.topic, FaqEntry.key)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(FaqEntry.key).like(like), FaqEntry.id.in_(
            select(FaqText.entry_id).where(func.lower(FaqText.answer).like(like)))))
    if topic:
        query = query.where(FaqEntry.topic == topic)
    rows = []
    for entry in session.scalars(query):
        states = {lang: _state(entry, lang) for lang in LANGUAGES}
        if language and status and states.get(language) != status:
            continue
        if not language and status and status not in states.values():
            continue
        rows.append((entry, states))
    topics = session.scalars(select(FaqEntry.topic).distinct().order_by(FaqEntry.topic)).all()
    return page(request, "faq_list.html", account, rows=rows, topics=topics,
                filters={"q": q, "topic": topic, "language": language, "status": status})


def _state(entry: FaqEntry, language: str) -> str:
    text = next((t for t in entry.texts if t.language == language), None)
    return "missing" if text is None else "outdated" if text.outdated else "current"


@router.get("/faq/{key}", response_class=HTMLResponse)
def faq_topic(request: Request, key: str, session: SessionDep,
              account: Annotated[StaffAccount, Depends(auth.allow(*CONTENT_ROLES))],
              preview: str = "en", municipality: str = ""):
    entry = session.scalars(select(FaqEntry).where(FaqEntry.key == key)).one_or_none()
    if entry is None:
        raise HTTPException(404, f"No FAQ topic {key!r}")
    texts = {text.language: text for text in entry.texts}
    place = account.municipality.name if account.role == "municipal_editor" and account.municipality else municipality
    preview_language = preview if preview in LANGUAGES else "en"
    reply = render(session, "utter_faq_answer", preview_language, {"faq_key": key, "municipality": place or None})
    notes, notes_place = {}, None  # a municipal editor's own notes; an editor's for the municipality chosen
    if account.role == "municipal_editor" and account.municipality:
        notes_place = account.municipality
    elif staff.may_edit_topic(account) and place:
        notes_place = session.scalars(select(Municipality).where(Municipality.name == place)).first()
    if notes_place is not None:
        notes = {note.language: note.text for note in session.scalars(select(LocalNote).filter_by(
            entry_id=entry.id, municipality_id=notes_place.id))}
    return page(request, "faq_topic.html", account, entry=entry, texts=texts, reply=reply["text"],
                preview=preview_language, place=place or "", notes=notes, notes_place=notes_place,
                municipalities=session.scalars(select(Municipality.name).order_by(Municipality.name)).all(),
                may_edit_text=lambda lang: staff.may_edit_text(account, lang),
                may_edit_topic=staff.may_edit_topic(account), saved=request.query_params.get("saved", ""))


@router.post("/faq/{key}/texts/{language}")
def save_text(key: str, language: str, session: SessionDep,
              account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor", "translator"))],
              answer: Annotated[str, Form()] = "", authority: Annotated[str, Form()] = ""):
    if not staff.may_edit_text(account, language):
        raise HTTPException(403, f"You may not edit the {language} texts")
    _apply(lambda: editing.save_answer(session, account, key, language, answer, authority))
    return back(f"/admin/faq/{key}?preview={language}", "text")


@router.post("/faq/{key}/topic")
def save_topic(key: str, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))],
               authority: Annotated[str, Form()] = "", source_url: Annotated[str, Form()] = "",
               reviewed_on: Annotated[str, Form()] = "", change_url: Annotated[str, Form()] = ""):
    _apply(lambda: editing.save_topic(session, account, key, authority=authority, source_url=source_url,
                                      reviewed_on=reviewed_on, change_url=change_url or None))
    return back(f"/admin/faq/{key}", "topic")


@router.post("/faq/{key}/notes/{language}")
def save_note(key: str, language: str, session: SessionDep,
              account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor", "municipal_editor"))],
              text: Annotated[str, Form()] = "", municipality: Annotated[str, Form()] = ""):
    place = _municipality(session, account.municipality.name if account.role == "municipal_editor" else municipality)
    if not staff.may_edit_municipality(account, place):
        raise HTTPException(403, f"You may not edit {place.name}'s notes")
    _apply(lambda: editing.save_note(session, account, key, place, language, text))
    return back(f"/admin/faq/{key}?preview={language}&municipality={quote(place.name)}", "note")


def _apply(change) -> None:
    try:
        change()
    except editing.EditError as error:
        raise HTTPException(422, str(error)) from None


def _municipality(session: Session, name: str) -> Municipality:
    found = session.scalars(select(Municipality).where(or_(Municipality.name == name, Municipality.slug == name))).first()
    if found is None:
        raise HTTPException(404, f"No municipality {name!r}")
    return found


# --- municipal pages ---------------------------------------------------------------------------------------

@router.get("/municipalities", response_class=HTMLResponse)
def municipality_list(request: Request, session: SessionDep,
                      account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor", "municipal_editor"))]):
    places = session.scalars(select(Municipality).options(selectinload(Municipality.services)).order_by(Municipality.name)).all()
    return page(request, "municipality_list.html", account, places=places, categories=MUNICIPAL)


@router.get("/municipalities/{slug}", response_class=HTMLResponse)
def municipality_page(request: Request, slug: str, session: SessionDep,
                      account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor", "municipal_editor"))]):
    place = _municipality(session, slug)
    if not staff.may_edit_municipality(account, place):
        raise HTTPException(403, f"You may not edit {place.name}'s pages")
    services = {code: [s for s in place.services if s.category.code == code] for code in MUNICIPAL}
    return page(request, "municipality.html", account, place=place, services=services,
                saved=request.query_params.get("saved", ""))


@router.post("/municipalities/{slug}/{category}")
def save_service(slug: str, category: str, session: SessionDep,
                 account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor", "municipal_editor"))],
                 name: Annotated[str, Form()] = "", url: Annotated[str, Form()] = "",
                 checked_source: Annotated[str, Form()] = "", none: Annotated[str, Form()] = "",
                 remove: Annotated[str, Form()] = ""):
    place = _municipality(session, slug)
    if not staff.may_edit_municipality(account, place):
        raise HTTPException(403, f"You may not edit {place.name}'s pages")
    values = None if remove else {"name": name, "url": url, "checked_source": checked_source, "none": bool(none)}
    _apply(lambda: editing.save_service(session, account, place, category, values))
    return back(f"/admin/municipalities/{place.slug}", category)


# --- new topics and publishing ------------------------------------------------------------------------------

@router.get("/topics/new", response_class=HTMLResponse)
def new_topic_page(request: Request, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))]):
    topics = session.scalars(select(FaqEntry.topic).distinct().order_by(FaqEntry.topic)).all()
    return page(request, "topic_new.html", account, topics=topics)


@router.post("/topics/new")
async def create_topic(request: Request, session: SessionDep,
                       account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))]):
    form = await request.form()
    answers = {lang: str(form.get(f"answer_{lang}") or "") for lang in LANGUAGES}
    questions = {lang: str(form.get(f"questions_{lang}") or "").splitlines() for lang in LANGUAGES}
    key = str(form.get("key") or "").strip()
    _apply(lambda: editing.create_topic(
        session, account, key, category=str(form.get("category") or ""), authority=str(form.get("authority") or ""),
        source_url=str(form.get("source_url") or ""), reviewed_on=str(form.get("reviewed_on") or ""),
        answers=answers, questions=questions))
    return back(f"/admin/faq/{key}", "topic")


@router.post("/faq/{key}/questions/{language}")
def save_questions(key: str, language: str, session: SessionDep,
                   account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor", "translator"))],
                   questions: Annotated[str, Form()] = ""):
    if not staff.may_edit_text(account, language):
        raise HTTPException(403, f"You may not edit the {language} texts")
    _apply(lambda: editing.save_questions(session, account, key, language, questions.splitlines()))
    return back(f"/admin/faq/{key}", "questions")


@router.get("/publish", response_class=HTMLResponse)
def publish_page(request: Request, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))]):
    runs = session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(10)).all()
    waiting = session.scalars(select(FaqEntry.key).where(FaqEntry.in_model.is_(False)).order_by(FaqEntry.key)).all()
    return page(request, "publish.html", account, runs=runs, waiting=waiting, now=publishing.now())


@router.post("/publish")
def publish(session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))]):
    if publishing.running(session):
        raise HTTPException(409, "A training is running; wait until it is done.")
    publishing.start(session, account)
    return back("/admin/publish", "publish")


# --- audit log, coverage, accounts -------------------------------------------------------------------------

@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))]):
    changes = session.scalars(select(AuditEntry).options(selectinload(AuditEntry.account))
                              .order_by(AuditEntry.id.desc()).limit(200)).all()
    return page(request, "audit.html", account, changes=changes, saved=request.query_params.get("saved", ""))


@router.post("/audit/{audit_id}/revert")
def revert(audit_id: int, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin", "editor"))]):
    _apply(lambda: editing.revert(session, account, audit_id))
    return back("/admin/audit", f"#{audit_id}")


@router.get("/coverage", response_class=HTMLResponse)
def coverage(request: Request, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow(*CONTENT_ROLES))]):
    return _coverage_page(request, session, account)


def _coverage_page(request: Request, session: Session, account: StaffAccount, status: int = 200,
                   **context) -> HTMLResponse:
    entries = session.scalars(select(FaqEntry).options(selectinload(FaqEntry.texts)).order_by(FaqEntry.key)).all()
    table = {lang: {"missing": [e.key for e in entries if _state(e, lang) == "missing"],
                    "outdated": [e.key for e in entries if _state(e, lang) == "outdated"]} for lang in LANGUAGES}
    saved = request.query_params.get("saved", "")
    imported = re.fullmatch(r"([a-z]{2}):(\d+)", saved)
    po_languages = [lang for lang in LANGUAGES if lang != translations_po.SOURCE and staff.may_edit_text(account, lang)]
    return page(request, "coverage.html", account, status, table=table, total=len(entries), saved=saved,
                imported=(imported[1], int(imported[2])) if imported and imported[1] in LANGUAGES else None,
                po_languages=po_languages, **context)


@router.get("/accounts", response_class=HTMLResponse)
def accounts(request: Request, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin"))]):
    return page(request, "accounts.html", account, accounts=session.scalars(select(StaffAccount).order_by(StaffAccount.email)).all(),
                roles=ROLES, municipalities=session.scalars(select(Municipality.name).order_by(Municipality.name)).all(),
                saved=request.query_params.get("saved", ""))


@router.post("/accounts")
def create_account(session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow("admin"))],
                   email: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                   password: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
                   languages: Annotated[list[str], Form()] = [], municipality: Annotated[str, Form()] = ""):  # noqa: B006
    try:
        staff.create_account(session, email=email, name=name, password=password, role=role, languages=languages,
                             municipality=municipality or None)
    except staff.AccountError as error:
        raise HTTPException(422, str(error)) from None
    return back("/admin/accounts", email)


# --- translations as PO files (translators' tools) -------------------------------------------------------

PO_ROLES = ("admin", "editor", "translator")


@router.get("/translations/{language}.po")
def download_po(language: str, session: SessionDep, account: Annotated[StaffAccount, Depends(auth.allow(*PO_ROLES))]):
    _may_translate(account, language)
    data = translations_po.export_po(session, language)
    return Response(data, media_type="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="lotsen-{language}.po"',
                             "Cache-Control": "no-store"})


@router.post("/translations/{language}", response_class=HTMLResponse)
def upload_po(request: Request, language: str, session: SessionDep,
              account: Annotated[StaffAccount, Depends(auth.allow(*PO_ROLES))],
              file: Annotated[UploadFile | None, File()] = None):
    _may_translate(account, language)
    data = file.file.read(translations_po.MAX_FILE_BYTES + 1) if file is not None and file.filename else b""
    try:
        if not data:
            raise translations_po.PoImportError(["Choose a PO file to import."])
        changed = translations_po.import_po(session, account, language, data)
    except translations_po.PoImportError as error:
        session.rollback()  # all or nothing, though the request's transaction would commit otherwise
        return _coverage_page(request, session, account, 422, problems=error.problems, problems_language=language,
                              problems_file=file.filename if file is not None else "")
    return back("/admin/coverage", f"{language}:{changed}")


def _may_translate(account: StaffAccount, language: str) -> None:
    if not staff.may_edit_text(account, language):
        raise HTTPException(403, f"You may not edit the {language} texts")
    if language not in LANGUAGES or language == translations_po.SOURCE:
        raise HTTPException(404, "English is the source of the PO files: choose another language"
                            if language == translations_po.SOURCE else f"No language {language!r}")


def admin_error_page(request: Request, status: int, detail: str) -> Response:
    """Admin errors as a readable page with a way on (sign in, go back), never a stack trace."""
    return page(request, "error.html", None, status, status_code=status, detail=detail)
