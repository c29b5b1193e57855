"""Assemble Rasa's training inputs from the repository and the catalog: `python -m bot.build.export`.

Writes .build/train/{domain,data}/ and gazetteer.yml: the committed domain and NLU data, plus what the
catalog owns — one intent `faq_<key>` per FAQ entry with its stored questions and a rule answering it,
a stub per response name (the NLG endpoint renders the real text) and the municipality names and
aliases for the gazetteer. Staff add an FAQ entry: the next export + training knows it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from catalog import queries
from catalog.session import session_scope
from common.annotations import short_annotation
from common.messages import COMPOSED, FAQ_INTENT_PREFIX, RESPONSES
from common.names import fold

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / ".build" / "train"
AMBIGUOUS_LENGTH = 4  # names this short are also ordinary words ("Kil", "Åre", "Berg")


def _dump(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _questions(session: Session) -> dict[str, dict[str, list[str]]]:
    """language -> FAQ key -> questions."""
    found: dict[str, dict[str, list[str]]] = {}
    for key, language, text in queries.faq_questions(session):
        found.setdefault(language, {}).setdefault(key, []).append(text)
    # Sorted here, not by the database's collation: equal content exports byte-identical training data,
    # so every database (SQLite, PostgreSQL, a test's) reuses the same cached model.
    return {language: {key: sorted(texts) for key, texts in sorted(by_key.items())}
            for language, by_key in sorted(found.items())}


def faq_nlu(by_key: dict[str, list[str]], language: str) -> dict:
    return {
        "version": "3.1",
        "nlu": [
            {"intent": FAQ_INTENT_PREFIX + key, "metadata": {"language": language},
             "examples": "".join(f"- {short_annotation(text)}\n" for text in texts)}
            for key, texts in by_key.items()
        ],
    }


def labelled_nlu(path: Path, language: str) -> dict:
    """A committed NLU file with each intent block labelled with its language (the folder it is in), which
    the language detector learns from."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for block in document.get("nlu", []):
        if "intent" in block:
            block["metadata"] = {**(block.get("metadata") or {}), "language": language}
            if isinstance(block.get("examples"), str):
                block["examples"] = short_annotation(block["examples"])
    return document


def faq_rules(by_key: dict[str, list[str]]) -> dict:
    return {
        "version": "3.1",
        "rules": [
            {"rule": f"answer {key}", "steps": [{"intent": FAQ_INTENT_PREFIX + key}, {"action": "action_answer"}]}
            for key in by_key
        ],
    }


def generated_domain(by_key: dict[str, list[str]]) -> dict:
    names = [name for name in RESPONSES if name.startswith("utter_")] + sorted(COMPOSED)
    return {
        "version": "3.1",
        "intents": [FAQ_INTENT_PREFIX + key for key in by_key],
        "responses": {name: [{"text": f"[{name}]"}] for name in names},
    }


def gazetteer(session: Session) -> dict:
    places: dict[str, dict] = {}
    for municipality in queries.municipalities(session):
        places[municipality.name] = {"aliases": list(municipality.aliases)}
    for municipality in queries.municipalities(session):  # localities (SCB tätorter) name their municipality
        for locality in municipality.localities or ():
            places.setdefault(locality["name"], {"aliases": list(locality.get("aliases", ())),
                                                 "value": municipality.name})
    for county in queries.counties(session):  # "in Värmland": the region's pages until a municipality is named
        places.setdefault(county.name, {"aliases": [county.region, *county.aliases], "entity": "county"})
    others = yaml.safe_load((ROOT / "data" / "catalog" / "other_places.yml").read_text(encoding="utf-8"))
    for name, aliases in others["places"].items():
        places.setdefault(name, {"aliases": aliases or []})
    for name, info in places.items():
        info["ambiguous"] = len(fold(name)) <= AMBIGUOUS_LENGTH
    words = yaml.safe_load((ROOT / "data" / "catalog" / "not_places.yml").read_text(encoding="utf-8"))
    not_places = {fold(word) for group in ("words", "by_hand") for found in (words.get(group) or {}).values()
                  for word in found}
    return {"places": places, "not_places": sorted(not_places)}


def export(build: Path = BUILD, database_url: str | None = None) -> Path:
    if build.exists():
        shutil.rmtree(build)
    (build / "domain").mkdir(parents=True)
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        shutil.copy(path, build / "domain" / path.name)
    for path in sorted((ROOT / "data" / "nlu").glob("*/*.yml")):
        language = path.parent.name
        _dump(build / "data" / "nlu" / language / path.name, labelled_nlu(path, language))
    shutil.copytree(ROOT / "data" / "dialogue", build / "data" / "dialogue")
    with session_scope(database_url) as session:
        questions = _questions(session)
        by_key: dict[str, list[str]] = {}
        for language, language_questions in questions.items():
            _dump(build / "data" / "faq" / f"{language}.yml", faq_nlu(language_questions, language))
            for key, texts in language_questions.items():
                by_key.setdefault(key, []).extend(texts)
        by_key = dict(sorted(by_key.items()))
        _dump(build / "data" / "faq_rules.yml", faq_rules(by_key))
        _dump(build / "domain" / "generated.yml", generated_domain(by_key))
        _dump(build / "gazetteer.yml", gazetteer(session))
    return build


if __name__ == "__main__":
    print(f"export: training inputs in {export()}")
