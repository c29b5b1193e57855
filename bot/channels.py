"""Lotsen's REST and socket.io channels: Rasa's own, with a hard limit on message length and every bot
message carrying its language.

- Blank: an empty message has nothing to understand — REST answers HTTP 400, socket.io ignores it.
- Failure: if handling a REST message fails unexpectedly, the user gets the apology, not an HTTP 500.
- Length: a message longer than `max_message_length` (credentials.yml, from MAX_MESSAGE_LENGTH) is refused
  before NLU — REST answers HTTP 413 with the reason, socket.io a short localized reply. Nothing of it is
  stored; a counter (shown by the channel's health route) records that it happened.
- Language: the NLG endpoint puts `language` and `dir` on every reply; Rasa keeps them as the bot
  message's metadata and hands them to `send_response`. These channels pass them on as `metadata`, so the
  widget sets `lang`/`dir` from the message it receives and never has to ask.
Named in bot/credentials.yml.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import texts
from common.languages import DEFAULT_LANGUAGE, direction, known

log = logging.getLogger(__name__)
DEFAULT_MAX_LENGTH = 2000
REFUSED: Counter = Counter()  # channel name -> messages refused for their length


DEFAULT_CONTACT_URL = "https://www.informationsverige.se/"


def _max_length(credentials: Optional[Dict[Text, Any]]) -> int:
    return int((credentials or {}).get("max_message_length") or DEFAULT_MAX_LENGTH)


def _hint(metadata: Optional[Dict[Text, Any]]) -> str:
    """The language the client shows (the widget follows the conversation's), for replies made before NLU."""
    return known((metadata or {}).get("language")) or DEFAULT_LANGUAGE


def _language_metadata(message: Dict[Text, Any]) -> Dict[Text, Text]:
    language = known(message.get("language"))
    return {"language": language, "dir": direction(language)} if language else {}


class _CarriesLanguage:
    """An output channel that adds the message's language to everything it sends for that message."""

    _metadata: Dict[Text, Text] = {}

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self._metadata = _language_metadata(message)
        await super().send_response(recipient_id, message)  # type: ignore[misc]


class LanguageCollectingOutputChannel(_CarriesLanguage, CollectingOutputChannel):
    async def _persist_message(self, message: Dict[Text, Any]) -> None:
        await super()._persist_message({**message, "metadata": self._metadata} if self._metadata else message)


class LanguageSocketIOOutput(_CarriesLanguage, SocketIOOutput):
    async def _send_message(self, socket_id: Text, message: Any) -> None:
        if self._metadata and isinstance(message, dict):
            message = {**message, "metadata": self._metadata}
        await super()._send_message(socket_id, message)


class RestInput(InputChannel):
    """POST /webhooks/rest/webhook {"sender", "message", "metadata"} -> the bot's messages, or a clear 4xx."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(_max_length(credentials), credentials.get("fallback_contact_url") or DEFAULT_CONTACT_URL)

    def __init__(self, max_length: int = DEFAULT_MAX_LENGTH, contact_url: str = DEFAULT_CONTACT_URL) -> None:
        self.max_length = max_length
        self.contact_url = contact_url

    def get_output_channel(self) -> LanguageCollectingOutputChannel:
        return LanguageCollectingOutputChannel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("lotsen_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "refused_too_long": REFUSED[self.name()]})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else None
            if body is None:
                return response.json({"reason": "the body must be a JSON object"}, status=400)
            sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata") or {}
            if not isinstance(text, str) or not isinstance(sender, (str, type(None))) or not isinstance(metadata, dict):
                return response.json({"reason": "'message' must be a string, 'sender' a string and 'metadata' "
                                                "an object"}, status=400)
            if not text.strip():
                return response.json({"reason": "the message is empty"}, status=400)
            if len(text) > self.max_length:
                REFUSED[self.name()] += 1
                log.warning("refused a %d-character REST message (limit %d)", len(text), self.max_length)
                return response.json({"reason": f"the message is longer than {self.max_length} characters",
                                      "max_length": self.max_length}, status=413)
            collector = self.get_output_channel()
            try:
                await on_new_message(UserMessage(text, collector, sender or "default", input_channel=self.name(),
                                                 metadata=metadata))
            except Exception:  # the tracker keeps the message; the user gets the apology, not a 500
                log.exception("handling a REST message failed")
                apology = texts.message("utter_error", _hint(metadata), url=self.contact_url)
                await collector.send_response(sender or "default", apology)
            return response.json(collector.messages)

        return webhook


class SocketIOChannel(SocketIOInput):
    """Rasa's socket.io channel; too-long messages get a localized reply instead of reaching NLU."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.max_length = _max_length(credentials)  # type: ignore[attr-defined]
        return channel

    max_length = DEFAULT_MAX_LENGTH

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def guarded(message: UserMessage) -> None:
            output = LanguageSocketIOOutput(self.sio, self.bot_message_evt)
            message.output_channel = output
            if not (message.text or "").strip():
                return  # the widget never sends a blank message; there is nothing to answer
            if len(message.text or "") > self.max_length:
                REFUSED[self.name()] += 1
                log.warning("refused a %d-character socket.io message (limit %d)", len(message.text), self.max_length)
                reply = texts.message("message_too_long", _hint(message.metadata), limit=self.max_length)
                await output.send_response(message.sender_id, reply)
                return
            await on_new_message(message)

        return super().blueprint(guarded)
