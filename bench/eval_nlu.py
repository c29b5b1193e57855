"""NLU evaluation per language on the held-out sets in tests/nlu/ (never trained on): `make eval`.

Reports intent macro-F1, municipality entity F1, out-of-scope F1 and language-ID accuracy for Lotsen's
pipeline and for Rasa's default pipeline trained on the same data; writes bench/results/nlu.{json,md}.
Runs in the Rasa environment.
"""
from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import f1_score, precision_recall_fscore_support  # noqa: E402

from bot.build.model import BUILD, MODELS, ensure_model, inputs_hash  # noqa: E402
from bot.components.language_detector import LanguageDetector  # noqa: E402
from common.languages import LANGUAGES  # noqa: E402

RESULTS = ROOT / "bench" / "results"
_MARKUP = re.compile(r"\[([^\]]+)\](\(([^)]*)\)|\{([^}]*)\})")


def parse_example(example: str) -> tuple[str, list[str]]:
    """Rasa markup -> (plain text, municipality values)."""
    values, plain, last = [], [], 0
    for match in _MARKUP.finditer(example):
        plain.append(example[last:match.start()])
        plain.append(match.group(1))
        if match.group(3) == "municipality":
            values.append(match.group(1))
        elif match.group(4):
            attributes = json.loads("{" + match.group(4) + "}")
            if attributes.get("entity") == "municipality":
                values.append(attributes.get("value", match.group(1)))
        last = match.end()
    plain.append(example[last:])
    return "".join(plain), values


