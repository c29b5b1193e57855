"""Custom actions on recorded trackers (tests/fixtures/trackers) against a real seeded SQLite catalog.

Actions utter response names with arguments only; these tests assert the names, arguments and events.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import catalog as actions_catalog
from actions.answer import ActionAnswer
from actions.checklist import ActionShowChecklist, ActionStartChecklist, ValidateChecklistForm
from actions.handoff import ActionHandoff
from actions.search import ActionSearchFaq

TRACKERS = Path(__file__).resolve().parents[1] / "fixtures" / "trackers"


def recorded(name: str, **slots) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots)
    return Tracker.from_dict(state)


def run(action, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def slot_events(events: list[dict]) -> dict:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_local_question_without_municipality_asks_for_it_once(app_database):
    messages, events = run(ActionAnswer(), recorded("preschool_no_municipality"))
    assert [m["response"] for m in messages] == ["utter_ask_municipality"]
    assert slot_events(events) == {"pending_faq": "preschool", "municipality_asked": True}
    assert all(not m["text"] for m in messages)  # no literal text from actions


def test_municipality_answers_the_pending_question(app_database):
    messages, events = run(ActionAnswer(), recorded("municipality_answers_pending"))
    assert [(m["response"], m["faq_key"], m["municipality"]) for m in messages] == [
        ("utter_faq_answer", "preschool", "Krokom")
    ]
    assert slot_events(events) == {"pending_faq": None}


def test_place_outside_the_counties_is_said_and_the_national_answer_still_given(app_database):
    messages, _ = run(ActionAnswer(), recorded("sfi_outside"))
    assert [m["response"] for m in messages] == ["utter_municipality_outside", "utter_faq_answer"]
    assert messages[0]["place"] == "Stockholm" and messages[1]["faq_key"] == "sfi"


def test_national_question_is_answered_without_asking(app_database):
    messages, _ = run(ActionAnswer(), recorded("work_permit_national"))
    assert [(m["response"], m["faq_key"]) for m in messages] == [("utter_faq_answer", "work_permit")]


def test_declining_to_name_the_municipality_gives_the_national_answer(app_database):
    messages, events = run(ActionAnswer(), recorded("deny_pending"))
    assert [(m["response"], m["faq_key"], m["municipality"]) for m in messages] == [
        ("utter_faq_answer", "housing_queue", None)
    ]


def test_handoff_names_the_municipal_contact(app_database):
    messages, _ = run(ActionHandoff(), recorded("human_known"))
    assert messages[0]["response"] == "utter_handoff"
    assert "ostersund.se" in messages[0]["url"]


def test_handoff_without_municipality_asks_for_it(app_database):
    messages, events = run(ActionHandoff(), recorded("human_unknown"))
    assert messages[0]["response"] == "utter_handoff_no_municipality"
    assert slot_events(events)["pending_faq"] == "newcomer_contact"


def test_fallback_searches_the_faq_database(app_database):
    messages, _ = run(ActionSearchFaq(), recorded("fallback_search"))
    assert [(m["response"], m.get("faq_key")) for m in messages] == [("utter_faq_answer", "coordination_number")]
    messages, _ = run(ActionSearchFaq(), recorded("fallback_nothing"))
    assert [m["response"] for m in messages] == ["utter_default"]


def test_catalog_down_gives_the_apology(app_database, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(actions_catalog, "session_scope", broken)
    for action, name in [(ActionAnswer(), "work_permit_national"), (ActionHandoff(), "human_known"),
                         (ActionSearchFaq(), "fallback_search")]:
        messages, events = run(action, recorded(name))
        assert [m["response"] for m in messages] == ["utter_error"] and events == []


@pytest.mark.parametrize(
    ("slot", "text", "expected"),
    [
        ("cl_eu", "ja", True), ("cl_eu", "nein", False), ("cl_eu", "نعم", True), ("cl_eu", "ні", False),
        ("cl_eu", "banana", None),
        ("cl_purpose", "I got a job offer", "work"), ("cl_purpose", "Studium", "study"),
        ("cl_purpose", "لم شمل العائلة", "family"), ("cl_purpose", "тимчасовий захист", "protection"),
        ("cl_children", "yes, 2 and 9", "preschool,school"), ("cl_children", "nej", "none"),
        ("cl_children", "ja", "any"), ("cl_children", "17", "upper_secondary"),
        ("cl_regulated", "/affirm", True), ("cl_regulated", True, True),
        ("cl_children", "preschool,school", "preschool,school"), ("cl_children", "none", "none"),
        ("cl_purpose", "study", "study"),
    ],
)
def test_checklist_answers_are_understood_in_any_language(slot, text, expected):
    validator = ValidateChecklistForm()
    result = getattr(validator, f"validate_{slot}")(text, CollectingDispatcher(), recorded("work_permit_national"), {})
    assert result == {slot: expected}


def test_checklist_municipality_is_resolved_against_the_catalog(app_database):
    validator = ValidateChecklistForm()
    tracker = recorded("municipality_answers_pending")
    result = asyncio.run(validator.validate_cl_municipality("Krokom", CollectingDispatcher(), tracker, {}))
    assert result == {"cl_municipality": "Krokom", "municipality": "Krokom"}
    tracker = recorded("work_permit_national")
    result = asyncio.run(validator.validate_cl_municipality("vet inte", CollectingDispatcher(), tracker, {}))
    assert result == {"cl_municipality": "unknown"}


def test_checklist_start_reuses_a_known_municipality(app_database):
    _, events = run(ActionStartChecklist(), recorded("human_known"))
    assert slot_events(events) == {"cl_municipality": "Östersund"}


def test_checklist_is_built_from_the_catalog(app_database):
    tracker = recorded("work_permit_national", cl_eu=False, cl_purpose="work", cl_children="preschool",
                       cl_municipality="Krokom", cl_regulated=True)
    messages, _ = run(ActionShowChecklist(), tracker)
    assert messages[0]["response"] == "utter_checklist" and messages[0]["municipality"] == "Krokom"
    steps = messages[0]["steps"]
    assert steps[0] == "permit_work" and {"preschool", "licence_health", "registration"} <= set(steps)
    assert "residence_eu" not in steps
