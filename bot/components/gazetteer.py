"""Municipality gazetteer: finds place names in any language and script and maps them to the catalog's name.

Handles diacritics ("ostersund"), inflection ("Östersunds", "у Карлстаді"), attached Arabic prepositions
("بكارلستاد"), other scripts (aliases from the catalog) and misspellings (rapidfuzz). Short names that are
also ordinary words ("Berg", "Kil", "Eda") only count when capitalised or after a locative preposition, and so
do frequent words that look like a place (data/catalog/not_places.yml: "lite" -> Lit, "глава" -> Glava), which
are never taken for a misspelt place ("halen" ~ Hallen, "alter" ~ Alster).
The gazetteer file is exported from the catalog (`make model`) and stored inside the trained model.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Text, Tuple

import spacy
import yaml
from rapidfuzz import fuzz, process
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.storage import StoredComponent
from common.names import fold

# Case endings and clitics added to place names: Swedish/German genitive, Ukrainian/Russian cases.
SUFFIXES = ("s", "es", "a", "u", "i", "e", "om", "ом", "у", "и", "а", "е", "ови", "ськ", "ського", "ському")
ARABIC_PREFIXES = ("وب", "ول", "وف", "ب", "ل", "و", "ف", "ك", "ال")
# Ukrainian a-stem cases change the stem's last consonant: Арвіка -> в Арвіці, Форшага -> у Форшазі (folded).
CYRILLIC_MUTATIONS = {"ц": "к", "з": "г", "с": "х"}
# How Arabic endings of the same name vary: أوره / اوري / اورا.
ARABIC_FINAL_VOWELS = ("ه", "ي", "ا")
# Swedish "rs" is said "sh": Hagfors -> هاغفورش, Torsby -> Торшбю (folded spellings).
SPOKEN_VARIANTS = (("рс", "рш"), ("رس", "رش"))
# Words that stand around a place name: prepositions and "municipality" in the six languages (folded).
LOCATIVES = {"i", "in", "im", "to", "till", "nach", "naar", "aus", "from", "fran", "van", "near", "bei", "bij",
             "в", "у", "до", "из", "з", "في", "الى", "من", "ب", "على", "kommun", "kommune", "municipality", "gemeinde",
             "gemeente", "комуна", "комуни", "коммуна", "بلديه", "كومون"}

MUNICIPALITY_WORDS = {"kommun", "kommune", "municipality", "gemeinde", "gemeente", "комуна", "комуни", "коммуна",
                      "بلديه", "كومون"}

# Words before a noun that make a capitalised short name an ordinary word ("am Berg", "the Kil").
ARTICLES = {"am", "der", "die", "das", "den", "dem", "ein", "einen", "einem", "zum", "vom", "auf", "the", "a",
            "het", "de", "een", "en", "ett", "och"}

# spaCy's tokenizer strips leading and trailing punctuation one character at a time and copies the rest of the
# chunk each time: quadratic in the length of a run such as "((((" or "!!!!" (2,000 characters: 0.3 s, 40,000:
# two minutes). So a whitespace-separated chunk longer than this is tokenized on its own and only its first
# MAX_CHUNK characters are looked at. The longest word of a place name in the catalog has 13 letters and the
# longest word in the training data 29: 64 leaves room for an attached preposition, a case ending and
# punctuation, and keeps tokenizing linear in the message's length.
MAX_CHUNK = 64
_CHUNK = re.compile(r"\S+")
_LONG_CHUNK = re.compile(r"\S{%d,}" % (MAX_CHUNK + 1))


class Word(NamedTuple):
    """A token that is not punctuation or space, with its offset in the text it came from."""
    text: str
    idx: int


def without_spans(text: str, entities: List[Dict[str, Any]]) -> str:
    """The text with the entities' spans blanked out (what is left around the place names)."""
    for entity in sorted((e for e in entities if "start" in e), key=lambda e: e["start"], reverse=True):
        text = text[: entity["start"]] + " " + text[entity["end"]:]
    return text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class MunicipalityGazetteer(StoredComponent, EntityExtractorMixin):
    FILE = "places.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "gazetteer": ".build/train/gazetteer.yml",
            "entity": "municipality",
            "fuzzy_threshold": 88,
            "fuzzy_min_length": 5,
            "max_tokens": 3,
            # A message that is little more than a place name ("Östersund", "i Krokom", "у Карлстаді")
            # answers "which municipality?": its intent becomes this one, whatever the classifier said.
            "place_only_intent": "inform_municipality",
            # set by bot.build.model to the gazetteer file's hash, so that a changed file retrains this component
            "gazetteer_digest": "",
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 gazetteer: Optional[Dict[str, Any]] = None) -> None:
        """gazetteer: the exported file's content, {"places": {...}, "not_places": [folded words]}."""
        super().__init__(config, model_storage, resource)
        self._tokenizer = spacy.blank("xx").tokenizer
        self._index((gazetteer or {}).get("places", {}), (gazetteer or {}).get("not_places", ()))

    @staticmethod
    def dumps(gazetteer: Dict[str, Any]) -> bytes:
        return json.dumps(gazetteer, ensure_ascii=False).encode("utf-8")

    @staticmethod
    def loads(data: bytes) -> Dict[str, Any]:
        return json.loads(data.decode("utf-8"))

    def train(self, training_data: TrainingData) -> Resource:
        # a publish trains from its own build folder (launcher.publish) and says so in the environment
        path = Path(os.environ.get("LOTSEN_GAZETTEER") or self.config["gazetteer"])
        if not path.exists():
            raise FileNotFoundError(f"MunicipalityGazetteer: gazetteer file {path} not found (run `make model`)")
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        gazetteer = {"places": document["places"], "not_places": document.get("not_places", [])}
        self._index(gazetteer["places"], gazetteer["not_places"])
        return self.persist(gazetteer)

    def _index(self, places: Dict[str, Dict[str, Any]], not_places: Iterable[str] = ()) -> None:
        """places: name -> {aliases: [...], ambiguous: bool, value: the entity's value if not the name (a locality
        -> its municipality), entity: the entity if not the configured one (a county)}; not_places: folded
        frequent words that only look like a place."""
        self._places = places
        self._not_places = frozenset(not_places)
        self._forms: Dict[str, str] = {}
        for name, info in places.items():
            for form in [name, *info.get("aliases", [])]:
                folded = fold(form)
                self._forms.setdefault(folded, name)
                for written, said in SPOKEN_VARIANTS:
                    self._forms.setdefault(folded.replace(written, said), name)
        self._fuzzy_choices = [form for form in self._forms if len(form) >= self.config["fuzzy_min_length"]]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.extract(text)
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
                if self._only_places(text, found):
                    intent = {"name": self.config["place_only_intent"], "confidence": 1.0}
                    message.set(INTENT, intent, add_to_output=True)
                    message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages

    def _only_places(self, text: str, entities: List[Dict[str, Any]]) -> bool:
        others = [fold(word.text) for word in self._words(without_spans(text, entities))]
        return all(word in LOCATIVES for word in others)

    def _words(self, text: str) -> List[Word]:
        """The text's tokens that are not punctuation or space (long chunks cut at MAX_CHUNK, see there)."""
        if _LONG_CHUNK.search(text):
            chunks = [(chunk.start(), chunk.group()[:MAX_CHUNK]) for chunk in _CHUNK.finditer(text)]
        else:  # any real message: at once, tokenized as chunk by chunk (so on all 32,169 training and held-out texts)
            chunks = [(0, text)]
        return [Word(token.text, start + token.idx) for start, chunk in chunks for token in self._tokenizer(chunk)
                if not token.is_punct and not token.is_space]

    def extract(self, text: str) -> List[Dict[str, Any]]:
        tokens = self._words(text[:2000])
        entities, taken_until = [], -1
        for start_index, token in enumerate(tokens):
            if token.idx < taken_until:
                continue
            match = self._longest_match(tokens, start_index)
            if match is None:
                continue
            name, end_index, score = match
            end_token = tokens[end_index]
            start, end = token.idx, end_token.idx + len(end_token.text)
            # a frequent word that looks like a place (not_places.yml): never a misspelt one
            word = fold(token.text) if end_index == start_index else ""
            ordinary = word in self._not_places
            if ordinary and score < 100:
                continue
            # the whole message in a name's own form: "Eda", "إيدا" (not "lite" for Lit)
            alone = (len(tokens) == end_index - start_index + 1 and score == 100
                     and (not ordinary or word in self._forms))
            if ((self._places[name].get("ambiguous") or ordinary) and not alone
                    and not self._plausible(text, tokens, start_index, end_index, name, text[start:end])):
                continue
            entities.append({
                # A locality's value is its municipality; a county is its own entity ("in Värmland").
                "entity": self._places[name].get("entity", self.config["entity"]),
                "value": self._places[name].get("value", name), "start": start, "end": end,
                "confidence_entity": round(score / 100, 2), "extractor": "MunicipalityGazetteer",
            })
            taken_until = end
        return entities

    def _longest_match(self, tokens: List[Word], start: int) -> Optional[Tuple[str, int, float]]:
        for end in range(min(len(tokens), start + self.config["max_tokens"]) - 1, start - 1, -1):
            form = fold(" ".join(token.text for token in tokens[start:end + 1]))
            found = self._lookup(form)
            if found:
                return found[0], end, found[1]
        return None

    def _lookup(self, form: str) -> Optional[Tuple[str, float]]:
        for candidate in self._candidates(form):
            if candidate in self._forms:
                return self._forms[candidate], 100.0
        if len(form) >= self.config["fuzzy_min_length"] and self._fuzzy_choices:
            best = process.extractOne(form, self._fuzzy_choices, scorer=fuzz.ratio,
                                      score_cutoff=self.config["fuzzy_threshold"])
            if best:
                return self._forms[best[0]], best[1]
        return None

    @staticmethod
    def _candidates(form: str) -> Iterator[str]:
        yield form
        stems = [form] + [form[len(prefix):] for prefix in ARABIC_PREFIXES if form.startswith(prefix)]
        for stem in stems:
            yield stem
            for suffix in SUFFIXES:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                    yield stem[: -len(suffix)]
            if len(stem) >= 3 and stem[-1] in "иуе":  # a-stem cases: в Еді, у Рагунду, в Арвіці, (ru) в Арвике
                yield stem[:-1] + "а"
                if stem[-2] in CYRILLIC_MUTATIONS:
                    yield stem[:-2] + CYRILLIC_MUTATIONS[stem[-2]] + "а"
                    yield stem[:-2] + CYRILLIC_MUTATIONS[stem[-2]]  # в Берзі -> Берг
            if len(stem) >= 3 and stem[-1] in ARABIC_FINAL_VOWELS:
                yield from (stem[:-1] + vowel for vowel in ARABIC_FINAL_VOWELS if vowel != stem[-1])

    def _plausible(self, text: str, tokens: List[Word], start: int, end: int, name: str, surface: str) -> bool:
        """A short name that is also a word ("are", "Berg", "Еда") needs its exact spelling or a locative."""
        previous = fold(tokens[start - 1].text) if start > 0 else ""
        following = fold(tokens[end + 1].text) if end + 1 < len(tokens) else ""
        # "in Kil", "Kil kommun" — not "are in"; Arabic prepositions are written onto the word: لبلدية كيل
        before = {previous} | {previous[len(prefix):] for prefix in ARABIC_PREFIXES if previous.startswith(prefix)}
        if before & LOCATIVES or following in MUNICIPALITY_WORDS:
            return True
        if fold(surface).startswith(("ب", "ع", "لل", "وب")) and not fold(name).startswith(("ب", "ع")):
            return True  # an attached Arabic preposition: بكيل = in Kil
        # the name as written, or a capitalised alias inside a sentence ("наскільки Кроком близько", not "Are you",
        # nor Arabic, which has no capitals: شيل is Kil and "take off")
        inside = start > 0 and not text[:tokens[start].idx].rstrip().endswith((".", "!", "?", "؟"))
        alias = surface[:1].isupper() and surface in self._places[name].get("aliases", ())
        return (surface == name or (inside and alias)) and previous not in ARTICLES
