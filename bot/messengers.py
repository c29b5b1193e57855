"""Messenger channels: Rasa's own Telegram, Facebook Messenger and Twilio (WhatsApp) connectors, each in a small
subclass that adds what Lotsen needs around them and changes nothing else of how they talk to their platform.

What the subclasses add, the same on every channel:
- Switched off when unset. Rasa builds every channel named in bot/credentials.yml, so each class reads its
  secrets from ${VARIABLES} that the launcher always passes (empty when a setting is unset); with its token
  empty a channel registers no routes (its webhook answers 404) and never calls its platform. Chosen over a
  credentials file written by the launcher at start: bot/credentials.yml stays the one file that says which
  channels exist and how they are configured, nothing is generated, and `rasa run --credentials
  bot/credentials.yml` behaves the same with or without the launcher. A channel whose token is set but whose
  webhook secret is not refuses to start — a webhook nobody authenticates is never served (settings/ refuses
  the same configuration before anything starts).
- Authenticated webhooks, rejected with HTTP 403 before anything is parsed or stored: Telegram's secret token
  (X-Telegram-Bot-Api-Secret-Token, registered with setWebhook when the server starts — Rasa 3.6 and its
  aiogram 2.15 predate it, so the subclass registers and checks it); Messenger's X-Hub-Signature-256 or
  X-Hub-Signature, an HMAC of the body with the app secret (Rasa checks it but answers a forgery with HTTP 200);
  Twilio's X-Twilio-Signature over the public webhook URL and the form (Rasa 3.6 does not check it).
- The API base URL from the settings (TELEGRAM_API_URL, FACEBOOK_API_URL, TWILIO_API_URL), so the end-to-end
  tests point each connector at a fake platform on 127.0.0.1; unset, the platform's own.
- The limits of every channel (bot/channels.py `Limits`, `admit`): a message over the length or rate limit
  gets a short reply in the conversation's language and never reaches NLU; a failure gets the apology.
- The platform's locale as a language hint in the message metadata (Telegram's `language_code`, Messenger's
  `nlp.detected_locales` when the page has built-in NLP): the LanguageDetector uses it only while the user has
  not written a sentence in a language, so it never overrides the language the user writes in. Telegram's
  first message, /start, becomes a greeting that carries the locale (an intent message skips NLU).
- Buttons per channel: Telegram an inline keyboard (Rasa's), Messenger quick replies (Rasa sends a button
  template, and nothing at all past three buttons), WhatsApp numbered lines ("1. Yes" …) — a reply of just that
  number (any script's digits) is read as that button. The numbered choices of each WhatsApp conversation's
  latest bot turn are kept in this process's memory: after a restart of the Rasa server, or with several
  servers behind a load balancer, a bare number is taken as text (the checklist then asks again).

Named in bot/credentials.yml; the launcher passes the variables (settings/, .env.example); README says how to
connect each channel for real.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import Update
from fbmessenger import MessengerClient
from rasa.core.channels import facebook, telegram, twilio
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels import DEFAULT_CONTACT_URL, Limits, admit
from common.languages import known

log = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
WEBHOOKS = "/webhooks"  # Rasa's prefix for every channel's blueprint


def locale_language(locale: Any) -> Optional[str]:
    """'uk', 'uk-UA', 'ar_AR' -> one of Lotsen's languages, else None."""
    if not isinstance(locale, str):
        return None
    return known(locale.replace("_", "-").split("-")[0].strip().lower())


def _setting(credentials: Optional[Dict[Text, Any]], key: str) -> str:
    return str((credentials or {}).get(key) or "").strip()


def remember(memory: Dict[str, Any], key: str, value: Any, limit: int = 50_000) -> None:
    """memory[key] = value, keeping only the `limit` most recently remembered keys (one per conversation)."""
    memory.pop(key, None)
    memory[key] = value
    while len(memory) > limit:
        memory.pop(next(iter(memory)))


def _forbidden(channel: str, why: str) -> HTTPResponse:
    log.warning("%s webhook rejected: %s", channel, why)
    return response.text("forbidden", status=403)


