"""action_municipality_facts: questions about a municipality or a locality itself — its county and region,
who runs health care, its website, housing company, SFI provider and newcomer contact."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import CatalogUnavailable, ask
from catalog import queries

PENDING_FACTS = "__facts__"


def named_place(tracker: Tracker) -> str | None:
    """The place as the user wrote it in this message ("Järpen"), else the conversation's municipality."""
    text = tracker.latest_message.get("text") or ""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "municipality":
            start, end = entity.get("start"), entity.get("end")
            written = text[start:end] if isinstance(start, int) and isinstance(end, int) else None
            return written or entity.get("value")
    return tracker.get_slot("municipality")


async def facts_events(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    place = named_place(tracker)
    try:
        municipality, locality = await ask(lambda session: queries.find_place(session, place))
        if municipality is None and tracker.get_slot("municipality") and place != tracker.get_slot("municipality"):
            # The words as written were not a name we know (an inflected form): the gazetteer's value is.
            municipality, locality = await ask(lambda session: queries.find_place(session, tracker.get_slot("municipality")))
    except CatalogUnavailable:
        dispatcher.utter_message(response="utter_error")
        return []
    if municipality is None:
        if place:
            dispatcher.utter_message(response="utter_municipality_outside", place=place)
            return [SlotSet("pending_faq", None)]
        dispatcher.utter_message(response="utter_ask_municipality")
        return [SlotSet("pending_faq", PENDING_FACTS)]
    dispatcher.utter_message(response="utter_municipality_facts", municipality=municipality.name, locality=locality)
    return [SlotSet("pending_faq", None), SlotSet("municipality", municipality.name), SlotSet("failures", 0)]


class ActionMunicipalityFacts(Action):
    def name(self) -> str:
        return "action_municipality_facts"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        return await facts_events(dispatcher, tracker)
