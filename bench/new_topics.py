"""New topics without waiting for a retrain, publishing, and the model swap under load: `make bench-publish`.

(1) Retrieval alone on the held-out sets: how often the best-ranked topic is right, and how many are answered
    at each margin threshold with what precision (the thresholds in catalog/search.py are read off this table).
(2) Five topics withheld from training: a model is trained without them; they are added through the admin
    (HTTP, as a browser posts the forms) with their answers and training questions; their held-out questions
    are asked over REST before and after Publish (retrain + swap), counting replies that carry the topic's answer.
(3) The swap under load: 20 conversations send a message every second while the running server swaps models
    (`PUT /model`) back and forth; messages that failed or got no reply, and the longest reply.
-> bench/results/new_topics.{json,md}. A benchmark, not a test: it measures, it does not judge.
"""
from __future__ import annotations

import asyncio
import json
import re
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import httpx
import yaml
from sqlalchemy import delete, select

from bot.build.export import export
from bot.build.model import MODELS, ensure_model
from catalog import migrate, seed, staff
from catalog.models import FaqEntry
from catalog.search import best_topic, plain
from catalog.session import session_scope
from common.languages import LANGUAGES
from launcher.stack import Stack, compile_catalogs, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WITHHELD = ["protection_jobs", "salary_floor", "winter_driving", "car_import", "european_health_card"]
MARGINS = [0.0, 0.1, 0.2, 0.3]
PASSWORD = "benchmark password 1"


def held_out(language: str, keys: set[str] | None = None) -> list[tuple[str, str]]:
    document = yaml.safe_load((ROOT / "tests" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    rows = []
    for block in document["nlu"]:
        key = block["intent"].removeprefix("faq_")
        if block["intent"].startswith("faq_") and (keys is None or key in keys):
            rows += [(key, plain(line.strip()[2:])) for line in block["examples"].splitlines()
                     if line.strip().startswith("- ")]
    return rows


def retrieval_table(database_url: str) -> dict:
    table = {}
    with session_scope(database_url) as session:
        for language in LANGUAGES:
            ranked = [(key, best_topic(session, text, language)) for key, text in held_out(language)]
            row = {"questions": len(ranked), "top1": round(sum(r is not None and r.key == k for k, r in ranked) / len(ranked), 3)}
            for margin in MARGINS:
                chosen = [(k, r) for k, r in ranked if r is not None and r.margin >= margin]
                row[f"answered@{margin}"] = round(len(chosen) / len(ranked), 3)
                row[f"precision@{margin}"] = round(sum(r.key == k for k, r in chosen) / max(1, len(chosen)), 3)
            table[language] = row
    return table


class Admin:
    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, follow_redirects=False, timeout=60)

    def post(self, form_page: str, action: str, fields: dict) -> httpx.Response:
        token = re.search(r'name="csrf" value="([^"]+)"', self.client.get(form_page).text).group(1)
        reply = self.client.post(action, data={**fields, "csrf": token})
        if reply.status_code != 303:
            raise RuntimeError(f"{action}: {reply.status_code} {reply.text[:300]}")
        return reply


def ask_all(stack: Stack, rows: list[tuple[str, str, str]], answers: dict) -> int:
    """Questions (language, key, text) asked each in a new conversation; replies carrying the key's answer."""
    right = 0
    for language, key, text in rows:
        reply = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60,
                           json={"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": text,
                                 "metadata": {"language": language}}).json()
        joined = "\n".join(message.get("text") or "" for message in reply)
        right += answers[key, language][:60] in joined
    return right


def wait_for_publish(admin: Admin, timeout: float = 1800) -> tuple[str, float]:
    started, deadline = time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = re.search(r'data-status="(\w+)"', admin.client.get("/admin/publish").text).group(1)
        if status not in ("queued", "training"):
            return status, time.monotonic() - started
        time.sleep(3)
    return "timeout", time.monotonic() - started


async def swap_under_load(stack: Stack, models: list[str], conversations: int = 20) -> dict:
    """20 conversations, one message a second each, while the server swaps models back and forth."""
    url, results, stop = f"{stack.rasa_url}/webhooks/rest/webhook", [], asyncio.Event()
    swaps: list[tuple[float, float]] = []

    async def talk(index: int, client: httpx.AsyncClient) -> None:
        await asyncio.sleep(index / conversations)
        turn = 0
        while not stop.is_set():
            started = time.monotonic()
            try:
                reply = await client.post(url, json={"sender": f"load-{index}", "message": ["Is SFI free?", "Krokom",
                                          "Hur får jag ett personnummer?", "thanks"][turn % 4]}, timeout=120)
                ok = reply.status_code == 200 and bool(reply.json())
            except httpx.HTTPError:
                ok = False
            results.append((started, time.monotonic() - started, ok))
            turn += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))

    async def swapper(client: httpx.AsyncClient) -> None:
        await asyncio.sleep(10)
        for model in models:
            began = time.monotonic()
            reply = await client.put(f"{stack.rasa_url}/model", params={"token": stack.token},
                                     json={"model_file": model}, timeout=600)
            assert reply.status_code == 204, reply.text
            swaps.append((began, time.monotonic()))
            await asyncio.sleep(10)
        stop.set()

    async with httpx.AsyncClient() as client:
        await asyncio.gather(swapper(client), *(talk(i, client) for i in range(conversations)))
    def in_swap(started: float) -> bool:
        return any(begin - 1 <= started <= end + 1 for begin, end in swaps)

    during = [(t, d, ok) for t, d, ok in results if in_swap(t)]
    outside = [d for t, d, _ in results if not in_swap(t)]
    return {
        "conversations": conversations, "swaps": len(swaps),
        "swap_seconds": [round(e - b, 1) for b, e in swaps],
        "messages": len(results), "failed_or_no_reply": sum(not ok for _, _, ok in results),
        "messages_during_swaps": len(during),
        "longest_reply_during_swaps_s": round(max((d for _, d, _ in during), default=0.0), 2),
        "p50_reply_outside_swaps_ms": round(statistics.median(outside) * 1000, 1) if outside else None,
    }


