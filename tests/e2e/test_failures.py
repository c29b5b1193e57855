"""Designed failure: parts down, hostile input. The user always gets an answer; nothing stored is lost."""
from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import Chat

pytestmark = pytest.mark.e2e


def user_texts(chat: Chat) -> list[str]:
    return [event["text"] for event in chat.tracker()["events"] if event["event"] == "user"]


def test_action_server_down_apologises_in_the_users_language_and_recovers(stack, chat):
    chat.say("Hur får jag ett personnummer?")
    stack.stop(("actions",))
    try:
        reply = chat.say("Hur får jag ett id-kort?")
        assert "fel" in reply and "informationsverige.se" in reply  # Swedish apology with the contact link
    finally:
        stack.start(("actions",))
        stack.wait_healthy()
    assert "skatteverket.se" in chat.say("Hur får jag ett id-kort?")
    assert user_texts(chat) == ["Hur får jag ett personnummer?", "Hur får jag ett id-kort?", "Hur får jag ett id-kort?"]


def test_app_down_still_apologises_from_the_local_catalogs(stack, chat):
    chat.say("Wie bekomme ich eine Arbeitserlaubnis?")
    stack.stop(("app",))
    try:
        reply = chat.say("Wie finde ich eine Wohnung in Schweden?")
        assert "Entschuldigung" in reply or "Leider" in reply, reply
    finally:
        stack.start(("app",))
        stack.wait_healthy()
    assert "migrationsverket.se" in chat.say("Wie bekomme ich eine Arbeitserlaubnis?")
    assert len(user_texts(chat)) == 3


@pytest.mark.parametrize(
    "text",
    ["a" * 2000, "<script>alert('x')</script> how do I get a personnummer?",
     "hej\x00\x07\x1b[31m då", "'; DROP TABLE municipality; --", "🙂🙂🙂", "\u202eevil rtl override"],
)
def test_hostile_input_is_answered_safely(chat, text):
    reply = chat.say(text)
    assert "<script>" not in reply
    assert "Traceback" not in reply


def test_a_message_over_the_limit_is_refused_before_nlu_and_not_stored(chat):
    chat.say("Hur får jag ett personnummer?")
    before = chat.tracker()["events"]
    for text in ("a" * 2001, "Hur får jag ett personnummer? " * 100, "x" * 200_000):
        response = chat.post(text)
        assert response.status_code == 413, response.text
        assert "2000 characters" in response.json()["reason"]
    assert chat.tracker()["events"] == before  # nothing of a refused message reaches the tracker
    health = httpx.get(f"{chat.stack.rasa_url}/webhooks/rest/", timeout=10).json()
    assert health["refused_too_long"] >= 3
    assert "skatteverket.se" in chat.say("Hur får jag ett id-kort?")  # the conversation goes on


@pytest.mark.parametrize("body", [{"sender": "x", "message": ""}, {"sender": "x", "message": "  \n "},
                                  {"sender": "x", "message": 42}, {"sender": "x", "message": None},
                                  {"sender": ["x"], "message": "hej"}, {"sender": "x", "message": "hej", "metadata": 3},
                                  [1, 2]])
def test_a_malformed_rest_request_is_a_clear_400(stack, body):
    response = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json=body, timeout=10)
    assert response.status_code == 400 and response.json()["reason"]


def test_health_reports_every_part(stack):
    body = httpx.get(f"{stack.app_url}/health", timeout=10).json()
    assert body == {"status": "ok", "checks": {"database": True, "rasa": True, "action_server": True}}


def test_chat_page_and_widget_are_served_locally(stack):
    page = httpx.get(f"{stack.app_url}/", timeout=10).text
    assert "/widget.js" in page and "http://cdn" not in page and "https://cdn" not in page
    script = httpx.get(f"{stack.app_url}/widget.js", timeout=10)
    assert script.status_code == 200 and "socket.io" in script.text.lower()  # the client is bundled, not fetched
    assert httpx.get(f"{stack.app_url}/static/widget.css", timeout=10).status_code == 200


def test_conversation_language_api_follows_the_assistant(stack, chat):
    chat.say("كيف أحصل على رقم شخصي في السويد؟")
    body = httpx.get(f"{stack.app_url}/api/v1/conversations/{chat.sender}/language", timeout=10).json()
    assert body == {"language": "ar", "dir": "rtl"}
    assert httpx.get(f"{stack.app_url}/api/v1/conversations/bad%20id!/language", timeout=10).status_code == 422


def test_municipalities_api_lists_all_24(stack):
    body = httpx.get(f"{stack.app_url}/api/v1/municipalities", timeout=10).json()
    assert len(body) == 24 and {m["county"] for m in body} == {"Jämtlands län", "Värmlands län"}
