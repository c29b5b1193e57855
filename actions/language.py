"""action_switch_language: "answer in English please" switches the language and keeps the question.

The NLU's language detector has already set the new language; this action confirms it and then answers, in
that language, a question in the same message ("Wie bekomme ich … — in English please"), else the last
question of the conversation (answered or not).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import long_message
from actions.answer import answer_events

# A question beside a request ("How do I get a personnummer? In English please.") is why the user wrote: its
# topic is taken at a lower confidence than a story's sentences ("I want to show my employer" stays a fragment).
QUESTION_CONFIDENCE = 0.5


class ActionSwitchLanguage(Action):
    def name(self) -> str:
        return "action_switch_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_language_changed")
        key = await self.question_in(tracker.latest_message.get("text") or "")
        if key is None and tracker.get_slot("unanswered"):
            found = await long_message.topics(tracker.get_slot("unanswered") + " .")
            key = found[0].key if found else None
        key = key or tracker.get_slot("last_faq")
        if key is None:
            return [SlotSet("unanswered", None)]
        return await answer_events(dispatcher, tracker, key)

    @staticmethod
    async def question_in(text: str) -> str | None:
        """A FAQ topic asked in the same message as the language request, if any."""
        if len(text.split()) < 5:  # "in English please" alone
            return None
        found = (await long_message.topics(text, questions_only=True, min_confidence=QUESTION_CONFIDENCE)
                 or await long_message.topics(text))
        return found[0].key if found else None
