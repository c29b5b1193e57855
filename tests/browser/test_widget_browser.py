"""The embeddable widget in a real browser: Playwright (playwright-core from the npm registry, tests/browser/
package.json) drives Debian's Chromium headless (/usr/bin/chromium); axe-core checks accessibility.

The example pages of docs/embed-example/ are served by this module on another port — a foreign origin, allowed
in the stack's CORS_ORIGINS — with their script tag pointed at this stack's app; the same pages from a second
port (not allowed) must get no chat. Each scenario is tests/browser/widget_<name>.mjs, run with node; it prints one
line of JSON with what it saw, asserted on here. Its own stack (like tests/e2e/test_publish.py). Screenshots go to a
temporary folder, or to SCREENSHOT_DIR when set (`make screenshots` refreshes docs/screenshots/).
"""
from __future__ import annotations

import asyncio
import http.server
import json
import os
import shutil
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import websockets

from api import i18n
from launcher.stack import Stack, free_port, prepare
from settings import ROOT

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
EXAMPLES = ROOT / "docs" / "embed-example"
EMBEDDED_SERVER = b"http://localhost:8000"  # the examples' script tag points there; each test host rewrites it
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCRIPT_TIMEOUT = 600  # seconds for one scenario; each waits at most 90 s for a reply
MARKUP = '<img src="x" onerror="window.__lotsenInjected = true"><b>fet</b> stil'


@dataclass
class Widget:
    stack: Stack
    host: str   # an allowed origin serving the example pages
    other: str  # the same pages from an origin that is not allowed

    @property
    def rasa_public(self) -> str:
        return f"http://localhost:{self.stack.rasa_port}"

    def origins(self) -> set[str]:
        """Every origin a page with the widget may load anything from: the page's, the app's and Rasa's."""
        return {self.host, self.other, self.stack.app_url, self.stack.rasa_url, self.rasa_public}


def serve_examples(app_url: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """docs/embed-example/ on a free port of its own, its script tags pointed at `app_url`."""

    class Examples(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            name = self.path.split("?")[0].lstrip("/")
            if name == "favicon.ico":
                self.send_response(204)
                self.end_headers()
                return
            page = EXAMPLES / name
            if "/" in name or not page.is_file():
                self.send_error(404)
                return
            body = page.read_bytes().replace(EMBEDDED_SERVER, app_url.encode())
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Examples)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def widget(tmp_path_factory) -> Iterator[Widget]:
    # Checked here, before a stack starts: a missing browser or driver fails the run, it never skips.
    assert shutil.which("node"), "node is needed for the browser tests"
    for package in ("playwright-core", "axe-core"):
        assert (HERE / "node_modules" / package).is_dir(), \
            f"{package} is not installed: `cd tests/browser && npm ci` (make test does it)"
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)"
    assert (ROOT / "api" / "web" / "static" / "vendor" / "socket.io.min.js").is_file(), \
        "the widget's socket.io client is missing: `make widget` (make test does it)"
    run_dir = tmp_path_factory.mktemp("widget")
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    model = prepare(database_url)
    app_port = free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    host_server, host = serve_examples(app_url)
    other_server, other = serve_examples(app_url)
    stack = Stack(model=model, rasa_port=free_port(), action_port=free_port(), app_port=app_port, log_dir=run_dir,
                  env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}",
                       "CORS_ORIGINS": host})
    stack.start()
    try:
        stack.wait_healthy()
        yield Widget(stack, host, other)
    finally:
        stack.stop()
        for server in (host_server, other_server):
            server.shutdown()
            server.server_close()


