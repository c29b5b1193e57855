"""Staff change content through the admin as a browser does, and the running bot says it: an edited answer at
once, a new topic by retrieval before any training, and after Publish from the retrained, swapped-in model.

Its own stack, because the swap changes the model the other end-to-end tests talk to. Slow (one training).
"""
from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from catalog import staff
from catalog.session import session_scope
from launcher.stack import Stack, free_port, prepare
from tests.e2e.conftest import Chat

PASSWORD = "a long staff password"
TRAINING_TIMEOUT = 1200  # seconds; a training takes 3–4 minutes on two cores


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory) -> Iterator[Stack]:
    run_dir = tmp_path_factory.mktemp("publish")
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    model = prepare(database_url)
    with session_scope(database_url) as session:
        staff.create_account(session, email="editor@example.se", name="Editor", password=PASSWORD, role="editor")
    stack = Stack(model=model, rasa_port=free_port(), action_port=free_port(), app_port=free_port(), log_dir=run_dir,
                  env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}"})
    stack.start()
    try:
        stack.wait_healthy()
        yield stack
    finally:
        stack.stop()


class Browser:
    """What a browser does with the admin: keeps the session cookie, sends each form with its CSRF token."""

    def __init__(self, stack: Stack) -> None:
        self.client = httpx.Client(base_url=stack.app_url, follow_redirects=False, timeout=30)

    def token(self, path: str) -> str:
        return re.search(r'name="csrf" value="([^"]+)"', self.client.get(path).text).group(1)

    def submit(self, form_page: str, action: str, fields: dict) -> httpx.Response:
        reply = self.client.post(action, data={**fields, "csrf": self.token(form_page)})
        assert reply.status_code == 303, (action, reply.status_code, reply.text[:300])
        return reply

    def sign_in(self, email: str, password: str) -> None:
        self.submit("/admin/login", "/admin/login", {"email": email, "password": password})


def ask(stack: Stack, text: str) -> str:
    return Chat(stack, f"publish-{uuid.uuid4().hex[:8]}").say(text)


def test_an_edit_is_live_at_once_and_a_new_topic_is_answered_before_and_after_publishing(own_stack):
    browser = Browser(own_stack)
    browser.sign_in("editor@example.se", PASSWORD)

    # 1. An edited answer is what the bot says next (no retraining, no restart).
    ask(own_stack, "Ist der Schwedischkurs SFI kostenlos?")  # the first message warms the servers up
    browser.submit("/admin/faq/sfi", "/admin/faq/sfi/texts/de",
                   {"answer": "SFI ist kostenlos – neu formuliert von der Redaktion.", "authority": "Skolverket"})
    saved = time.monotonic()
    assert "neu formuliert von der Redaktion" in ask(own_stack, "Ist der Schwedischkurs SFI kostenlos?")
    assert time.monotonic() - saved < 2.0

    # 2. A new topic is answered by retrieval before any training.
    questions = "\n".join([
        "how do I get a fishing licence", "where can I buy a fishing licence", "fishing licence for the lakes",
        "can I go fishing in the lakes here", "do I need a permit to fish", "fishing permit price",
    ])
    answer = "For fishing in most lakes you buy a fishing licence (fiskekort) from the water's owners."
    browser.submit("/admin/topics/new", "/admin/topics/new", {
        "key": "fishing_licence", "category": "everyday", "authority": "Länsstyrelsen",
        "source_url": "https://www.lansstyrelsen.se/jamtland.html", "reviewed_on": "2026-12-05",
        "answer_en": answer, "questions_en": questions})
    reply = ask(own_stack, "Where do I buy a fishing licence for the lakes near Östersund?")
    assert answer in reply and "lansstyrelsen.se" in reply

    # 2b. Also where the model is sure the message is off-topic: it learnt parking permits as out of scope.
    parking = "Apply for a residents' parking permit (boendeparkering) at your municipality's parking office."
    browser.submit("/admin/topics/new", "/admin/topics/new", {
        "key": "residents_parking", "category": "everyday", "authority": "Karlstads kommun",
        "source_url": "https://karlstad.se/", "reviewed_on": "2026-12-08", "answer_en": parking,
        "questions_en": "\n".join(["how do I get a residents parking permit", "parking permit for my street",
                                   "boendeparkering application", "what does a residents parking permit cost",
                                   "can I park outside my flat with a permit", "parking card for residents"])})
    parking_question = "How do I get a residents parking permit for my street in Karlstad?"
    parse = httpx.post(f"{own_stack.rasa_url}/model/parse", params={"token": own_stack.token},
                       json={"text": parking_question}, timeout=30).json()
    assert parse["intent"]["name"] == "out_of_scope"  # what makes this step test the out-of-scope path
    assert parking in ask(own_stack, parking_question)

    # 3. Publish: trained, swapped into the running server, status shown; the topic is then in the model.
    old_model = httpx.get(f"{own_stack.rasa_url}/status", params={"token": own_stack.token}).json()["model_file"]
    browser.submit("/admin/publish", "/admin/publish", {})
    deadline = time.monotonic() + TRAINING_TIMEOUT
    while (status := re.search(r'data-status="(\w+)"', browser.client.get("/admin/publish").text).group(1)) \
            in ("queued", "training") and time.monotonic() < deadline:
        time.sleep(5)
    assert status == "done", browser.client.get("/admin/publish").text[-2000:]
    new_model = httpx.get(f"{own_stack.rasa_url}/status", params={"token": own_stack.token}).json()["model_file"]
    assert new_model != old_model
    parse = httpx.post(f"{own_stack.rasa_url}/model/parse", params={"token": own_stack.token},
                       json={"text": "where can I buy a fishing licence for the lake"}, timeout=30).json()
    assert parse["intent"]["name"] == "faq_fishing_licence"
    assert answer in ask(own_stack, "Where do I buy a fishing licence for the lakes near Östersund?")


def test_a_model_that_cannot_be_loaded_keeps_the_current_one(own_stack, monkeypatch):
    from launcher import publish

    monkeypatch.setenv("RASA_URL", own_stack.rasa_url)
    monkeypatch.setenv("RASA_TOKEN", own_stack.token)
    from settings import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="Rasa refused the model"):
            publish.swap("/nonexistent/model.tar.gz")
    finally:
        get_settings.cache_clear()
    assert "Skatteverket" in ask(own_stack, "How do I get a Swedish personal identity number?")
