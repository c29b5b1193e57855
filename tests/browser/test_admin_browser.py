"""Staff use the admin in a real browser and the chat page says it: Playwright (playwright-core from the npm
registry, tests/browser/package.json) drives Debian's Chromium headless (/usr/bin/chromium).

Each scenario is a script, tests/browser/<name>.mjs, run with node; it gets the stack's URL and the accounts in
environment variables and prints one line of JSON with what it saw, which the tests here assert on.
Its own stack (like tests/e2e/test_publish.py): the scenarios change content. Screenshots of every admin page go
to a temporary folder, or to SCREENSHOT_DIR when set (`make screenshots` refreshes docs/screenshots/).
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog import staff
from catalog.session import session_scope
from launcher.stack import Stack, free_port, prepare
from settings import ROOT

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "a long staff password"
ACCOUNTS = {
    "editor": {"email": "editor@example.se", "name": "Eva Editor", "role": "editor"},
    "municipal": {"email": "karlstad@example.se", "name": "Karl Karlstad", "role": "municipal_editor",
                  "municipality": "Karlstad"},
    "admin": {"email": "admin@example.se", "name": "Ada Admin", "role": "admin"},
}
SCRIPT_TIMEOUT = 600  # seconds for one scenario; each waits at most 90 s for a reply


@pytest.fixture(scope="module")
def browser_stack(tmp_path_factory) -> Iterator[Stack]:
    # Checked here, before a stack starts: a missing browser or driver fails the run, it never skips.
    assert shutil.which("node"), "node is needed for the browser tests"
    assert (HERE / "node_modules" / "playwright-core").is_dir(), \
        "playwright-core is not installed: `cd tests/browser && npm ci` (make test does it)"
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)"
    assert (ROOT / "api" / "web" / "static" / "vendor" / "socket.io.min.js").is_file(), \
        "the chat page's socket.io client is missing: `make widget` (make test does it)"
    run_dir = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    model = prepare(database_url)
    with session_scope(database_url) as session:
        for account in ACCOUNTS.values():
            staff.create_account(session, password=PASSWORD, **account)
    stack = Stack(model=model, rasa_port=free_port(), action_port=free_port(), app_port=free_port(), log_dir=run_dir,
                  env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}"})
    stack.start()
    try:
        stack.wait_healthy()
        yield stack
    finally:
        stack.stop()


def credentials(name: str, prefix: str) -> dict[str, str]:
    return {f"{prefix}_EMAIL": ACCOUNTS[name]["email"], f"{prefix}_PASSWORD": PASSWORD}


def run_scenario(script: str, stack: Stack, artifacts: Path, **variables: str) -> dict:
    """Runs tests/browser/<script> with node and returns its JSON line; a failed scenario fails the test with
    what the browser saw (its steps, the error, screenshots of the open pages in `artifacts`)."""
    env = {**os.environ, "APP_URL": stack.app_url, "CHROMIUM_PATH": CHROMIUM, "ARTIFACT_DIR": str(artifacts),
           **variables}
    started = time.monotonic()
    result = subprocess.run(["node", str(HERE / script)], cwd=HERE, env=env, capture_output=True, text=True,
                            timeout=SCRIPT_TIMEOUT)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{script} printed no JSON (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    outcome = json.loads(lines[-1])
    assert result.returncode == 0 and outcome["ok"], \
        f"{script} failed (exit {result.returncode}): {json.dumps(outcome, indent=1, ensure_ascii=False)}\n" \
        f"{result.stderr[-3000:]}"
    errors = [problem for problem in outcome["problems"] if "pageerror" in problem]
    assert not errors, f"{script}: script errors on the pages: {errors}"
    waited = [step for step in outcome["steps"] if step["step"].startswith("no reply")]
    assert not waited, f"{script}: a reply never came or lacked what was expected: {waited}\n{outcome}"
    print(f"{script}: {time.monotonic() - started:.1f} s")
    return outcome


def test_an_editor_changes_the_german_answer_and_the_chat_page_says_it(browser_stack, tmp_path):
    new_answer = f"SFI ist kostenlos – im Browser neu formuliert ({uuid.uuid4().hex[:6]})."
    seen = run_scenario("edit_answer.mjs", browser_stack, tmp_path, NEW_ANSWER=new_answer,
                        QUESTION="Ist SFI kostenlos?", **credentials("editor", "EDITOR"))
    assert new_answer not in seen["old_answer"]
    assert seen["saved"].strip() == "Saved." and seen["stored"] == new_answer
    assert seen["preview"].startswith(new_answer)  # the preview is the bot's own text, in German
    assert seen["page_language"] == "de", seen["confirmation"]
    assert new_answer in seen["reply"], seen["reply"]


def test_a_municipal_editors_note_is_shown_to_that_municipality_and_other_pages_are_refused(browser_stack, tmp_path):
    note = "In Karlstad, apply through the municipality's e-service."
    seen = run_scenario("local_note.mjs", browser_stack, tmp_path, NOTE=note, OWN="karlstad", OTHER="krokom",
                        SAY=json.dumps(["I live in Karlstad", "Is SFI free?"]), **credentials("municipal", "MUNICIPAL"))
    assert "Karlstad" in seen["heading"]
    assert seen["saved"].strip() == "Saved." and seen["stored"] == note
    assert note in seen["preview"]
    answer = seen["replies"][-1]
    assert "Swedish for immigrants" in answer and f"Karlstad: {note}" in answer, seen["replies"]
    assert seen["pages"]["krokom"]["status"] == 403 and seen["pages"]["krokom"]["forms"] == 0, seen["pages"]
    assert seen["pages"]["karlstad"]["status"] == 200 and seen["pages"]["karlstad"]["forms"] > 0, seen["pages"]
    assert "Karlstad" in seen["pages"]["karlstad"]["heading"]


def test_an_editor_adds_a_topic_that_is_answered_before_publishing(browser_stack, tmp_path):
    topic = {
        "key": "fishing_licence", "category": "everyday", "authority": "Länsstyrelsen",
        "source_url": "https://www.lansstyrelsen.se/jamtland.html",
        "answer": "For fishing in most lakes you buy a fishing licence (fiskekort) from the water's owners; "
                  "fishing with a rod along the coast and in the five largest lakes is free.",
        "questions": ["how do I get a fishing licence", "where can I buy a fishing licence",
                      "fishing licence for the lakes", "can I go fishing in the lakes here",
                      "do I need a permit to fish", "fishing permit price"],
    }
    seen = run_scenario("new_topic.mjs", browser_stack, tmp_path, TOPIC=json.dumps(topic, ensure_ascii=False),
                        QUESTION="Where do I buy a fishing licence for the lakes near Östersund?",
                        **credentials("editor", "EDITOR"))
    assert seen["created"]["heading"] == topic["key"] and seen["created"]["answer"] == topic["answer"]
    assert seen["created"]["reviewed_on"] == seen["today"]
    assert "waiting for a publish" in seen["created"]["waiting"]
    assert topic["answer"] in seen["reply"] and "lansstyrelsen.se" in seen["reply"], seen["reply"]


PAGES = ["login", "faq", "faq-sfi", "faq-sfi-municipal", "municipalities", "municipality-karlstad", "topic-new",
         "publish", "audit", "coverage", "accounts"]


def test_a_screenshot_of_every_admin_page(browser_stack, tmp_path):
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path / "screenshots")
    seen = run_scenario("screenshots.mjs", browser_stack, tmp_path, SCREENSHOT_DIR=str(directory),
                        **credentials("editor", "EDITOR"), **credentials("admin", "ADMIN"),
                        **credentials("municipal", "MUNICIPAL"))
    shots = {shot["name"]: shot for shot in seen["shots"]}
    assert sorted(shots) == sorted(PAGES)
    for name, shot in shots.items():
        assert shot["status"] == 200, shot
        assert shot["width"] <= shot["viewport"], f"admin-{name} scrolls sideways: {shot}"
        png = (directory / f"admin-{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width == 1280 and height >= 800, (name, width, height)
