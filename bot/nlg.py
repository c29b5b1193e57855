"""Lotsen's NLG client for Rasa: the app renders every text; when a part is down the user still gets an apology.

Named in endpoints.yml (`nlg: type: bot.nlg.LotsenNLG`). It differs from Rasa's callback generator in two
ways, each for a reason:
- it sends only what the renderer needs (slots, latest message) instead of the whole event history, so
  rendering cost does not grow with the conversation's length;
- if the NLG endpoint fails, it renders the apology locally from the compiled gettext catalogs, in the
  language the conversation's slots decide (common.languages.reply_language).
It keeps its HTTP connection to the endpoint open (bot.keep_alive). It checks answers against Rasa's format
with a validator compiled once (Rasa's `validate_response` re-checks the schema itself on every call, a tenth
of a message's time under load).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text

from jsonschema.validators import validator_for
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_response_format_spec
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import texts
from bot.keep_alive import KeepAliveEndpoint
from common.languages import reply_language

log = logging.getLogger(__name__)
_SCHEMA = nlg_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)
REQUEST_TIMEOUT = 10  # seconds; Rasa's default is five minutes
DEFAULT_CONTACT_URL = "https://www.informationsverige.se/"


class LotsenNLG(CallbackNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig, domain: Any = None) -> None:
        super().__init__(endpoint_config)
        self.nlg_endpoint = KeepAliveEndpoint.of(endpoint_config)  # one connection, not one per reply
        # endpoints.yml passes it from the settings (FALLBACK_CONTACT_URL) through the launcher.
        self.contact_url = endpoint_config.kwargs.get("fallback_contact_url") or DEFAULT_CONTACT_URL

    def request_body(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                     **kwargs: Any) -> Dict[Text, Any]:
        """Rasa's NLG request, with the slots instead of the whole tracker."""
        return {
            "response": utter_action,
            "arguments": {k: v for k, v in kwargs.items() if k not in ("domain_responses", "response_id")},
            "tracker": {"sender_id": tracker.sender_id, "slots": tracker.current_slot_values()},
            "channel": {"name": output_channel},
        }

    def apology(self, tracker: DialogueStateTracker) -> Dict[Text, Any]:
        return texts.message("utter_error", reply_language(tracker.current_slot_values()), url=self.contact_url)

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        body = self.request_body(utter_action, tracker, output_channel, **kwargs)
        try:
            response = await self.nlg_endpoint.request(method="post", json=body, timeout=REQUEST_TIMEOUT)
            if isinstance(response, dict) and _VALIDATOR.is_valid(response):
                return response
            raise RasaException("NLG endpoint returned an invalid response")
        except Exception:
            log.exception("NLG endpoint failed for %s; sending the local apology", utter_action)
            return self.apology(tracker)
