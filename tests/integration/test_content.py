"""The seeded content is complete and sound: six languages everywhere, official links, fresh reviews."""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process
from sqlalchemy import select

from catalog import report, seed
from catalog.models import ANSWER_MAX_CHARS, FaqEntry, Municipality, Service, ServiceCategory
from catalog.search import plain
from catalog.session import session_scope
from common.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]


def test_seeded_content_passes_the_content_report(seeded):
    """Everything but municipal coverage: pages not found on official sites are left out, never guessed, so some
    categories are below 22 of 24 until verified (the report lists them; `make content-report` fails on them)."""
    with session_scope(seeded) as session:
        found = report.problems(session, today=date.today(), max_age_days=365, domains=report.official_domains())
    assert [problem for problem in found if problem.kind != "coverage"] == []


def test_the_report_finds_stale_missing_and_dubious_content(catalog_url):
    with session_scope(catalog_url) as session:
        entry = session.scalars(select(FaqEntry).filter_by(key="sfi")).one()
        entry.reviewed_on = date.today() - timedelta(days=400)
        entry.source_url = "http://example.com/sfi"
        session.delete(next(text for text in entry.texts if text.language == "uk"))
        session.scalars(select(Service)).first().checked_source = None
    with session_scope(catalog_url) as session:
        found = report.problems(session, today=date.today(), max_age_days=365, domains=report.official_domains())
    kinds = {(problem.kind, problem.where) for problem in found}
    assert ("stale", "faq sfi") in kinds and ("missing language", "faq sfi") in kinds
    assert ("link", "faq sfi") in kinds and any(kind == "unchecked" for kind, _ in kinds)


def test_the_report_finds_long_answers_unlinked_changes_and_thin_coverage(catalog_url):
    with session_scope(catalog_url) as session:
        entry = session.scalars(select(FaqEntry).filter_by(key="komvux")).one()
        entry.change_url = None
        text = next(text for text in entry.texts if text.language == "de")
        text.answer = "Seit 2026 gilt eine neue Regel. " + "x" * ANSWER_MAX_CHARS
        sfi = session.scalars(select(ServiceCategory).filter_by(code="sfi")).one()
        for name in ("Bräcke", "Berg", "Ragunda"):  # three municipalities lose their SFI page: 21 of 24 left
            municipality = session.scalars(select(Municipality).filter_by(name=name)).one()
            for service in session.scalars(select(Service).filter_by(municipality_id=municipality.id, category_id=sfi.id)):
                session.delete(service)
    with session_scope(catalog_url) as session:
        found = report.problems(session, today=date.today(), max_age_days=365, domains=report.official_domains())
    kinds = {(problem.kind, problem.where): problem.detail for problem in found}
    assert ("too long", "faq komvux") in kinds and ("change unlinked", "faq komvux") in kinds
    assert "Berg, Bräcke" in kinds[("coverage", "category sfi")]


@pytest.mark.parametrize(
    ("url", "problem"),
    [("https://www.migrationsverket.se/x", None), ("https://legitimation.socialstyrelsen.se/", None),
     ("http://www.skatteverket.se/", "not https"), ("https://example.com/", "example.com is not an official domain"),
     ("https://evil-skatteverket.se/", "evil-skatteverket.se is not an official domain"), ("https:///x", "malformed")],
)
def test_link_rules(url, problem):
    assert report.link_problem(url, report.official_domains()) == problem


def test_every_faq_entry_has_six_short_answers_naming_an_authority():
    catalog = seed.read_catalog()
    assert len(catalog.topics) >= 60
    for key, (_category, topic) in catalog.topics.items():
        for language in LANGUAGES:
            answer = catalog.answers.get((key, language))
            assert answer, f"{key}: no {language} answer"
            assert len(answer) <= ANSWER_MAX_CHARS, f"{key}/{language}: {len(answer)} characters"
            assert "http" not in answer, f"{key}/{language}: URLs belong in source_url"
        assert topic.authority and topic.source_url.startswith("https://")


def test_every_intent_has_at_least_20_training_examples_per_language():
    catalog = seed.read_catalog()
    for key in catalog.topics:
        for language in LANGUAGES:
            assert len(catalog.questions.get((key, language), [])) >= 20, f"faq {key}: {language}"
    for path in sorted((ROOT / "data" / "nlu").glob("*/*.yml")):
        language = path.parent.name
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            examples = [line for line in block["examples"].splitlines() if line.strip().startswith("- ")]
            assert len(examples) >= 20, f"{block['intent']}: {language} has {len(examples)}"


def _held_out(language: str) -> dict[str, list[str]]:
    document = yaml.safe_load((ROOT / "tests" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    return {block["intent"]: [line.strip()[2:] for line in block["examples"].splitlines() if line.strip().startswith("- ")]
            for block in document["nlu"]}


NEAR_COPY = 90  # rapidfuzz ratio of the normalised texts


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", plain(text).casefold()).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_set_is_complete_and_never_in_training(language):
    catalog = seed.read_catalog()
    held_out = _held_out(language)
    intents = {f"faq_{key}" for key in catalog.topics}
    blocks = [block for path in sorted((ROOT / "data" / "nlu" / language).glob("*.yml"))
              for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]]
    intents |= {block["intent"] for block in blocks}
    assert set(held_out) == intents
    assert all(len(examples) >= 10 for examples in held_out.values())
    training = {_normal(text) for (_, lang), texts in catalog.questions.items() if lang == language for text in texts}
    training |= {_normal(line.strip()[2:]) for block in blocks for line in block["examples"].splitlines()
                 if line.strip().startswith("- ")}
    # One-word greetings and yes/no answers can only be said a few ways; anything longer must be new: not in
    # training, nor there with a letter or a word changed (that would measure memory, not understanding).
    sentences = [_normal(text) for examples in held_out.values() for text in examples if len(_normal(text).split()) > 2]
    # Only the training side is named: whoever writes training data must not see the held-out sentence.
    near_copies = [text for text in training
                   if process.extractOne(text, sentences, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)]
    assert near_copies == [], "training lines too close to a held-out sentence (delete them, do not reword)"
