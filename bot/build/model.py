"""Train the Rasa model only when its inputs changed: `python -m bot.build.model` prints the model's path.

The model is named by a hash of config.yml, the assembled training inputs (.build/train, written by
bot.build.export) and the custom component code, so an unchanged project reuses its model.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / ".build" / "train"
MODELS = ROOT / ".build" / "models"
RASA = ROOT / ".venv" / "bot" / "bin" / "rasa"


def inputs_hash(config: Path = ROOT / "config.yml", code: bool = True, build: Path = BUILD) -> str:
    """Of the config, the training inputs in `build` and (`code`) Lotsen's own NLU components and policies.
    The inputs count by their place inside `build`, so the same inputs give the same name in any build folder."""
    digest = hashlib.sha256()
    files = [(config, config.relative_to(ROOT)), *((path, BUILD.relative_to(ROOT) / path.relative_to(build))
                                                    for path in sorted(build.rglob("*.yml")))]
    if code:
        files += [(path, path.relative_to(ROOT)) for path in
                  [*sorted((ROOT / "bot" / "components").glob("*.py")), ROOT / "bot" / "policies.py"]]
    for path, name in files:
        digest.update(str(name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def training_config(config: Path, build: Path = BUILD) -> Path:
    """`config` with the gazetteer keyed by the content of the file it reads (build/gazetteer.yml), written beside
    the build folder. Rasa reuses a component's cached training while its config and training data are unchanged;
    the gazetteer also reads its own file, so new places or not-places alone would otherwise leave the old
    gazetteer in the new model."""
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    digest = hashlib.sha256((build / "gazetteer.yml").read_bytes()).hexdigest()[:16]
    for component in document["pipeline"]:
        if component["name"].endswith(".MunicipalityGazetteer"):
            component["gazetteer_digest"] = digest
    derived = build.parent / f"{build.name}-{config.name}"
    derived.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return derived


def train_command(config: Path, name: str, out: Path = MODELS, build: Path = BUILD) -> list[str]:
    return [
        str(RASA), "train", "--config", str(training_config(config, build)), "--domain", str(build / "domain"),
        "--data", str(build / "data"), "--out", str(out), "--fixed-model-name", name,
        "--skip-validation",  # a minute and a half on this data; `make test` runs `rasa data validate` instead
    ]


def ensure_model(config: Path = ROOT / "config.yml", prefix: str = "lotsen") -> Path:
    name = f"{prefix}-{inputs_hash(config)}"
    model = MODELS / f"{name}.tar.gz"
    if model.exists():
        return model
    MODELS.mkdir(parents=True, exist_ok=True)
    print(f"model: training {name} (inputs changed)", file=sys.stderr)
    subprocess.run(train_command(config, name), cwd=ROOT, check=True)
    return model


if __name__ == "__main__":
    print(ensure_model(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "config.yml"))
