"""Latency and throughput over the REST channel, Lotsen vs Rasa's stock `rasa init` bot: `make bench`.

(a) 20 conversations at human pace (a message every 3 s for 2 minutes each): p50/p95/p99, Lotsen only, once
(b) 20 senders back to back: messages per second
(c) one conversation of 200 turns: p50 of the last 50 turns / p50 of the first 50
One run is not a figure: both bots stay up, and (b) and (c) each run three times alternating Lotsen and the stock
bot (L, S, L, S, L, S), so each pair runs under the same machine conditions. Per bot: median, min and max over the
runs; and Lotsen/stock per pair -> bench/results/latency.{json,md}.
`--model PATH` benchmarks a given trained model instead of training one.
A benchmark, not a test: it measures, it does not judge.
"""
from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from launcher.stack import BOT_BIN, Stack, free_port, prepare

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MESSAGES = [
    "Hur får jag ett personnummer?", "How do I apply for preschool in Karlstad?", "Krokom",
    "Wie bekomme ich eine Arbeitserlaubnis?", "Hoe vind ik een huurwoning?", "كيف أتعلم اللغة السويدية مجانا؟",
    "Як отримати ID-картку?", "thanks!", "Where can I learn Swedish?", "Jag vill prata med en människa",
]
STOCK_MESSAGES = ["hello", "I am happy", "are you a bot?", "I am sad", "yes", "no", "goodbye", "great"]
RUNS = 3  # of (b) and (c) per bot
SENDERS, PER_SENDER = 20, 15  # (b)
TURNS, WINDOW = 200, 50  # (c)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))], 1)


async def send(client: httpx.AsyncClient, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = await client.post(url, json={"sender": sender, "message": text})
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


async def human_pace(url: str, conversations: int = 20, interval: float = 3.0, duration: float = 120.0) -> dict:
    latencies: list[float] = []

    async def one(index: int, client: httpx.AsyncClient) -> None:
        await asyncio.sleep(index * interval / conversations)  # people do not all type at the same instant
        deadline, turn = time.monotonic() + duration, 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            latencies.append(await send(client, url, f"human-{index}", MESSAGES[(index + turn) % len(MESSAGES)]))
            turn += 1
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(one(i, client) for i in range(conversations)))
    return {"messages": len(latencies), "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99)}


async def back_to_back(url: str, messages: list[str], senders: int = SENDERS, per_sender: int = PER_SENDER) -> dict:
    latencies: list[float] = []

    run = time.time_ns()

    async def one(index: int, client: httpx.AsyncClient) -> None:
        for turn in range(per_sender):
            latencies.append(await send(client, url, f"load-{run}-{index}", messages[(index + turn) % len(messages)]))

    async with httpx.AsyncClient(timeout=120) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one(i, client) for i in range(senders)))
        elapsed = time.perf_counter() - started
    return {"messages": len(latencies), "seconds": round(elapsed, 1),
            "messages_per_second": round(len(latencies) / elapsed, 1), "p95_ms": percentile(latencies, 95)}


async def long_conversation(url: str, messages: list[str], turns: int = TURNS) -> dict:
    latencies, sender = [], f"long-{time.time_ns()}"
    async with httpx.AsyncClient(timeout=60) as client:
        for turn in range(turns):
            latencies.append(await send(client, url, sender, messages[turn % len(messages)]))
    first, last = statistics.median(latencies[:WINDOW]), statistics.median(latencies[-WINDOW:])
    return {"turns": turns, "p50_first_50_ms": round(first, 1), "p50_last_50_ms": round(last, 1),
            "growth": round(last / first, 2)}


