"""GET / — the chat page takes its languages and limits from the server's configuration."""
from __future__ import annotations

import json
import re
from pathlib import Path

from common.languages import LANGUAGES

WEB = Path(__file__).resolve().parents[2] / "api" / "web"


def page_config(client) -> dict:
    page = client.get("/").text
    return json.loads(re.search(r"window\.LOTSEN = (\{.*?\});</script>", page).group(1))


def test_the_page_offers_the_servers_languages_in_their_own_names(app_client):
    config = page_config(app_client)
    assert [language["code"] for language in config["languages"]] == list(LANGUAGES)
    names = {language["code"]: language["name"] for language in config["languages"]}
    assert names["sv"] == "Svenska" and names["ar"] == "العربية" and names["uk"] == "Українська"
    assert {language["code"]: language["dir"] for language in config["languages"]}["ar"] == "rtl"
    assert config["maxLength"] == 2000 and config["socketUrl"].startswith("http")


def test_the_widget_holds_no_second_list_of_languages_and_does_not_poll():
    script = (WEB / "static" / "widget.js").read_text(encoding="utf-8")
    page = (WEB / "index.html").read_text(encoding="utf-8")
    assert "/language" not in script and "fetch(" not in script  # the language comes with each message
    assert "metadata" in script
    assert "Svenska" not in page and "<option" not in page and '"ar"' not in script
