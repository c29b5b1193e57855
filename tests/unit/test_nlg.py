"""POST /nlg against Rasa's NLG contract (tests/fixtures holds Rasa's own nlg_response_format_spec)."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.deps import get_session
from api.main import create_app
from catalog.models import FaqEntry, Municipality
from catalog.session import session_scope
from common.messages import RESPONSES
from tests.conftest import session_on

SPEC = json.loads((Path(__file__).parent.parent / "fixtures" / "nlg_response_format_spec.json").read_text())


@pytest.fixture
def client(app_client) -> TestClient:
    return app_client


def rasa_request(response: str, language: str | None, channel: str = "collector", **arguments) -> dict:
    """The body Rasa's callback NLG posts (rasa/core/nlg/callback.py nlg_request_format)."""
    return {
        "response": response,
        "id": None,
        "arguments": arguments,
        "tracker": {"sender_id": "t", "slots": {"language": language, "language_hint": None}, "events": []},
        "channel": {"name": channel},
    }


@pytest.mark.parametrize("language", ["sv", "en", "de", "nl", "ar", "uk"])
@pytest.mark.parametrize("name", sorted(n for n in RESPONSES if n.startswith("utter_")))
def test_every_response_renders_in_every_language_within_the_contract(client, name, language):
    reply = client.post("/nlg", json=rasa_request(name, language, municipality="Krokom", place="Oslo", name="X"))
    assert reply.status_code == 200
    body = reply.json()
    jsonschema.validate(body, SPEC)
    assert body["text"].strip() and "{" not in body["text"]


def test_language_comes_from_the_slot_and_hint(client):
    swedish = client.post("/nlg", json=rasa_request("utter_goodbye", "sv")).json()["text"]
    english = client.post("/nlg", json=rasa_request("utter_goodbye", None)).json()["text"]
    body = rasa_request("utter_goodbye", None)
    body["tracker"]["slots"]["language_hint"] = "de"
    german = client.post("/nlg", json=body).json()["text"]
    assert len({swedish, english, german}) == 3
    assert english == RESPONSES["utter_goodbye"]


def test_faq_answer_combines_national_answer_source_and_municipal_page(client):
    body = client.post("/nlg", json=rasa_request("utter_faq_answer", "sv", faq_key="preschool", municipality="Krokom"))
    text = body.json()["text"]
    jsonschema.validate(body.json(), SPEC)
    assert "skolverket.se" in text and "krokom.se" in text and "27 november 2026" in text


def test_faq_answer_formats_the_review_date_for_the_locale(client):
    german = client.post("/nlg", json=rasa_request("utter_faq_answer", "de", faq_key="work_permit")).json()["text"]
    arabic = client.post("/nlg", json=rasa_request("utter_faq_answer", "ar", faq_key="work_permit")).json()["text"]
    assert "5. Dezember 2026" in german and "ديسمبر" in arabic  # work_permit reviewed on 2026-12-05
    assert "migrationsverket.se" in german and "migrationsverket.se" in arabic


def test_local_topic_without_municipality_invites_the_user_to_name_it(client):
    text = client.post("/nlg", json=rasa_request("utter_faq_answer", "en", faq_key="sfi")).json()["text"]
    assert "municipality" in text


def test_missing_translation_falls_back_to_english_and_is_logged(client, caplog, monkeypatch):
    from api import i18n

    monkeypatch.setattr(i18n, "catalog", lambda language: __import__("gettext").NullTranslations())
    with caplog.at_level(logging.WARNING):
        text = client.post("/nlg", json=rasa_request("utter_goodbye", "uk")).json()["text"]
    assert text == RESPONSES["utter_goodbye"]
    assert "missing uk translation" in caplog.text


def test_unknown_response_is_a_clear_4xx(client):
    reply = client.post("/nlg", json=rasa_request("utter_does_not_exist", "en"))
    assert reply.status_code == 422 and "utter_does_not_exist" in reply.json()["detail"]


def test_malformed_body_is_a_4xx_not_a_500(client):
    assert client.post("/nlg", content=b"{not json").status_code == 422
    assert client.post("/nlg", json={"arguments": {}}).status_code == 422