def stock_bot(workdir: Path) -> subprocess.Popen:
    workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(BOT_BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(workdir)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    process = subprocess.Popen(
        [str(BOT_BIN / "rasa"), "run", "--port", str(port), "--model", "models"], cwd=workdir,
        stdout=(workdir / "rasa.log").open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    process.url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(process.url, timeout=2).status_code == 200:  # type: ignore[attr-defined]
                return process
        except httpx.HTTPError:
            time.sleep(1)
    raise TimeoutError("stock bot did not start")


def spread(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2), "max": round(max(values), 2)}


def paired(runs: dict[str, list[dict]], key: str) -> dict:
    """`runs`: per bot, its runs of one measure in order. Per bot: the runs and median/min/max of each figure
    (counts aside); then `key` of Lotsen over `key` of the stock bot, run i against run i."""
    result: dict = {}
    for name, bot_runs in runs.items():
        figures = [figure for figure in bot_runs[0] if figure not in ("messages", "turns", "seconds")]
        result[name] = {"runs": bot_runs, **{figure: spread([run[figure] for run in bot_runs]) for figure in figures}}
    ratios = [lotsen[key] / stock[key] for lotsen, stock in zip(runs["lotsen"], runs["stock_rasa_init"])]
    result["lotsen_over_stock"] = {key: {"pairs": [round(ratio, 2) for ratio in ratios], **spread(ratios)}}
    return result


def markdown(result: dict) -> str:
    settings = result["settings"]
    lines = [
        "# Latency and throughput over the REST channel (bench/latency.py)", "",
        f"{result['date']}, {result['machine']['cpus']} CPUs, model {result['model']}, {result['duration_s']} s in "
        f"all. (b) and (c) ran "
        f"{settings['runs']} times each, alternating Lotsen and the stock `rasa init` bot (L, S, L, S, ...) with both "
        "up throughout, so each pair ran under the same machine conditions. Median (min–max) over the runs; the "
        "ratio is Lotsen/stock per pair.", "",
        "| measure | Lotsen | stock | Lotsen/stock per pair |", "|---|---|---|---|",
    ]
    for measure, key, label in (("b_back_to_back", "messages_per_second", f"(b) messages/s, {settings['b_senders']} senders"),
                                ("c_long_conversation", "growth", f"(c) growth, {settings['c_turns']} turns")):
        row = [result[measure][name][key] for name in ("lotsen", "stock_rasa_init")]
        row.append(result[measure]["lotsen_over_stock"][key])
        lines.append(f"| {label} | " + " | ".join(f"{s['median']} ({s['min']}–{s['max']})" for s in row) + " |")
    a = result["a_human_pace"]
    lines += ["", f"(a) Lotsen at human pace, one run: {a['messages']} messages, p50 {a['p50_ms']} ms, "
              f"p95 {a['p95_ms']} ms, p99 {a['p99_ms']} ms.", ""]
    return "\n".join(lines)


def main() -> int:
    begun = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="lotsen-bench-"))
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    given = Path(sys.argv[sys.argv.index("--model") + 1]) if "--model" in sys.argv else None
    model = prepare(database_url, given)
    stack = Stack(model=model, rasa_port=free_port(), action_port=free_port(), app_port=free_port(),
                  log_dir=run_dir, env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}",
                                        "MAX_MESSAGES_PER_MINUTE": "0"})  # load, not people: no rate limit
    stack.start()
    stock_process = None
    try:
        stack.wait_healthy()
        stock_process = stock_bot(run_dir / "stock")  # both stay up to the end: the runs are paired
        bots = {"lotsen": (f"{stack.rasa_url}/webhooks/rest/webhook", MESSAGES),
                "stock_rasa_init": (f"{stock_process.url}/webhooks/rest/webhook", STOCK_MESSAGES)}  # type: ignore[attr-defined]
        for url, messages in bots.values():
            asyncio.run(back_to_back(url, messages, senders=2, per_sender=5))  # warm-up
        human = asyncio.run(human_pace(bots["lotsen"][0]))
        runs: dict[str, dict[str, list[dict]]] = {"b_back_to_back": {name: [] for name in bots},
                                                  "c_long_conversation": {name: [] for name in bots}}
        for measure, function in (("b_back_to_back", back_to_back), ("c_long_conversation", long_conversation)):
            for _ in range(RUNS):
                for name, (url, messages) in bots.items():  # L, S, L, S, L, S
                    runs[measure][name].append(asyncio.run(function(url, messages)))
                    print(measure, name, runs[measure][name][-1], file=sys.stderr)
    finally:
        stack.stop()
        if stock_process is not None:
            os.killpg(stock_process.pid, 15)
            stock_process.wait()
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_at_end": [round(load, 2) for load in os.getloadavg()]},
        "model": model.name,
        "duration_s": round(time.monotonic() - begun),  # of the whole benchmark, training and start-up included
        "settings": {"runs": RUNS, "order": "per measure L, S, L, S, L, S; both bots up throughout",
                     "a_conversations": 20, "a_interval_s": 3.0, "a_duration_s": 120.0,
                     "b_senders": SENDERS, "b_per_sender": PER_SENDER, "c_turns": TURNS, "c_window": WINDOW},
        "a_human_pace": human,
        "b_back_to_back": paired(runs["b_back_to_back"], "messages_per_second"),
        "c_long_conversation": paired(runs["c_long_conversation"], "growth"),
        "targets": {"a_p95_ms": 300, "b_at_least_stock_throughput": True, "c_growth_max": 1.5},
    }
    (RESULTS / "latency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "latency.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