class _Channel:
    """What the three share: on/off, limits, the apology link and the language each conversation was last
    answered in (for a refusal's reply, made before NLU knows the conversation)."""

    limits: Limits
    contact_url: str = DEFAULT_CONTACT_URL
    replied_in: Dict[str, str]

    def _setup(self, credentials: Optional[Dict[Text, Any]]) -> None:
        self.limits = Limits.from_credentials(credentials)
        self.contact_url = _setting(credentials, "fallback_contact_url") or DEFAULT_CONTACT_URL
        self.replied_in = {}

    async def _deliver(self, message: UserMessage, on_new_message: OnNewMessage) -> None:
        language = self.replied_in.get(message.sender_id)
        await admit(self.limits, message, on_new_message, apology_url=self.contact_url, language=language)


class _RemembersLanguage:
    """An output channel noting the language of what it sends to each recipient (the NLG endpoint puts it on
    every bot message)."""

    replied_in: Dict[str, str]

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        language = known(message.get("language"))
        if language:
            remember(self.replied_in, str(recipient_id), language)
        await super().send_response(recipient_id, message)  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------------- Telegram


class TelegramOutput(_RemembersLanguage, telegram.TelegramOutput):
    """Rasa's Telegram output (aiogram) on the API server from the settings."""

    def __init__(self, access_token: Text, api_url: str = "", replied_in: Optional[Dict[str, str]] = None) -> None:
        super().__init__(access_token)
        if api_url:
            self.server = TelegramAPIServer.from_base(api_url)
        self.replied_in = {} if replied_in is None else replied_in


class TelegramInput(_Channel, telegram.TelegramInput):
    """POST /webhooks/telegram/webhook: Telegram's update, with the secret token registered at start."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        channel = cls(_setting(credentials, "access_token"), None, None, debug_mode=False)
        channel._setup(credentials)
        channel.secret_token = _setting(credentials, "secret_token")
        channel.api_url = _setting(credentials, "api_url")
        base = _setting(credentials, "webhook_base_url").rstrip("/")
        channel.webhook_url = f"{base}{WEBHOOKS}/{cls.name()}/webhook" if base else ""
        if channel.access_token and not channel.secret_token:
            raise ValueError("Telegram: TELEGRAM_TOKEN is set but TELEGRAM_WEBHOOK_SECRET is not")
        return channel

    secret_token = ""
    api_url = ""

    def get_output_channel(self) -> TelegramOutput:
        # Rasa's sets the webhook here, with asyncio.run outside the server's loop; ours at server start.
        return TelegramOutput(self.access_token, self.api_url, self.replied_in)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("lotsen_telegram_webhook", __name__)
        if not self.access_token:
            log.info("Telegram channel off (TELEGRAM_TOKEN unset)")
            return webhook
        out_channel = self.get_output_channel()

        @webhook.listener("after_server_start")
        async def register_webhook(*_: Any) -> None:
            if not self.webhook_url:
                log.warning("Telegram: PUBLIC_WEBHOOK_BASE_URL unset; the webhook was not registered")
                return
            try:
                await out_channel.request("setWebhook", {"url": self.webhook_url, "secret_token": self.secret_token})
                log.info("Telegram webhook registered: %s", self.webhook_url)
            except Exception:  # the server serves on; Telegram just does not know where yet
                log.exception("Telegram: registering the webhook %s failed", self.webhook_url)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            token = request.headers.get("X-Telegram-Bot-Api-Secret-Token") or ""
            if not hmac.compare_digest(token.encode(), self.secret_token.encode()):
                return _forbidden("Telegram", "wrong or missing secret token")
            try:
                update = Update(**request.json)
            except Exception:
                return response.text("not an update", status=400)
            parsed = self._parse(update)
            if parsed is None:
                return response.text("success")  # a photo, a sticker, a channel post …: nothing to answer
            text, chat_id, language = parsed
            if update.callback_query:
                try:  # stops the button's spinner in the user's app
                    await out_channel.answer_callback_query(update.callback_query.id)
                except Exception:
                    log.warning("Telegram: answering a callback query failed", exc_info=True)
            if text.strip() == "/start":  # Telegram's first message: a greeting that carries the user's locale
                text = '/greet{"language_hint": "%s"}' % language if language else "/greet"
            message = UserMessage(text, out_channel, str(chat_id), input_channel=self.name(),
                                  metadata={"language": language} if language else None)
            await self._deliver(message, on_new_message)
            return response.text("success")

        return webhook

    def _parse(self, update: Update) -> Optional[tuple]:
        """(text, chat id, language hint) as Rasa's connector reads an update, or None."""
        if self._is_button(update):
            query = update.callback_query
            if query.message is None:  # a button under an inline-mode message: no chat to answer in
                return None
            return query.data or "", query.message.chat.id, locale_language(query.from_user.language_code)
        message = update.edited_message if self._is_edited_message(update) else update.message
        if message is None or not self._is_user_message(message):
            return None
        sender = message.from_user
        return (message.text.replace("/bot", ""), message.chat.id,
                locale_language(sender.language_code if sender else None))


