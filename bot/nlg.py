"""Lotsen's NLG client for Rasa: the app renders every text; when a part is down the user still gets an apology.

Named in endpoints.yml (`nlg: type: bot.nlg.LotsenNLG`). It differs from Rasa's callback generator in two
ways, each for a reason:
- it sends only what the renderer needs (slots, latest message) instead of the whole event history, so
  rendering cost does not grow with the conversation's length;
- if the NLG endpoint fails, it renders the apology locally from the compiled gettext catalogs.
It checks answers against Rasa's format with a validator compiled once (Rasa's `validate_response` re-checks
the schema itself on every call, a tenth of a message's time under load).
Loaded once at start-up, it also installs Lotsen's calls to the action server (bot/remote_action.py).
"""
from __future__ import annotations

import gettext
import logging
from typing import Any, Dict, Optional, Text

from jsonschema.validators import validator_for
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_response_format_spec
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from api.language import conversation_language
from api.nlg.messages import RESPONSES
from api.settings import get_settings
from bot import remote_action

log = logging.getLogger(__name__)
_SCHEMA = nlg_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)
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
        remote_action.install()

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
            if isinstance(response, dict) and _VALIDATOR.is_valid(response):
                return response
            raise RasaException("NLG endpoint returned an invalid response")
        except Exception:
            log.exception("NLG endpoint failed for %s; sending the local apology", utter_action)
            return apology(conversation_language(slots))
