"""Translators' PO files: a language exported and imported back, on SQLite and PostgreSQL; a broken file is refused
as a whole with its line numbers and changes nothing; the admin's download and upload, as a translator."""
from __future__ import annotations

import io
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from babel.messages.pofile import escape, read_po
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from api.admin import routes as admin_routes
from api.deps import get_session
from api.main import create_app
from catalog import editing, staff, translations_po
from catalog.models import AuditEntry, FaqEntry, FaqText, StaffAccount
from catalog.session import session_scope
from catalog.translations_po import PoImportError, export_po, import_po
from settings import get_settings
from tests.conftest import session_on
from tests.integration.test_admin import ACCOUNTS, PASSWORD, client_for, csrf, nlg_text

NEW_ENGLISH = ("Swedish for immigrants (SFI) is free. Ask your municipality's adult education (Komvux) for a place; "
               "the rules are set by Skolverket.")


@pytest.fixture
def database(catalog_url) -> str:
    with session_scope(catalog_url) as session:
        for name, options in ACCOUNTS.items():
            staff.create_account(session, email=f"{name}@example.se", name=name, password=PASSWORD, **options)
    return catalog_url


@pytest.fixture
def app(database):
    app = create_app()
    app.dependency_overrides[get_session] = session_on(database)
    admin_routes.limiter.__init__()
    return app


# --- helpers: the database's texts, and a translator's edits of the file's text --------------------------------

def snapshot(url: str) -> tuple[dict, int]:
    """Every text (answer, authority line, outdated) and the number of audit entries."""
    with session_scope(url) as session:
        texts = {(t.entry.key, t.language): (t.answer, t.authority, t.outdated)
                 for t in session.scalars(select(FaqText).options(joinedload(FaqText.entry)))}
        return texts, session.scalar(select(func.count(AuditEntry.id)))


def export(url: str, language: str = "de") -> str:
    with session_scope(url) as session:
        return export_po(session, language).decode("utf-8")


def do_import(url: str, text: str | bytes, language: str = "de", account: str | None = "translator") -> int:
    with session_scope(url) as session:
        who = session.scalars(select(StaffAccount).filter_by(email=f"{account}@example.se")).one() if account else None
        return import_po(session, who, language, text.encode("utf-8") if isinstance(text, str) else text)


def refused(url: str, text: str | bytes) -> list[str]:
    with pytest.raises(PoImportError) as caught:
        do_import(url, text)
    return caught.value.problems


def edit(text: str, context: str, *, msgstr: str | None = None, fuzzy: bool | None = None) -> str:
    """What a translator's editor does to one message: a new msgstr, the fuzzy flag set or removed."""
    blocks = text.split("\n\n")
    index = next(i for i, block in enumerate(blocks) if f'msgctxt "{context}"' in block.splitlines())
    lines = blocks[index].splitlines()
    if msgstr is not None:
        start = next(i for i, line in enumerate(lines) if line.startswith("msgstr "))
        lines = lines[:start] + [f"msgstr {escape(msgstr)}"]
    if fuzzy is False:
        lines = [", ".join(flag for flag in line.split(", ") if flag != "fuzzy") if line.startswith("#, ") else line
                 for line in lines]
        lines = [line for line in lines if line != "#,"]
    elif fuzzy:
        lines.insert(next(i for i, line in enumerate(lines) if line.startswith("msgctxt ")), "#, fuzzy")
    blocks[index] = "\n".join(lines)
    return "\n\n".join(blocks)


def msgid_line(text: str, context: str) -> int:
    """The line of a message's msgid (the line an import names), 1-based."""
    return text.splitlines().index(f'msgctxt "{context}"') + 2


def messages(text: str) -> dict:
    return {m.context: m for m in read_po(io.StringIO(text)) if m.id}


def outdate_sfi(url: str) -> None:
    """The editors change the English SFI answer: its translations become outdated."""
    with session_scope(url) as session:
        editing.save_answer(session, None, "sfi", "en", NEW_ENGLISH, None)


# --- export ------------------------------------------------------------------------------------------------------

