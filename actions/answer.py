"""action_answer: the national answer at once, then the local side; a place named later adds only that.

- A FAQ question gets `utter_faq_answer` with the place the conversation knows (a municipality or a county
  named in this message or earlier). Never a question instead of the answer: without a place, the answer
  ends with one line inviting the user to name it, and the topic waits in `pending_faq`.
- A place named next (`inform_municipality`) gets only the local side of the waiting topic
  (`utter_faq_local`), the contact of a person when the user asked for one, or the municipality's facts. So does
  a statement naming a place that the classifier reads, unsure, as another topic ("I work full time, so evenings
  would suit me. I'm in Hagfors" after the SFI answer).
- A long message is answered on its main question, and the next one is offered (actions/long_message.py).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions import long_message, protection, school_stage
from actions.catalog import CatalogUnavailable, ask
from actions.handoff import PENDING_HANDOFF, contact_events
from actions.municipality import PENDING_FACTS, facts_events
from catalog import queries
from catalog.search import untrained_override
from common.languages import reply_language
from common.messages import faq_key


def faq_facts(session: Session, key: str | None, municipality: str | None) -> tuple[bool, bool, bool, bool]:
    """(the key exists, its answer has a local side, the municipality is one of ours, it offers the checklist)."""
    entry = queries.faq_entry(session, key) if key else None
    known = queries.find_municipality(session, municipality) is not None
    return entry is not None, bool(entry and entry.local_links), known, bool(entry and entry.offer_checklist)


def ours_among(session: Session, named: list[str]) -> str | None:
    """Of several places in one message ("we moved from Malmö to Torsby"), the last one of our municipalities."""
    return next((name for name in reversed(named) if queries.find_municipality(session, name)), None)


# Below this confidence a statement naming a place continues the topic waiting for one; a question ("?") never does.
FOLLOW_UP_CONFIDENCE = 0.9


def places_named(tracker: Tracker) -> list[str]:
    return [entity["value"] for entity in tracker.latest_message.get("entities") or []
            if entity.get("entity") == "municipality" and isinstance(entity.get("value"), str)]


def continues_waiting_topic(tracker: Tracker, key: str, confidence: float) -> bool:
    """The message names a place for the topic waiting for one rather than asking about `key`."""
    waiting, text = tracker.get_slot("pending_faq"), tracker.latest_message.get("text") or ""
    return (bool(waiting) and waiting != key and confidence < FOLLOW_UP_CONFIDENCE and bool(places_named(tracker))
            and not any(mark in text for mark in long_message.QUESTION_MARKS))


async def answer_events(dispatcher: CollectingDispatcher, tracker: Tracker, key: str) -> list[dict[str, Any]]:
    """Utter the answer for FAQ `key` with the conversation's place; [] events if the catalog is down."""
    text = tracker.latest_message.get("text") or ""
    key = protection.answer_for(school_stage.stage_for(key, text), text)  # the asker's situation decides
    municipality, county = tracker.get_slot("municipality"), tracker.get_slot("county")
    named, chosen = places_named(tracker), []
    try:
        if len(named) > 1:
            ours = await ask(lambda session: ours_among(session, named))
            if ours and ours != municipality:
                municipality, chosen = ours, [SlotSet("municipality", ours)]
        exists, local, known, offer = await ask(lambda session: faq_facts(session, key, municipality))
    except CatalogUnavailable:
        dispatcher.utter_message(response="utter_error")
        return []
    if not exists:
        dispatcher.utter_message(response="utter_default")
        return []
    if municipality and not known:
        dispatcher.utter_message(response="utter_municipality_outside", place=municipality)
    dispatcher.utter_message(response="utter_faq_answer", faq_key=key, municipality=municipality, county=county)
    waiting = key if local and not (municipality and known) else None
    return chosen + [SlotSet("pending_faq", waiting), SlotSet("last_faq", key), SlotSet("unanswered", None),
                     SlotSet("failures", 0), SlotSet("offer", "checklist" if offer else None)]


async def untrained_topic(tracker: Tracker) -> str | None:
    """A topic staff added after this model was trained, when retrieval clearly prefers it for the latest message:
    it is answered so until a publish. None when there is none or the catalog cannot be asked."""
    text = tracker.latest_message.get("text") or ""
    language = reply_language(tracker.current_slot_values())
    try:
        return await ask(lambda session: untrained_override(session, text, language))
    except CatalogUnavailable:
        return None


async def answer_long_message(dispatcher: CollectingDispatcher, tracker: Tracker, text: str,
                              whole: str | None = None, reading: str = "story") -> list[dict] | None:
    """The main question of a long message answered and the next offered; None when none was found. `whole`:
    the FAQ topic of the whole message, if it has one; `reading`: long_message.reading's."""
    found = await long_message.topics(text, whole, questions_only=reading == "questions")
    if not found:
        return None
    events = await answer_events(dispatcher, tracker, found[0].key)
    if len(found) > 1:
        dispatcher.utter_message(response="utter_long_message_more", question=found[1].sentence)
    return events


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        key = faq_key(intent)
        if key:
            key = await untrained_topic(tracker) or key  # answer_events says so if the catalog is down
            confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0)
            if continues_waiting_topic(tracker, key, confidence):
                return await self.place_named(dispatcher, tracker)
            reading = long_message.reading(text, confidence)
            if reading:
                events = await answer_long_message(dispatcher, tracker, text, key, reading)
                if events is not None:
                    return events
            return await answer_events(dispatcher, tracker, key)
        if intent == "inform_municipality":
            return await self.place_named(dispatcher, tracker)
        if intent == "deny":  # "no" to naming the place: the answer stands
            dispatcher.utter_message(response="utter_ok_anything_else")
            return [SlotSet("pending_faq", None)]
        dispatcher.utter_message(response="utter_default")
        return []

    async def place_named(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        pending = tracker.get_slot("pending_faq")
        municipality, county = tracker.get_slot("municipality"), tracker.get_slot("county")
        if pending == PENDING_HANDOFF:
            return await contact_events(dispatcher, tracker)
        if pending == PENDING_FACTS:
            return await facts_events(dispatcher, tracker)
        try:
            known = await ask(lambda session: queries.find_municipality(session, municipality) is not None)
        except CatalogUnavailable:
            dispatcher.utter_message(response="utter_error")
            return []
        if municipality and not known:
            dispatcher.utter_message(response="utter_municipality_outside", place=municipality)
            return [SlotSet("pending_faq", None)]
        if pending:
            dispatcher.utter_message(response="utter_faq_local", faq_key=pending, municipality=municipality,
                                     county=county)
            return [SlotSet("pending_faq", None if municipality else pending)]
        if municipality:
            dispatcher.utter_message(response="utter_municipality_noted", municipality=municipality)
        else:
            dispatcher.utter_message(response="utter_ask_municipality")
        return []
