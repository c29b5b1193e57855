"""Answer-level evaluation, end to end: `python -m bench.eval_answers [LANG …]` (part of `make eval`).

Plays the conversations of tests/answers/<lang>.yml — written apart from the training data and from the
intent held-out sets — against the real stack (Rasa, action server, app on a fresh SQLite catalog) over the
REST channel, and judges each reply as the person who asked would: a turn passes when the joined reply
contains every expected fragment (the responsible authority's or the municipality's page, a place) and every
message says it is in the expected language. A conversation passes when all its turns do.
Writes bench/results/answers.{json,md}: per language and kind, and every failure with its reply.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import httpx
import yaml

from common.languages import LANGUAGES
from launcher.stack import Stack, free_port, prepare

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "answers"
RESULTS = ROOT / "bench" / "results"
KINDS = ("national", "local", "municipality", "multi_turn", "long_message")
TARGET = 0.95


def conversations(language: str) -> list[dict]:
    return yaml.safe_load((CASES / f"{language}.yml").read_text(encoding="utf-8"))


def judge(messages: list[dict], expect: list[str], language: str) -> list[str]:
    """What is wrong with a reply; [] when it is right."""
    problems = []
    text = "\n\n".join(message.get("text") or "" for message in messages)
    if not text.strip():
        problems.append("no reply")
    # a fragment YAML reads as a number ("1177") is still text to find
    problems += [f"missing {str(fragment)!r}" for fragment in expect if str(fragment).casefold() not in text.casefold()]
    found = {(message.get("metadata") or {}).get("language") for message in messages}
    if found != {language}:
        problems.append(f"language {sorted(map(str, found))}, expected {language}")
    return problems


def play(client: httpx.Client, rasa_url: str, case: dict, language: str) -> dict:
    sender = f"eval-{case['id']}-{uuid.uuid4().hex[:6]}"
    turns = []
    for turn in case["turns"]:
        language = turn.get("language", language)  # a switch holds for the turns after it
        response = client.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": turn["say"]})
        messages = response.json() if response.status_code == 200 else []
        problems = judge(messages, turn.get("expect") or [], language)
        if response.status_code != 200:
            problems.insert(0, f"HTTP {response.status_code}")
        turns.append({"say": turn["say"], "problems": problems,
                      "reply": "\n\n".join(message.get("text") or "" for message in messages)})
    return {"id": case["id"], "kind": case["kind"], "passed": all(not t["problems"] for t in turns), "turns": turns}


def evaluate(rasa_url: str, languages: list[str]) -> dict:
    results: dict = {}
    with httpx.Client(timeout=60) as client:
        for language in languages:
            results[language] = [play(client, rasa_url, case, language) for case in conversations(language)]
    return results


def summary(results: dict) -> dict:
    table: dict = {}
    for language, played in results.items():
        by_kind: dict = defaultdict(lambda: [0, 0])
        for conversation in played:
            by_kind[conversation["kind"]][0] += conversation["passed"]
            by_kind[conversation["kind"]][1] += 1
        passed = sum(c["passed"] for c in played)
        table[language] = {"passed": passed, "total": len(played), "share": round(passed / len(played), 4),
                           "kinds": {kind: {"passed": p, "total": t} for kind, (p, t) in sorted(by_kind.items())}}
    return table


def markdown(report: dict) -> str:
    lines = ["# Answer-level evaluation (bench/eval_answers.py)", "",
             f"{report['date']}, model `{report['model']}`. A conversation passes when every reply contains the "
             "expected authority or local page and every message is in the expected language. "
             f"Target: ≥ {TARGET:.0%} in every language.", "",
             "| language | all | " + " | ".join(KINDS) + " |", "|---|---|" + "---|" * len(KINDS)]
    for language, row in report["summary"].items():
        cells = [f"{row['share']:.1%} ({row['passed']}/{row['total']})"]
        for kind in KINDS:
            found = row["kinds"].get(kind)
            cells.append(f"{found['passed']}/{found['total']}" if found else "–")
        lines.append(f"| {language} | " + " | ".join(cells) + " |")
    failures = [(language, c) for language, played in report["results"].items() for c in played if not c["passed"]]
    if failures:
        lines += ["", "## Failures", ""]
        for _language, conversation in failures:
            for turn in conversation["turns"]:
                if turn["problems"]:
                    lines.append(f"- `{conversation['id']}` {turn['say'][:90]!r}: {'; '.join(turn['problems'])}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    languages = [code for code in argv if code in LANGUAGES] or list(LANGUAGES)
    with tempfile.TemporaryDirectory() as folder:
        run_dir = Path(folder)
        database_url = f"sqlite:///{run_dir / 'catalog.db'}"
        model = prepare(database_url)
        stack = Stack(model=model, rasa_port=free_port(), action_port=free_port(), app_port=free_port(),
                      log_dir=run_dir, env={"DATABASE_URL": database_url,
                                            "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}"})
        stack.start()
        try:
            stack.wait_healthy()
            started = time.monotonic()
            results = evaluate(stack.rasa_url, languages)
            seconds = round(time.monotonic() - started, 1)
        finally:
            stack.stop()
    report = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "model": model.name,
              "seconds": seconds, "target": TARGET, "summary": summary(results), "results": results}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "answers.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "answers.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report).split("## Failures")[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