def run_scenario(script: str, widget: Widget, artifacts: Path, **variables: str) -> dict:
    """Runs tests/browser/<script> with node and returns its JSON line; a failed scenario fails the test with what
    the browser saw (its steps, the error, screenshots of the open pages in `artifacts`)."""
    env = {**os.environ, "APP_URL": widget.stack.app_url, "HOST_URL": widget.host, "OTHER_URL": widget.other,
           "CHROMIUM_PATH": CHROMIUM, "ARTIFACT_DIR": str(artifacts), **variables}
    started = time.monotonic()
    result = subprocess.run(["node", str(HERE / script)], cwd=HERE, env=env, capture_output=True, text=True,
                            timeout=SCRIPT_TIMEOUT)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{script} printed no JSON (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    outcome = json.loads(lines[-1])
    assert result.returncode == 0 and outcome["ok"], \
        f"{script} failed (exit {result.returncode}): {json.dumps(outcome, indent=1, ensure_ascii=False)}\n" \
        f"{result.stderr[-3000:]}"
    # No script error, console error or failed request anywhere — except on the page from the refused origin.
    unexpected = [problem for problem in outcome["problems"] if not problem["url"].startswith(widget.other)]
    assert not unexpected, f"{script}: errors on the pages: {unexpected}"
    # Nothing is loaded from anywhere but the page, the app and Rasa: no CDN, no external fonts.
    assert set(outcome["origins"]) <= widget.origins(), outcome["origins"]
    print(f"{script}: {time.monotonic() - started:.1f} s")
    return outcome


def bot_messages(state: dict) -> list[dict]:
    return [message for message in state["messages"] if message["who"] == "bot"]


# --- served by the app, allowed only for the listed origins (no browser) ------------------------------------------

def test_the_app_serves_the_widget_itself_and_only_listed_origins_may_use_it(widget):
    app, allowed, refused = widget.stack.app_url, widget.host, widget.other
    script = httpx.get(f"{app}/widget.js", timeout=10)
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "LotsenWidget" in script.text and "var io = module.exports" in script.text
    css = httpx.get(f"{app}/static/widget.css", timeout=10).text
    assert "@import" not in css and "url(" not in css and "@font-face" not in css  # system fonts only

    for path in ("/api/v1/widget/config?language=ar", "/widget.js", "/static/widget.css"):
        yes = httpx.get(f"{app}{path}", headers={"Origin": allowed}, timeout=10)
        no = httpx.get(f"{app}{path}", headers={"Origin": refused}, timeout=10)
        assert yes.headers.get_list("access-control-allow-origin") == [allowed], path
        assert "access-control-allow-origin" not in no.headers, path
    assert "access-control-allow-origin" not in httpx.get(f"{app}/admin/login", headers={"Origin": allowed}).headers

    # Rasa's socket.io channel: engine.io refuses another origin on both transports; one CORS header, never "*".
    polling = f"{widget.stack.rasa_url}/socket.io/?EIO=4&transport=polling"
    yes = httpx.get(polling, headers={"Origin": allowed}, timeout=10)
    assert yes.status_code == 200 and yes.headers.get_list("access-control-allow-origin") == [allowed]
    assert httpx.get(polling, headers={"Origin": refused}, timeout=10).status_code == 400

    async def websocket(origin: str) -> str:
        url = f"ws://127.0.0.1:{widget.stack.rasa_port}/socket.io/?EIO=4&transport=websocket"
        try:
            async with websockets.connect(url, origin=origin, open_timeout=10) as socket:
                return (await asyncio.wait_for(socket.recv(), 10))[:1]  # "0": engine.io's open packet
        except websockets.exceptions.InvalidStatusCode as error:
            return str(error.status_code)

    assert asyncio.run(websocket(allowed)) == "0"
    assert asyncio.run(websocket(refused)) == "400"


# --- in the browser -----------------------------------------------------------------------------------------------

def test_embedded_on_a_foreign_origin_in_arabic_across_reloads_tabs_and_a_new_conversation(widget, tmp_path):
    seen = run_scenario("widget_embed.mjs", widget, tmp_path)

    # The launcher: a corner button, closed; the host page's own language untouched.
    assert seen["closed"] == {"pageLang": "sv", "launcher": True, "expanded": "false", "panelHidden": True,
                              "launcherName": i18n.translate("Open chat", "sv")}
    swedish = seen["swedish"]
    assert (swedish["lang"], swedish["dir"], swedish["inputLabel"]) == ("sv", "ltr", "Meddelande")

    # Arabic: the widget, its texts, the input and the buttons right-to-left; the reply names the authority.
    assert "بالعربية" in seen["confirmation"]
    arabic = seen["arabic"]
    assert (arabic["lang"], arabic["dir"], arabic["inputLabel"]) == ("ar", "rtl", "الرسالة")
    assert arabic["inputDirection"] == "rtl" and arabic["sendBeforeInput"] and arabic["titleRightOfPicker"]
    replies = bot_messages(arabic)
    assert replies and all((m["lang"], m["direction"]) == ("ar", "rtl") for m in replies), replies
    assert "Skatteverket" in seen["reply"], seen["reply"]
    [source] = [link for link in arabic["links"] if "skatteverket.se" in link["href"]]
    assert "Skatteverket" in source["text"] and source["target"] == "_blank" and "noopener" in source["rel"].split()
    assert source["description"] == i18n.translate("opens in a new tab", "ar")
    links = [link for state in (arabic, seen["before_reload"]) for link in state["links"]]
    assert links and all("://" not in link["text"] and "http" not in link["text"] for link in links), links
    assert all("noopener" in link["rel"].split() for link in links)
    assert set(arabic["elementsInLog"]) <= {"li", "span", "a", "div", "button"}, arabic["elementsInLog"]

    # The page's municipality is the conversation's default place: SFI with Karlstad's pages, unasked.
    assert "karlstad.se" in seen["sfi"] and "Karlstad" in seen["sfi"], seen["sfi"]

    # A reload and a second tab show the same conversation, in Arabic.
    before = [(m["who"], m["text"]) for m in seen["before_reload"]["messages"]]
    for state in (seen["after_reload"], seen["second_tab"]):
        assert [(m["who"], m["text"]) for m in state["messages"]] == before
        assert state["session"] == arabic["session"] and (state["lang"], state["dir"]) == ("ar", "rtl")

    # Typed markup stays text, in both tabs.
    markup = seen["markup"]
    assert markup["shown"].endswith(MARKUP) and not markup["injected"] and markup["elements"] == 0
    assert markup["replied"] and any(m["text"].endswith(MARKUP) for m in markup["secondTab"])

    # "New conversation": a fresh, empty session in the page's language; the old one forgotten in this browser.
    fresh = seen["fresh"]
    assert fresh["session"] != seen["old_session"] and fresh["messages"] == [] and seen["intro_visible"]
    assert (fresh["lang"], fresh["inputLabel"]) == ("sv", "Meddelande")
    assert seen["fresh_status"] == i18n.translate("A new conversation has started.", "sv")
    stored = json.dumps(seen["storage"])
    assert seen["old_session"] not in stored and fresh["session"] in stored
    assert set(seen["storage"]["local"]) <= {"lotsen.session", "lotsen.language"}, seen["storage"]
    for state in (seen["fresh_after_reload"], seen["second_after_fresh"]):  # the other tab follows
        assert state["session"] == fresh["session"] and state["messages"] == []
    assert "karlstad.se" in seen["fresh_reply"], seen["fresh_reply"]  # the default place again

    # The same page from an origin not in CORS_ORIGINS: no chat.
    assert seen["other"]["widget"] == 0 and seen["other"]["session"] is None
    assert any("CORS" in warning for warning in seen["other"]["warnings"]), seen["other"]


def test_the_keyboard_alone_opens_types_sends_chooses_a_button_and_closes(widget, tmp_path):
    seen = run_scenario("widget_keyboard.mjs", widget, tmp_path)
    assert seen["to_launcher"][-1] == "launcher"
    assert (seen["opened"], seen["expanded"]) == ("input", "true")  # opening puts the focus in the message box
    assert seen["choices"] == ["Ja", "Nej"], seen["offer"]
    assert seen["backwards"] == ["choice:Nej", "choice:Ja"]  # back from the message box: the buttons
    assert seen["after_choice"] == "input" and seen["chosen"].endswith("Ja")
    assert seen["order"][:5] == ["launcher", "language", "fresh", "close", "log"], seen["order"]
    assert set(seen["order"][5:]) == {"choice"}, seen["order"]  # then the offered buttons, then the message box
    assert seen["on_send"] == "send" and seen["sent_with_button"].endswith("Tack så mycket")
    assert seen["on_close"] == "close"
    assert seen["after_close"] == {"focus": "launcher", "hidden": True, "expanded": "false"}
    assert seen["reopened"] == "input" and seen["after_escape"] == {"focus": "launcher", "hidden": True}
    inline = seen["inline_order"]  # not the send button first; buttons of a restored reply may sit before the box
    assert inline[:3] == ["language", "fresh", "log"] and "send" in inline, inline
    between = inline[3:inline.index("input")]
    assert set(between) <= {"choice"} and inline[inline.index("input") + 1] == "send", inline
    hidden = [stop for stop in seen["stops"] if stop["inWidget"] and not stop["visible"]]
    assert not hidden, f"stops without a visible focus indicator: {hidden}"


def test_axe_finds_no_serious_or_critical_violation_left_to_right_or_right_to_left_and_360_px_fits(widget, tmp_path):
    seen = run_scenario("widget_axe.mjs", widget, tmp_path)
    results = {result["label"]: result for result in seen["results"]}
    assert set(results) == {"launcher closed, ltr", "launcher open, ltr", "launcher open, rtl", "launcher open, rtl page",
                            "launcher open, rtl, 360 px", "inline, ltr", "inline, rtl", "own page, ltr", "own page, rtl"}
    for label, result in results.items():
        print(f"axe-core {result['version']}, {label}: {result['byImpact']}")
        bad = [violation for violation in result["violations"] if violation["impact"] in ("serious", "critical")]
        assert not bad, f"{label}: {json.dumps(bad, indent=1)}"
    assert seen["rtl_choices"] >= 2  # the right-to-left run had quick-reply buttons on screen
    assert seen["own_page"] == {"lang": "ar", "dir": "rtl"}  # Lotsen's own page follows the conversation
    for name, layout in seen["layouts"].items():
        assert layout["viewport"] == 360 and layout["pageWidth"] <= 360, (name, layout)
        assert layout["panelInside"] and layout["inputInside"] and layout["sendInside"], (name, layout)
        assert layout["widestMessage"] == 0, (name, layout)


def test_a_screenshot_of_the_widget_desktop_and_360_px_ltr_and_rtl_closed_and_open(widget, tmp_path):
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path / "screenshots")
    seen = run_scenario("widget_screenshots.mjs", widget, tmp_path, SCREENSHOT_DIR=str(directory))
    shots = {shot["name"]: shot for shot in seen["shots"]}
    assert sorted(shots) == sorted(f"widget-{size}-{direction}-{state}.png" for size in ("desktop", "360")
                                   for direction in ("ltr", "rtl") for state in ("closed", "open"))
    for name, shot in shots.items():
        assert shot["panelDir"] == shot["direction"] and shot["panelHidden"] == (shot["state"] == "closed"), shot
        assert shot["launcherSide"] == ("left" if shot["direction"] == "rtl" else "right"), shot  # the page's end
        assert shot["pageWidth"] <= shot["viewport"], shot
        png = (directory / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == ((1280, 800) if shot["size"] == "desktop" else (360, 740)), (name, width, height)
