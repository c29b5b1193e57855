"""The personal relocation checklist: five short questions, then the steps that apply, from the catalog."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import situation
from actions.catalog import CatalogUnavailable, ask
from catalog import queries

CHECKLIST_SLOTS = ("cl_eu", "cl_purpose", "cl_children", "cl_municipality", "cl_regulated")


class ActionStartChecklist(Action):
    """Starts the form; a municipality already known in the conversation is not asked again."""

    def name(self) -> str:
        return "action_start_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        # `offer` stays set while the form runs: the rule that started it expects it; showing the list clears it.
        municipality = tracker.get_slot("municipality")
        if municipality and not tracker.get_slot("cl_municipality"):
            return [SlotSet("cl_municipality", municipality)]
        return []


class ActionAskChildren(Action):
    """Asks whether children move along — or, after a plain "yes", how old they are."""

    def name(self) -> str:
        return "action_ask_cl_children"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        asked_ages = tracker.get_slot("cl_children_yes")
        dispatcher.utter_message(response="utter_ask_children_ages" if asked_ages else "utter_ask_cl_children")
        return []


class ValidateChecklistForm(FormValidationAction):
    def name(self) -> str:
        return "validate_checklist_form"

    def validate_cl_eu(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                       domain: DomainDict) -> dict[str, Any]:
        return {"cl_eu": value if isinstance(value, bool) else situation.yes_no(str(value))}

    def validate_cl_regulated(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        return {"cl_regulated": value if isinstance(value, bool) else situation.yes_no(str(value))}

    def validate_cl_purpose(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        if value in situation.PURPOSES:  # already an answer (the form re-validates filled slots)
            return {"cl_purpose": value}
        return {"cl_purpose": situation.purpose(str(value))}

    def validate_cl_children(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        text = str(value)
        if tracker.get_slot("cl_children_yes") and situation.unknown(text):
            return {"cl_children": "any"}  # children, ages not known ("don't know" says "not" too)
        answer = situation.children(text)
        if answer == "any" and not tracker.get_slot("cl_children_yes"):
            return {"cl_children": None, "cl_children_yes": True}  # a plain "yes": ask their ages next
        return {"cl_children": answer}

    async def validate_cl_municipality(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        entity = next(tracker.get_latest_entity_values("municipality"), None)
        text = str(value)
        try:
            found = await ask(lambda session: queries.find_municipality(session, entity or text))
        except CatalogUnavailable:
            found = None
        if found is not None:
            return {"cl_municipality": found.name, "municipality": found.name}
        if entity:  # a place outside the two counties: the checklist goes on without local pages
            return {"cl_municipality": entity, "municipality": entity}
        if situation.unknown(text) or situation.yes_no(text) is False:
            return {"cl_municipality": "unknown"}
        return {"cl_municipality": None}


def situation_of(tracker: Tracker) -> dict[str, Any]:
    stages = tracker.get_slot("cl_children") or "none"
    return {
        "eu": tracker.get_slot("cl_eu"),
        "purpose": tracker.get_slot("cl_purpose"),
        "regulated": tracker.get_slot("cl_regulated"),
        "children": [] if stages == "none" else stages.split(","),
    }


class ActionShowChecklist(Action):
    def name(self) -> str:
        return "action_show_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            keys = await ask(lambda session: [step.key for step in queries.checklist(session, situation_of(tracker))])
        except CatalogUnavailable:
            dispatcher.utter_message(response="utter_error")
            return []
        municipality = tracker.get_slot("cl_municipality")
        dispatcher.utter_message(
            response="utter_checklist", steps=keys,
            municipality=None if municipality == "unknown" else municipality,
        )
        return [SlotSet("offer", None)]
