"""action_search_faq: when NLU is unsure, look the message up in the FAQ database before giving up."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.answer import answer_events, faq_facts
from actions.catalog import CatalogUnavailable, ask
from catalog.search import best_faq_key
from common.languages import reply_language


def _lookup(session: Session, text: str, language: str, municipality: str | None):
    key = best_faq_key(session, text, language)
    exists, local, known = faq_facts(session, key, municipality)
    return key if exists else None, local, known


class ActionSearchFaq(Action):
    def name(self) -> str:
        return "action_search_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        language = reply_language(tracker.current_slot_values())
        try:
            key, local, known = await ask(lambda s: _lookup(s, text, language, tracker.get_slot("municipality")))
        except CatalogUnavailable:
            dispatcher.utter_message(response="utter_error")
            return []
        if key is None:
            dispatcher.utter_message(response="utter_default")
            return []
        return answer_events(dispatcher, tracker, key, local, known)
