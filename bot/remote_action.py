"""How Rasa calls Lotsen's action server: three changes to rasa's RemoteAction, installed once at start-up.

- Payload: custom actions receive the events of the current turn only (they read slots and the latest
  message), not the whole history, so their cost does not grow with the conversation.
- Failure: when the action server fails, the action answers with the apology in the user's language
  instead of silence (Rasa 3.6 only logs it). The tracker keeps every user message either way.
- Connection: the call reuses a kept-alive HTTP connection (bot.keep_alive) instead of opening one per call.
- Validation: the action server's answer is checked against Rasa's schema with a validator compiled once;
  Rasa's own `jsonschema.validate` re-checks the schema itself on every call (a sixth of a turn's time).
Rasa 3.6 has no extension point for any of these (the action endpoint takes a URL, not a class), so they
replace three methods of `RemoteAction`. `install()` is called in one place, bot/serve.py, before Rasa's
command line runs. It first checks that the pinned Rasa's methods are the ones these replacements were
written against (version and a hash of each method's source) and refuses to start otherwise, so an upgrade
fails loudly instead of silently changing behaviour; tests/bot/test_remote_action.py checks the same.
"""
from __future__ import annotations

import hashlib
import inspect
import logging
from typing import Any, Dict, List, Text, Tuple

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions import action as rasa_actions
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.keep_alive import KeepAliveEndpoint

log = logging.getLogger(__name__)
_installed = False
RASA_VERSION = "3.6.21"
# sha256 (first 16 hex digits) of the source of each replaced method in Rasa 3.6.21.
REPLACED = {"run": "ccabf6f1160d527a", "_action_call_format": "428795b944f22edb",
            "_validate_action_result": "f8cdb4be68123961"}


def source_hash(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def contract_problems() -> List[str]:
    """What differs from the Rasa these replacements were written for; empty when it is the same."""
    problems = [] if rasa.__version__ == RASA_VERSION else [f"rasa {rasa.__version__}, expected {RASA_VERSION}"]
    for name, expected in REPLACED.items():
        found = source_hash(getattr(rasa_actions.RemoteAction, name))
        if found != expected:
            problems.append(f"RemoteAction.{name} changed (source hash {found}, expected {expected})")
    return problems


def current_turn(tracker: DialogueStateTracker) -> List[Dict[Text, Any]]:
    """The events from the latest user message on (what rasa_sdk's forms and actions look at), serialised
    without touching the rest of the history."""
    events = list(tracker.events)
    start = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), 0)
    return [event.as_dict() for event in events[start:]]


_kept: Dict[int, Tuple[EndpointConfig, KeepAliveEndpoint]] = {}


def kept_alive(endpoint: EndpointConfig) -> KeepAliveEndpoint:
    """The keep-alive twin of Rasa's action endpoint (one object for the server's life; RemoteActions are
    made anew for every prediction)."""
    found = _kept.get(id(endpoint))
    if found is None or found[0] is not endpoint:
        found = _kept[id(endpoint)] = (endpoint, KeepAliveEndpoint.of(endpoint))
    return found[1]


def install() -> None:
    global _installed
    if _installed:
        return
    problems = contract_problems()
    if problems:
        raise RuntimeError("bot/remote_action.py was written for another Rasa: " + "; ".join(problems))
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
        if self.action_endpoint is not None:
            self.action_endpoint = kept_alive(self.action_endpoint)
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