def test_database_down_gives_a_localized_apology(tmp_path):
    app = create_app()
    broken = tmp_path / "catalog.db"
    broken.write_bytes(b"not a database " * 100)  # SQLite answers: file is not a database
    app.dependency_overrides[get_session] = session_on(f"sqlite:///{broken}")
    reply = TestClient(app).post("/nlg", json=rasa_request("utter_faq_answer", "sv", faq_key="sfi"))
    assert reply.status_code == 200
    body = reply.json()
    assert "informationsverige.se" in body["text"] and "Something went wrong" not in body["text"]
    assert "fel" in body["text"] and body["language"] == "sv"


def text_of(client, response: str, language: str, **arguments) -> str:
    reply = client.post("/nlg", json=rasa_request(response, language, **arguments))
    assert reply.status_code == 200, reply.text
    jsonschema.validate(reply.json(), SPEC)
    assert reply.json()["language"] == language
    return reply.json()["text"]


def test_the_answer_comes_first_and_only_invites_the_place(client):
    text = text_of(client, "utter_faq_answer", "en", faq_key="sfi")
    answer, *rest = text.split("\n\n")
    assert "?" not in rest[-1] and "Tell me your municipality" in rest[-1]  # an invitation, not a question
    assert len(answer.split()) > 15 and "skolverket.se" in text


def test_a_named_municipality_adds_its_pages_with_their_category(client):
    text = text_of(client, "utter_faq_answer", "en", faq_key="housing_queue", municipality="Karlstad")
    assert "Housing company and queue in Karlstad: KBAB" in text and "kbab.se" in text
    assert "Tell me your municipality" not in text


def test_a_named_county_adds_the_regions_pages(client):
    text = text_of(client, "utter_faq_answer", "en", faq_key="health_centre", county="Värmland")
    assert "Region Värmland" in text and "regionvarmland.se" in text
    text = text_of(client, "utter_faq_answer", "en", faq_key="preschool", county="Värmland")
    assert "Tell me your municipality in Värmlands län" in text


def test_a_place_named_later_gets_only_the_local_side(client):
    text = text_of(client, "utter_faq_local", "de", faq_key="preschool", municipality="Krokom")
    assert "krokom.se" in text and "Quelle" not in text and "Vorschule (Kita) in Krokom" in text


def test_the_source_line_is_entirely_in_the_replys_language(client):
    german = text_of(client, "utter_faq_answer", "de", faq_key="preschool")
    source = next(line for line in german.split("\n\n") if line.startswith("Quelle:"))
    assert "Skolverket" in source and "Swedish" not in source and " and " not in source
    arabic = text_of(client, "utter_faq_answer", "ar", faq_key="work_permit")
    source = next(line for line in arabic.split("\n\n") if line.startswith("المصدر:"))
    assert "Swedish" not in source and "Migrationsverket" in source


@pytest.mark.parametrize("language", ["sv", "en", "de", "nl", "ar", "uk"])
def test_a_municipalitys_own_facts(client, language):
    text = text_of(client, "utter_municipality_facts", language, municipality="Bräcke")
    assert "Bräcke kommun" in text and "bracke.se" in text and "Jämtlands län" in text and "regionjh.se" in text


def test_broad_first_steps_offer_the_checklist(client):
    text = text_of(client, "utter_faq_answer", "sv", faq_key="first_steps_work_non_eu")
    assert "migrationsverket.se" in text and "checklista" in text


def test_a_rule_change_and_a_missing_service_are_said_in_the_reply(catalog_url):
    with session_scope(catalog_url) as session:
        entry = session.scalars(select(FaqEntry).filter_by(key="housing_queue")).one()
        entry.change_url = "https://www.boverket.se/change"
        karlstad = session.scalars(select(Municipality).filter_by(name="Karlstad")).one()
        for service in karlstad.services:
            service.none = service.category.code == "housing_company" or service.none
    app = create_app()
    app.dependency_overrides[get_session] = session_on(catalog_url)
    with TestClient(app) as client:
        text = text_of(client, "utter_faq_answer", "sv", faq_key="housing_queue", municipality="Karlstad")
    assert "Om ändringen: https://www.boverket.se/change" in text
    none_line = next(line for line in text.splitlines() if "kommunen har ingen" in line)
    assert "Karlstad" in none_line and "kbab.se" in none_line  # the page that shows it, not a link to use