def test_the_export_holds_each_entrys_answer_and_authority_line_under_the_english(catalog_url):
    text = export(catalog_url)
    catalog = read_po(io.StringIO(text))
    assert catalog.locale_identifier == "de" and catalog.project == "Lotsen"
    with session_scope(catalog_url) as session:
        entries = session.scalars(select(FaqEntry).order_by(FaqEntry.key)).all()
        keys = [entry.key for entry in entries]
        sfi = next(entry for entry in entries if entry.key == "sfi")
        texts = {t.language: t for t in sfi.texts}
        expected_sfi = {"answer": (texts["en"].answer, texts["de"].answer),
                        "authority": (texts["en"].authority or sfi.authority, texts["de"].authority)}
    found = [m.context for m in catalog if m.id]
    assert found == [f"{key}|{field}" for key in keys for field in ("answer", "authority")]  # sorted by key
    by_context = messages(text)
    for field, (msgid, msgstr) in expected_sfi.items():
        assert (by_context[f"sfi|{field}"].id, by_context[f"sfi|{field}"].string) == (msgid, msgstr)
    assert not any(m.fuzzy for m in by_context.values())  # the seed has no outdated translation
    assert "python-format" not in text  # "90% of" is no placeholder (Babel's guess; msgfmt would check it)
    with session_scope(catalog_url) as session, pytest.raises(ValueError, match="English is the source"):
        export_po(session, "en")
    if shutil.which("msgfmt"):  # GNU gettext reads it as a valid catalog
        checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", "-"], input=text.encode(),
                                 capture_output=True, check=False)
        assert checked.returncode == 0, checked.stderr.decode()


# --- round trip ------------------------------------------------------------------------------------------------

def test_an_unchanged_file_changes_nothing_and_one_edited_msgstr_changes_exactly_that_text(database):
    outdate_sfi(database)
    text = export(database)
    before, audits = snapshot(database)
    assert before[("sfi", "de")][2] is True  # outdated

    assert do_import(database, text) == 0
    assert snapshot(database) == (before, audits)

    new = "SFI (Schwedisch für Einwanderer) ist kostenlos. Fragen Sie die Erwachsenenbildung Ihrer Gemeinde (Komvux)."
    assert do_import(database, edit(text, "sfi|answer", msgstr=new, fuzzy=False)) == 1
    after, audits_after = snapshot(database)
    assert {place for place in after if after[place] != before[place]} == {("sfi", "de")}
    assert after[("sfi", "de")] == (new, before[("sfi", "de")][1], False)  # outdated cleared, authority kept
    assert audits_after == audits + 1
    with session_scope(database) as session:
        change = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (change.kind, change.target, change.account.email) == ("faq_text", "sfi/de", "translator@example.se")
        assert change.before["answer"] == before[("sfi", "de")][0] and change.after["answer"] == new
        assert change.before["outdated"] is True and change.after["outdated"] is False


def test_an_outdated_translation_is_exported_fuzzy_and_fuzzy_means_not_yet_reviewed(database):
    outdate_sfi(database)
    text = export(database)
    by_context = messages(text)
    assert by_context["sfi|answer"].fuzzy and by_context["sfi|answer"].id == NEW_ENGLISH
    assert [c for c, m in by_context.items() if m.fuzzy] == ["sfi|answer"]  # not its authority line, no other
    before = snapshot(database)
    # a new msgstr still marked fuzzy (a tool's guess, not reviewed) is refused ...
    problems = refused(database, edit(text, "sfi|answer", msgstr="Ungeprüfter Vorschlag."))
    assert problems == [f"line {msgid_line(text, 'sfi|answer')}: sfi|answer: marked fuzzy (needs review): check the "
                        "translation and remove the fuzzy flag, or leave the msgstr as it was"]
    assert snapshot(database) == before
    # ... and removing the flag of an unchanged translation confirms it: still right for the new English
    assert do_import(database, edit(text, "sfi|answer", fuzzy=False)) == 1
    texts, _ = snapshot(database)
    assert texts[("sfi", "de")] == (before[0][("sfi", "de")][0], before[0][("sfi", "de")][1], False)
    # a translation made from an English text changed since the export is saved, but stays outdated
    with session_scope(database) as session:
        editing.save_answer(session, None, "sfi", "en", NEW_ENGLISH + " Courses start all year.", None)
    assert do_import(database, edit(text, "sfi|answer", msgstr="SFI ist kostenlos.", fuzzy=False)) == 1
    texts, _ = snapshot(database)
    assert texts[("sfi", "de")][0] == "SFI ist kostenlos." and texts[("sfi", "de")][2] is True


