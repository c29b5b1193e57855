"""Behaviour every trainable Lotsen NLU component shares, written once and run over each of them by
tests/bot/test_components.py (the rasa-nlu-examples way: one file of checks, one parametrized test).

A `Case` says how to train one component on a little data in the six languages; the checks know nothing else
about it. Each check takes the case and a fresh folder for Rasa's model storage.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

LANGUAGES = ("en", "sv", "de", "nl", "ar", "uk")
EXAMPLES = {  # one example per language, in LANGUAGES' order
    "faq_sfi": ["where can I learn Swedish", "hur anmäler jag mig till SFI", "Wo kann ich Schwedisch lernen",
                "waar kan ik Zweeds leren", "أين أتعلم اللغة السويدية", "де вивчати шведську мову"],
    "faq_id_card": ["how do I get an ID card", "hur skaffar jag id-kort", "Wie bekomme ich einen Ausweis",
                    "hoe krijg ik een identiteitskaart", "كيف أحصل على بطاقة هوية", "як отримати ID-картку"],
    "greet": ["hello there, good morning", "hej hej, god morgon", "hallo, guten Morgen",
              "hallo, goedemorgen", "مرحبا صباح الخير", "привіт, доброго ранку"],
}
# What the checks parse: a message in each language, with and without place names, and two oddities.
MESSAGES = (
    "Where can I learn Swedish for free?", "hur skaffar jag id-kort i Östersund", "Wie bekomme ich einen Ausweis in Kil?",
    "hoe leer ik Zweeds", "بدي اتعلم سويدي بكارلستاد", "як отримати ID-картку у Карлстаді", "Östersund", "hej",
    "kif bdi a3mel personnummer", "how do I get an ID card", "",
)
# Not what people write, but what a component must take without failing: nothing, one huge token, punctuation.
ODD_MESSAGES = ("", "   ", "👍", "a" * 5_000, "Östersund " + "(" * 2_000, "x@" * 1_000, "7" * 3_000)
PLACES = {
    "Östersund": {"aliases": ["Естерсунд", "أوسترسوند"]},
    "Karlstad": {"aliases": ["Карлстад", "كارلستاد"]},
    "Kil": {"aliases": ["Шіль", "كيل"], "ambiguous": True},
}


def training_data(with_language: bool = False) -> TrainingData:
    """EXAMPLES twice (the vectorizers keep n-grams seen in two examples or more), optionally labelled with their
    language the way the exported training data is."""
    messages = []
    for intent, texts in EXAMPLES.items():
        for text, language in zip(texts, LANGUAGES):
            metadata = {"intent": {"language": language}} if with_language else {}
            messages += [Message(data={"text": text, "intent": intent, "metadata": metadata}) for _ in range(2)]
    return TrainingData(messages)


@dataclass
class Case:
    """How to train one component: its class, config overrides (given a folder for files it reads) and data."""
    component: type
    data: Callable[[], TrainingData] = training_data
    config: Callable[[Path], Dict[str, Any]] = lambda folder: {}
    # entities it may add even untrained (the language detector falls back on lingua alone)
    untrained_entities: Sequence[str] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return self.component.__name__


def model_storage(folder: Path) -> LocalModelStorage:
    (folder / "storage").mkdir(exist_ok=True)
    return LocalModelStorage(folder / "storage")


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), uuid.uuid4().hex)


def config(case: Case, folder: Path) -> Dict[str, Any]:
    """As Rasa passes it: the component's defaults with the overrides on top."""
    return {**case.component.get_default_config(), **case.config(folder)}


def upstream(text: str) -> Message:
    """A message as the components before any of these leave it: an intent and a ranking already set."""
    ranking = [{"name": "greet", "confidence": 0.6}, {"name": "faq_sfi", "confidence": 0.4}]
    return Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})


def outputs(component: Any, texts: Sequence[str]) -> List[Dict[str, Any]]:
    messages = [upstream(text) for text in texts]
    returned = component.process(messages)
    assert [m.get("text") for m in returned] == list(texts)
    return [message.data for message in returned]


def trained(case: Case, folder: Path, storage: LocalModelStorage, resource: Resource) -> Any:
    component = case.component.create(config(case, folder), storage, resource, context())
    assert component.train(case.data()) == resource
    return component


def check_loaded_component_answers_as_trained(case: Case, folder: Path) -> None:
    """create -> train -> persist -> load: the loaded component gives the same output on the same messages."""
    storage, resource = model_storage(folder), Resource(f"{case.id}_resource")
    component = trained(case, folder, storage, resource)
    with storage.read_from(resource) as directory:
        assert (Path(directory) / case.component.FILE).is_file()
    loaded = case.component.load(config(case, folder), storage, resource, context())
    assert outputs(loaded, MESSAGES) == outputs(component, MESSAGES)
    # ... and training taught it something, so the equality above says what it learnt survived the round trip
    untrained = case.component.load(config(case, folder), storage, Resource(f"{case.id}_never_trained"), context())
    assert outputs(untrained, MESSAGES) != outputs(component, MESSAGES)


def check_untrained_component_changes_nothing(case: Case, folder: Path) -> None:
    """Loaded from a resource that was never written: it loads, and leaves intents (and entities) alone."""
    storage = model_storage(folder)
    component = case.component.load(config(case, folder), storage, Resource(f"{case.id}_never_trained"), context())
    for text, output in zip(MESSAGES, outputs(component, MESSAGES)):
        before = upstream(text).data
        assert (output.get("intent"), output.get("intent_ranking")) == (before["intent"], before["intent_ranking"])
        assert {entity["entity"] for entity in output.get("entities") or []} <= set(case.untrained_entities)


def check_odd_messages_are_answered(case: Case, folder: Path) -> None:
    """Trained, it takes empty, one-token-huge and punctuation-only messages without failing."""
    storage, resource = model_storage(folder), Resource(f"{case.id}_resource")
    outputs(trained(case, folder, storage, resource), ODD_MESSAGES)


CHECKS = (check_loaded_component_answers_as_trained, check_untrained_component_changes_nothing,
          check_odd_messages_are_answered)
