"""Translators' round trip: one language's FAQ answers as a gettext PO file (Babel's reader and writer), and back.

Each FAQ entry (by key) gives two messages: context "<key>|answer" (msgid: the current English answer, msgstr:
the answer in the language) and "<key>|authority" (msgid: the English authority line, msgstr: the language's).
An outdated translation is exported with the `fuzzy` flag, so a translator's tool lists it as needing review.

An import is all or nothing: every problem of the file is collected, each with its line number, and raised
together (PoImportError) before anything is written. A clean file is applied through catalog.editing.save_answer
only for the texts that change, so each is validated, audited and no longer outdated. An empty msgstr is skipped
(never a deletion); a message still marked fuzzy is skipped while its msgstr is the stored text (not reviewed) and
refused when it differs (an unreviewed guess never goes live); a text is "confirmed" — no longer outdated, its
words unchanged — when the translator removes the fuzzy flag of its answer. A new answer translated from an
English text that has changed since the export is saved but stays outdated. The caller's transaction
(catalog.session.session_scope) commits the import or rolls it back.

    python -m catalog.translations_po export de > de.po
    python -m catalog.translations_po import de de.po [--account EMAIL]     # exit 1: the problems on stderr
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalog.editing import EditError, save_answer
from catalog.models import ANSWER_MAX_CHARS, FaqEntry, FaqText, StaffAccount
from catalog.session import session_scope
from common.languages import LANGUAGES

SOURCE = "en"  # the msgid of every message
FIELDS = ("answer", "authority")
AUTHORITY_MAX_CHARS: int = FaqText.__table__.c.authority.type.length  # type: ignore[attr-defined]
MAX_FILE_BYTES = 2_000_000  # a full export is ~0.3 MB
# {name}, %(name)s and %s: what the bot's texts may interpolate; a translation keeps exactly the same ones.
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)s|%s")
HEADER_COMMENT = """\
# Lotsen: the FAQ answers in {language}, exported on {date}.
# Translate each msgstr. Keep msgctxt and msgid as they are, and keep
# every placeholder ({{name}}, %(name)s, %s) of the msgid.
# "#, fuzzy" marks an outdated translation: its English answer changed.
# Update the msgstr and remove the fuzzy flag ("needs review" in tools);
# a changed msgstr still marked fuzzy is refused.
# An empty msgstr changes nothing. Answers: at most {limit} characters.
# Upload the file on the admin's Translations page."""


class PoImportError(ValueError):
    """The file was refused: every problem found, each with its line number; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}")
    if language == SOURCE:
        raise ValueError("English is the source language of the PO files: nothing to translate")


def _entries(session: Session) -> list[FaqEntry]:
    return list(session.scalars(select(FaqEntry).options(selectinload(FaqEntry.texts)).order_by(FaqEntry.key)))


def _texts(entry: FaqEntry) -> dict[str, FaqText]:
    return {text.language: text for text in entry.texts}


def _sources(entry: FaqEntry) -> dict[str, str]:
    """The msgids: the English answer (Swedish while an entry has no English yet) and authority line."""
    texts = _texts(entry)
    source = texts.get(SOURCE) or texts.get("sv")
    return {"answer": source.answer if source else "",
            "authority": (texts[SOURCE].authority if SOURCE in texts else None) or entry.authority}


def _flags(msgid: str, *, fuzzy: bool) -> set[str]:
    """Babel guesses python-format from any "90% of"; only the placeholders the bot knows are flagged."""
    found = PLACEHOLDER.findall(msgid)
    return ({"fuzzy"} if fuzzy else set()) | ({"python-format"} if any(p.startswith("%") for p in found) else set()) \
        | ({"python-brace-format"} if any(p.startswith("{") for p in found) else set())


def export_po(session: Session, language: str) -> bytes:
    """The language's answers and authority lines as a PO file (UTF-8), entries sorted by key."""
    _check_language(language)
    now = datetime.now(timezone.utc)
    catalog = Catalog(locale=language, project="Lotsen", version=now.date().isoformat(),
                      copyright_holder="Lotsen contributors", revision_date=now,
                      language_team=f"Lotsen translators ({language})", fuzzy=False,
                      header_comment=HEADER_COMMENT.format(language=language, date=now.date().isoformat(),
                                                           limit=ANSWER_MAX_CHARS))
    for entry in _entries(session):
        sources, text = _sources(entry), _texts(entry).get(language)
        if not sources["answer"]:
            continue  # no source text to translate from
        outdated = bool(text and text.outdated)
        answer_notes = [f"{entry.key} ({entry.topic}): the answer, at most {ANSWER_MAX_CHARS} characters"]
        if outdated:
            answer_notes.append("Outdated: the English answer changed after this translation.")
        if SOURCE not in _texts(entry):
            answer_notes.append("No English answer yet: the msgid is the Swedish one.")
        messages = (("answer", text.answer if text else "", answer_notes, outdated),
                    ("authority", (text.authority if text else None) or "",
                     [f"{entry.key}: the authority line under the answer"], False))
        for field, string, notes, fuzzy in messages:
            msgid = sources[field]
            catalog.add(msgid, string, auto_comments=notes, context=f"{entry.key}|{field}")
            catalog.get(msgid, context=f"{entry.key}|{field}").flags = _flags(msgid, fuzzy=fuzzy)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    write_po(buffer, catalog, ignore_obsolete=True, include_previous=False)
    return buffer.getvalue()