# --- broken files ------------------------------------------------------------------------------------------------

def test_a_broken_file_is_refused_whole_with_line_numbers_and_changes_nothing(database):
    with session_scope(database) as session:  # an English answer with a placeholder the translation must keep
        editing.save_answer(session, None, "komvux", "en", "Komvux is free. See {municipality_page}.", None)
    text = export(database)
    before = snapshot(database)
    good = edit(text, "sfi|answer", msgstr="SFI ist kostenlos.")  # a change that must not be applied either
    header = text.splitlines().index('"Language: de\\n"') + 1
    unknown = good.replace('msgctxt "preschool|answer"', 'msgctxt "kindergarten|answer"')
    no_placeholder = edit(good, "komvux|answer", msgstr="Komvux ist kostenlos.", fuzzy=False)
    other_language = good.replace('"Language: de\\n"', '"Language: nl\\n"')
    too_long = edit(good, "find_rental|answer", msgstr="x" * 701)
    syntax = good.replace('msgctxt "compulsory_school|authority"', 'msgctxt compulsory_school|authority')

    cases = {
        unknown: [f"line {msgid_line(unknown, 'kindergarten|answer')}: kindergarten|answer: no FAQ topic 'kindergarten'"],
        no_placeholder: [f"line {msgid_line(text, 'komvux|answer')}: komvux|answer: placeholder {{municipality_page}} "
                         "of the msgid missing in the msgstr"],
        other_language: [f"line {header}: the file is for language 'nl', not 'de'"],
        too_long: [f"line {msgid_line(text, 'find_rental|answer')}: find_rental|answer: 701 characters, at most 700"],
        syntax: [f"line {msgid_line(text, 'compulsory_school|authority') - 1}: syntax error (msgctxt, msgid or msgstr and one "
                 "\"quoted\" string expected): 'msgctxt compulsory_school|authority'"],
    }
    for broken, expected in cases.items():
        assert refused(database, broken) == expected
        assert snapshot(database) == before

    # every problem of a file at once, in the order of its lines
    everything = edit(edit(unknown, "komvux|answer", msgstr="Komvux ist kostenlos.", fuzzy=False),
                      "find_rental|answer", msgstr="x" * 701).replace('"Language: de\\n"', '"Language: nl\\n"')
    problems = refused(database, everything)
    assert len(problems) == 4 and problems == sorted(problems, key=lambda p: int(p.split(":")[0].split()[1]))
    assert {p.split(": ", 1)[1].split(":")[0] for p in problems} == {
        "the file is for language 'nl', not 'de'", "kindergarten|answer", "komvux|answer", "find_rental|answer"}
    assert snapshot(database) == before

    # structural problems and what babel's parser finds itself
    bad_field = good.replace('msgctxt "sfi|authority"', 'msgctxt "sfi|questions"')
    assert refused(database, bad_field) == [
        f"line {msgid_line(bad_field, 'sfi|questions')}: sfi|questions: the context must end in |answer or |authority"]
    unfinished = good + 'msgctxt "sfi|answer"\nmsgid "x"\n'
    assert refused(database, unfinished)[0].startswith(f"line {len(good.splitlines()) + 2}: missing msgstr")
    repeated = good + '\nmsgctxt "sfi|answer"\nmsgid "x"\nmsgstr "y"\n'
    assert refused(database, repeated) == [
        f"line {len(good.splitlines()) + 2}: sfi|answer: the same message again (each context once)"]
    assert refused(database, "Language: de\n".encode("latin-1") + "Straße".encode("latin-1")) == [
        "line 2: not UTF-8 text (save the file as UTF-8)"]
    assert snapshot(database) == before
    with pytest.raises(ValueError, match="English is the source"):
        do_import(database, text, language="en")


