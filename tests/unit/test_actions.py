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
from actions.checklist import ActionAskChildren, ActionShowChecklist, ActionStartChecklist, ValidateChecklistForm
from actions.handoff import ActionHandoff
from actions.language import ActionSwitchLanguage
from actions.municipality import ActionMunicipalityFacts
from actions.search import ActionOutOfScope, ActionSearchFaq

TRACKERS = Path(__file__).resolve().parents[1] / "fixtures" / "trackers"


def recorded(name: str, **slots) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots)
    return Tracker.from_dict(state)


def said(text: str, intent: str, entities: list[dict] | None = None, confidence: float = 0.9, **slots) -> Tracker:
    """A recorded tracker with another latest message: `entities` as (entity, value, written) triples' dicts."""
    state = json.loads((TRACKERS / "work_permit_national.json").read_text(encoding="utf-8"))
    state["slots"].update(slots)
    state["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": confidence},
                               "entities": entities or [],
                               "intent_ranking": [{"name": intent, "confidence": confidence}]}
    return Tracker.from_dict(state)


def place(text: str, written: str, value: str, entity: str = "municipality") -> dict:
    start = text.index(written)
    return {"entity": entity, "value": value, "start": start, "end": start + len(written)}


def run(action, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def slot_events(events: list[dict]) -> dict:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_a_local_question_without_a_place_is_answered_at_once_and_waits_for_the_place(app_database):
    messages, events = run(ActionAnswer(), recorded("preschool_no_municipality"))
    assert [(m["response"], m["faq_key"], m["municipality"]) for m in messages] == [
        ("utter_faq_answer", "preschool", None)]
    assert slot_events(events)["pending_faq"] == "preschool"
    assert all(not m["text"] for m in messages)  # no literal text from actions


def test_a_place_named_next_adds_only_the_local_side(app_database):
    messages, events = run(ActionAnswer(), recorded("municipality_answers_pending"))
    assert [(m["response"], m["faq_key"], m["municipality"]) for m in messages] == [
        ("utter_faq_local", "preschool", "Krokom")
    ]
    assert slot_events(events) == {"pending_faq": None}


def test_a_county_named_next_adds_the_regions_side_and_keeps_waiting_for_the_municipality(app_database):
    tracker = said("Värmland", "inform_municipality", municipality=None, county="Värmland", pending_faq="health_centre")
    messages, events = run(ActionAnswer(), tracker)
    assert [(m["response"], m["county"]) for m in messages] == [("utter_faq_local", "Värmland")]
    assert slot_events(events) == {"pending_faq": "health_centre"}


def test_place_outside_the_counties_is_said_and_the_national_answer_still_given(app_database):
    messages, _ = run(ActionAnswer(), recorded("sfi_outside"))
    assert [m["response"] for m in messages] == ["utter_municipality_outside", "utter_faq_answer"]
    assert messages[0]["place"] == "Stockholm" and messages[1]["faq_key"] == "sfi"


def test_national_question_is_answered_without_asking(app_database):
    messages, _ = run(ActionAnswer(), recorded("work_permit_national"))
    assert [(m["response"], m["faq_key"]) for m in messages] == [("utter_faq_answer", "work_permit")]


def test_a_place_in_the_question_itself_is_used_at_once(app_database):
    text = "SFI i Karlstad?"
    tracker = said(text, "faq_sfi", [place(text, "Karlstad", "Karlstad")], municipality="Karlstad")
    messages, events = run(ActionAnswer(), tracker)
    assert [(m["response"], m["faq_key"], m["municipality"]) for m in messages] == [
        ("utter_faq_answer", "sfi", "Karlstad")]
    assert slot_events(events)["pending_faq"] is None and slot_events(events)["last_faq"] == "sfi"


def test_a_statement_naming_a_place_continues_the_waiting_topic_unless_sure_or_asked(app_database):
    text = "I work full time so evenings or online would be best, I'm in Hagfors"
    unsure = said(text, "faq_job_search", [place(text, "Hagfors", "Hagfors")], confidence=0.81,
                  municipality="Hagfors", pending_faq="sfi")
    messages, events = run(ActionAnswer(), unsure)
    assert [(m["response"], m["faq_key"], m["municipality"]) for m in messages] == [
        ("utter_faq_local", "sfi", "Hagfors")]
    assert slot_events(events) == {"pending_faq": None}
    question = "I'm in Kil, where do I find a dentist?"
    for tracker in (said(question, "faq_dental_care", [place(question, "Kil", "Kil")], confidence=0.6,
                         municipality="Kil", pending_faq="sfi"),
                    said("I live in Kil and need a dentist", "faq_dental_care",
                         [place("I live in Kil and need a dentist", "Kil", "Kil")], confidence=0.99,
                         municipality="Kil", pending_faq="sfi")):
        messages, _ = run(ActionAnswer(), tracker)
        assert [(m["response"], m["faq_key"]) for m in messages] == [("utter_faq_answer", "dental_care")]


def test_declining_to_name_the_municipality_closes_the_waiting_question(app_database):
    messages, events = run(ActionAnswer(), recorded("deny_pending"))
    assert [m["response"] for m in messages] == ["utter_ok_anything_else"]
    assert slot_events(events) == {"pending_faq": None}


def test_a_broad_first_steps_answer_offers_the_checklist(app_database):
    messages, events = run(ActionAnswer(), said("what do I need to do first", "faq_first_steps"))
    assert [(m["response"], m["faq_key"]) for m in messages] == [("utter_faq_answer", "first_steps")]
    assert slot_events(events)["offer"] == "checklist"


def test_handoff_names_the_municipal_contact(app_database):
    messages, _ = run(ActionHandoff(), recorded("human_known"))
    assert messages[0]["response"] == "utter_handoff"
    assert "ostersund.se" in messages[0]["url"]


def test_handoff_without_municipality_asks_for_it_and_the_next_place_gets_its_contact(app_database):
    messages, events = run(ActionHandoff(), recorded("human_unknown"))
    assert messages[0]["response"] == "utter_handoff_no_municipality"
    assert slot_events(events)["pending_faq"] == "__handoff__"
    messages, events = run(ActionAnswer(), said("Arvika", "inform_municipality", municipality="Arvika",
                                                pending_faq="__handoff__"))
    assert [m["response"] for m in messages] == ["utter_handoff"] and "arvika.se" in messages[0]["url"]
    assert slot_events(events)["pending_faq"] is None


def test_fallback_searches_the_faq_database(app_database):
    messages, _ = run(ActionSearchFaq(), recorded("fallback_search"))
    assert [(m["response"], m.get("faq_key")) for m in messages] == [("utter_faq_answer", "coordination_number")]
    messages, events = run(ActionSearchFaq(), recorded("fallback_nothing"))
    assert [m["response"] for m in messages] == ["utter_default"]
    assert slot_events(events)["failures"] == 1 and slot_events(events)["unanswered"]


def test_a_close_call_between_two_faq_topics_is_answered_with_the_likelier(app_database):
    tracker = recorded("fallback_nothing")  # a message the FAQ search finds nothing for
    tied = [{"name": "nlu_fallback", "confidence": 0.25}, {"name": "faq_family_maintenance", "confidence": 0.5},
            {"name": "faq_family_permit", "confidence": 0.47}]
    tracker.latest_message["intent_ranking"] = tied
    messages, events = run(ActionSearchFaq(), tracker)
    assert [(m["response"], m.get("faq_key")) for m in messages] == [("utter_faq_answer", "family_maintenance")]
    assert slot_events(events)["failures"] == 0
    # Not when a non-FAQ intent is in the tie, nor when the two hold little of the classifier's confidence.
    for second, confidence in (("greet", 0.47), ("faq_family_permit", 0.3)):
        tracker.latest_message["intent_ranking"] = [*tied[:2], {"name": second, "confidence": confidence}]
        messages, _ = run(ActionSearchFaq(), tracker)
        assert [m["response"] for m in messages] == ["utter_default"]


def test_two_failed_answers_in_a_row_offer_a_person(app_database):
    messages, events = run(ActionSearchFaq(), recorded("fallback_nothing", failures=1, municipality="Sunne"))
    assert [m["response"] for m in messages] == ["utter_default", "utter_handoff"]
    assert "sunne.se" in messages[1]["url"]
    messages, events = run(ActionSearchFaq(), recorded("fallback_nothing", failures=1))
    assert [m["response"] for m in messages] == ["utter_default", "utter_handoff_no_municipality"]


def test_an_off_topic_message_gets_the_out_of_scope_reply_unless_staff_added_a_topic_for_it(
        catalog_url, monkeypatch):
    from catalog import editing
    from catalog.session import session_scope
    from settings import get_settings

    monkeypatch.setenv("DATABASE_URL", catalog_url)
    get_settings.cache_clear()
    tracker = said("do I need a fishing licence to fish in the lake?", "out_of_scope", language="en")
    try:
        messages, _ = run(ActionOutOfScope(), tracker)
        assert [m["response"] for m in messages] == ["utter_out_of_scope"]
        with session_scope(catalog_url) as session:  # what the admin's "new topic" does
            editing.create_topic(
                session, None, "fishing_licence", category="everyday", authority="Karlstads kommun",
                source_url="https://karlstad.se/", reviewed_on="2026-12-07",
                answers={"en": "Most lakes need a fishing licence (fiskekort) from the water's owner."},
                questions={"en": ["do I need a fishing licence", "where do I buy a fishing licence",
                                  "can I fish in the lake", "is fishing free in sweden"]})
        messages, events = run(ActionOutOfScope(), tracker)
        assert [(m["response"], m.get("faq_key")) for m in messages] == [("utter_faq_answer", "fishing_licence")]
        assert slot_events(events)["last_faq"] == "fishing_licence"
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("text", "written", "value", "locality"), [
    ("What is the website of Bräcke municipality?", "Bräcke", "Bräcke", None),
    ("which county is Sunne in", "Sunne", "Sunne", None),
])
def test_questions_about_a_municipality_get_its_facts(app_database, text, written, value, locality):
    tracker = said(text, "municipality_info", [place(text, written, value)], municipality=value)
    messages, events = run(ActionMunicipalityFacts(), tracker)
    assert [(m["response"], m["municipality"], m["locality"]) for m in messages] == [
        ("utter_municipality_facts", value, locality)]


