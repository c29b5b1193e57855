"""Lotsen's REST and socket.io channels: Rasa's own, with a hard limit on message length and rate and every bot
message carrying its language. The limits live here, in `Limits`, for every channel — the messengers
(bot/messengers.py) ask the same object before NLU.

- Blank: an empty message has nothing to understand — REST answers HTTP 400, socket.io ignores it.
- Failure: if handling a REST message fails unexpectedly, the user gets the apology, not an HTTP 500.
- Length: a message longer than `max_message_length` (credentials.yml, from MAX_MESSAGE_LENGTH) is refused
  before NLU — REST answers HTTP 413 with the reason, socket.io a short localized reply. Nothing of it is
  stored; a counter (shown by the channel's health route) records that it happened.
- Rate: more than `max_messages_per_minute` messages from one conversation within a minute (credentials.yml, from
  MAX_MESSAGES_PER_MINUTE; 0 = no limit) are refused before NLU — REST answers HTTP 429 with Retry-After, the
  chat channels a short localized reply, once a minute (a flood gets one answer, not one per message). Counted
  like the length. The window is kept in this process's memory: with several Rasa servers, each counts its own.
- Language: the NLG endpoint puts `language` and `dir` on every reply; Rasa keeps them as the bot
  message's metadata and hands them to `send_response`. These channels pass them on as `metadata`, so the
  widget sets `lang`/`dir` from the message it receives and never has to ask.
Named in bot/credentials.yml.
"""
from __future__ import annotations

import logging
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.events import SlotSet
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import texts
from common.languages import DEFAULT_LANGUAGE, direction, known

log = logging.getLogger(__name__)
DEFAULT_MAX_LENGTH = 2000
DEFAULT_PER_MINUTE = 30
REFUSED: Counter = Counter()  # channel name -> messages refused for their length
RATE_LIMITED: Counter = Counter()  # channel name -> messages refused for their rate
MAX_PLACE_LENGTH = 80  # a municipality's name in the widget's metadata
MAX_PLACED = 10_000  # conversations remembered as having their default place settled


DEFAULT_CONTACT_URL = "https://www.informationsverige.se/"


def _max_length(credentials: Optional[Dict[Text, Any]]) -> int:
    return int((credentials or {}).get("max_message_length") or DEFAULT_MAX_LENGTH)


@dataclass(frozen=True)
class Refusal:
    """Why a message was refused before NLU: `reason` is "too_long" or "too_fast"; `tell` says whether the
    user should hear about it (a flood is told once a minute); `reply(language)` is that short message."""

    reason: str
    limit: int
    retry_after: int = 0
    tell: bool = True

    def reply(self, language: str) -> Dict[Text, Any]:
        if self.reason == "too_long":
            return texts.message("message_too_long", language, limit=self.limit)
        return texts.message("message_too_fast", language)