@dataclass
class _Change:
    key: str
    answer: str
    authority: str | None
    stale: bool  # saved, but still outdated: translated from an older English text, or not reviewed


def import_po(session: Session, account: StaffAccount | None, language: str, data: bytes) -> int:
    """Apply a translator's PO file; returns how many texts changed. Raises PoImportError (nothing changed)."""
    _check_language(language)
    lines = _lines(data)
    if syntax := _syntax_problems(lines):  # Babel reads `msgstr text` (no quotes) as "ex": checked here first
        raise PoImportError([f"line {lineno}: {text}" for lineno, text in syntax])
    problems: list[tuple[int, str]] = []
    try:
        catalog = read_po(lines, ignore_obsolete=True, abort_invalid=True)
    except PoFileError as error:
        raise PoImportError([f"line {error.lineno + 1}: {str(error).rsplit(' on ', 1)[0]}: {error.line.strip()!r}"
                             if error.line.strip() else
                             f"line {error.lineno + 1}: {str(error).rsplit(' on ', 1)[0]}"]) from None
    except (ValueError, IndexError) as error:  # what the parser lets through unchecked, e.g. "msgstr[x]"
        raise PoImportError([f"line 1: not a readable PO file ({error})"]) from None

    header = catalog.locale_identifier
    if header is None or re.split(r"[_@-]", header)[0].lower() != language:
        where = next((n for n, line in enumerate(lines, 1) if line.startswith('"Language:')), 1)
        problems.append((where, f"the file is for language {header!r}, not {language!r}" if header
                         else f"no Language header (expected {language!r})"))
    for lineno, context in _repeated_contexts(lines):
        problems.append((lineno, f"{context}: the same message again (each context once)"))

    entries = {entry.key: entry for entry in _entries(session)}
    found: dict[str, dict[str, Message]] = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        lineno, context = message.lineno or 1, message.context or ""
        key, _, field = context.rpartition("|")
        if isinstance(message.id, (list, tuple)):
            problems.append((lineno, f"{context or message.id[0]}: plural forms are not used here"))
        elif not context:
            problems.append((lineno, "no msgctxt: each message is <key>|answer or <key>|authority"))
        elif field not in FIELDS or not key:
            problems.append((lineno, f"{context}: the context must end in |answer or |authority"))
        elif key not in entries:
            problems.append((lineno, f"{context}: no FAQ topic {key!r}"))
        elif field in found.setdefault(key, {}):
            continue  # a repeated context: reported by _repeated_contexts, at its msgctxt line
        else:
            found[key][field] = message

    changes = []
    for key, messages in sorted(found.items()):
        change = _change(entries[key], language, messages, problems)
        if change:
            changes.append(change)
    if problems:
        raise PoImportError([f"line {lineno}: {text}" for lineno, text in sorted(problems, key=lambda p: p[0])])
    for change in changes:
        try:
            audit = save_answer(session, account, change.key, language, change.answer, change.authority)
        except EditError as error:  # checked above; the caller's transaction rolls back what was applied
            raise PoImportError([f"{change.key}: {error}"]) from None
        if change.stale:
            text = next(t for t in entries[change.key].texts if t.language == language)
            text.outdated = True
            audit.after = {**(audit.after or {}), "outdated": True}
    return len(changes)