def test_facts_without_a_place_ask_for_it_and_the_next_place_gets_them(app_database):
    messages, events = run(ActionMunicipalityFacts(), said("what is the website of the municipality",
                                                            "municipality_info", municipality=None))
    assert [m["response"] for m in messages] == ["utter_ask_municipality"]
    assert slot_events(events)["pending_faq"] == "__facts__"
    text = "Kil"
    messages, _ = run(ActionAnswer(), said(text, "inform_municipality", [place(text, "Kil", "Kil")], municipality="Kil",
                                           pending_faq="__facts__"))
    assert [(m["response"], m["municipality"]) for m in messages] == [("utter_municipality_facts", "Kil")]


def test_a_language_switch_answers_the_last_question_again_in_the_new_language(app_database):
    tracker = said("can you answer in English please", "switch_language", language="en", last_faq="sfi")
    messages, _ = run(ActionSwitchLanguage(), tracker)
    assert [(m["response"], m.get("faq_key")) for m in messages] == [
        ("utter_language_changed", None), ("utter_faq_answer", "sfi")]
    messages, _ = run(ActionSwitchLanguage(), said("in English please", "switch_language", language="en"))
    assert [m["response"] for m in messages] == ["utter_language_changed"]


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
        ("cl_children", "17", "upper_secondary"),
        ("cl_regulated", "/affirm", True), ("cl_regulated", True, True),
        ("cl_children", "preschool,school", "preschool,school"), ("cl_children", "none", "none"),
        ("cl_purpose", "study", "study"),
    ],
)
def test_checklist_answers_are_understood_in_any_language(slot, text, expected):
    validator = ValidateChecklistForm()
    result = getattr(validator, f"validate_{slot}")(text, CollectingDispatcher(), recorded("work_permit_national"), {})
    assert result == {slot: expected}


