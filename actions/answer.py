"""action_answer: national answer + the user's municipal page, asking for the municipality once."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.catalog import CatalogUnavailable, ask
from catalog import queries
from common.messages import faq_key


def answer_events(dispatcher: CollectingDispatcher, tracker: Tracker, key: str, local: bool,
                  known: bool) -> list[dict[str, Any]]:
    """Utter the FAQ answer for `key`; for a local topic ask once for an unknown municipality first."""
    municipality = tracker.get_slot("municipality")
    if local and not municipality and not tracker.get_slot("municipality_asked"):
        dispatcher.utter_message(response="utter_ask_municipality")
        return [SlotSet("pending_faq", key), SlotSet("municipality_asked", True)]
    if local and municipality and not known:
        dispatcher.utter_message(response="utter_municipality_outside", place=municipality)
    dispatcher.utter_message(response="utter_faq_answer", faq_key=key, municipality=municipality)
    return [SlotSet("pending_faq", None)]


def faq_facts(session: Session, key: str | None, municipality: str | None) -> tuple[bool, bool, bool]:
    """(the key exists, its topic is local, the municipality is one of ours)."""
    entry = queries.faq_entry(session, key) if key else None
    known = queries.find_municipality(session, municipality) is not None
    return entry is not None, bool(entry and entry.local_category_id), known


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        pending = tracker.get_slot("pending_faq")
        key = faq_key(intent) or pending
        municipality = tracker.get_slot("municipality")
        try:
            exists, local, known = await ask(lambda session: faq_facts(session, key, municipality))
        except CatalogUnavailable:
            dispatcher.utter_message(response="utter_error")
            return []

        if exists:
            return answer_events(dispatcher, tracker, key, local, known)
        if intent == "inform_municipality" and municipality:
            if known:
                dispatcher.utter_message(response="utter_municipality_noted", municipality=municipality)
            else:
                dispatcher.utter_message(response="utter_municipality_outside", place=municipality)
            return []
        if intent == "deny":
            dispatcher.utter_message(response="utter_goodbye")
            return []
        dispatcher.utter_message(response="utter_default")
        return []