def held_out(language: str) -> list[tuple[str, str, list[str]]]:
    import yaml

    document = yaml.safe_load((ROOT / "tests" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    rows = []
    for block in document["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                text, values = parse_example(line[2:])
                rows.append((block["intent"], text, values))
    return rows


def baseline_config(epochs: int | None = None) -> Path:
    """Rasa's default pipeline (as `rasa init` writes it). DIET's 100 epochs take 4–6 hours on this data on two
    cores, so `epochs` can cut DIET's and the ResponseSelector's epochs (the report says so)."""
    import yaml

    config = ROOT / "bench" / "baseline_config.yml"
    if epochs is None:
        return config
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in document["pipeline"]:
        if "epochs" in component:
            component["epochs"] = epochs
    config = BUILD.parent / f"baseline_config_{epochs}_epochs.yml"
    config.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return config


def baseline_name(config: Path) -> str:
    """Named by its config and the training data, like Lotsen's model."""
    return f"baseline-{inputs_hash(config, code=False)}"


def train_baseline(config: Path) -> tuple[Path, float | None]:
    """The default pipeline trained on the same data; reused while that data and config are unchanged."""
    import subprocess

    name = baseline_name(config)
    model, seconds = MODELS / f"{name}.tar.gz", MODELS / f"{name}.seconds"
    if model.exists():
        return model, float(seconds.read_text()) if seconds.exists() else None
    started = time.monotonic()
    subprocess.run(
        [str(ROOT / ".venv" / "bot" / "bin" / "rasa"), "train", "nlu", "--config", str(config),
         "--nlu", str(BUILD / "data"), "--domain", str(BUILD / "domain"), "--out", str(MODELS),
         "--fixed-model-name", name],
        cwd=ROOT, check=True,
    )
    seconds.write_text(str(time.monotonic() - started))  # the training time, for reports of later runs
    return model, float(seconds.read_text())


def earlier_baseline(config: Path) -> dict | None:
    """The last report's results for the default pipeline if a model of the same name (same training data and
    config) produced them: a run that does not retrain it (`--no-baseline`) keeps them instead of dropping them."""
    try:
        earlier = json.loads((RESULTS / "nlu.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    entry = earlier.get("models", {}).get("rasa_default")
    if not entry or entry.get("model") != f"{baseline_name(config)}.tar.gz":
        return None
    return {"entry": entry, **{key: earlier[key] for key in ("rasa_default_epochs", "rasa_default_training_seconds")
                                if key in earlier}}


async def predict(model: Path, rows: list[tuple[str, str, list[str]]]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for _, text, _ in rows]


def scores(rows: list[tuple[str, str, list[str]]], parses: list[dict]) -> dict:
    gold = [intent for intent, _, _ in rows]
    predicted = [(parse.get("intent") or {}).get("name") or "none" for parse in parses]
    # What the classifiers ranked first, before the fallback threshold sends unsure messages to the FAQ search.
    ranked = [next((i["name"] for i in parse.get("intent_ranking", []) if i["name"] != "nlu_fallback"), "none")
              for parse in parses]
    labels = sorted(set(gold))
    tp = fp = fn = 0
    for (_, _, values), parse in zip(rows, parses):
        found = [e["value"] for e in parse.get("entities", []) if e.get("entity") == "municipality"]
        for value in found:
            tp, fp = (tp + 1, fp) if value in values else (tp, fp + 1)
        fn += sum(1 for value in values if value not in found)
    entity_f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    precision, recall, _, _ = precision_recall_fscore_support(gold, predicted, labels=labels, average="macro",
                                                              zero_division=0)
    oos_gold = [g == "out_of_scope" for g in gold]
    oos_predicted = [p == "out_of_scope" for p in predicted]
    return {
        "examples": len(rows),
        "intent_macro_f1": round(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0), 4),
        "intent_macro_precision": round(precision, 4),
        "intent_macro_recall": round(recall, 4),
        "intent_accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / len(rows), 4),
        "intent_macro_f1_before_fallback": round(f1_score(gold, ranked, labels=labels, average="macro", zero_division=0), 4),
        "intent_accuracy_before_fallback": round(sum(g == r for g, r in zip(gold, ranked)) / len(rows), 4),
        "municipality_entity_f1": round(entity_f1, 4),
        "municipality_entity_precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "municipality_entity_recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "out_of_scope_f1": round(f1_score(oos_gold, oos_predicted, zero_division=0), 4),
        "fallback_rate": round(sum(p == "nlu_fallback" for p in predicted) / len(rows), 4),
    }


def language_id(rows: list[tuple[str, str, list[str]]], parses: list[dict], language: str) -> dict:
    """How the model's language entities would move the sticky `language` slot. Requests to switch
    ("in English please") name another language on purpose and are left out."""
    long_total = long_right = long_wrong = short_total = short_kept = 0
    for (intent, text, _), parse in zip(rows, parses):
        if intent == "switch_language":
            continue
        found = [e["value"] for e in parse.get("entities", []) if e.get("entity") == "language"]
        if LanguageDetector.word_count(text) >= 3:  # the detector's own definition of a real sentence
            long_total += 1
            long_right += found == [language]
            long_wrong += bool(found) and found != [language]
        else:
            short_total += 1
            short_kept += not found
    return {
        "accuracy_3plus_words": round(long_right / long_total, 4) if long_total else None,
        "messages_3plus_words": long_total,
        # Undecided sentences keep the current language; only a confidently wrong one would switch it.
        "wrong_3plus_words": round(long_wrong / long_total, 4) if long_total else None,
        "unchanged_1_2_words": round(short_kept / short_total, 4) if short_total else None,
        "messages_1_2_words": short_total,
    }


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows_by_language = {language: held_out(language) for language in LANGUAGES}
    models = {"lotsen": ensure_model()}
    if "--also" in sys.argv:  # another design on the same data, e.g. bench/diet_config.yml
        config = ROOT / sys.argv[sys.argv.index("--also") + 1]
        models[config.stem] = ensure_model(config, prefix=config.stem)
    report: dict = {"held_out": "tests/nlu/<lang>.yml", "models": {}, "language_id": {}}
    epochs = int(sys.argv[sys.argv.index("--baseline-epochs") + 1]) if "--baseline-epochs" in sys.argv else None
    config = baseline_config(epochs)
    carried = earlier_baseline(config) if "--no-baseline" in sys.argv else None
    if "--no-baseline" not in sys.argv:
        models["rasa_default"], seconds = train_baseline(config)
        report["rasa_default_epochs"] = epochs or 100
        if seconds is not None:
            report["rasa_default_training_seconds"] = round(seconds)
    for name, model in models.items():
        report["models"][name] = {"model": model.name, "languages": {}}
        for language, rows in rows_by_language.items():
            parses = asyncio.run(predict(model, rows))
            report["models"][name]["languages"][language] = scores(rows, parses)
            if name == "lotsen":
                report["language_id"][language] = language_id(rows, parses, language)
            print(name, language, report["models"][name]["languages"][language], flush=True)
    if carried:
        report["models"]["rasa_default"] = {**carried.pop("entry"), "carried_over": True}
        report.update(carried)
    (RESULTS / "nlu.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / "nlu.md").write_text(markdown(report), encoding="utf-8")
    print((RESULTS / "nlu.md").read_text(encoding="utf-8"))
    return 0


def markdown(report: dict) -> str:
    names = list(report["models"])
    lines = ["# NLU evaluation (held-out sets, never trained on)", "",
             "Intent F1 counts a message sent to the fallback (FAQ search) as wrong; *ranked* is the classifiers' "
             "first choice before that threshold.", "",
             "| lang | " + " | ".join(
                 f"{n} intent F1 | {n} ranked F1 | {n} municipality F1 | {n} out-of-scope F1" for n in names)
             + " | lang-ID 3+ words (right / wrong) | unchanged on 1–2 words |",
             "|---" * (1 + 4 * len(names) + 2) + "|"]
    for language in LANGUAGES:
        cells = []
        for name in names:
            s = report["models"][name]["languages"][language]
            cells += [f"{s['intent_macro_f1']:.3f}", f"{s['intent_macro_f1_before_fallback']:.3f}",
                      f"{s['municipality_entity_f1']:.3f}", f"{s['out_of_scope_f1']:.3f}"]
        lid = report["language_id"][language]
        cells += [f"{lid['accuracy_3plus_words']:.3f} / {lid['wrong_3plus_words']:.3f}", f"{lid['unchanged_1_2_words']:.3f}"]
        lines.append(f"| {language} | " + " | ".join(cells) + " |")
    lines += ["", "Language ID: share of held-out messages of 3+ words that set the sticky language to the right one / to a",
              "wrong one (the rest leave it unchanged); requests to switch are left out. Intent F1: macro over intents.",
              "Held-out sets are written apart from the training data; a test fails when a training text equals or nearly",
              "equals (rapidfuzz ratio ≥ 90) a held-out message of 3+ words."]
    epochs, seconds = report.get("rasa_default_epochs", 100), report.get("rasa_default_training_seconds")
    if epochs != 100:
        lines += ["", f"rasa_default is Rasa's default pipeline with DIET trained for {epochs} epochs instead of 100"]
        if seconds:
            lines[-1] += (f": {seconds} s of training, so 100 epochs would take about {seconds * 100 / epochs / 3600:.1f} "
                          "hours on this 2-core machine.")
    if report["models"].get("rasa_default", {}).get("carried_over"):
        lines += ["", "rasa_default's figures are carried over from the run that trained it: the same training data and "
                  "config (model name)."]
    if "rasa_default" not in report["models"]:
        lines += ["", "Rasa's default pipeline was not trained in this run (`make eval` trains it: DIET with 100 epochs on",
                  "this data took 130–200 s per epoch on this 2-core machine, i.e. 4–6 hours)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