def test_yes_to_children_asks_their_ages_next(app_database):
    validator = ValidateChecklistForm()
    tracker = recorded("work_permit_national")
    assert validator.validate_cl_children("ja", CollectingDispatcher(), tracker, {}) == {
        "cl_children": None, "cl_children_yes": True}
    asked = recorded("work_permit_national", cl_children_yes=True, requested_slot="cl_children")
    messages, _ = run(ActionAskChildren(), asked)
    assert [m["response"] for m in messages] == ["utter_ask_children_ages"]
    assert validator.validate_cl_children("4 and 10", CollectingDispatcher(), asked, {}) == {
        "cl_children": "preschool,school"}
    assert validator.validate_cl_children("vet inte", CollectingDispatcher(), asked, {}) == {"cl_children": "any"}
    messages, _ = run(ActionAskChildren(), tracker)
    assert [m["response"] for m in messages] == ["utter_ask_cl_children"]


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


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("У мене тимчасовий захист, болить спина, куди звернутися?", "faq_health_centre", "protection_health_care"),
    ("Do I need a work permit? I have temporary protection.", "faq_work_permit", "protection_jobs"),
    ("Vi har tillfälligt skydd – hur söker vi förskola?", "faq_preschool", "protection_school"),
    ("عندي حماية مؤقتة، كيف أجد شقة للإيجار؟", "faq_find_rental", "protection_housing"),
    ("у меня временная защита, нужна ли регистрация в Skatteverket?", "faq_population_registration",
     "temporary_protection"),
    # Refugee status or asylum is another situation: the general answer stands.
    ("I have refugee status, do I need a work permit?", "faq_work_permit", "work_permit"),
    ("Do I need a work permit?", "faq_work_permit", "work_permit"),
    # A topic without a temporary-protection counterpart is answered as it is.
    ("I have temporary protection, how do I sort my waste?", "faq_recycling", "recycling"),
    # An asylum seeker's work questions: the exemption from the work permit (AT-UND).
    ("I'm an asylum seeker, do I need a work permit for a job at a café?", "faq_work_permit", "asylum_work"),
    ("Jag har sökt asyl och väntar på beslut, får jag arbeta under tiden?", "faq_permit_processing_time",
     "asylum_work"),
    ("قدمت لجوء وناطر القرار، بقدر اشتغل بمطعم؟", "faq_permit_processing_time", "asylum_work"),
    ("Чекаю рішення щодо притулку, чи можна працювати?", "faq_permit_processing_time", "asylum_work"),
    ("Ich bin Asylbewerber, darf ich arbeiten?", "faq_work_permit", "asylum_work"),
    ("أنا طالب لجوء، هل يمكنني أن أعمل أثناء الانتظار؟", "faq_work_permit", "asylum_work"),
    # ... but not their other questions, nor a work question without asylum.
    ("I applied for asylum, how long does the decision take?", "faq_permit_processing_time",
     "permit_processing_time"),
    ("How long does a work permit decision take?", "faq_permit_processing_time", "permit_processing_time"),
    ("Mitt LMA-kort säger inget om AT-UND, får jag jobba?", "faq_work_permit", "asylum_work"),
    ("lma ala2i job bel swed, bade work permit?", "faq_work_permit", "work_permit"),  # Arabizi "lma": "when"
    # First steps: refugee status (asylum granted) and temporary protection are different situations.
    ("Jag har fått uppehållstillstånd som flykting, vad gör jag först?", "faq_first_steps_protection",
     "first_steps_refugee"),
    ("Asyl bewilligt, wo fange ich an?", "faq_first_steps", "first_steps_refugee"),
    ("انقبل لجوئي، شو لازم رتب هلأ", "faq_first_steps_protection", "first_steps_refugee"),
    ("Отримав статус біженця, що робити першим?", "faq_first_steps_protection", "first_steps_refugee"),
    ("Я біженка з України, з чого почати?", "faq_first_steps_refugee", "first_steps_protection"),
    ("We have temporary protection, what do we do first?", "faq_first_steps_refugee", "first_steps_protection"),
    # Still waiting for the decision: no refugee status yet.
    ("I applied for asylum last month, what do I do first?", "faq_first_steps", "first_steps"),
    ("Ik ben asielzoeker, wat moet ik eerst doen?", "faq_first_steps_protection", "first_steps_protection"),
])
def test_temporary_protection_seeking_asylum_or_refugee_status_gets_that_situations_answer(
        app_database, text, intent, expected):
    messages, events = run(ActionAnswer(), said(text, intent))
    assert [m["faq_key"] for m in messages if m["response"] == "utter_faq_answer"] == [expected]
    assert slot_events(events)["last_faq"] == expected


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("ابني عمره 17 ووصل جديد، أي مدرسة بيروح في سونه؟", "faq_compulsory_school", "upper_secondary"),
    ("Min son är 17 och ny i Sverige, vilken skola ska han gå i?", "faq_compulsory_school", "upper_secondary"),
    ("Синові 17 років, у яку школу він піде?", "faq_compulsory_school", "upper_secondary"),
    ("Mein Sohn ist 4, wie bekommt er einen Platz?", "faq_compulsory_school", "preschool"),
    ("my 8-year-old starts school in Torsby, how?", "faq_upper_secondary", "compulsory_school"),
    # No age, or ages of two stages: the topic the classifier read.
    ("I have 3 kids, which school do they go to?", "faq_compulsory_school", "compulsory_school"),
    ("our kids are 4 years old and 12 years old, how do we apply?", "faq_compulsory_school", "compulsory_school"),
    ("we have lived here for 5 years, which school for my daughter?", "faq_compulsory_school", "compulsory_school"),
    ("the school is 5 minutes away, is it good for my son?", "faq_compulsory_school", "compulsory_school"),
    # An age outside school, or a topic that is no school stage.
    ("I am 25 years old, can I still go to gymnasiet?", "faq_upper_secondary", "upper_secondary"),
    ("my son is 17, where can he find a summer job?", "faq_job_search", "job_search"),
    # The age first, then the situation: temporary protection has its own school answer.
    ("Vi har tillfälligt skydd och dottern är 16 år, vilken skola?", "faq_compulsory_school", "protection_school"),
])
def test_a_childs_age_decides_the_school_stage(app_database, text, intent, expected):
    messages, _ = run(ActionAnswer(), said(text, intent))
    assert [m["faq_key"] for m in messages if m["response"] == "utter_faq_answer"] == [expected]