# --- the admin -----------------------------------------------------------------------------------------------------

def upload(client, language: str, text: str | bytes, name: str = "de.po"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(f"/admin/translations/{language}", data={"csrf": csrf(client, "/admin/coverage")},
                       files={"file": (name, data, "text/x-gettext-translation")})


def test_a_translator_downloads_and_uploads_their_language_in_the_admin(app, database):
    client = client_for(app, "translator")
    coverage = client.get("/admin/coverage").text
    assert 'href="/admin/translations/de.po"' in coverage and 'action="/admin/translations/de"' in coverage
    assert '<label for="po-file-de">' in coverage and 'id="po-file-de" name="file" type="file"' in coverage
    assert "/admin/translations/uk" not in coverage  # not the translator's language

    reply = client.get("/admin/translations/de.po")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/x-gettext-translation")
    assert reply.headers["content-disposition"] == 'attachment; filename="lotsen-de.po"'
    text = reply.content.decode("utf-8")
    assert messages(text)["sfi|answer"].string.startswith("Schwedisch für Einwanderer (SFI)")

    new = "SFI ist kostenlos. Neu aus der PO-Datei."
    reply = upload(client, "de", edit(text, "sfi|answer", msgstr=new))
    assert reply.status_code == 303 and unquote(reply.headers["location"]) == "/admin/coverage?saved=de:1"
    assert "1 text changed" in client.get(reply.headers["location"]).text
    assert nlg_text(app, "sfi", "de").startswith(new)  # what the bot says next

    before = snapshot(database)
    broken = edit(text, "sfi|answer", msgstr="Noch neuer.").replace('msgctxt "preschool|answer"',
                                                                   'msgctxt "kindergarten|answer"')
    reply = upload(client, "de", broken)
    assert reply.status_code == 422 and 'role="alert"' in reply.text
    assert f"line {msgid_line(broken, 'kindergarten|answer')}: kindergarten|answer: no FAQ topic" in reply.text
    assert snapshot(database) == before and nlg_text(app, "sfi", "de").startswith(new)
    assert upload(client, "de", b"").status_code == 422

    assert client.get("/admin/translations/uk.po").status_code == 403
    assert upload(client, "uk", text.replace('"Language: de\\n"', '"Language: uk\\n"')).status_code == 403
    assert snapshot(database) == before
    editor = client_for(app, "editor")
    assert editor.get("/admin/translations/en.po").status_code == 404  # English is the source
    assert client_for(app, "municipal_editor").get("/admin/translations/de.po").status_code == 403


# --- the command line -------------------------------------------------------------------------------------------

def test_the_command_exports_and_imports(catalog_url, monkeypatch, capsysbinary, tmp_path):
    monkeypatch.setenv("DATABASE_URL", catalog_url)
    get_settings.cache_clear()
    try:
        assert translations_po.main(["export", "nl"]) == 0
        text = capsysbinary.readouterr().out.decode("utf-8")
        assert '"Language: nl\\n"' in text
        path = tmp_path / "nl.po"
        path.write_text(edit(text, "sfi|answer", msgstr="SFI is gratis."), encoding="utf-8")
        assert translations_po.main(["import", "nl", str(path)]) == 0
        assert b"1 nl text changed" in capsysbinary.readouterr().out
        path.write_text(text.replace('msgctxt "sfi|answer"', 'msgctxt "sfx|answer"'), encoding="utf-8")
        assert translations_po.main(["import", "nl", str(path)]) == 1
        error = capsysbinary.readouterr().err.decode()
        assert f"line {msgid_line(text, 'sfi|answer')}: sfx|answer: no FAQ topic 'sfx'" in error
        assert translations_po.main(["export", "en"]) == 1
        with session_scope(catalog_url) as session:
            assert session.scalars(select(FaqText.answer).join(FaqText.entry).where(
                FaqEntry.key == "sfi", FaqText.language == "nl")).one() == "SFI is gratis."
    finally:
        get_settings.cache_clear()
