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


def test_examples_stay_cheap_to_copy_through_rasas_importer_chain_and_keep_their_meaning():
    import copy

    from rasa.nlu.tokenizers.tokenizer import Token
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.importer import TrainingMessage

    data = load(ROOT / "config.yml").get_nlu_data(language="xx")  # after Rasa's wrappers' merges
    examples = list(data.intent_examples)
    assert examples and all(isinstance(m, TrainingMessage) for m in examples)

    message = TrainingMessage({"text": "SFI i Sunne", "intent": "faq_sfi", "metadata": {"intent": {"language": "sv"}}})
    message.set("text_tokens", [Token("SFI", 0, 3), Token("i", 4, 5), Token("Sunne", 6, 11)])
    copied = copy.deepcopy(message)
    assert type(copied) is TrainingMessage and copied.data == message.data and copied is not message
    assert copied.fingerprint() == message.fingerprint()
    copied.get("metadata")["intent"]["language"] = "en"  # a deep copy: the original is untouched
    assert message.get("metadata")["intent"]["language"] == "sv"
    assert copied.fingerprint() == message.fingerprint()  # cached until Rasa's `set` clears it, as in Rasa
    copied.set("metadata", copied.get("metadata"))
    assert copied.fingerprint() != message.fingerprint()

    shifted = copy.deepcopy(message)  # a token's offsets are part of the content
    shifted.set("text_tokens", [Token("SFI", 0, 3), Token("i", 4, 5), Token("Sunne", 7, 12)])
    assert shifted.fingerprint() != message.fingerprint()
    # duplicates still fold into one example, as Rasa's own messages do
    twice = TrainingData([message, copy.deepcopy(message), TrainingMessage(dict(message.data))])
    assert len(twice.training_examples) == 1
