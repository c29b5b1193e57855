"""Latency and throughput over the REST channel, Lotsen vs Rasa's stock `rasa init` bot: `make bench`.

(a) 20 conversations at human pace (a message every 3 s for 2 minutes each): p50/p95/p99
(b) 20 senders back to back: messages per second
(c) one conversation of 200 turns: p50 of the last 50 turns / p50 of the first 50
(b) and (c) also run against the stock bot; results and ratios go to bench/results/latency.json.
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
from pathlib import Path

import httpx

from launcher import BOT_BIN, Stack, free_port, prepare

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MESSAGES = [
    "Hur får jag ett personnummer?", "How do I apply for preschool in Karlstad?", "Krokom",
    "Wie bekomme ich eine Arbeitserlaubnis?", "Hoe vind ik een huurwoning?", "كيف أتعلم اللغة السويدية مجانا؟",
    "Як отримати ID-картку?", "thanks!", "Where can I learn Swedish?", "Jag vill prata med en människa",
]
STOCK_MESSAGES = ["hello", "I am happy", "are you a bot?", "I am sad", "yes", "no", "goodbye", "great"]


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


async def back_to_back(url: str, messages: list[str], senders: int = 20, per_sender: int = 15) -> dict:
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


async def long_conversation(url: str, messages: list[str], turns: int = 200) -> dict:
    latencies, sender = [], f"long-{time.time_ns()}"
    async with httpx.AsyncClient(timeout=60) as client:
        for turn in range(turns):
            latencies.append(await send(client, url, sender, messages[turn % len(messages)]))
    first, last = statistics.median(latencies[:50]), statistics.median(latencies[-50:])
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


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="lotsen-bench-"))
    database_url = f"sqlite:///{run_dir / 'catalog.db'}"
    given = Path(sys.argv[sys.argv.index("--model") + 1]) if "--model" in sys.argv else None
    stack = Stack(model=prepare(database_url, given), rasa_port=free_port(), action_port=free_port(), app_port=free_port(),
                  log_dir=run_dir, env={"DATABASE_URL": database_url, "TRACKER_URL": f"sqlite:///{run_dir / 'tracker.db'}"})
    stack.start()
    stack.wait_healthy()
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    try:
        asyncio.run(back_to_back(url, MESSAGES, senders=2, per_sender=5))  # warm-up
        lotsen = {
            "a_human_pace": asyncio.run(human_pace(url)),
            "b_back_to_back": asyncio.run(back_to_back(url, MESSAGES)),
            "c_long_conversation": asyncio.run(long_conversation(url, MESSAGES)),
        }
    finally:
        stack.stop()
    (RESULTS / "latency.json").write_text(json.dumps({"lotsen": lotsen, "incomplete": True}, indent=2) + "\n")
    stock_process = stock_bot(run_dir / "stock")
    stock_url = f"{stock_process.url}/webhooks/rest/webhook"  # type: ignore[attr-defined]
    try:
        asyncio.run(back_to_back(stock_url, STOCK_MESSAGES, senders=2, per_sender=5))
        stock = {
            "b_back_to_back": asyncio.run(back_to_back(stock_url, STOCK_MESSAGES)),
            "c_long_conversation": asyncio.run(long_conversation(stock_url, STOCK_MESSAGES)),
        }
    finally:
        os.killpg(stock_process.pid, 15)
        stock_process.wait()
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "lotsen": lotsen,
        "stock_rasa_init": stock,
        "ratios": {
            "throughput_lotsen_over_stock": round(
                lotsen["b_back_to_back"]["messages_per_second"] / stock["b_back_to_back"]["messages_per_second"], 2),
            "growth_lotsen": lotsen["c_long_conversation"]["growth"],
            "growth_stock": stock["c_long_conversation"]["growth"],
        },
        "targets": {"a_p95_ms": 300, "b_at_least_stock_throughput": True, "c_growth_max": 1.5},
    }
    (RESULTS / "latency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