def main() -> int:
    begun = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="lotsen-publish-"))
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    migrate.upgrade(database_url)
    catalog = seed.load(database_url=database_url)
    compile_catalogs()
    result: dict = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "withheld": WITHHELD,
                    "retrieval": retrieval_table(database_url)}

    # (2) a model that has never seen the five topics, and a catalog without them
    with session_scope(database_url) as session:
        session.execute(delete(FaqEntry).where(FaqEntry.key.in_(WITHHELD)))
    export(database_url=database_url)
    model_without = ensure_model(prefix="lotsen-withheld")
    with session_scope(database_url) as session:
        staff.create_account(session, email="bench@example.se", name="Bench", password=PASSWORD, role="editor")
        assert not session.scalars(select(FaqEntry).where(FaqEntry.key.in_(WITHHELD))).first()
    stack = Stack(model=model_without, rasa_port=free_port(), action_port=free_port(), app_port=free_port(),
                  log_dir=run_dir, env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}",
                                        "MAX_MESSAGES_PER_MINUTE": "0"})  # 20 conversations at a message a second: no rate limit
    stack.start()
    try:
        stack.wait_healthy()
        admin = Admin(stack.app_url)
        admin.post("/admin/login", "/admin/login", {"email": "bench@example.se", "password": PASSWORD})
        for key in WITHHELD:  # added through the admin, as staff would
            category, topic = catalog.topics[key]
            fields = {"key": key, "category": category, "authority": topic.authority, "source_url": topic.source_url,
                      "reviewed_on": topic.reviewed_on.isoformat()}
            for language in LANGUAGES:
                fields[f"answer_{language}"] = catalog.answers.get((key, language), "")
                fields[f"questions_{language}"] = "\n".join(plain(q) for q in catalog.questions.get((key, language), []))
            admin.post("/admin/topics/new", "/admin/topics/new", fields)
        rows = [(language, key, text) for language in LANGUAGES for key, text in held_out(language, set(WITHHELD))]
        answers = {(key, language): catalog.answers[key, language] for key in WITHHELD for language in LANGUAGES}
        before = ask_all(stack, rows, answers)
        admin.post("/admin/publish", "/admin/publish", {})
        status, publish_seconds = wait_for_publish(admin)
        after = ask_all(stack, rows, answers) if status == "done" else None
        # /status names the model file; PUT /model needs its path
        published = str(MODELS / httpx.get(f"{stack.rasa_url}/status", params={"token": stack.token}).json()["model_file"])
        result["withheld_topics"] = {"questions": len(rows), "right_before_publish": before,
                                     "right_after_publish": after, "publish_status": status,
                                     "publish_seconds": round(publish_seconds)}
        # (3) the swap under load: back to the model without the topics, then the published one again
        result["swap_under_load"] = asyncio.run(swap_under_load(stack, [str(model_without), published]))
    finally:
        stack.stop()
    result["duration_s"] = round(time.monotonic() - begun)
    (RESULTS / "new_topics.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "new_topics.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


def markdown(result: dict) -> str:
    lines = ["# New topics, publishing and the model swap (bench/new_topics.py)", "",
             f"{result['date']}, {result.get('duration_s', '?')} s in all.", "",
             "## Retrieval alone on the held-out sets (BM25 over each topic's questions and answer)", "",
             "| lang | questions | top-1 right | " + " | ".join(f"answered / precision at margin ≥ {m}" for m in MARGINS) + " |",
             "|---|---|---|" + "---|" * len(MARGINS)]
    for language, row in result["retrieval"].items():
        lines.append(f"| {language} | {row['questions']} | {row['top1']} | " + " | ".join(
            f"{row[f'answered@{m}']} / {row[f'precision@{m}']}" for m in MARGINS) + " |")
    if "withheld_topics" in result:
        w = result["withheld_topics"]
        lines += ["", f"## Five topics withheld from training, added through the admin: {', '.join(result['withheld'])}", "",
                  "| held-out questions (6 languages) | answered right before Publish (retrieval) | after Publish (retrained) | publish (export + train + swap) |",
                  "|---|---|---|---|",
                  f"| {w['questions']} | {w['right_before_publish']} | {w['right_after_publish']} | {w['publish_status']}, {w['publish_seconds']} s |"]
    if "swap_under_load" in result:
        s = result["swap_under_load"]
        lines += ["", "## Model swap under load", "",
                  f"{s['conversations']} conversations, a message a second each, {s['swaps']} swaps ({', '.join(map(str, s['swap_seconds']))} s each): "
                  f"{s['messages']} messages, **{s['failed_or_no_reply']} failed or without a reply**; "
                  f"{s['messages_during_swaps']} sent during a swap, the longest reply then {s['longest_reply_during_swaps_s']} s "
                  f"(median outside swaps {s['p50_reply_outside_swaps_ms']} ms)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
