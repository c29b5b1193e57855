"""The staff admin: every route with every role, sign-in and its limits, and content changes the bot says at once."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.admin import routes as admin_routes
from api.deps import get_session
from api.main import create_app
from catalog import staff
from catalog.models import AuditEntry, FaqText, StaffAccount
from catalog.session import session_scope
from tests.conftest import session_on

PASSWORD = "correct horse battery"
ACCOUNTS = {
    "admin": {"role": "admin"},
    "editor": {"role": "editor"},
    "translator": {"role": "translator", "languages": ["de"]},
    "municipal_editor": {"role": "municipal_editor", "municipality": "Karlstad"},
}
ALL = set(ACCOUNTS)
# Every admin route: who may use it. A route missing here fails test_every_route_is_in_the_matrix.
MATRIX = [
    ("GET", "/admin", ALL),
    ("POST", "/admin/logout", ALL),
    ("GET", "/admin/faq", ALL),
    ("GET", "/admin/faq/sfi", ALL),
    ("POST", "/admin/faq/sfi/texts/de", {"admin", "editor", "translator"}),
    ("POST", "/admin/faq/sfi/texts/uk", {"admin", "editor"}),  # the translator has only German
    ("POST", "/admin/faq/sfi/topic", {"admin", "editor"}),
    ("POST", "/admin/faq/sfi/notes/en", {"admin", "editor", "municipal_editor"}),
    ("GET", "/admin/municipalities", {"admin", "editor", "municipal_editor"}),
    ("GET", "/admin/municipalities/karlstad", {"admin", "editor", "municipal_editor"}),
    ("GET", "/admin/municipalities/krokom", {"admin", "editor"}),  # not the Karlstad editor's
    ("POST", "/admin/municipalities/karlstad/sfi", {"admin", "editor", "municipal_editor"}),
    ("POST", "/admin/municipalities/krokom/sfi", {"admin", "editor"}),
    ("GET", "/admin/audit", {"admin", "editor"}),
    ("POST", "/admin/audit/1/revert", {"admin", "editor"}),
    ("GET", "/admin/coverage", ALL),
    ("GET", "/admin/accounts", {"admin"}),
    ("GET", "/admin/topics/new", {"admin", "editor"}),
    ("POST", "/admin/topics/new", {"admin", "editor"}),
    ("POST", "/admin/faq/sfi/questions/de", {"admin", "editor", "translator"}),
    ("GET", "/admin/publish", {"admin", "editor"}),
    ("POST", "/admin/accounts", {"admin"}),
    ("GET", "/admin/translations/de.po", {"admin", "editor", "translator"}),
    ("GET", "/admin/translations/uk.po", {"admin", "editor"}),  # the translator has only German
    ("POST", "/admin/translations/de", {"admin", "editor", "translator"}),
    ("POST", "/admin/translations/uk", {"admin", "editor"}),
]
PUBLIC = {("GET", "/admin/login"), ("POST", "/admin/login")}
# Routes that start real work (a training) when allowed: walked only with the roles they refuse; the allowed
# roles use them in their own tests (tests/e2e/test_publish.py).
REFUSE_ONLY = [("POST", "/admin/publish", {"admin", "editor"})]


@pytest.fixture
def database(catalog_url) -> str:
    with session_scope(catalog_url) as session:
        for name, options in ACCOUNTS.items():
            staff.create_account(session, email=f"{name}@example.se", name=name, password=PASSWORD, **options)
    return catalog_url


@pytest.fixture
def app(database):
    app = create_app()
    app.dependency_overrides[get_session] = session_on(database)
    admin_routes.limiter.__init__()  # a fresh rate limit per test
    return app


def client_for(app, role: str | None) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    if role:
        reply = sign_in(client, f"{role}@example.se", PASSWORD)
        assert reply.status_code == 303, reply.text
    return client


def csrf(client: TestClient, path: str = "/admin/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def sign_in(client: TestClient, email: str, password: str):
    return client.post("/admin/login", data={"email": email, "password": password, "csrf": csrf(client)})


def form_for(path: str) -> dict:
    if path.endswith("/texts/de") or path.endswith("/texts/uk"):
        return {"answer": "Ein neuer Text.", "authority": ""}
    if path.endswith("/topic"):
        return {"authority": "Skolverket", "source_url": "https://www.skolverket.se/sfi", "reviewed_on": "2026-12-05"}
    if "/notes/" in path:
        return {"text": "Anmälan via kommunens e-tjänst.", "municipality": "Karlstad"}
    if "/municipalities/" in path:
        return {"name": "SFI", "url": "https://karlstad.se/sfi", "checked_source": "https://karlstad.se/sfi"}
    if path == "/admin/accounts":
        return {"email": "new@example.se", "password": PASSWORD, "role": "editor"}
    return {}


def test_every_route_is_in_the_matrix(app):
    templates = {(m, r.path) for r in admin_routes.router.routes for m in r.methods}
    assert len(templates) >= 17
    covered = {(m, re.sub(r"/(sfi|de|uk|en|karlstad|krokom|1)(?=/|\.po$|$)", "/{x}", p))
               for m, p, _ in MATRIX + REFUSE_ONLY} | PUBLIC
    normalised = {(m, re.sub(r"\{[a-z_]+\}", "{x}", p)) for m, p in templates}
    assert normalised <= {(m, re.sub(r"\{[a-z_]+\}", "{x}", p)) for m, p in covered}


@pytest.mark.parametrize("role", [None, *ACCOUNTS])
def test_every_route_checks_its_role(app, role):
    client = client_for(app, role)
    token = csrf(client) if role else ""
    for method, path, allowed in MATRIX:
        if method == "POST" and path == "/admin/logout":
            continue  # would end the session the walk goes on with; checked below
        reply = client.request(method, path, data={**form_for(path), "csrf": token} if method == "POST" else None)
        expected = 401 if role is None else (None if role in allowed else 403)
        if expected:
            assert reply.status_code == expected, (role, method, path, reply.status_code)
        else:
            assert reply.status_code in (200, 303, 404, 422), (role, method, path, reply.status_code, reply.text[:200])
    for method, path, allowed in REFUSE_ONLY:
        if role not in allowed:
            reply = client.request(method, path, data={"csrf": token})
            assert reply.status_code == (401 if role is None else 403), (role, path, reply.status_code)
    assert client.post("/admin/logout", data={"csrf": token}).status_code == (401 if role is None else 303)


def test_a_post_without_the_forms_token_is_refused(app):
    client = client_for(app, "editor")
    reply = client.post("/admin/faq/sfi/texts/de", data=form_for("/texts/de"))
    assert reply.status_code == 403 and "expired" in reply.text


def test_sign_in_is_rate_limited_with_a_clear_message(app):
    client = client_for(app, None)
    for _ in range(5):
        assert sign_in(client, "editor@example.se", "wrong password!").status_code == 401
    reply = sign_in(client, "editor@example.se", PASSWORD)  # even the right password waits now
    assert reply.status_code == 429 and "Too many failed attempts" in reply.text


def test_the_session_cookie_is_httponly_and_samesite_strict(app):
    client = TestClient(app, follow_redirects=False)
    reply = sign_in(client, "editor@example.se", PASSWORD)
    cookie = reply.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def nlg_text(app, key: str, language: str, **slots) -> str:
    body = {"response": "utter_faq_answer", "arguments": {"faq_key": key, **slots},
            "tracker": {"sender_id": "t", "slots": {"language": language}, "events": []}, "channel": {"name": "rest"}}
    return TestClient(app).post("/nlg", json=body).json()["text"]


def test_a_saved_answer_is_what_the_bot_says_next_and_can_be_reverted(app, database):
    client = client_for(app, "translator")
    old = nlg_text(app, "sfi", "de")
    reply = client.post("/admin/faq/sfi/texts/de", data={"answer": "SFI ist kostenlos. Neuer Text vom Team.",
                                                          "authority": "Skolverket", "csrf": csrf(client)})
    assert reply.status_code == 303
    assert nlg_text(app, "sfi", "de").startswith("SFI ist kostenlos. Neuer Text vom Team.")
    with session_scope(database) as session:
        change = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert change.account.email == "translator@example.se" and change.target == "sfi/de"
        assert change.before["answer"] in old and change.after["answer"].startswith("SFI ist kostenlos")
        change_id = change.id
    editor = client_for(app, "editor")
    assert editor.post(f"/admin/audit/{change_id}/revert", data={"csrf": csrf(editor)}).status_code == 303
    assert nlg_text(app, "sfi", "de") == old


def test_a_changed_english_answer_outdates_translations_which_then_give_way_to_english(app, database):
    client = client_for(app, "editor")
    client.post("/admin/faq/sfi/texts/en", data={"answer": "SFI is free. Updated by the editors.", "csrf": csrf(client)})
    with session_scope(database) as session:
        states = {t.language: t.outdated for t in session.scalars(select(FaqText).join(FaqText.entry).where(
            FaqText.entry.has(key="sfi")))}
    assert states == {"sv": False, "en": False, "de": True, "nl": True, "ar": True, "uk": True}
    assert nlg_text(app, "sfi", "de").startswith("SFI is free. Updated by the editors.")
    coverage = client.get("/admin/coverage").text
    assert "sfi" in coverage


def test_a_municipal_editors_note_shows_under_the_answer_for_that_municipality_only(app):
    client = client_for(app, "municipal_editor")
    token = csrf(client)
    reply = client.post("/admin/faq/sfi/notes/en", data={"text": "In Karlstad, apply for SFI through the e-service.",
                                                          "csrf": token})
    assert reply.status_code == 303
    assert "Karlstad: In Karlstad, apply for SFI through the e-service." in nlg_text(app, "sfi", "en", municipality="Karlstad")
    assert "e-service" not in nlg_text(app, "sfi", "en", municipality="Krokom")
    assert client.get("/admin/municipalities/krokom").status_code == 403


def test_the_preview_is_the_bots_own_reply(app):
    client = client_for(app, "editor")
    page = client.get("/admin/faq/sfi?preview=ar&municipality=Karlstad").text
    expected = nlg_text(app, "sfi", "ar", municipality="Karlstad")
    assert expected.split("\n")[0][:40] in page and 'dir="rtl"' in page


def test_bad_input_is_a_clear_4xx_and_changes_nothing(app, database):
    client = client_for(app, "editor")
    before = nlg_text(app, "sfi", "en")
    reply = client.post("/admin/faq/sfi/topic", data={"authority": "Skolverket", "source_url": "https://example.com/x",
                                                      "reviewed_on": "2026-12-05", "csrf": csrf(client)})
    assert reply.status_code == 422 and "not an official domain" in reply.text
    reply = client.post("/admin/faq/sfi/texts/en", data={"answer": "x" * 701, "csrf": csrf(client)})
    assert reply.status_code == 422 and "700" in reply.text
    assert nlg_text(app, "sfi", "en") == before


def test_the_admin_speaks_swedish_and_english(app):
    client = TestClient(app)
    assert "Logga in" in client.get("/admin/login?lang=sv").text
    assert "Sign in" in client.get("/admin/login?lang=en").text


def test_the_first_admin_comes_from_the_command_never_a_default(catalog_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", catalog_url)
    from settings import get_settings

    get_settings.cache_clear()
    monkeypatch.setenv("LOTSEN_NEW_PASSWORD", "short")
    assert staff.main(["boss@example.se"]) == 1 and "at least 12" in capsys.readouterr().err
    monkeypatch.setenv("LOTSEN_NEW_PASSWORD", PASSWORD)
    assert staff.main(["boss@example.se"]) == 0
    with session_scope(catalog_url) as session:
        account = session.scalars(select(StaffAccount).filter_by(email="boss@example.se")).one()
        assert account.role == "admin" and account.password_hash.startswith("$argon2")
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _no_leak() -> Iterator[None]:
    yield
