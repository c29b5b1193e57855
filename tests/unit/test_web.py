"""GET / — Lotsen's own chat page is the embeddable widget, inline, configured by the server (no second list of
languages in the page or the script); the widget inserts message text as text, never as HTML."""
from __future__ import annotations

import re
from pathlib import Path

from common.languages import LANGUAGES

WEB = Path(__file__).resolve().parents[2] / "api" / "web"


def test_the_page_embeds_the_widget_as_any_site_does_and_follows_the_conversations_language(app_client):
    page = app_client.get("/").text
    [tag] = re.findall(r"<script[^>]*>", page)
    assert 'src="/widget.js"' in tag and 'data-mode="inline"' in tag and 'data-page-language="follow"' in tag
    assert "window.LOTSEN" not in page  # nothing configured in the page: the widget asks the server


def test_the_page_offers_the_servers_languages_in_their_own_names(app_client):
    config = app_client.get("/api/v1/widget/config").json()
    assert [language["code"] for language in config["languages"]] == list(LANGUAGES)
    names = {language["code"]: language["name"] for language in config["languages"]}
    assert names["sv"] == "Svenska" and names["ar"] == "العربية" and names["uk"] == "Українська"
    assert {language["code"]: language["dir"] for language in config["languages"]}["ar"] == "rtl"
    assert config["maxLength"] == 2000 and config["socketUrl"].startswith("http")


def test_the_widget_holds_no_second_list_of_languages_and_does_not_poll():
    script = (WEB / "static" / "widget.js").read_text(encoding="utf-8")
    page = (WEB / "index.html").read_text(encoding="utf-8")
    assert "/language" not in script  # the language comes with each message (metadata), never asked for
    assert "setInterval" not in script
    assert "metadata" in script
    assert "Svenska" not in page and "<option" not in page and '"ar"' not in script


def test_the_widget_never_inserts_html():
    script = (WEB / "static" / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
    assert 'rel: "noopener noreferrer"' in script
