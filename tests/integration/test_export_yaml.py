"""`make content-export`: the database's content written back to the seed files, byte-stably and losslessly.

Every test works on a copy of data/catalog in tmp_path (never on the repository's files): the copy is seeded into
a fresh database (SQLite, and PostgreSQL when reachable), changed through catalog.editing, and exported over.
"""
from __future__ import annotations

import difflib
import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog import editing, export_yaml, migrate, seed, yaml_lines
from catalog.models import FaqEntry, FaqQuestion, FaqText, LocalNote, Municipality, Service
from catalog.session import session_scope

NEW_KEY = "export_test_topic"
NEW_ANSWER_EN = ("A topic written in the admin and exported to the seed files. " * 6).strip()
NOTE = "In Karlstad, apply for SFI through the municipality's adult education page."


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}


def _diff(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added."""
    removed, added = [], []
    for line in difflib.ndiff(before.decode().splitlines(), after.decode().splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


@pytest.fixture
def seeded_copy(database_url, tmp_path) -> tuple[str, Path]:
    """A copy of data/catalog and a database seeded from that copy (the copy is taken first: others may be
    editing data/catalog meanwhile)."""
    copy = tmp_path / "catalog"
    shutil.copytree(seed.DEFAULT_DIR, copy)
    migrate.upgrade(database_url)
    seed.load(copy, database_url=database_url)
    return database_url, copy


def test_exporting_a_freshly_seeded_database_changes_no_file(seeded_copy):
    url, copy = seeded_copy
    before = _snapshot(copy)
    with session_scope(url) as session:
        changed = export_yaml.export(session, copy)
    assert changed == []
    after = _snapshot(copy)
    assert sorted(after) == sorted(before)
    assert [name for name in before if after[name] != before[name]] == []


def test_every_seed_file_survives_a_rewrite_byte_identically(tmp_path):
    """What the export writes for a changed file, for every file rewritten with nothing changed: ruamel's settings
    match the files' style, and the few spellings ruamel renders otherwise keep the file's bytes."""
    copy = tmp_path / "catalog"
    shutil.copytree(seed.DEFAULT_DIR, copy)
    yaml = export_yaml._yaml()
    differing = []
    for path in sorted(copy.rglob("*.yml")):
        original = path.read_text(encoding="utf-8")
        stream = io.StringIO()
        yaml.dump(yaml.load(original), stream)
        rendered = stream.getvalue()
        assert export_yaml._keep_unchanged_lines(original, rendered, rendered) == original, path
        differing += [path.name] if rendered != original else []
    # Only double-quoted "\xF6"-style escapes (in a few topics' `about`) come back from ruamel spelled otherwise.
    assert all(name in {p.name for p in (copy / "faq" / "topics").glob("*.yml")} for name in differing)


def _content(url: str) -> dict[str, dict]:
    """What the seed writes, by natural key: answers, questions, topics, services, local notes."""
    with session_scope(url) as session:
        return {
            "answers": {(text.entry.key, text.language): text.answer for text in session.scalars(select(FaqText))},
            "questions": {(q.entry.key, q.language, q.text) for q in session.scalars(select(FaqQuestion))},
            "topics": {entry.key: (entry.topic, entry.authority, entry.source_url, entry.reviewed_on, entry.change_url,
                                   entry.offer_checklist, tuple(entry.see_also),
                                   tuple(category.code for category in entry.local_categories))
                       for entry in session.scalars(select(FaqEntry))},
            "services": {(service.municipality.slug if service.municipality else service.county.key,
                          service.category.code, service.url): (service.name, service.none, service.checked_source)
                         for service in session.scalars(select(Service))},
            "notes": {(note.municipality.slug, note.entry.key, note.language): note.text
                      for note in session.scalars(select(LocalNote))},
        }


def _service_entry(copy: Path, slug: str, category: str) -> dict:
    document = yaml_lines.load(copy / "municipalities" / f"{slug}.yml")
    return next(service for service in document["services"] if service["category"] == category)


def test_edits_come_back_as_a_diff_of_only_those_places_and_reseed_to_the_same_rows(seeded_copy, tmp_path):
    url, copy = seeded_copy
    before = _snapshot(copy)
    preschool = _service_entry(copy, "krokom", "preschool")
    upper_secondary = _service_entry(copy, "krokom", "upper_secondary")
    new_upper_secondary = {"name": "Jämtlands Gymnasium – antagning", "url": "https://jgy.se/antagning/",
                           "checked_source": "https://jgy.se/antagning/"}
    with session_scope(url) as session:
        entry = session.scalars(select(FaqEntry).filter_by(key="work_permit")).one()
        english = next(text for text in entry.texts if text.language == "en")
        old_answer, changed_answer = english.answer, english.answer.replace("Start working only", "Begin working only")
        assert changed_answer != old_answer
        editing.save_answer(session, None, "work_permit", "en", changed_answer, english.authority)
        krokom = session.scalars(select(Municipality).filter_by(slug="krokom")).one()
        karlstad = session.scalars(select(Municipality).filter_by(slug="karlstad")).one()
        editing.save_service(session, None, krokom, "upper_secondary", new_upper_secondary)
        editing.save_service(session, None, krokom, "preschool", {"none": True, "checked_source": preschool["url"]})
        editing.save_note(session, None, "sfi", karlstad, "en", NOTE)
        editing.create_topic(
            session, None, NEW_KEY, category="everyday", authority="Skatteverket (Swedish Tax Agency)",
            source_url="https://www.skatteverket.se/privat.html", reviewed_on="2026-12-05",
            answers={"en": NEW_ANSWER_EN, "sv": "Ett ämne skrivet i adminverktyget."},
            questions={"en": ["how does the export work", "export test question"], "sv": ["hur fungerar exporten"]},
        )
    with session_scope(url) as session:
        # A Swedish or English change outdates the translations; they are exported all the same (untouched).
        outdated = session.scalars(select(FaqText).join(FaqEntry).where(FaqEntry.key == "work_permit",
                                                                         FaqText.language == "de")).one()
        assert outdated.outdated
        changed = export_yaml.export(session, copy)

    after = _snapshot(copy)
    touched = {name for name in after if after[name] != before.get(name)} | set(before) - set(after)
    topic_file = next(name for name in before if name.startswith("faq/topics/") and b"\nwork_permit:" in before[name])
    answer_file = topic_file.replace("faq/topics/", "faq/answers/en/")
    assert touched == {
        answer_file, "municipalities/krokom.yml", "local_notes.yml", "faq/topics/everyday.yml",
        "faq/answers/en/everyday.yml", "faq/answers/sv/everyday.yml",
        "faq/questions/en/everyday.yml", "faq/questions/sv/everyday.yml",
    }
    assert sorted(changed) == sorted(copy / name for name in touched)

    # The English answer: only lines of that answer, re-wrapped like the others (at most 100 columns).
    removed, added = _diff(before[answer_file], after[answer_file])
    old_lines = before[answer_file].decode().splitlines()
    start = old_lines.index("work_permit: >-")
    end = next(i for i in range(start + 1, len(old_lines)) if not old_lines[i].startswith("  "))
    assert set(removed) <= set(old_lines[start + 1:end]) and removed
    assert all(line.startswith("  ") and len(line) <= 100 for line in added)
    assert yaml_lines.load(copy / answer_file)["work_permit"] == changed_answer

    # Krokom: preschool becomes `{category, none: true, checked_source}`; upper_secondary gets its new page.
    removed, added = _diff(before["municipalities/krokom.yml"], after["municipalities/krokom.yml"])
    assert removed == [f"    name: {preschool['name']}", f"    url: {preschool['url']}",
                       f"    name: {upper_secondary['name']}", f"    url: {upper_secondary['url']}",
                       f"    checked_source: {upper_secondary['checked_source']}"]
    assert added == ["    none: true", f"    name: {new_upper_secondary['name']}", f"    url: {new_upper_secondary['url']}",
                     f"    checked_source: {new_upper_secondary['checked_source']}"]
    assert _service_entry(copy, "krokom", "preschool") == {
        "category": "preschool", "none": True, "checked_source": preschool["url"]}

    # The new topic: appended to its category's files, nothing else in them changed.
    removed, added = _diff(before["faq/topics/everyday.yml"], after["faq/topics/everyday.yml"])
    assert removed == []
    assert added == [f"{NEW_KEY}:", f"  about: {export_yaml.NEW_TOPIC_ABOUT}", "  authority: Skatteverket (Swedish Tax Agency)",
                     "  source_url: https://www.skatteverket.se/privat.html", "  reviewed_on: 2026-12-05", "  local: null"]
    for name, lines in (("faq/questions/en/everyday.yml", ["  - how does the export work", "  - export test question"]),
                        ("faq/questions/sv/everyday.yml", ["  - hur fungerar exporten"]),
                        ("faq/answers/sv/everyday.yml", ["  Ett ämne skrivet i adminverktyget."])):
        removed, added = _diff(before[name], after[name])
        assert removed == [] and added[1:] == lines and added[0] in (f"{NEW_KEY}:", f"{NEW_KEY}: >-")
        assert after[name].endswith("\n".join(added).encode() + b"\n")
    assert yaml_lines.load(copy / "faq/answers/en/everyday.yml")[NEW_KEY] == NEW_ANSWER_EN

    # The local note: a new file, `<municipality slug>: {<faq key>: {<lang>: text}}`.
    notes = after["local_notes.yml"].decode()
    assert notes.endswith(f"karlstad:\n  sfi:\n    en: {NOTE}\n") and notes.startswith("# ")

    # Seeding a fresh database from the exported files gives the same content.
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(fresh)
    seed.load(copy, database_url=fresh)
    exported, reseeded = _content(url), _content(fresh)
    for part in ("answers", "questions", "topics", "services", "notes"):
        assert reseeded[part] == exported[part], part
    assert reseeded["notes"] == {("karlstad", "sfi", "en"): NOTE}

    # And exporting that database over the files changes nothing again.
    with session_scope(fresh) as session:
        assert export_yaml.export(session, copy) == []
    assert _snapshot(copy) == after


def test_comments_next_to_changed_values_survive(seeded_copy):
    url, copy = seeded_copy
    krokom_file, permits_file = copy / "municipalities/krokom.yml", copy / "faq/topics/permits.yml"
    krokom_lines = krokom_file.read_text(encoding="utf-8").splitlines()
    start = krokom_lines.index("  - category: upper_secondary")
    comment = next(line for line in krokom_lines[start:] if line.lstrip().startswith("# checked"))
    permits_lines = permits_file.read_text(encoding="utf-8").splitlines()
    start = permits_lines.index("eu_right_of_residence:")
    source_at = next(i for i in range(start, len(permits_lines)) if permits_lines[i].startswith("  source_url:"))
    topic_comments = []
    for line in permits_lines[source_at + 1:]:
        if not line.lstrip().startswith("#"):
            break
        topic_comments.append(line)
    assert topic_comments, "eu_right_of_residence has comment lines after its source_url"
    new_source = "https://www.migrationsverket.se/en/you-want-to-apply/citizens-of-the-eu-eea-or-nordic-countries.html"

    with session_scope(url) as session:
        krokom = session.scalars(select(Municipality).filter_by(slug="krokom")).one()
        editing.save_service(session, None, krokom, "upper_secondary",
                             {"name": "Gymnasium", "url": "https://jgy.se/gymnasium/", "checked_source": "https://jgy.se/gymnasium/"})
        entry = session.scalars(select(FaqEntry).filter_by(key="eu_right_of_residence")).one()
        editing.save_topic(session, None, "eu_right_of_residence", authority=entry.authority, source_url=new_source,
                           reviewed_on="2026-12-06", change_url=entry.change_url)
        export_yaml.export(session, copy)

    lines = krokom_file.read_text(encoding="utf-8").splitlines()
    at = lines.index("    checked_source: https://jgy.se/gymnasium/")
    assert lines[at - 2:at + 2] == ["    name: Gymnasium", "    url: https://jgy.se/gymnasium/",
                                    "    checked_source: https://jgy.se/gymnasium/", comment]
    lines = permits_file.read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  source_url: {new_source}")
    assert lines[at + 1:at + 1 + len(topic_comments)] == topic_comments
    assert lines[at + 1 + len(topic_comments)] == "  reviewed_on: 2026-12-06"


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ("karlstad:\n  sfi:\n    en: A note.\nnowhere:\n  sfi:\n    en: A note.\n", r"local_notes.yml:4: nowhere: no such municipality"),
        ("karlstad:\n  sfi:\n    en: A note.\n  no_such_topic:\n    en: A note.\n", r"local_notes.yml:4: karlstad.no_such_topic: no such FAQ key"),
        ("karlstad:\n  sfi:\n    xx: A note.\n", r"local_notes.yml:3: karlstad.sfi.xx"),
        ("karlstad:\n  sfi:\n    en: '" + "x" * 401 + "'\n", r"local_notes.yml:3: karlstad.sfi.en: String should have at most 400"),
    ],
)
def test_local_notes_file_is_validated_with_file_and_line(tmp_path, notes, expected):
    copy = tmp_path / "catalog"
    shutil.copytree(seed.DEFAULT_DIR, copy)
    (copy / "local_notes.yml").write_text(notes, encoding="utf-8")
    with pytest.raises(seed.SeedError, match=expected):
        seed.read_catalog(copy)
