"""Rasa's file importer, parsing the NLU files once per `rasa train` instead of once per caller.

Rasa 3.6 caches its importers' answers by call arguments, and one training asks for the NLU data under three
different ones — `get_nlu_data()` from the CLI, `get_nlu_data()` again from `get_domain` one layer down
(where the outer call had passed "en" positionally) and `get_nlu_data(language="xx")` from the graph — so the
default importer parses all ~28,000 examples three times (about 12 s each on two cores). Rasa 3.6's readers
ignore the language argument. Registered in config.yml under `importers`.
"""
from __future__ import annotations

from typing import Optional, Text

from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.training_data.training_data import TrainingData


class ReadOnceImporter(RasaFileImporter):
    _nlu_data: Optional[TrainingData] = None

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        # Shared, not copied: every caller in Rasa's importer chain merges it, and merging deep-copies.
        if self._nlu_data is None:
            self._nlu_data = super().get_nlu_data(language)
        return self._nlu_data
