"""Detects the language of each message and emits it as an entity that fills the `language` slots.

Two detectors vote: lingua (restricted to the six languages; knows each language in general) and a
character n-gram model trained on Lotsen's own training data (knows how newcomers write *to Lotsen*:
Swedish authority names inside any language, Arabic in Latin letters, chat spelling). Their probabilities
are multiplied; the language is decided only when the product is confident.

- `language` (sticky slot): a confident detection of a real sentence (3+ words), or an explicit request
  ("auf Deutsch bitte") when the intent classifier says switch_language, for the whole message or for one of
  its sentences beside a question ("kan du svara på engelska? hur får jag ett id-kort?").
- `language_hint` (used only while `language` is unset): the channel's hint in the message metadata
  (web widget's language picker, a messenger's user locale) or a weak guess from a short message.

Runs after the intent classifier (explicit requests are recognised by their intent) and the gazetteer
(place names are left out: "Strömsund" says nothing about the language around it).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text, Tuple

from lingua import IsoCode639_1, LanguageDetectorBuilder
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.gazetteer import without_spans
from bot.components.language_names import LANGUAGE_REQUEST, is_loanword, requested_languages
from bot.components.storage import StoredComponent
from common.languages import LANGUAGES
from common.names import fold

_WORD = re.compile(r"[^\W\d_]{2,}")
# Links, e-mail addresses and numbers. An address is matched only from the start of a chunk (?<!\S): the regex
# would otherwise try `\S+@` from every character of a long chunk without "@" and scan to its end each time,
# quadratic in the chunk's length (a 40,000-letter "word": seconds). Same matches: where `\S+@\S+` matches
# inside a chunk, it matches from the chunk's start too.
_NOISE = re.compile(r"https?://\S+|(?<!\S)\S+@\S+|\d+")
# lingua takes time quadratic in the length of one word (40,000 letters: 0.3 s per call, 80,000: 1.3 s), so only
# a word's first MAX_WORD letters are read: the longest word in the training and held-out data has 29 letters
# (German and Dutch compounds), and a word's first 64 letters tell its language as well as all of them would.
MAX_WORD = 64
# Among the six languages a script alone decides: Arabic letters -> ar, Cyrillic -> uk.
_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06ff]")), ("uk", re.compile(r"[\u0400-\u04ff]")))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class LanguageDetector(StoredComponent, EntityExtractorMixin):
    FILE = "language_model.pkl"  # absent when trained without language-labelled examples: lingua alone

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "languages": list(LANGUAGES),
            "min_words": 3,  # shorter messages ("ok", "tack!", "Karlstad") never change the language
            "min_relative_distance": 0.25,  # lingua alone (no trained model): how sure it must be
            # With a trained model (chosen by 5-fold cross-validation on the training data unless said):
            "min_confidence": 0.5,  # the winning language's share of the two detectors' product
            # lingua's probabilities enter the product with this exponent: it reads Swedish terms inside
            # English or German ("what is the månadsavgift in a bostadsrätt") as Swedish; the trained model doesn't.
            "lingua_weight": 0.5,
            # Training examples that lingua reads as another language this surely are left out (see train);
            # set by reading what it leaves out: Swedish or English phrases in the Arabic and Ukrainian files.
            "foreign_example_confidence": 0.9,
            # Lingua knows Arabic and Ukrainian only in their own scripts; for Latin-script text (Arabizi,
            # transliterated Ukrainian) it says nothing about them, so they get this neutral share.
            "other_script_share": 0.15,
            "switch_intent": "switch_language",
            "switch_confidence": 0.3,  # with a language named in the message: "можете відповісти англійською?"
        }

    def __init__(self, config: Dict[Text, Any], model_storage: Optional[ModelStorage] = None,
                 resource: Optional[Resource] = None, model: Optional[Any] = None) -> None:
        super().__init__(config, model_storage, resource)
        self._model = model  # text -> language, trained on the examples' `metadata: {language: …}`
        languages = [IsoCode639_1.from_str(code) for code in config["languages"]]
        # High-accuracy mode: low-accuracy mode saves ~100 MB but mistakes short sentences ("Är du en robot?").
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*languages)
        self._confident = builder.with_minimum_relative_distance(config["min_relative_distance"]).build()
        self._guess = LanguageDetectorBuilder.from_iso_codes_639_1(*languages).build()

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        unknown = set(config["languages"]) - set(LANGUAGES)
        if unknown:
            raise ValueError(f"LanguageDetector: unsupported languages {sorted(unknown)}")

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageDetector":
        cls.validate_config(config)
        return super().create(config, model_storage, resource, execution_context)

    def train(self, training_data: TrainingData) -> Resource:
        examples = []
        for message in training_data.intent_examples:
            language = ((message.get("metadata") or {}).get("intent") or {}).get("language")
            if language in self.config["languages"] and message.get(TEXT):
                text = self._letters(message.get(TEXT))
                if text and not self._written_in_another(text, language):
                    examples.append((text, language))
        examples = self._without_latin_phrases(examples)
        texts, labels = [text for text, _ in examples], [label for _, label in examples]
        if len(set(labels)) > 1:
            self._model = self.fit(texts, labels)
            return self.persist(self._model)
        return self._resource

    @staticmethod
    def fit(texts: List[str], labels: List[str]) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        # newton-cg: the same optimum as the default lbfgs (same predictions on the held-out sets) in 17
        # iterations instead of 234, half the training time.
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2)
        return make_pipeline(vectorizer, LogisticRegression(C=10.0, solver="newton-cg", max_iter=100)).fit(texts, labels)

    def _written_in_another(self, text: str, label: str) -> bool:
        """An example labelled with the language it should be answered in, but written in another: "fritids
        ansökan" among the Arabic examples, "where can I find an apartment" among the Ukrainian. It teaches
        the language of the conversation, not of the text, so the detector doesn't learn from it."""
        if self._by_script(text):
            return False  # Arabic or Cyrillic letters: lingua has nothing to add
        values = self._guess.compute_language_confidence_values(text)
        top = values[0] if values else None
        return top is not None and top.value >= self.config["foreign_example_confidence"] and \
            top.language.iso_code_639_1.name.lower() != label

    @staticmethod
    def _without_latin_phrases(examples: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
        """Leaves out Arabic and Ukrainian examples written in Latin letters whose every word is one the Swedish,
        English, German or Dutch examples use: "work permit renewal", "bostadskö karlstad". Too short for lingua
        to be sure of (so `_written_in_another` keeps them), they taught the detector that English keywords
        are Arabic. Arabizi and transliterated Ukrainian ("kif a5od bankid", "kvartyra v orendu") stay."""
        scripted = {code for code, _ in _SCRIPTS}
        latin_words = {fold(word) for text, label in examples if label not in scripted for word in text.split()}
        return [(text, label) for text, label in examples
                if label not in scripted or any(script.search(text) for _, script in _SCRIPTS)
                or not all(fold(word) in latin_words for word in text.split())]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entity = self.language_entity(message)
            if entity:
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages

    def language_entity(self, message: Message) -> Optional[Dict[Text, Any]]:
        text = message.get(TEXT) or ""
        requested = self._requested(message, text)
        text = without_spans(text, message.get(ENTITIES) or [])  # place names say nothing about the language
        if requested:
            return self._entity("language", requested, 1.0)
        # A real sentence is counted in all its words; the language is read from those that tell one.
        words = self._letters(text).split()
        if words and self.word_count(message.get(TEXT) or "") >= self.config["min_words"]:
            detected = self.detect(" ".join(words))
            if detected is not None:
                return self._entity("language", detected, 1.0)
        hint = self._channel_hint(message)
        if hint:
            return self._entity("language_hint", hint, 1.0)
        if words:
            guessed = self._by_script(" ".join(words)) or self._guess.detect_language_of(" ".join(words))
            if guessed is not None:
                code = guessed if isinstance(guessed, str) else guessed.iso_code_639_1.name.lower()
                return self._entity("language_hint", code, 0.5)
        return None

    @staticmethod
    def word_count(text: str) -> int:
        """Words of two or more letters (place names and Swedish terms included; numbers and links not)."""
        return len(_WORD.findall(_NOISE.sub(" ", text)))

    @staticmethod
    def _letters(text: str) -> str:
        """The words that tell a language: no numbers, links or Swedish terms used in every language."""
        return " ".join(word[:MAX_WORD] for word in _WORD.findall(_NOISE.sub(" ", text)) if not is_loanword(fold(word)))

    def detect(self, text: str) -> Optional[str]:
        """The confidently detected language of a text, or None."""
        by_script = self._by_script(text)
        if by_script:
            return by_script
        if self._model is None:
            detected = self._confident.detect_language_of(text)
            return detected.iso_code_639_1.name.lower() if detected else None
        trained = dict(zip(self._model.classes_, self._model.predict_proba([text.lower()])[0]))
        lingua = {value.language.iso_code_639_1.name.lower(): value.value
                  for value in self._guess.compute_language_confidence_values(text)}
        for code, _ in _SCRIPTS:  # not written in its own script (that was decided above)
            lingua[code] = self.config["other_script_share"]
        total = sum(lingua.values())
        # A small floor keeps one detector's zero from vetoing the other outright.
        weight = self.config["lingua_weight"]
        product = {code: (lingua.get(code, 0.0) / total + 0.01) ** weight * (trained.get(code, 0.0) + 0.01)
                   for code in self.config["languages"]}
        best = max(product, key=product.get)
        return best if product[best] / sum(product.values()) >= self.config["min_confidence"] else None

    def _by_script(self, text: str) -> Optional[str]:
        letters = [char for char in text if char.isalpha()]
        for code, script in _SCRIPTS:
            if code in self.config["languages"] and letters:
                if sum(bool(script.match(char)) for char in letters) * 2 > len(letters):
                    return code
        return None

    def _requested(self, message: Message, text: str) -> Optional[str]:
        intent = message.get(INTENT) or {}
        if intent.get("name") != self.config["switch_intent"]:
            text = message.get(LANGUAGE_REQUEST) or ""  # a request beside a question (the classifier's)
        elif (intent.get("confidence") or 0.0) < self.config["switch_confidence"]:
            return None
        named = [code for code in requested_languages(fold(text)) if code in self.config["languages"]]
        return named[0] if named else None

    def _channel_hint(self, message: Message) -> Optional[str]:
        metadata = message.get("metadata") or {}
        hint = metadata.get("language") if isinstance(metadata, dict) else None
        if isinstance(hint, str):
            code = hint.lower().split("-")[0].split("_")[0]
            if code in self.config["languages"]:
                return code
        return None

    @staticmethod
    def _entity(name: str, value: str, confidence: float) -> Dict[Text, Any]:
        return {"entity": name, "value": value, "confidence_entity": confidence, "extractor": "LanguageDetector"}
