"""action_handoff: point the user to a person — their municipality's newcomer service when we know it.

Without a municipality, the user is asked for it and the next place named gets that municipality's contact
(actions/answer.py), not a general text.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.catalog import CatalogUnavailable, ask
from catalog import queries

PENDING_HANDOFF = "__handoff__"


def _contact(session: Session, name: str | None) -> tuple[str, str] | None:
    municipality = queries.find_municipality(session, name)
    if municipality is None:
        return None
    services = [service for service in queries.local_services(session, municipality, "newcomer_contact")
                if service.municipality_id is not None]
    if services:
        return f"{services[0].name} ({municipality.official_name})", services[0].url
    return municipality.official_name, municipality.website


async def contact_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """The person to talk to in the conversation's municipality, or the question which municipality."""
    municipality = tracker.get_slot("municipality")
    try:
        contact = await ask(lambda session: _contact(session, municipality))
    except CatalogUnavailable:
        dispatcher.utter_message(response="utter_error")
        return []
    if contact is None:
        if municipality:  # a place outside our two counties
            dispatcher.utter_message(response="utter_municipality_outside", place=municipality)
        dispatcher.utter_message(response="utter_handoff_no_municipality")
        return [SlotSet("pending_faq", PENDING_HANDOFF)]
    name, url = contact
    dispatcher.utter_message(response="utter_handoff", name=name, url=url)
    return [SlotSet("pending_faq", None), SlotSet("failures", 0)]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await contact_events(dispatcher, tracker)
