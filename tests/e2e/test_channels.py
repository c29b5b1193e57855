"""The messenger channels end to end: Telegram, Facebook Messenger and WhatsApp (Twilio) against local fakes of
their platforms (tests/e2e/fake_platforms.py).

Each test posts a webhook exactly as the platform does — Telegram's update with its secret token, Meta's event
signed with the app secret, Twilio's form signed over the public URL — to the real Rasa server, which answers
through Rasa's own connector (bot/messengers.py); the fake records the outbound API call and the test reads
the reply's language and content there. A forged webhook is rejected and leaves no conversation behind.

Its own stack, because the channels are configured through the environment (pointing at the fakes) and the
rate limit is set low enough to reach in a test.
"""
from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import quote

import httpx
import pytest

from launcher.stack import Stack, free_port, prepare
from tests.e2e.fake_platforms import FakeGraph, FakeTelegram, FakeTwilio, hub_signatures, twilio_signature

pytestmark = pytest.mark.e2e

TELEGRAM_TOKEN, TELEGRAM_SECRET = "123456789:AAE-lotsen-test-token", "lotsen_webhook-secret_0123456789"
FACEBOOK_TOKEN, FACEBOOK_SECRET, FACEBOOK_VERIFY = "EAAtestpagetoken", "meta-app-secret-0123456789", "verify-me"
TWILIO_SID, TWILIO_TOKEN, TWILIO_NUMBER = "AC" + "0123456789abcdef" * 2, "twilio-auth-token-0123", "+14155238886"
PER_MINUTE = 8  # MAX_MESSAGES_PER_MINUTE of this stack: low enough to reach, above every conversation here
TOO_LONG = "x" * 2001  # MAX_MESSAGE_LENGTH is 2000
ARABIC, CYRILLIC = re.compile(r"[\u0600-\u06ff]"), re.compile(r"[\u0400-\u04ff]")
SOURCE = {"sv": "Källa:", "ar": "المصدر:", "uk": "Джерело:"}


@pytest.fixture(scope="module")
def platforms() -> Iterator[SimpleNamespace]:
    with FakeTelegram(TELEGRAM_TOKEN) as telegram, FakeGraph(FACEBOOK_TOKEN) as graph, \
            FakeTwilio(TWILIO_SID, TWILIO_TOKEN) as twilio:
        yield SimpleNamespace(telegram=telegram, graph=graph, twilio=twilio)


@pytest.fixture(scope="module")
def own_stack(platforms, tmp_path_factory) -> Iterator[Stack]:
    run_dir = tmp_path_factory.mktemp("channels")
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    model = prepare(database_url)
    rasa_port = free_port()
    stack = Stack(model=model, rasa_port=rasa_port, action_port=free_port(), app_port=free_port(), log_dir=run_dir,
                  env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}",
                       "MAX_MESSAGES_PER_MINUTE": str(PER_MINUTE),
                       "PUBLIC_WEBHOOK_BASE_URL": f"http://127.0.0.1:{rasa_port}",
                       "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
                       "TELEGRAM_API_URL": platforms.telegram.url,
                       "FACEBOOK_PAGE_ACCESS_TOKEN": FACEBOOK_TOKEN, "FACEBOOK_SECRET": FACEBOOK_SECRET,
                       "FACEBOOK_VERIFY": FACEBOOK_VERIFY, "FACEBOOK_API_URL": platforms.graph.url,
                       "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
                       "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER, "TWILIO_API_URL": platforms.twilio.url})
    stack.start()
    try:
        stack.wait_healthy()
        yield stack
    finally:
        stack.stop()


def tracker(stack: Stack, sender: str) -> dict:
    reply = httpx.get(f"{stack.rasa_url}/conversations/{quote(sender, safe=':+')}/tracker",
                      params={"token": stack.token}, timeout=30)
    reply.raise_for_status()
    return reply.json()


def said(stack: Stack, sender: str) -> list[dict]:
    """What the user and the bot said in a conversation (nothing else creates a conversation's turns)."""
    return [event for event in tracker(stack, sender)["events"] if event["event"] in ("user", "bot")]


# ----------------------------------------------------------------------------------------------------- Telegram


