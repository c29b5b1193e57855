"""action_handoff: point the user to a person — their municipality's newcomer service when we know it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.catalog import CatalogUnavailable, ask
from catalog import queries


def _contact(session: Session, name: str | None) -> tuple[str, str] | None:
    municipality = queries.find_municipality(session, name)
    if municipality is None:
        return None
    services = queries.local_services(session, municipality, "newcomer_contact")
    if services:
        return f"{services[0].name} ({municipality.official_name})", services[0].url
    return municipality.official_name, municipality.website


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            contact = await ask(lambda session: _contact(session, tracker.get_slot("municipality")))
        except CatalogUnavailable:
            dispatcher.utter_message(response="utter_error")
            return []
        if contact is None:
            dispatcher.utter_message(response="utter_handoff_no_municipality")
            return [SlotSet("pending_faq", "newcomer_contact"), SlotSet("municipality_asked", True)]
        name, url = contact
        dispatcher.utter_message(response="utter_handoff", name=name, url=url)
        return []
