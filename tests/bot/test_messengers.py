"""bot/messengers.py without a network: each messenger off while its token is unset, never half-configured,
and the per-channel buttons (Messenger quick replies, WhatsApp numbered lines read back from a bare number).
End to end against fake platforms: tests/e2e/test_channels.py."""
from __future__ import annotations

import asyncio

import pytest

from bot import messengers

UNSET = {"max_message_length": "2000", "max_messages_per_minute": "30", "fallback_contact_url": "https://x.se/"}
TELEGRAM = {"access_token": "", "secret_token": "", "webhook_base_url": "", "api_url": ""}
FACEBOOK = {"verify": "", "secret": "", "page-access-token": "", "api_url": ""}
TWILIO = {"account_sid": "", "auth_token": "", "twilio_number": "", "webhook_base_url": "", "api_url": ""}
CHANNELS = [(messengers.TelegramInput, TELEGRAM), (messengers.FacebookInput, FACEBOOK),
            (messengers.TwilioInput, TWILIO)]


@pytest.mark.parametrize("channel, credentials", CHANNELS, ids=["telegram", "facebook", "twilio"])
def test_a_messenger_without_its_token_registers_nothing(channel, credentials):
    blueprint = channel.from_credentials({**UNSET, **credentials}).blueprint(None)
    assert not blueprint._future_routes and not blueprint._future_listeners


@pytest.mark.parametrize("channel, credentials", [
    (messengers.TelegramInput, {**TELEGRAM, "access_token": "123:abc"}),
    (messengers.FacebookInput, {**FACEBOOK, "page-access-token": "EAA", "verify": "v"}),
    (messengers.TwilioInput, {**TWILIO, "account_sid": "AC1", "auth_token": "t", "twilio_number": "+4670"}),
], ids=["telegram", "facebook", "twilio"])
def test_a_messenger_with_its_token_but_not_its_webhook_secret_refuses_to_start(channel, credentials):
    with pytest.raises(ValueError):
        channel.from_credentials({**UNSET, **credentials})


def test_a_configured_messenger_serves_its_webhook_on_its_platforms_api_url():
    telegram = messengers.TelegramInput.from_credentials(
        {**UNSET, **TELEGRAM, "access_token": "123:abc", "secret_token": "s", "webhook_base_url": "https://chat.x.se/",
         "api_url": "http://127.0.0.1:9"})
    assert telegram.webhook_url == "https://chat.x.se/webhooks/telegram/webhook"
    assert telegram.get_output_channel().server.api_url("123:abc", "sendMessage") == \
        "http://127.0.0.1:9/bot123:abc/sendMessage"
    assert {route.uri for route in telegram.blueprint(None)._future_routes} == {"/", "/webhook"}


def whatsapp():
    channel = messengers.TwilioInput.from_credentials(
        {**UNSET, **TWILIO, "account_sid": "AC1", "auth_token": "t", "twilio_number": "+14155238886",
         "webhook_base_url": "https://chat.x.se", "api_url": "http://127.0.0.1:9"})
    output = channel.get_output_channel()
    sent = []

    async def record(message_data):
        sent.append(message_data)

    output._send_message = record
    return channel, output, sent


def test_whatsapp_buttons_are_numbered_lines_and_a_bare_number_is_that_button():
    channel, output, sent = whatsapp()
    assert output.twilio_number == "whatsapp:+14155238886" and output.api.base_url == "http://127.0.0.1:9"
    buttons = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]
    asyncio.run(output.send_response("whatsapp:+4670", {"text": "EU?", "buttons": buttons, "language": "sv"}))
    assert sent == [{"to": "whatsapp:+4670", "from_": "whatsapp:+14155238886", "body": "EU?\n\n1. Ja\n2. Nej"}]
    assert channel.replied_in["whatsapp:+4670"] == "sv"
    assert channel.chosen("whatsapp:+4670", " 2. ") == "/deny"
    assert channel.chosen("whatsapp:+4670", "2") == "2"  # the buttons are spent once answered
    for text, expected in (("١", "/affirm"), ("3", "3"), ("2 barn", "2 barn")):
        channel.choices["whatsapp:+4670"] = ["/affirm", "/deny"]
        assert channel.chosen("whatsapp:+4670", text) == expected


def test_messenger_buttons_are_quick_replies():
    class Client:
        def __init__(self) -> None:
            self.sent = []

        def send(self, payload, recipient_id, messaging_type="RESPONSE"):
            self.sent.append((recipient_id, payload))

    client = Client()
    output = messengers.MessengerOutput(client)
    buttons = [{"title": "Don't know yet, really", "payload": "don't know"}]
    asyncio.run(output.send_response("42", {"text": "Kommun?", "buttons": buttons, "quick_replies": None}))
    assert client.sent == [("42", {"text": "Kommun?", "quick_replies": [
        {"content_type": "text", "title": "Don't know yet, real", "payload": "don't know"}]})]


@pytest.mark.parametrize("locale, language", [("uk", "uk"), ("uk_UA", "uk"), ("ar-SA", "ar"), ("fr_FR", None),
                                              (None, None)])
def test_a_platform_locale_becomes_one_of_our_languages_or_none(locale, language):
    assert messengers.locale_language(locale) == language
