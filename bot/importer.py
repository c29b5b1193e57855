"""Rasa's file importer, parsing the NLU files once per `rasa train` and handing on examples that copy cheaply.

Rasa 3.6 caches its importers' answers by call arguments, and one training asks for the NLU data under three
different ones — `get_nlu_data()` from the CLI, `get_nlu_data()` again from `get_domain` one layer down
(where the outer call had passed "en" positionally) and `get_nlu_data(language="xx")` from the graph — so the
default importer parses all ~42,000 examples three times (about 12 s each on two cores). Rasa 3.6's readers
ignore the language argument. Registered in config.yml under `importers`.
"""
from __future__ import annotations

import json
import pickle
from typing import Any, Optional, Text

from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import get_text_hash


class ReadOnceImporter(RasaFileImporter):
    _nlu_data: Optional[TrainingData] = None

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        # Shared, not copied: every caller in Rasa's importer chain merges it, and merging deep-copies.
        if self._nlu_data is None:
            data = super().get_nlu_data(language)
            examples = [TrainingMessage(m.data, m.output_properties, m.time, m.features)
                        for m in data.training_examples]
            self._nlu_data = TrainingData(examples, data.entity_synonyms, data.regex_features, data.lookup_tables,
                                          data.responses)
        return self._nlu_data


class TrainingMessage(Message):
    """A training example with the same content and meaning as Rasa's, cheaper to copy and to fingerprint.

    Rasa's importer wrappers merge the NLU data about nine times per training; each merge deep-copies every example
    and fingerprints it again (`TrainingData.sanitize_examples` resets the cache), and the graph fingerprints the data
    again after tokenization. Rasa hashes every value and every token of a message separately (tens of MD5s and
    JSON dumps per example); here a copy is one pickle round trip and a fingerprint one MD5 of one JSON dump.
    """

    def __deepcopy__(self, memo: dict) -> "TrainingMessage":
        return pickle.loads(pickle.dumps(self, pickle.HIGHEST_PROTOCOL))

    def fingerprint(self) -> Text:
        if self._cached_fingerprint is None:
            content = [self.data, [features.fingerprint() for features in self.features]]
            self._cached_fingerprint = get_text_hash(
                json.dumps(content, sort_keys=True, ensure_ascii=False, default=_plain))
        return self._cached_fingerprint


def _plain(value: Any) -> Any:
    """JSON for what a message's data holds besides JSON: tokens, sets, and Rasa's own fallback, `str`."""
    if isinstance(value, Token):
        return [value.text, value.start, value.end, value.lemma, value.data]
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)
