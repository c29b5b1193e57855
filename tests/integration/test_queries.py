"""The query layer on SQLite and PostgreSQL — the same code the actions, the NLG endpoint and the admin use."""
from __future__ import annotations

import pytest

from catalog import queries
from catalog.search import best_faq_key, plain
from catalog.session import session_scope


@pytest.mark.parametrize("name", ["Östersund", "ostersund", "ÖSTERSUND", "Östersunds kommun", "2380", "أوسترسوند"])
def test_finds_a_municipality_by_any_name(seeded, name):
    with session_scope(seeded) as session:
        assert queries.find_municipality(session, name).scb_code == "2380"


@pytest.mark.parametrize("name", ["Stockholm", "Oslo", "", None, "'; DROP TABLE municipality; --"])
def test_places_outside_the_catalog_are_not_found(seeded, name):
    with session_scope(seeded) as session:
        assert queries.find_municipality(session, name) is None
        assert len(queries.municipalities(session)) == 24


def test_local_services_prefer_the_municipality_and_fall_back_to_the_county(seeded):
    with session_scope(seeded) as session:
        krokom = queries.find_municipality(session, "Krokom")
        preschool = queries.local_services(session, krokom, "preschool")
        assert preschool and all(service.municipality_id == krokom.id for service in preschool)
        health = queries.local_services(session, krokom, "health_care")
        assert health and all(service.county_id == krokom.county_id for service in health)
        karlstad = queries.find_municipality(session, "Karlstad")
        assert all(s.county_id != krokom.county_id for s in queries.local_services(session, karlstad, "health_care"))


def test_faq_answer_follows_the_language_fallback_chain(seeded):
    with session_scope(seeded) as session:
        text, language = queries.faq_answer(session, "work_permit", ["sv", "en"])
        assert language == "sv" and "Migrationsverket" in text.answer
        text, language = queries.faq_answer(session, "work_permit", ["xx", "en", "sv"])
        assert language == "en"
        assert queries.faq_answer(session, "no_such_key", ["en"]) is None


@pytest.mark.parametrize(
    ("situation", "present", "absent"),
    [
        ({"eu": False, "purpose": "work", "children": [], "regulated": False},
         {"permit_work", "registration", "bank", "swedish"}, {"residence_eu", "preschool", "licence_health"}),
        ({"eu": True, "purpose": "work", "children": ["preschool"], "regulated": True},
         {"residence_eu", "preschool", "child_allowance", "licence_health"}, {"permit_work", "school"}),
        ({"eu": False, "purpose": "protection", "children": ["school", "upper_secondary"], "regulated": False},
         {"permit_protection", "school", "upper_secondary", "jobs"}, {"permit_work", "preschool"}),
        ({"eu": False, "purpose": "family", "children": ["any"], "regulated": False},
         {"permit_family", "preschool", "school", "upper_secondary", "jobs"}, {"permit_work"}),
        ({"eu": False, "purpose": "study", "children": [], "regulated": False},
         {"study", "residence_card"}, {"permit_work", "jobs", "child_allowance"}),
        ({"eu": True, "purpose": "family", "children": [], "regulated": None},
         {"residence_eu", "jobs"}, {"residence_card", "recognition"}),
    ],
)
def test_checklist_steps_apply_to_the_situation(seeded, situation, present, absent):
    with session_scope(seeded) as session:
        steps = queries.checklist(session, situation)
        keys = [step.key for step in steps]
        assert present <= set(keys) and not absent & set(keys)
        registration = "registration_protection" if situation["purpose"] == "protection" else "registration"
        assert keys.index(registration) < keys.index("swedish")  # ordered as in checklist.yml


def test_retrieval_finds_the_entry_of_a_paraphrase(seeded):
    with session_scope(seeded) as session:
        assert best_faq_key(session, "samordningsnummer hur får jag det", "sv") == "coordination_number"
        assert best_faq_key(session, "qwxz blorp", "en") is None


def test_plain_removes_training_markup():
    assert plain('bor i [Östersunds]{"entity": "municipality", "value": "Östersund"} nu') == "bor i Östersunds nu"
    assert plain("flytt till [Krokom](municipality)") == "flytt till Krokom"


def test_places_are_found_by_locality_and_counties_by_their_many_names(seeded):
    with session_scope(seeded) as session:
        municipality, locality = queries.find_place(session, "Järpen")
        assert (municipality.name, locality) == ("Åre", "Järpen")
        assert queries.find_place(session, "Krokoms kommun")[0].name == "Krokom"
        assert queries.find_place(session, "Sveg")[0].name == "Härjedalen"
        assert queries.find_place(session, "Malmö") == (None, None)
        for name in ("Värmland", "Värmlands län", "Region Värmland", "Вермланд"):
            assert queries.find_county(session, name).key == "varmland"
        assert queries.find_county(session, "Jämtland Härjedalen").key == "jamtland"
        assert queries.find_county(session, "Skåne") is None


def test_a_topic_added_by_staff_is_answered_by_retrieval_until_published(catalog_url):
    from catalog import editing
    from catalog.search import untrained_override

    question = "where do I get a fishing licence for the lakes in Jämtland?"
    with session_scope(catalog_url) as session:
        assert untrained_override(session, question, "en") is None  # every topic is in the model
        editing.create_topic(
            session, None, "fishing_licence", category="everyday", authority="Länsstyrelsen",
            source_url="https://www.lansstyrelsen.se/jamtland/fiske", reviewed_on="2026-12-05",
            answers={"en": "Fishing in lakes needs a fishing licence (fiskekort) from the water's owners."},
            questions={"en": ["how do I get a fishing licence", "fishing licence for lakes", "fiskekort where to buy",
                              "can I go fishing in the lakes", "fishing permit in the lakes, where?"]})
    with session_scope(catalog_url) as session:
        assert untrained_override(session, question, "en") == "fishing_licence"
        assert untrained_override(session, "how do I apply for a work permit?", "en") is None
        assert best_faq_key(session, "fishing licence lakes", "en") == "fishing_licence"