class TelegramUser:
    """A Telegram user in a private chat with the bot; `say` posts the update Telegram would post."""

    _updates = iter(range(random.randrange(10**6), 10**9))

    def __init__(self, stack: Stack, fake: FakeTelegram, language_code: str) -> None:
        self.stack, self.fake, self.language_code = stack, fake, language_code
        self.id = random.randrange(10**8, 10**9)
        self.user = {"id": self.id, "is_bot": False, "first_name": "Test", "language_code": language_code}

    def post(self, update: dict, secret: str | None = TELEGRAM_SECRET) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return httpx.post(f"{self.stack.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=90)

    def message(self, text: str) -> dict:
        return {"update_id": next(self._updates), "message": {
            "message_id": next(self._updates), "from": self.user, "date": int(time.time()), "text": text,
            "chat": {"id": self.id, "first_name": "Test", "type": "private"}}}

    def tap(self, button: dict, question: dict) -> dict:
        """The callback query Telegram posts when the user taps an inline keyboard button under `question`."""
        return {"update_id": next(self._updates), "callback_query": {
            "id": str(next(self._updates)), "from": self.user, "chat_instance": "1", "data": button["callback_data"],
            "message": {"message_id": 1, "from": {"id": 1, "is_bot": True, "first_name": "Lotsen"},
                        "chat": {"id": self.id, "type": "private"}, "date": int(time.time()),
                        "text": question["text"]}}}

    def send(self, update: dict) -> list[dict]:
        """Posts an update; the sendMessage calls the bot made in answer."""
        before = len(self.fake.sent(self.id, count=0, timeout=0))
        reply = self.post(update)
        assert reply.status_code == 200, reply.text
        return self.fake.sent(self.id, count=before + 1, timeout=10)[before:]


def keyboard(sent: dict) -> list[dict]:
    return [button for row in json.loads(sent["reply_markup"])["inline_keyboard"] for button in row]


def test_telegram_registers_its_webhook_with_the_secret_token(own_stack, platforms):
    [registered] = platforms.telegram.wait_for(lambda call: call.body.get("method") == "setWebhook")
    assert registered.body["url"] == f"{own_stack.rasa_url}/webhooks/telegram/webhook"
    assert registered.body["secret_token"] == TELEGRAM_SECRET


def test_telegram_answers_in_the_users_language_with_an_inline_keyboard(own_stack, platforms):
    user = TelegramUser(own_stack, platforms.telegram, "uk")
    greeting = "\n".join(sent["text"] for sent in user.send(user.message("/start")))
    assert "Lotsen" in greeting and CYRILLIC.search(greeting)  # the locale seeds the language before any sentence

    answer = "\n".join(sent["text"] for sent in user.send(user.message("Як отримати персональний номер у Швеції?")))
    assert "skatteverket.se" in answer and SOURCE["uk"] in answer

    [question] = user.send(user.message("склади мені список що зробити"))
    assert "чек-лист" in question["text"]
    assert keyboard(question) == [{"text": "Так", "callback_data": "/affirm"}, {"text": "Ні", "callback_data": "/deny"}]
    deny = keyboard(question)[1]
    [purpose] = user.send(user.tap(deny, question))
    assert [button["callback_data"] for button in keyboard(purpose)] == ["work", "studies", "family", "protection"]
    assert CYRILLIC.search(purpose["text"])
    assert platforms.telegram.wait_for(lambda call: call.body.get("method") == "answerCallbackQuery"
                                       and call.body.get("callback_query_id"))
    slots = tracker(own_stack, str(user.id))["slots"]
    assert slots["language"] == "uk" and slots["cl_eu"] is False


def test_telegram_locale_is_a_hint_that_never_overrides_the_language_written_in(own_stack, platforms):
    user = TelegramUser(own_stack, platforms.telegram, "uk")
    answer = "\n".join(sent["text"] for sent in user.send(user.message("كيف أحصل على رقم شخصي في السويد؟")))
    assert "skatteverket.se" in answer and SOURCE["ar"] in answer and not CYRILLIC.search(answer)
    assert tracker(own_stack, str(user.id))["slots"]["language"] == "ar"


def test_telegram_rejects_an_update_without_the_secret_token(own_stack, platforms):
    user = TelegramUser(own_stack, platforms.telegram, "ar")
    for secret in ("wrong-secret", None, ""):
        assert user.post(user.message("كيف أحصل على رقم شخصي في السويد؟"), secret=secret).status_code == 403
    assert said(own_stack, str(user.id)) == []
    assert platforms.telegram.sent(user.id, count=1, timeout=1) == []


def test_telegram_applies_the_length_and_rate_limits(own_stack, platforms):
    user = TelegramUser(own_stack, platforms.telegram, "ar")
    for _ in range(PER_MINUTE):
        [refused] = user.send(user.message(TOO_LONG))
        assert "2000" in refused["text"] and ARABIC.search(refused["text"])  # in the locale's language
    [slow_down] = user.send(user.message("مرحبا"))
    assert "2000" not in slow_down["text"] and ARABIC.search(slow_down["text"])
    before = len(platforms.telegram.sent(user.id, count=0, timeout=0))
    assert user.post(user.message("مرحبا")).status_code == 200
    assert len(platforms.telegram.sent(user.id, count=before + 1, timeout=2)) == before  # told once a minute
    assert said(own_stack, str(user.id)) == []  # nothing of it reached NLU or the tracker


# ---------------------------------------------------------------------------------------------------- Messenger


class MessengerUser:
    """A person writing to the Facebook page; `say` posts the signed event Meta would post."""

    def __init__(self, stack: Stack, fake: FakeGraph, locale: str | None = None) -> None:
        self.stack, self.fake, self.locale = stack, fake, locale
        self.psid = str(random.randrange(10**15, 10**16))

    def event(self, text: str, quick_reply: str | None = None) -> bytes:
        message: dict = {"mid": f"m_{random.randrange(10**12)}", "text": text}
        if quick_reply:
            message["quick_reply"] = {"payload": quick_reply}
        if self.locale:  # built-in NLP on: Meta adds the language it detected
            message["nlp"] = {"entities": {}, "detected_locales": [{"locale": self.locale, "confidence": 0.9}]}
        now = int(time.time() * 1000)
        event = {"object": "page", "entry": [{"id": "1234", "time": now, "messaging": [
            {"sender": {"id": self.psid}, "recipient": {"id": "1234"}, "timestamp": now, "message": message}]}]}
        return json.dumps(event, ensure_ascii=False).encode()

    def post(self, body: bytes, secret: str | None = FACEBOOK_SECRET) -> httpx.Response:
        headers = {"Content-Type": "application/json", **(hub_signatures(secret, body) if secret else {})}
        return httpx.post(f"{self.stack.rasa_url}/webhooks/facebook/webhook", content=body, headers=headers,
                          timeout=90)

    def send(self, text: str, quick_reply: str | None = None) -> list[dict]:
        before = len(self.fake.sent(self.psid, count=0, timeout=0))
        reply = self.post(self.event(text, quick_reply))
        assert reply.status_code == 200, reply.text
        return self.fake.sent(self.psid, count=before + 1, timeout=10)[before:]


def test_messenger_webhook_verification(own_stack):
    url = f"{own_stack.rasa_url}/webhooks/facebook/webhook"
    query = {"hub.mode": "subscribe", "hub.verify_token": FACEBOOK_VERIFY, "hub.challenge": "1158201444"}
    assert httpx.get(url, params=query, timeout=10).text == "1158201444"
    assert httpx.get(url, params={**query, "hub.verify_token": "guess"}, timeout=10).status_code == 403


def test_messenger_answers_with_quick_replies(own_stack, platforms):
    user = MessengerUser(own_stack, platforms.graph)
    answer = "\n".join(message["text"] for message in user.send("Hur får jag ett personnummer?"))
    assert "skatteverket.se" in answer and SOURCE["sv"] in answer
    assert {"mark_seen", "typing_on", "typing_off"} <= set(platforms.graph.actions(user.psid))

    [question] = user.send("gör en checklista åt mig för flytten")
    assert "checklista" in question["text"]
    assert question["quick_replies"] == [{"content_type": "text", "title": "Ja", "payload": "/affirm"},
                                         {"content_type": "text", "title": "Nej", "payload": "/deny"}]
    [purpose] = user.send("Nej", quick_reply="/deny")
    assert "Sverige" in purpose["text"]
    assert [reply["payload"] for reply in purpose["quick_replies"]] == ["work", "studies", "family", "protection"]
    slots = tracker(own_stack, user.psid)["slots"]
    assert slots["language"] == "sv" and slots["cl_eu"] is False


def test_messenger_locale_seeds_the_language_of_a_short_message(own_stack, platforms):
    user = MessengerUser(own_stack, platforms.graph, locale="ar_AR")
    answer = "\n".join(message["text"] for message in user.send("personnummer?"))  # too short to tell a language
    assert "skatteverket.se" in answer and SOURCE["ar"] in answer


def test_messenger_rejects_a_wrong_signature(own_stack, platforms):
    user = MessengerUser(own_stack, platforms.graph)
    body = user.event("Hur får jag ett personnummer?")
    assert user.post(body, secret="not-the-app-secret").status_code == 403
    assert user.post(body, secret=None).status_code == 403
    tampered = body.replace("personnummer".encode(), "samordningsnummer".encode())
    headers = {"Content-Type": "application/json", **hub_signatures(FACEBOOK_SECRET, body)}
    assert httpx.post(f"{own_stack.rasa_url}/webhooks/facebook/webhook", content=tampered, headers=headers,
                      timeout=30).status_code == 403
    assert said(own_stack, user.psid) == []
    assert platforms.graph.sent(user.psid, count=1, timeout=1) == []


def test_messenger_applies_the_length_and_rate_limits(own_stack, platforms):
    user = MessengerUser(own_stack, platforms.graph, locale="uk_UA")
    for _ in range(PER_MINUTE):
        [refused] = user.send(TOO_LONG)
        assert "2000" in refused["text"] and CYRILLIC.search(refused["text"])
    [slow_down] = user.send("привіт")
    assert "2000" not in slow_down["text"] and CYRILLIC.search(slow_down["text"])
    assert said(own_stack, user.psid) == []


# ----------------------------------------------------------------------------------------------------- WhatsApp


class WhatsAppUser:
    """A WhatsApp user writing to the Twilio sender; `send` posts Twilio's signed, form-encoded webhook."""

    def __init__(self, stack: Stack, fake: FakeTwilio) -> None:
        self.stack, self.fake = stack, fake
        self.number = f"whatsapp:+4670{random.randrange(10**6, 10**7)}"
        self.url = f"{stack.rasa_url}/webhooks/twilio/webhook"  # = PUBLIC_WEBHOOK_BASE_URL + the path

    def form(self, text: str) -> dict[str, str]:
        sid = f"SM{random.randrange(16**32):032x}"
        return {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Test", "SmsSid": sid, "WaId": self.number[10:],
                "SmsStatus": "received", "Body": text, "To": f"whatsapp:{TWILIO_NUMBER}", "NumSegments": "1",
                "MessageSid": sid, "AccountSid": TWILIO_SID, "From": self.number, "ApiVersion": "2010-04-01"}

    def post(self, form: dict[str, str], signature: str | None = None) -> httpx.Response:
        signature = twilio_signature(TWILIO_TOKEN, self.url, form) if signature is None else signature
        return httpx.post(self.url, data=form, headers={"X-Twilio-Signature": signature}, timeout=90)

    def send(self, text: str) -> list[dict]:
        before = len(self.fake.sent(self.number, count=0, timeout=0))
        reply = self.post(self.form(text))
        assert reply.status_code < 300, reply.text
        sent = self.fake.sent(self.number, count=before + 1, timeout=10)[before:]
        assert all(message["From"] == f"whatsapp:{TWILIO_NUMBER}" for message in sent)
        return sent


def test_whatsapp_answers_through_twilio(own_stack, platforms):
    user = WhatsAppUser(own_stack, platforms.twilio)
    answer = "\n".join(message["Body"] for message in user.send("Як отримати персональний номер у Швеції?"))
    assert "skatteverket.se" in answer and SOURCE["uk"] in answer


def test_whatsapp_buttons_are_numbered_lines_and_a_number_answers(own_stack, platforms):
    user = WhatsAppUser(own_stack, platforms.twilio)
    [question] = user.send("عطيني قائمة المهام")
    assert ARABIC.search(question["Body"]) and question["Body"].endswith("\n\n1. نعم\n2. لا")
    [purpose] = user.send("٢")  # "2" in Arabic-Indic digits: No
    assert ARABIC.search(purpose["Body"]) and "\n1. العمل\n" in purpose["Body"] and "\n4. " in purpose["Body"]
    [children] = user.send("1")  # Work
    assert ARABIC.search(children["Body"]) and children["Body"] != purpose["Body"]
    slots = tracker(own_stack, user.number)["slots"]
    assert (slots["language"], slots["cl_eu"], slots["cl_purpose"]) == ("ar", False, "work")


def test_whatsapp_rejects_a_wrong_signature(own_stack, platforms):
    user = WhatsAppUser(own_stack, platforms.twilio)
    form = user.form("Hur får jag ett personnummer?")
    assert user.post(form, signature=twilio_signature("not-the-auth-token", user.url, form)).status_code == 403
    assert user.post(form, signature=twilio_signature(TWILIO_TOKEN, user.url, {**form, "Body": "hej"})).status_code \
        == 403
    assert user.post(form, signature="").status_code == 403
    assert said(own_stack, user.number) == []
    assert platforms.twilio.sent(user.number, count=1, timeout=1) == []


def test_whatsapp_applies_the_limits_in_the_conversations_language(own_stack, platforms):
    user = WhatsAppUser(own_stack, platforms.twilio)
    assert SOURCE["sv"] in "\n".join(message["Body"] for message in user.send("Hur får jag ett personnummer?"))
    for _ in range(PER_MINUTE - 1):
        [refused] = user.send(TOO_LONG)
        assert "2000 tecken" in refused["Body"]  # WhatsApp has no locale: the language the bot last answered in
    [slow_down] = user.send("hej")
    assert "vänta en minut" in slow_down["Body"]
    assert len([event for event in said(own_stack, user.number) if event["event"] == "user"]) == 1


def test_the_web_channels_share_the_same_limits(own_stack):
    url, sender = f"{own_stack.rasa_url}/webhooks/rest/webhook", f"rest-{random.randrange(10**9)}"
    for _ in range(PER_MINUTE):
        assert httpx.post(url, json={"sender": sender, "message": TOO_LONG}, timeout=30).status_code == 413
    refused = httpx.post(url, json={"sender": sender, "message": "hej"}, timeout=30)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert said(own_stack, sender) == []
