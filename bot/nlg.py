"""Lotsen's NLG client for Rasa: the app renders every text; when a part is down the user still gets an apology.

Named in endpoints.yml (`nlg: type: bot.nlg.LotsenNLG`). It differs from Rasa's callback generator in three
ways, each for a reason:
- it sends only what the renderer needs (slots, latest message) instead of the whole event history, so
  rendering cost does not grow with the conversation's length;
- if the NLG endpoint fails, it renders the apology locally from the compiled gettext catalogs;
- if the action server fails, the custom action answers with that apology instead of silence
  (Rasa 3.6 only logs such failures). The tracker keeps every user message either way;
- custom actions receive the events of the current turn only (they read slots and the latest message),
  not the whole history, so their cost does not grow with the conversation either.
Rasa offers no hook for the last two, so the NLG client (loaded once at start-up) wraps RemoteAction.
"""
from __future__ import annotations

import gettext
import logging
from typing import Any, Dict, List, Optional, Text

import rasa
from rasa.core.actions import action as rasa_actions
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from api.language import conversation_language
from api.nlg.messages import RESPONSES
from api.settings import get_settings

log = logging.getLogger(__name__)
REQUEST_TIMEOUT = 10  # seconds; Rasa's default is five minutes


def apology(language: str) -> Dict[Text, Any]:
    settings = get_settings()
    try:
        catalog = gettext.translation("messages", localedir=settings.locales_dir, languages=[language])
    except OSError:
        catalog = gettext.NullTranslations()
    return {"text": catalog.gettext(RESPONSES["utter_error"]).format(url=settings.fallback_contact_url)}


class LotsenNLG(CallbackNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Any = None) -> None:
        super().__init__(endpoint_config)
        _answer_failed_actions_with_apology()

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        body = {
            "response": utter_action,
            "arguments": {k: v for k, v in kwargs.items() if k not in ("domain_responses", "response_id")},
            "tracker": {"sender_id": tracker.sender_id, "slots": slots},
            "channel": {"name": output_channel},
        }
        try:
            response = await self.nlg_endpoint.request(method="post", json=body, timeout=REQUEST_TIMEOUT)
            if isinstance(response, dict) and self.validate_response(response):
                return response
            raise RasaException("NLG endpoint returned an invalid response")
        except Exception:
            log.exception("NLG endpoint failed for %s; sending the local apology", utter_action)
            return apology(conversation_language(slots))


_guarded = False


def _current_turn(tracker: DialogueStateTracker) -> List[Dict[Text, Any]]:
    """The events from the latest user message on (what rasa_sdk's forms and actions look at), serialised
    without touching the rest of the history."""
    events = list(tracker.events)
    start = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), 0)
    return [event.as_dict() for event in events[start:]]


def _answer_failed_actions_with_apology() -> None:
    """Wrap RemoteAction once: current-turn payloads, and the apology when the action server fails."""
    global _guarded
    if _guarded:
        return
    original = rasa_actions.RemoteAction.run

    def action_call_format(self, tracker, domain) -> Dict[Text, Any]:  # type: ignore[no-untyped-def]
        """RemoteAction._action_call_format, with the current turn's events instead of all of them."""
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = _current_turn(tracker)
        payload = {"next_action": self.name(), "sender_id": tracker.sender_id, "tracker": state,
                   "version": rasa.__version__}
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            payload["domain"] = domain.as_dict()
        return payload

    async def run(self, output_channel, nlg, tracker, domain) -> List[Any]:  # type: ignore[no-untyped-def]
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except rasa_actions.ActionExecutionRejection:
            raise  # forms reject to let other policies act: not a failure
        except RasaException:
            log.exception("custom action %s failed; answering with the apology", self.name())
            message = await nlg.generate("utter_error", tracker, output_channel.name())
            return [rasa_actions.create_bot_utterance(message)]

    rasa_actions.RemoteAction.run = run
    rasa_actions.RemoteAction._action_call_format = action_call_format
    _guarded = True