def _lines(data: bytes) -> list[str]:
    if len(data) > MAX_FILE_BYTES:
        raise PoImportError([f"line 1: the file is larger than {MAX_FILE_BYTES // 1_000_000} MB"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise PoImportError([f"line {line}: not UTF-8 text (save the file as UTF-8)"]) from None
    return [line.rstrip("\r") for line in text.removeprefix("\ufeff").split("\n")]


_KEYWORD_LINE = re.compile(r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"')
_STRING_LINE = re.compile(r'"(?:[^"\\]|\\.)*"')


def _syntax_problems(lines: list[str]) -> list[tuple[int, str]]:
    """Every line is empty, a comment, a keyword with one quoted string, or a quoted continuation string."""
    problems = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not (_KEYWORD_LINE.fullmatch(line) or _STRING_LINE.fullmatch(line)):
            shown = line if len(line) <= 60 else line[:57] + "..."
            problems.append((number, f'syntax error (msgctxt, msgid or msgstr and one "quoted" string expected): '
                                     f"{shown!r}"))
    return problems


def _repeated_contexts(lines: list[str]) -> list[tuple[int, str]]:
    """Babel merges a repeated msgctxt+msgid silently (keeping the first msgstr): found here, in the text."""
    contexts: list[tuple[int, str]] = []
    current: list[str] | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("msgctxt "):
            current = [line[len("msgctxt "):].strip()]
            contexts.append((number, ""))
        elif current is not None and line.startswith('"'):
            current.append(line)
        else:
            current = None
        if current is not None:
            contexts[-1] = (contexts[-1][0], "".join(unescape(part) for part in current))
    counts = Counter(context for _, context in contexts)
    seen: set[str] = set()
    repeated = []
    for number, context in contexts:
        if counts[context] > 1 and context in seen:
            repeated.append((number, context))
        seen.add(context)
    return repeated


def _change(entry: FaqEntry, language: str, messages: dict[str, Message],
            problems: list[tuple[int, str]]) -> _Change | None:
    """The new answer and authority line of one text from its messages, or None when nothing changes."""
    text, sources = _texts(entry).get(language), _sources(entry)
    stored = {"answer": text.answer if text else None, "authority": text.authority if text else None}
    wanted = dict(stored)
    answer = messages.get("answer")
    # The fuzzy flag of an outdated answer removed, its msgid the current English answer: reviewed, still right.
    confirms = bool(text and text.outdated and answer is not None and isinstance(answer.string, str)
                    and answer.string.strip() and not answer.fuzzy and answer.id == sources["answer"])
    stale = False
    for field, message in messages.items():
        value = message.string.strip() if isinstance(message.string, str) else ""
        context, lineno = f"{entry.key}|{field}", message.lineno or 1
        if not value or (value == (stored[field] or "") and not (field == "answer" and confirms)):
            continue  # empty (skipped, never a deletion) or as stored
        if message.fuzzy:
            problems.append((lineno, f"{context}: marked fuzzy (needs review): check the translation and remove "
                                     "the fuzzy flag, or leave the msgstr as it was"))
            continue
        limit = ANSWER_MAX_CHARS if field == "answer" else AUTHORITY_MAX_CHARS
        if len(value) > limit:
            problems.append((lineno, f"{context}: {len(value)} characters, at most {limit}"))
        source = set(PLACEHOLDER.findall(message.id))
        translated = set(PLACEHOLDER.findall(value))
        if missing := sorted(source - translated):
            problems.append((lineno, f"{context}: placeholder {', '.join(missing)} of the msgid missing in the msgstr"))
        if extra := sorted(translated - source):
            problems.append((lineno, f"{context}: placeholder {', '.join(extra)} in the msgstr is not in the msgid"))
        stale = stale or (field == "answer" and message.id != sources["answer"])
        wanted[field] = value
    if wanted["answer"] is None:
        if wanted["authority"]:
            line = messages["authority"].lineno or 1
            problems.append((line, f"{entry.key}|authority: translated, but the answer is not: a text needs its answer"))
        return None
    if wanted == stored and not confirms:
        return None
    # An outdated text whose answer was neither reviewed nor replaced (only its authority line changed) stays so.
    unreviewed = bool(text and text.outdated and not confirms and wanted["answer"] == stored["answer"])
    return _Change(entry.key, wanted["answer"], wanted["authority"], stale or unreviewed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalog.translations_po",
                                     description="Export a language's FAQ answers as a PO file, or import one.")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write the PO file to stdout")
    export.add_argument("language", help=", ".join(code for code in LANGUAGES if code != SOURCE))
    load = commands.add_parser("import", help="apply a translated PO file (all or nothing)")
    load.add_argument("language")
    load.add_argument("file", type=Path)
    load.add_argument("--account", default="", help="the staff e-mail the changes are logged under")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            with session_scope() as session:
                data = export_po(session, args.language)
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return 0
        data = args.file.read_bytes()
        with session_scope() as session:
            account = None
            if args.account:
                account = session.scalars(select(StaffAccount).where(
                    func.lower(StaffAccount.email) == args.account.strip().lower())).first()
                if account is None:
                    raise ValueError(f"no staff account {args.account}")
            changed = import_po(session, account, args.language, data)
        print(f"{args.file}: {changed} {args.language} text{'s' if changed != 1 else ''} changed")
        return 0
    except PoImportError as error:
        for problem in error.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        print(f"{args.file}: nothing imported ({len(error.problems)} problem(s))", file=sys.stderr)
        return 1
    except (ValueError, OSError) as error:
        print(f"translations_po: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