# ---------------------------------------------------------------------------------------------------- Messenger


class MessengerOutput(_RemembersLanguage, facebook.MessengerBot):
    """Rasa's Messenger output; buttons become quick replies (at most 11, fbmessenger's limit; titles cut to 20
    characters, Meta's)."""

    def __init__(self, client: Any, replied_in: Optional[Dict[str, str]] = None) -> None:
        super().__init__(client)
        self.replied_in = {} if replied_in is None else replied_in

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        replies = [{"content_type": "text", "title": button["title"][:20], "payload": button["payload"]}
                   for button in buttons[:11]]
        kwargs.pop("quick_replies", None)  # Rasa passes the bot message's other keys along (here: empty)
        await self.send_quick_replies(recipient_id, text, replies, **kwargs)


def messenger_client(page_access_token: Text, api_url: str) -> MessengerClient:
    """fbmessenger's Graph API client, on the base URL from the settings (its own API version kept)."""
    client = MessengerClient(page_access_token)
    if api_url:
        client.graph_url = f"{api_url.rstrip('/')}/v{client.api_version}"
    return client


class _Messenger(facebook.Messenger):
    """Rasa's webhook event handler, with the Graph API base URL from the settings and Lotsen's output."""

    def __init__(self, page_access_token: Text, on_new_message: OnNewMessage, api_url: str,
                 replied_in: Dict[str, str]) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = messenger_client(page_access_token, api_url)
        self.replied_in = replied_in

    async def _handle_user_message(self, text: Text, sender_id: Text, metadata: Optional[Dict[Text, Any]]) -> None:
        out_channel = MessengerOutput(self.client, self.replied_in)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(UserMessage(text, out_channel, sender_id, input_channel=self.name(),
                                                  metadata=metadata))
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class FacebookInput(_Channel, facebook.FacebookInput):
    """GET/POST /webhooks/facebook/webhook: Meta's verification and signed message events."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "FacebookInput":
        channel = cls(_setting(credentials, "verify"), _setting(credentials, "secret"),
                      _setting(credentials, "page-access-token"))
        channel._setup(credentials)
        channel.api_url = _setting(credentials, "api_url")
        if channel.fb_access_token and not (channel.fb_secret and channel.fb_verify):
            raise ValueError("Messenger: FACEBOOK_PAGE_ACCESS_TOKEN is set but FACEBOOK_SECRET or FACEBOOK_VERIFY "
                             "is not")
        return channel

    api_url = ""

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(messenger_client(self.fb_access_token, self.api_url), self.replied_in)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("lotsen_fb_webhook", __name__)
        if not self.fb_access_token:
            log.info("Messenger channel off (FACEBOOK_PAGE_ACCESS_TOKEN unset)")
            return webhook

        async def guarded(message: UserMessage) -> None:
            await self._deliver(message, on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verification(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(),
                                                                                   self.fb_verify.encode()):
                return response.text(request.args.get("hub.challenge") or "")
            return _forbidden("Messenger", "wrong verify token")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.signed(request):
                return _forbidden("Messenger", "wrong or missing X-Hub-Signature")
            payload = request.json
            if not isinstance(payload, dict):
                return response.text("not an event", status=400)
            messenger = _Messenger(self.fb_access_token, guarded, self.api_url, self.replied_in)
            for entry in payload.get("entry") or []:
                for event in entry.get("messaging") or []:  # Rasa's handler reads only the first event
                    language = self._locale(event)
                    await messenger.handle({"entry": [{"messaging": [event]}]},
                                           {"language": language} if language else None)
            return response.text("EVENT_RECEIVED")

        return webhook

    def signed(self, request: Request) -> bool:
        """X-Hub-Signature-256 (sha256=…) or, from older apps, X-Hub-Signature (sha1=…): HMAC of the raw body."""
        for header, algorithm in (("X-Hub-Signature-256", hashlib.sha256), ("X-Hub-Signature", hashlib.sha1)):
            value = request.headers.get(header)
            if value:
                prefix, _, signature = value.partition("=")
                expected = hmac.new(self.fb_secret.encode(), request.body, algorithm).hexdigest()
                return prefix == algorithm().name and hmac.compare_digest(signature.encode(), expected.encode())
        return False

    @staticmethod
    def _locale(event: Dict[Text, Any]) -> Optional[str]:
        """The language Meta's built-in NLP detected (`message.nlp.detected_locales`), when the page has it on."""
        nlp = (event.get("message") or {}).get("nlp") or {}
        locales = nlp.get("detected_locales") or []
        return locale_language(locales[0].get("locale")) if locales and isinstance(locales[0], dict) else None


