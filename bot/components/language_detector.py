"""Detects the language of each message and emits it as an entity that fills the `language` slots.

- `language` (sticky slot): a confident detection of a real sentence (3+ words), or an explicit request
  ("auf Deutsch bitte") when the intent classifier says switch_language.
- `language_hint` (used only while `language` is unset): the channel's hint in the message metadata
  (web widget's language picker, a messenger's user locale) or a weak guess from a short message.

Runs after the intent classifier, because explicit requests are recognised by their intent.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from lingua import IsoCode639_1, LanguageDetectorBuilder
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from api.catalog.names import fold
from bot.components.language_names import is_loanword, named_languages

_WORD = re.compile(r"[^\W\d_]{2,}")
_NOISE = re.compile(r"https?://\S+|\S+@\S+|\d+")
# Among the six languages a script alone decides: Arabic letters -> ar, Cyrillic -> uk.
_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06ff]")), ("uk", re.compile(r"[\u0400-\u04ff]")))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "languages": ["sv", "en", "de", "nl", "ar", "uk"],
            "min_words": 3,  # shorter messages ("ok", "tack!", "Karlstad") never change the language
            "min_relative_distance": 0.25,
            "switch_intent": "switch_language",
            "switch_confidence": 0.5,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config
        languages = [IsoCode639_1.from_str(code) for code in config["languages"]]
        # High-accuracy mode: low-accuracy mode saves ~100 MB but mistakes short sentences ("Är du en robot?").
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*languages)
        self._confident = builder.with_minimum_relative_distance(config["min_relative_distance"]).build()
        self._guess = LanguageDetectorBuilder.from_iso_codes_639_1(*languages).build()

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        unknown = set(config["languages"]) - {"sv", "en", "de", "nl", "ar", "uk"}
        if unknown:
            raise ValueError(f"LanguageDetector: unsupported languages {sorted(unknown)}")

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        cls.validate_config(config)
        return cls(config)

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
        if requested:
            return self._entity("language", requested, 1.0)
        words = [word for word in _WORD.findall(_NOISE.sub(" ", text)) if not is_loanword(fold(word))]
        if len(words) >= self.config["min_words"]:
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

    def detect(self, text: str) -> Optional[str]:
        """The confidently detected language of a text, or None."""
        by_script = self._by_script(text)
        if by_script:
            return by_script
        detected = self._confident.detect_language_of(text)
        return detected.iso_code_639_1.name.lower() if detected else None

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
            return None
        if (intent.get("confidence") or 0.0) < self.config["switch_confidence"]:
            return None
        named = [code for code in named_languages(fold(text)) if code in self.config["languages"]]
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
