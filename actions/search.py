"""Before giving up on a message, look it up in the FAQ database.

- action_search_faq: NLU is unsure. A long message is first split into its sentences
  (actions/long_message.py); then the FAQ database is searched; then a close call between two FAQ topics is
  answered with the likelier one. Two failed answers in a row offer a person: the municipality's contact, or
  the question which municipality.
- action_out_of_scope: NLU is sure the message is off-topic. A topic staff added since the model was trained
  may cover it (a library card, say, which the model learnt as out of scope): that topic answers until a publish.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import long_message
from actions.answer import answer_events, answer_long_message, untrained_topic
from actions.catalog import CatalogUnavailable, ask
from actions.handoff import contact_events
from catalog.search import best_faq_key
from common.languages import reply_language
from common.messages import faq_key

FAILURES_BEFORE_A_PERSON = 2
# The FallbackClassifier also sends a message here when its two best intents are nearly tied ("I'm a doctor with
# a work permit, how can my family come?": family_permit .51, family_maintenance .49). When both are FAQ topics
# and together this sure, the question is in the catalog and either answer helps more than "ask in other words".
CLOSE_CALL = 0.9


def close_call(message: dict) -> str | None:
    """The likelier of two nearly tied FAQ topics the classifier holds almost all its confidence in."""
    ranking = [intent for intent in message.get("intent_ranking") or [] if intent["name"] != "nlu_fallback"][:2]
    keys = [faq_key(intent["name"]) for intent in ranking]
    if len(keys) == 2 and all(keys) and sum(intent["confidence"] for intent in ranking) >= CLOSE_CALL:
        return keys[0]
    return None


class ActionSearchFaq(Action):
    def name(self) -> str:
        return "action_search_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        reading = long_message.reading(text, confidence=0.0)  # here the classifier was unsure of the whole
        if reading:
            events = await answer_long_message(dispatcher, tracker, text, reading=reading)
            if events is not None:
                return events
        language = reply_language(tracker.current_slot_values())
        try:
            key = await ask(lambda session: best_faq_key(session, text, language))
        except CatalogUnavailable:
            dispatcher.utter_message(response="utter_error")
            return []
        key = key or close_call(tracker.latest_message)
        if key is not None:
            return await answer_events(dispatcher, tracker, key)
        failures = int(tracker.get_slot("failures") or 0) + 1
        dispatcher.utter_message(response="utter_default")
        events = [SlotSet("failures", failures), SlotSet("unanswered", text), SlotSet("last_faq", None)]
        if failures >= FAILURES_BEFORE_A_PERSON:
            events += await contact_events(dispatcher, tracker)
        return events


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        key = await untrained_topic(tracker)  # None also when the catalog is down: this reply needs none
        if key is not None:
            return await answer_events(dispatcher, tracker, key)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
