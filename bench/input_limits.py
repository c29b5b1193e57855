"""Parse time against message size: `make bench-input` (or `python -m bench.input_limits [MODEL]`).

Loads the trained model once (default: the newest .build/models/lotsen-*.tar.gz) and parses messages of 1k,
10k and 100k characters, each three times (the median is reported): real text (a multilingual paragraph,
repeated) and one character repeated (a single "word" as long as the message). Linear components take about
ten times longer for ten times the characters, in both rows; a component that is quadratic in the length of one
token shows up in the second row as a hundredfold. Results go to bench/results/input_limits.{json,md}.
Runs in the Rasa environment. A benchmark, not a test: it measures, it does not judge.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
MODELS = ROOT / ".build" / "models"
SIZES = (1_000, 10_000, 100_000)
RUNS = 3
# What people write to Lotsen, in its six languages and three scripts, with a place name, a Swedish term and a link.
PARAGRAPH = (
    "Hej! Hur ansöker jag om förskoleplats för min dotter i Östersund? "
    "We moved to Karlstad in May and I need a personnummer from Skatteverket. "
    "Wie bekomme ich eine Arbeitserlaubnis und wo kann ich Schwedisch lernen? "
    "Hoe vind ik een huurwoning in Arvika, zie https://example.se/bostad voor meer info. "
    "كيف أتعلم اللغة السويدية مجانا في كارلستاد؟ "
    "Як отримати ID-картку і записатися до лікаря у Карлстаді? "
)
INPUTS = {
    "text": lambda size: (PARAGRAPH * (size // len(PARAGRAPH) + 1))[:size],
    "one character": lambda size: "a" * size,
}


def newest_model() -> Path:
    models = sorted(MODELS.glob("lotsen-*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise SystemExit("no trained model in .build/models (run `make model`)")
    return models[-1]


async def measure(model: Path) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    await agent.parse_message("hej")  # first call pays for lazy loading
    rows = []
    for kind, make in INPUTS.items():
        for size in SIZES:
            text, seconds = make(size), []
            for _ in range(RUNS):
                started = time.perf_counter()
                await agent.parse_message(text)
                seconds.append(round(time.perf_counter() - started, 3))
            rows.append({"input": kind, "chars": size, "seconds": seconds, "median_seconds": statistics.median(seconds)})
            print(f"{kind:>14} {size:>7} chars: {rows[-1]['median_seconds']:.3f} s", flush=True)
    return rows


def markdown(report: dict) -> str:
    header = " | ".join(f"{size // 1000}k chars" for size in SIZES)
    lines = [
        "# Parse time against message size (bench/input_limits.py)", "",
        f"Median of {RUNS} parses of one message by the trained model ({report['model']}), in seconds. "
        "*×10* is the 100k time over the 10k time: about 10 is linear, about 100 quadratic.", "",
        f"| input | {header} | ×10 |", "|---|" + "---|" * (len(SIZES) + 1),
    ]
    for kind in INPUTS:
        medians = [row["median_seconds"] for row in report["results"] if row["input"] == kind]
        growth = medians[-1] / medians[-2] if medians[-2] else float("nan")
        lines.append(f"| {kind} | " + " | ".join(f"{m:.3f}" for m in medians) + f" | {growth:.1f} |")
    lines += ["", "*text*: a multilingual paragraph (six languages, three scripts) repeated to the size; "
              "*one character*: `a` repeated, one word as long as the message.", ""]
    return "\n".join(lines)


def main() -> int:
    model = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else newest_model()
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug log would print every 100k-character message
    report = {
        "what": "parse time of one message by the trained model, median of 3, against its size in characters",
        "model": model.name, "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "results": asyncio.run(measure(model)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "input_limits.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
    (RESULTS / "input_limits.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
