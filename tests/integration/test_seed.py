"""Seed loading on SQLite and PostgreSQL: complete, idempotent, and all-or-nothing on bad files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog import migrate, seed
from catalog.models import ChecklistStep, County, FaqEntry, FaqQuestion, FaqText, Municipality, Service
from catalog.session import session_scope

MODELS = (County, Municipality, Service, FaqEntry, FaqText, FaqQuestion, ChecklistStep)


def counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def test_loads_all_24_municipalities_with_official_facts(catalog_url):
    with session_scope(catalog_url) as session:
        municipalities = session.scalars(select(Municipality)).all()
        by_county = {}
        for municipality in municipalities:
            by_county.setdefault(municipality.county.key, set()).add(municipality.name)
        assert len(by_county["jamtland"]) == 8
        assert len(by_county["varmland"]) == 16
        codes = {m.name: m.scb_code for m in municipalities}
        assert codes["Östersund"] == "2380" and codes["Karlstad"] == "1780" and codes["Årjäng"] == "1765"
        for municipality in municipalities:
            assert municipality.scb_code[:2] == municipality.county.code
            assert municipality.website.startswith("https://")


def test_loading_twice_gives_the_same_rows(catalog_url):
    before = counts(catalog_url)
    seed.load(database_url=catalog_url)
    assert counts(catalog_url) == before
    assert before["Municipality"] == 24 and before["FaqEntry"] >= 60


def _broken_copy(tmp_path: Path, relative: str, old: str, new: str) -> Path:
    copy = tmp_path / "catalog"
    shutil.copytree(seed.DEFAULT_DIR, copy)
    path = copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        ("municipalities/krokom.yml", 'scb_code: "2309"', 'scb_code: "23X9"', r"krokom.yml:\d+: scb_code: String should match"),
        ("municipalities/karlstad.yml", "county: varmland", "county: dalarna", r"karlstad.yml:\d+: county: unknown county"),
        ("municipalities/ostersund.yml", "category: preschool", "category: kindergarten", r"ostersund.yml:\d+: services.\d+.category"),
        ("faq/topics/permits.yml", "reviewed_on: 2026-11-27", "reviewed_on: someday", r"permits.yml:\d+: \w+.reviewed_on: Input should be a valid date"),
        ("faq/topics/housing.yml", "source_url: https://", "source_url: http://", r"housing.yml:\d+: find_rental.source_url"),
        ("faq/answers/en/permits.yml", "work_permit:", "no_such_key:", r"permits.yml:\d+: no_such_key: no such FAQ key"),
        ("checklist.yml", "faq: sfi", "faq: swedish_lessons", r"checklist.yml:\d+: steps.\d+.faq: no such FAQ key"),
        ("counties/jamtland.yml", 'code: "23"', "code: [", r"jamtland.yml:\d+: \(syntax\)"),
        ("municipalities/ostersund.yml", "category: preschool", "category: preschool\n    none: true",
         r"ostersund.yml:\d+: services.\d+.*`none: true` entry has no name or url"),
    ],
)
def test_invalid_file_is_rejected_with_file_line_and_field_and_changes_nothing(
    catalog_url, tmp_path, relative, old, new, expected
):
    before = counts(catalog_url)
    broken = _broken_copy(tmp_path, relative, old, new)
    with pytest.raises(seed.SeedError, match=expected):
        seed.load(broken, database_url=catalog_url)
    assert counts(catalog_url) == before


def test_reported_line_points_at_the_bad_field(tmp_path, sqlite_url):
    broken = _broken_copy(tmp_path, "municipalities/krokom.yml", 'scb_code: "2309"', 'scb_code: "23X9"')
    lines = (broken / "municipalities/krokom.yml").read_text(encoding="utf-8").splitlines()
    with pytest.raises(seed.SeedError) as error:
        seed.read_catalog(broken)
    line = int(str(error.value).split(":")[1])
    assert lines[line - 1].startswith("scb_code:")


def test_cli_exits_non_zero_with_the_message(tmp_path, sqlite_url, monkeypatch, capsys):
    migrate.upgrade(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    broken = _broken_copy(tmp_path, "faq/topics/permits.yml", "reviewed_on: 2026-11-27", "reviewed_on: soon")
    assert seed.main([str(broken)]) == 1
    assert "permits.yml" in capsys.readouterr().err


def test_edits_in_seed_files_update_rows_in_place(catalog_url, tmp_path):
    changed = _broken_copy(tmp_path, "municipalities/krokom.yml", "official_name: Krokoms kommun", "official_name: Krokoms kommun (test)")
    seed.load(changed, database_url=catalog_url)
    with session_scope(catalog_url) as session:
        krokom = session.scalars(select(Municipality).filter_by(name="Krokom")).one()
        assert krokom.official_name == "Krokoms kommun (test)"
    assert counts(catalog_url)["Municipality"] == 24


def test_make_run_reloads_changed_files_but_never_over_staff_changes(sqlite_url, tmp_path):
    from catalog import editing

    migrate.upgrade(sqlite_url)
    copy = _broken_copy(tmp_path, "municipalities/krokom.yml", "official_name: Krokoms kommun", "official_name: Krokoms kommun")
    assert seed.load_if_changed(copy, sqlite_url) == "loaded"
    assert seed.load_if_changed(copy, sqlite_url) == "unchanged"
    with session_scope(sqlite_url) as session:  # a member of staff edits an answer
        editing.save_answer(session, None, "sfi", "de", "Von der Redaktion geändert.")
    path = copy / "municipalities/krokom.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Krokoms kommun", "Krokoms kommun (ny)"), encoding="utf-8")
    assert seed.load_if_changed(copy, sqlite_url) == "kept staff changes"
    with session_scope(sqlite_url) as session:
        text = session.scalars(select(FaqText).join(FaqEntry).where(FaqEntry.key == "sfi", FaqText.language == "de")).one()
        assert text.answer == "Von der Redaktion geändert."


def test_an_answer_saved_without_an_authority_line_keeps_it_and_an_empty_one_clears_it(catalog_url):
    from catalog import editing

    def authority() -> str | None:
        with session_scope(catalog_url) as session:
            return session.scalars(select(FaqText.authority).join(FaqEntry)
                                   .where(FaqEntry.key == "sfi", FaqText.language == "de")).one()

    kept = authority()
    assert kept
    with session_scope(catalog_url) as session:
        editing.save_answer(session, None, "sfi", "de", "Von der Redaktion geändert.")
    assert authority() == kept
    with session_scope(catalog_url) as session:
        editing.save_answer(session, None, "sfi", "de", "Noch einmal geändert.", "")
    assert authority() is None