class Limits:
    """The length and rate limits of every channel (REST, socket.io, Telegram, Messenger, WhatsApp): one
    object per channel, made from its credentials; `check` is asked before a message goes to NLU."""

    WINDOW = 60.0  # seconds

    def __init__(self, max_length: int = DEFAULT_MAX_LENGTH, per_minute: int = DEFAULT_PER_MINUTE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_length, self.per_minute, self.clock = max_length, per_minute, clock
        self._recent: Dict[Tuple[str, str], Deque[float]] = {}
        self._told: Dict[Tuple[str, str], float] = {}

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "Limits":
        per_minute = (credentials or {}).get("max_messages_per_minute")
        return cls(_max_length(credentials), DEFAULT_PER_MINUTE if per_minute in (None, "") else int(per_minute))

    def check(self, channel: str, sender: str, text: str) -> Optional[Refusal]:
        """None if the message may go on; otherwise why not. Every message counts towards the rate."""
        refusal = self._rate(channel, sender)
        if refusal is not None:
            RATE_LIMITED[channel] += 1
            log.warning("refused a %s message: over %d a minute in one conversation", channel, self.per_minute)
            return refusal
        if len(text) > self.max_length:
            REFUSED[channel] += 1
            log.warning("refused a %d-character %s message (limit %d)", len(text), channel, self.max_length)
            return Refusal("too_long", self.max_length)
        return None

    def _rate(self, channel: str, sender: str) -> Optional[Refusal]:
        if self.per_minute <= 0:
            return None
        now, key = self.clock(), (channel, sender)
        if len(self._recent) > 10_000:  # forget conversations that went quiet
            for quiet in [k for k, times in self._recent.items() if not times or times[-1] < now - self.WINDOW]:
                self._recent.pop(quiet, None)
                self._told.pop(quiet, None)
        times = self._recent.setdefault(key, deque())
        while times and times[0] <= now - self.WINDOW:
            times.popleft()
        times.append(now)
        if len(times) <= self.per_minute:
            return None
        retry_after = max(1, int(times[-self.per_minute] + self.WINDOW - now + 0.999))
        tell = self._told.get(key, float("-inf")) <= now - self.WINDOW
        if tell:
            self._told[key] = now
        return Refusal("too_fast", self.per_minute, retry_after, tell)


async def admit(limits: Limits, message: UserMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                apology_url: Optional[str] = None, language: Optional[str] = None) -> None:
    """A chat channel's way in: a blank message is ignored, one over a limit answered with a short reply and
    never passed on; the rest goes to NLU. The reply is in `language` (the conversation's, when the channel
    knows it) or the one the client shows (the metadata's `language`). With an `apology_url`, an unexpected
    failure answers the apology instead of leaving the user without a reply."""
    text = message.text or ""
    if not text.strip():
        return
    language = known(language) or _hint(message.metadata)
    refusal = limits.check(message.input_channel or "", message.sender_id, text)
    if refusal is not None:
        if refusal.tell:
            await message.output_channel.send_response(message.sender_id, refusal.reply(language))
        return
    try:
        await on_new_message(message)
    except Exception:
        if apology_url is None:
            raise
        log.exception("handling a %s message failed", message.input_channel)
        await message.output_channel.send_response(message.sender_id,
                                                   texts.message("utter_error", language, url=apology_url))


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
        return cls(Limits.from_credentials(credentials), credentials.get("fallback_contact_url") or DEFAULT_CONTACT_URL)

    def __init__(self, limits: Optional[Limits] = None, contact_url: str = DEFAULT_CONTACT_URL) -> None:
        self.limits = limits or Limits()
        self.contact_url = contact_url

    def get_output_channel(self) -> LanguageCollectingOutputChannel:
        return LanguageCollectingOutputChannel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("lotsen_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "refused_too_long": REFUSED[self.name()],
                                  "refused_too_fast": RATE_LIMITED[self.name()]})

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
            refusal = self.limits.check(self.name(), sender or "default", text)
            if refusal is not None and refusal.reason == "too_long":
                return response.json({"reason": f"the message is longer than {refusal.limit} characters",
                                      "max_length": refusal.limit}, status=413)
            if refusal is not None:
                return response.json({"reason": f"more than {refusal.limit} messages a minute in this conversation",
                                      "retry_after": refusal.retry_after}, status=429,
                                     headers={"Retry-After": str(refusal.retry_after)})
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
    """Rasa's socket.io channel (the web widget): messages over a limit get a localized reply instead of reaching
    NLU; browsers may connect only from the origins in `cors_origins` (credentials.yml, from CORS_ORIGINS —
    checked by engine.io on both transports, never "*"); and the municipality whose site embeds the widget
    (`municipality` in the message metadata) becomes the conversation's default place: it fills the
    `municipality` slot once, when the conversation has never had one, so a place the user names wins."""

    limits = Limits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.origins: List[Text] = []
        self._app: Any = None  # the Sanic app (its agent), kept when the server starts
        self._placed: "OrderedDict[Text, bool]" = OrderedDict()  # conversations whose default place is settled

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.limits = Limits.from_credentials(credentials)  # type: ignore[attr-defined]
        channel.origins = _origins(credentials)  # type: ignore[attr-defined]
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_default_place(message: UserMessage) -> None:
            place = _default_place(message.metadata)
            if place and message.sender_id not in self._placed:
                await self._seed_place(message, place)
            await on_new_message(message)

        async def guarded(message: UserMessage) -> None:
            message.output_channel = LanguageSocketIOOutput(self.sio, self.bot_message_evt)
            await admit(self.limits, message, with_default_place)  # a blank message: the widget never sends one

        webhook = super().blueprint(guarded)
        if self.origins:
            # Rasa's own channel checks no origin at all (cors_allowed_origins=[]): engine.io refuses any other
            # origin, on both transports. The CORS headers stay Sanic-CORS's (`rasa --cors`, the same list), so
            # engine.io must not add its own: a response with two Access-Control-Allow-Origin headers is refused.
            self.sio.eio.cors_allowed_origins = list(self.origins)  # type: ignore[union-attr]
            self.sio.eio._cors_headers = lambda environ: []  # type: ignore[union-attr]

        @webhook.listener("before_server_start")
        async def keep_app(app: Any, _loop: Any) -> None:
            self._app = app

        return webhook

    async def _seed_place(self, message: UserMessage, place: Text) -> None:
        agent = getattr(getattr(self._app, "ctx", None), "agent", None)
        if agent is None or agent.processor is None:
            return
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.processor.fetch_tracker_and_update_session(
                message.sender_id, message.output_channel, message.metadata)
            if not any(isinstance(event, SlotSet) and event.key == "municipality" for event in tracker.events):
                tracker.update(SlotSet("municipality", place))
                await agent.processor.save_tracker(tracker)
        self._placed[message.sender_id] = True
        while len(self._placed) > MAX_PLACED:
            self._placed.popitem(last=False)


def _origins(credentials: Optional[Dict[Text, Any]]) -> List[Text]:
    raw = (credentials or {}).get("cors_origins") or ""
    origins = [str(origin).strip() for origin in (raw if isinstance(raw, list) else str(raw).split(","))]
    if "*" in origins:
        raise ValueError("cors_origins must list origins; '*' is not allowed")
    return [origin for origin in origins if origin]


def _default_place(metadata: Optional[Dict[Text, Any]]) -> Optional[Text]:
    """The embedding site's municipality from the widget's metadata (its catalog name), if plausible."""
    place = (metadata or {}).get("municipality")
    place = place.strip() if isinstance(place, str) else ""
    return place if 0 < len(place) <= MAX_PLACE_LENGTH else None
