"""ReadOnceImporter: one parse of the NLU files per training, whatever Rasa's callers ask with."""
from __future__ import annotations

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.training_data import loading

from bot.build.model import BUILD, ROOT


def load(config=None):
    paths = {"domain_path": str(BUILD / "domain"), "training_data_paths": [str(BUILD / "data")]}
    if config is None:  # Rasa's own RasaFileImporter
        return TrainingDataImporter.load_from_dict(**paths)
    return TrainingDataImporter.load_from_config(str(config), **paths)


def texts(data):
    return sorted((m.get("text"), m.get("intent")) for m in data.intent_examples)


def test_config_reads_each_nlu_file_once_for_every_caller_of_a_training(monkeypatch):
    default = load()
    expected = texts(default.get_nlu_data())

    reads = []
    original = loading.load_data
    monkeypatch.setattr(loading, "load_data", lambda *args, **kwargs: reads.append(args[0]) or original(*args, **kwargs))
    importer = load(ROOT / "config.yml")
    # the three ways `rasa train` asks (rasa/model_training.py, ResponsesSyncImporter.get_domain, the graph)
    answers = [importer.get_nlu_data(), importer.get_domain() and importer.get_nlu_data("en"),
               importer.get_nlu_data(language="xx")]

    assert len(reads) == len(set(reads)) > 0  # every NLU file parsed, none twice
    assert all(texts(answer) == expected for answer in answers)


def test_short_entity_annotations_are_the_same_entities_to_rasa():
    from rasa.shared.nlu.training_data.entities_parser import find_entities_in_training_example, replace_entities

    from common.annotations import short_annotation

    examples = ['bor i [Östersunds]{"entity": "municipality", "value": "Östersund"} nu',
                'SFI в [Сунне]{"entity": "municipality", "value": "Sunne"}, [Karlstad]{"entity": "municipality"}?',
                '[x]{"entity": "municipality", "value": "A", "role": "from"} stays']
    for example in examples:
        short = short_annotation(example)
        assert find_entities_in_training_example(short) == find_entities_in_training_example(example)
        assert replace_entities(short) == replace_entities(example)
    assert short_annotation(examples[0]) == "bor i [Östersunds](municipality:Östersund) nu"
    assert short_annotation(examples[2]) == examples[2]
