"""How Rasa calls Lotsen's action server: three changes to rasa's RemoteAction, installed once at start-up.

- Payload: custom actions receive the events of the current turn only (they read slots and the latest
  message), not the whole history, so their cost does not grow with the conversation.
- Failure: when the action server fails, the action answers with the apology in the user's language
  instead of silence (Rasa 3.6 only logs it). The tracker keeps every user message either way.
- Validation: the action server's answer is checked against Rasa's schema with a validator compiled once;
  Rasa's own `jsonschema.validate` re-checks the schema itself on every call (a sixth of a turn's time).
Rasa has no hook for these; the NLG client (bot/nlg.py), which Rasa loads once, calls `install()`.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action as rasa_actions
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException

log = logging.getLogger(__name__)
_installed = False


def current_turn(tracker: DialogueStateTracker) -> List[Dict[Text, Any]]:
    """The events from the latest user message on (what rasa_sdk's forms and actions look at), serialised
    without touching the rest of the history."""
    events = list(tracker.events)
    start = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), 0)
    return [event.as_dict() for event in events[start:]]


def install() -> None:
    global _installed
    if _installed:
        return
    original_run = rasa_actions.RemoteAction.run
    schema = rasa_actions.RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    def action_call_format(self, tracker, domain) -> Dict[Text, Any]:  # type: ignore[no-untyped-def]
        """RemoteAction._action_call_format, with the current turn's events instead of all of them."""
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = current_turn(tracker)
        payload = {"next_action": self.name(), "sender_id": tracker.sender_id, "tracker": state,
                   "version": rasa.__version__}
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            payload["domain"] = domain.as_dict()
        return payload

    def validate_action_result(self, result: Dict[Text, Any]) -> bool:  # type: ignore[no-untyped-def]
        error = next(validator.iter_errors(result), None)
        if error is not None:
            raise ValidationError(f"{error.message}. The action server's response is not in Rasa's format.")
        return True

    async def run(self, output_channel, nlg, tracker, domain) -> List[Any]:  # type: ignore[no-untyped-def]
        try:
            return await original_run(self, output_channel, nlg, tracker, domain)
        except rasa_actions.ActionExecutionRejection:
            raise  # forms reject to let other policies act: not a failure
        except (RasaException, ValidationError):
            log.exception("custom action %s failed; answering with the apology", self.name())
            message = await nlg.generate("utter_error", tracker, output_channel.name())
            return [rasa_actions.create_bot_utterance(message)]

    rasa_actions.RemoteAction.run = run
    rasa_actions.RemoteAction._action_call_format = action_call_format
    rasa_actions.RemoteAction._validate_action_result = validate_action_result
    _installed = True