# ---------------------------------------------------------------------------------------------------- WhatsApp

_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def whatsapp_number(number: str) -> str:
    number = number.strip()
    return number if not number or number.startswith("whatsapp:") else f"whatsapp:{number}"


class WhatsAppOutput(_RemembersLanguage, twilio.TwilioOutput):
    """Rasa's Twilio output on the API base URL from the settings; buttons become numbered lines."""

    def __init__(self, account_sid: Text, auth_token: Text, twilio_number: Text, api_url: str = "",
                 choices: Optional[Dict[str, List[str]]] = None,
                 replied_in: Optional[Dict[str, str]] = None) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        if api_url:
            self.api.base_url = api_url.rstrip("/")
        self.choices = {} if choices is None else choices
        self.replied_in = {} if replied_in is None else replied_in

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        lines = "\n".join(f"{number}. {button['title']}" for number, button in enumerate(buttons, start=1))
        remember(self.choices, recipient_id, [button["payload"] for button in buttons])
        await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": f"{text}\n\n{lines}"})


class TwilioInput(_Channel, twilio.TwilioInput):
    """POST /webhooks/twilio/webhook: Twilio's form-encoded WhatsApp message, signed with the auth token."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioInput":
        channel = cls(_setting(credentials, "account_sid"), _setting(credentials, "auth_token"),
                      whatsapp_number(_setting(credentials, "twilio_number")), debug_mode=False)
        channel._setup(credentials)
        channel.api_url = _setting(credentials, "api_url")
        base = _setting(credentials, "webhook_base_url").rstrip("/")
        channel.webhook_url = f"{base}{WEBHOOKS}/{cls.name()}/webhook" if base else ""
        channel.choices = {}
        if channel.account_sid and not (channel.auth_token and channel.twilio_number and channel.webhook_url):
            raise ValueError("WhatsApp: TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER or "
                             "PUBLIC_WEBHOOK_BASE_URL is not")
        return channel

    api_url = ""
    webhook_url = ""

    def get_output_channel(self) -> WhatsAppOutput:
        return WhatsAppOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_url, self.choices,
                              self.replied_in)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("lotsen_twilio_webhook", __name__)
        if not self.account_sid:
            log.info("WhatsApp channel off (TWILIO_ACCOUNT_SID unset)")
            return webhook

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.signed(request):
                return _forbidden("WhatsApp", "wrong or missing X-Twilio-Signature")
            sender, text = request.form.get("From"), request.form.get("Body")
            if not sender or text is None:
                return response.text("", status=204)  # a status callback or a media message without text
            text = self.chosen(sender, text)
            await self._deliver(UserMessage(text, self.get_output_channel(), sender, input_channel=self.name()),
                                on_new_message)
            return response.text("", status=204)

        return webhook

    def chosen(self, sender: str, text: str) -> str:
        """A bare number answering the latest numbered buttons is that button's payload; the buttons are spent."""
        payloads = self.choices.pop(sender, None) or []
        number = _NUMBER.match(text)
        if number and 1 <= int(number.group(1)) <= len(payloads):
            return payloads[int(number.group(1)) - 1]
        return text

    def signed(self, request: Request) -> bool:
        """Twilio's signature of the public URL it called (PUBLIC_WEBHOOK_BASE_URL + the path) and the form."""
        url = self.webhook_url + (f"?{request.query_string}" if request.query_string else "")
        signature = request.headers.get("X-Twilio-Signature") or ""
        return bool(signature) and RequestValidator(self.auth_token).validate(url, request.form, signature)
