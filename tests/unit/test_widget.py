"""api/routes/widget.py and the launcher's allow-list: the embeddable script served by the app, the widget's
configuration and texts from the gettext catalogs, a conversation's messages for a reload, CORS only for the
listed origins (never "*"), the same list for the app and Rasa's socket.io channel."""
from __future__ import annotations

from pathlib import Path

import pytest

from api.routes import widget
from catalog import queries
from catalog.session import session_scope
from common.languages import LANGUAGES
from common.messages import RESPONSES
from launcher.stack import Stack
from settings import get_settings

ALLOWED = "http://localhost:8000"  # the app's own page: in the default CORS_ORIGINS


# --- the script -----------------------------------------------------------------------------------------------

def test_one_script_holds_the_widget_and_the_socket_io_client_in_its_own_scope(app_client):
    response = app_client.get("/widget.js")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/javascript")
    body = response.text
    client = [line for line in widget.SOCKET_IO.read_text(encoding="utf-8").splitlines() if line.strip()
              and not line.startswith("//# sourceMappingURL")][-1]  # the client's code (after its licence)
    assert client in body and widget.WIDGET.read_text(encoding="utf-8") in body
    assert body.index("var module = { exports: {} }, exports = module.exports, define;") < body.index(client)
    assert "var io = module.exports;" in body  # the client hands itself over; no window.io, no AMD define
    assert "sourceMappingURL" not in body
    again = app_client.get("/widget.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_widget_loads_nothing_from_elsewhere():
    css = (widget.STATIC / "widget.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    script = widget.WIDGET.read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    assert "http://" not in code.replace("http://www.w3.org/2000/svg", "") and "https://" not in code


# --- configuration and texts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_widgets_texts_come_from_the_catalogs_in_every_language(app_client, language):
    answer = app_client.get("/api/v1/widget/texts", params={"language": language}).json()
    assert answer["language"] == language and answer["dir"] == ("rtl" if language == "ar" else "ltr")
    assert set(answer["texts"]) == set(widget.TEXTS) and all(text.strip() for text in answer["texts"].values())
    if language != "en":
        assert answer["texts"]["message"] != RESPONSES["widget_message"]  # translated, not the English source


def test_an_unknown_language_is_refused():
    from fastapi.testclient import TestClient

    from api.main import create_app

    assert TestClient(create_app()).get("/api/v1/widget/texts", params={"language": "xx"}).status_code == 422


def test_the_configuration_resolves_the_sites_municipality_by_name_or_slug(app_client, seeded_sqlite):
    with session_scope(seeded_sqlite) as session:
        every = [(m.slug, m.name, m.official_name) for m in queries.municipalities(session)]
    assert len(every) == 24
    for slug, name, official in every:
        for given in (slug, name):
            config = app_client.get("/api/v1/widget/config", params={"municipality": given}).json()
            assert config["municipality"] == {"name": name, "officialName": official}, given
    config = app_client.get("/api/v1/widget/config", params={"municipality": "Malmö", "language": "ar"}).json()
    assert config["municipality"] is None
    assert (config["language"], config["dir"], config["texts"]["message"]) == ("ar", "rtl", "الرسالة")
    assert "Language" in config["languageLabel"] and "اللغة" in config["languageLabel"]  # findable in any language
    assert app_client.get("/api/v1/widget/config", params={"language": "xx"}).json()["language"] == "en"


# --- CORS: the listed origins only --------------------------------------------------------------------------------

def test_only_the_listed_origins_may_read_the_widgets_api_and_never_with_a_wildcard(app_client):
    for path in ("/api/v1/widget/config", "/api/v1/widget/texts?language=uk", "/widget.js", "/static/widget.css"):
        allowed = app_client.get(path, headers={"Origin": ALLOWED})
        assert allowed.headers.get_list("access-control-allow-origin") == [ALLOWED], path
        refused = app_client.get(path, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in refused.headers, path
    preflight = app_client.options("/api/v1/widget/config", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "access-control-allow-credentials" not in preflight.headers
    # The rest of the app answers no cross-origin request.
    for path in ("/api/v1/municipalities", "/admin/login", "/"):
        assert "access-control-allow-origin" not in app_client.get(path, headers={"Origin": ALLOWED}).headers, path


@pytest.fixture
def stack(monkeypatch) -> Stack:
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    get_settings.cache_clear()
    yield Stack(model=Path("model.tar.gz"), rasa_port=6005, action_port=6055, app_port=6000, token="t" * 32)
    get_settings.cache_clear()


def test_the_app_rasa_and_its_socket_io_channel_get_one_allow_list(stack):
    stack.env["CORS_ORIGINS"] = "https://www.karlstad.se, https://chat.example.se"
    origins = ["https://www.karlstad.se", "https://chat.example.se", "http://localhost:6000", "http://127.0.0.1:6000"]
    assert stack.origins() == origins
    assert stack.environment()["CORS_ORIGINS"] == ",".join(origins)  # the app, and ${CORS_ORIGINS} for Rasa
    rasa = stack.commands()["rasa"]
    assert rasa[rasa.index("--cors") + 1: rasa.index("--enable-api")] == origins


def test_a_wildcard_origin_is_refused(stack):
    stack.env["CORS_ORIGINS"] = "*"
    with pytest.raises(ValueError, match="not allowed"):
        stack.environment()


# --- a conversation so far ----------------------------------------------------------------------------------------

def test_a_conversation_is_shown_again_as_the_widget_showed_it():
    tracker = {"events": [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "Is SFI free?", "input_channel": "socketio", "metadata": {"language": "en"}},
        {"event": "bot", "text": "Yes, it is free.\n\nSource: Skolverket — https://www.skolverket.se/",
         "metadata": {"language": "en", "dir": "ltr"}, "data": {}},
        {"event": "user", "text": '/switch_language{"language": "ar"}', "input_channel": "socketio", "metadata": {}},
        {"event": "bot", "text": "حسنا", "metadata": {"language": "ar", "dir": "rtl"}},
        {"event": "bot", "text": "هل أنت مواطن في الاتحاد الأوروبي؟", "metadata": {"language": "ar", "dir": "rtl"},
         "data": {"buttons": [{"title": "نعم", "payload": "/affirm"}, {"title": "لا", "payload": "/deny"}]}},
    ]}
    messages = widget.transcript(tracker)
    assert [(m["from"], m["text"]) for m in messages] == [
        ("user", "Is SFI free?"), ("bot", "Yes, it is free."), ("bot", "Source: Skolverket — https://www.skolverket.se/"),
        ("bot", "حسنا"), ("bot", "هل أنت مواطن في الاتحاد الأوروبي؟")]  # a command is not shown
    assert messages[-1]["buttons"] == [{"title": "نعم", "payload": "/affirm"}, {"title": "لا", "payload": "/deny"}]
    assert (messages[-1]["language"], messages[-1]["dir"]) == ("ar", "rtl")
    # A button chosen: shown as its title; the buttons are no longer offered.
    tracker["events"].append({"event": "user", "text": "/affirm", "input_channel": "socketio",
                              "metadata": {"shown": "نعم"}})
    messages = widget.transcript(tracker)
    assert messages[-1] == {"from": "user", "text": "نعم"} and not any("buttons" in m for m in messages)


def test_only_the_widgets_conversations_are_shown():
    assert widget.is_widget_conversation({"events": [{"event": "user", "input_channel": "socketio"}]})
    assert widget.is_widget_conversation({"events": []})
    assert not widget.is_widget_conversation({"events": [{"event": "user", "input_channel": "telegram"}]})


@pytest.mark.parametrize("session_id", ["abc", "0123456789ABCDEF0123456789ABCDEF", "x" * 32, "../" + "a" * 29])
def test_a_conversation_is_asked_for_only_by_a_widget_session_id(app_client, session_id):
    assert app_client.get(f"/api/v1/widget/conversations/{session_id}").status_code in (404, 422)


# --- links: the widget's own rule, on the catalogs' texts in every language -------------------------------------

NAME_RULE = r"""
const source = require("fs").readFileSync(process.argv[2], "utf8");
const NAME_END = eval(source.match(/var NAME_END = (\/.*\/);/)[1]);
const NAME_START = eval(source.match(/var NAME_START = (\/.*\/);/)[1]);
function nameBefore(text) {  // as in widget.js
  const end = NAME_END.exec(text); if (!end) return null;
  const head = text.slice(0, end.index), start = NAME_START.exec(head);
  let from = start ? start[0].length : 0;
  while (from < head.length && /\s/.test(head.charAt(from))) from++;
  const name = head.slice(from).trim();
  return name.length >= 2 && name.length <= 60 ? name : null;
}
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((text) => nameBefore(text))));
"""


def test_a_link_is_shown_by_the_name_written_before_it_in_every_language(tmp_path):
    """Source lines, local pages and a region's pages show the authority's or page's name as the link, whatever
    dash or colon the language's catalog writes before the address."""
    import json
    import shutil
    import subprocess

    from api.i18n import translate

    assert shutil.which("node"), "node is needed (the widget is installed with npm)"
    url = "https://example.se/page"
    cases, expected = [], []
    for language in LANGUAGES:
        for key, values, name in [
            ("faq_source", {"authority": "Skatteverket", "date": "1 maj 2026"}, "Skatteverket"),
            ("faq_local", {"category": "SFI", "municipality": "Karlstad", "name": "Komvux – frågor och svar"},
             "Komvux – frågor och svar"),
            ("faq_region", {"category": "Vård", "region": "Region Värmland", "name": "1177 Värmland"}, "1177 Värmland"),
            ("facts_website", {"official_name": "Karlstads kommun"}, None),  # a name or the site: never the address
        ]:
            text = translate(RESPONSES[key], language).format(url=url, **values)
            cases.append(text[:text.index(url)])
            expected.append((language, key, name))
    script = tmp_path / "rule.js"
    script.write_text(NAME_RULE, encoding="utf-8")
    found = json.loads(subprocess.run(["node", str(script), str(widget.WIDGET)], input=json.dumps(cases),
                                      capture_output=True, text=True, check=True).stdout)
    for (language, key, name), result in zip(expected, found):
        if name is not None:
            assert result == name, (language, key, result)
        else:
            assert result is None or "://" not in result, (language, key, result)
