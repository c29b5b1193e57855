"""Language detection: confident sentences set the language, short messages and place names never do."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.components.language_detector import LanguageDetector
from bot.components.language_names import LANGUAGE_REQUEST


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(LanguageDetector.get_default_config())


def entity(detector: LanguageDetector, text: str, intent: str = "greet", metadata: dict | None = None):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}, "metadata": metadata})
    return detector.language_entity(message)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hur ansöker jag om förskoleplats för min dotter?", "sv"),
        ("How do I apply for a preschool place for my daughter?", "en"),
        ("Wie beantrage ich einen Kitaplatz für meine Tochter?", "de"),
        ("Hoe vraag ik een plek op de kinderopvang aan voor mijn dochter?", "nl"),
        ("كيف أقدم طلب روضة لابنتي؟", "ar"),
        ("Як подати заяву на місце в дитсадку для доньки?", "uk"),
    ],
)
def test_real_sentences_set_the_language(detector, text, language):
    assert entity(detector, text) == {**entity(detector, text), "entity": "language", "value": language}


@pytest.mark.parametrize("text", ["ok", "tack!", "👍", "Karlstad", "12345", "https://skatteverket.se", "hej då"])
def test_short_messages_never_set_the_sticky_language(detector, text):
    found = entity(detector, text)
    assert found is None or found["entity"] == "language_hint"


def test_channel_hint_is_only_a_hint(detector):
    assert entity(detector, "ok", metadata={"language": "uk-UA"})["entity"] == "language_hint"
    assert entity(detector, "ok", metadata={"language": "uk-UA"})["value"] == "uk"
    # A real sentence outweighs the channel's locale.
    found = entity(detector, "Where can I learn Swedish for free?", metadata={"language": "de"})
    assert (found["entity"], found["value"]) == ("language", "en")


@pytest.mark.parametrize(
    ("text", "language"),
    [("kan du svara på svenska?", "sv"), ("auf Deutsch bitte", "de"), ("in English please", "en"),
     ("بالعربية من فضلك", "ar"), ("можна українською?", "uk"), ("kun je in het Nederlands antwoorden", "nl"),
     ("can you answer in arabic", "ar")],
)
def test_explicit_requests_switch_in_any_language(detector, text, language):
    found = entity(detector, text, intent="switch_language")
    assert (found["entity"], found["value"]) == ("language", language)


@pytest.mark.parametrize(
    ("text", "language"),
    [("I don't speak Swedish", "en"), ("Ich spreche kein Schwedisch", "de"), ("ik spreek geen Zweeds, sorry", "nl"),
     ("I don't speak Swedish, answer in English please", "en")],
)
def test_a_language_the_user_does_not_speak_is_not_requested(detector, text, language):
    found = entity(detector, text, intent="switch_language")
    assert found is None or found["value"] == language


def test_naming_a_language_is_not_a_request_unless_the_intent_says_so(detector):
    found = entity(detector, "I speak Arabic, where can I learn Swedish?", intent="faq_sfi")
    assert (found["entity"], found["value"]) == ("language", "en")


def test_a_request_sentence_beside_a_question_switches(detector):
    """The classifier marks the sentence it read as a request (LANGUAGE_REQUEST); the question stays the intent."""
    text = "hej, kan du svara på engelska? hur får jag ett id-kort?"
    message = Message(data={"text": text, "intent": {"name": "faq_id_card", "confidence": 0.99},
                            LANGUAGE_REQUEST: "hej, kan du svara på engelska?"})
    found = detector.language_entity(message)
    assert (found["entity"], found["value"]) == ("language", "en")
    assert entity(detector, text, intent="faq_id_card")["value"] == "sv"  # without the mark: the text's language


@pytest.mark.parametrize(
    ("text", "language"),
    [("Är du en riktig människa?", "sv"), ("Як мені зареєструватися в Arbetsförmedlingen?", "uk"),
     ("كيف أسجل في Skatteverket للحصول على personnummer", "ar"), ("how do I get a personnummer from Skatteverket", "en"),
     ("Hur får jag personnummer?", "sv"), ("Wo finde ich Folktandvården in der Nähe?", "de"),
     ("Hoe werkt bostadsbidrag voor studenten?", "nl"), ("Do I need hemförsäkring as a tenant?", "en")],
)
def test_swedish_terms_and_scripts_do_not_mislead(detector, text, language):
    found = entity(detector, text)
    assert (found["entity"], found["value"]) == ("language", language)


def test_two_words_in_a_script_are_only_a_hint(detector):
    found = entity(detector, "Як зареєструватися?")
    assert (found["entity"], found["value"]) == ("language_hint", "uk")


def test_swedish_terms_count_as_words_of_the_sentence_but_do_not_vote(detector):
    # Three words: a real sentence, read from the two that tell a language.
    found = entity(detector, "Як зареєструватися в Arbetsförmedlingen?")
    assert (found["entity"], found["value"]) == ("language", "uk")
    # Nothing but Swedish terms: nothing tells the language.
    found = entity(detector, "personnummer Skatteverket samordningsnummer")
    assert found is None or found["entity"] == "language_hint"


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> LanguageDetector:
    """Trained like in the model: on the exported, language-labelled training data."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.build.model import BUILD

    files = sorted((BUILD / "data").glob("nlu/*/*.yml")) + sorted((BUILD / "data").glob("faq/*.yml"))
    data = TrainingData().merge(*[RasaYAMLReader().read(path) for path in files])
    detector = LanguageDetector(LanguageDetector.get_default_config(),
                                LocalModelStorage(tmp_path_factory.mktemp("storage")), Resource("language"))
    detector.train(data)
    return detector


def test_training_examples_carry_their_language(trained):
    assert trained._model is not None and sorted(trained._model.classes_) == sorted(["sv", "en", "de", "nl", "ar", "uk"])


@pytest.mark.parametrize(
    ("text", "language"),
    [("kif bdi a3mel personnummer w wein rou7", "ar"), ("badi 2esta2jer shi2a ma3 3ayelti", "ar"),
     ("yak otrymaty dozvil na prozhyvannia v shvetsii", "uk"),
     ("Where do I register my children for school?", "en"), ("Hoe schrijf ik mijn kinderen in op school?", "nl")],
)
def test_the_trained_model_knows_arabic_and_ukrainian_in_latin_letters(trained, text, language):
    assert (entity(trained, text) or {}).get("value") == language


def test_place_names_found_by_the_gazetteer_are_left_out(trained):
    text = "wir wohnen jetzt in Strömsund"
    start = text.index("Strömsund")
    place = {"entity": "municipality", "value": "Strömsund", "start": start, "end": start + len("Strömsund")}
    message = Message(data={"text": text, "intent": {"name": "inform_municipality", "confidence": 0.9},
                            "entities": [place]})
    found = trained.language_entity(message)
    assert (found["entity"], found["value"]) == ("language", "de")


def test_place_names_alone_never_set_the_language(trained):
    text = "Östersund Karlstad Arvika"
    places = [{"entity": "municipality", "value": name, "start": text.index(name), "end": text.index(name) + len(name)}
              for name in text.split()]
    message = Message(data={"text": text, "intent": {"name": "inform_municipality", "confidence": 0.9},
                            "entities": places})
    found = trained.language_entity(message)
    assert found is None or found["entity"] == "language_hint"


@pytest.mark.parametrize(("text", "label"), [("fritids ansökan", "ar"), ("where can I find an apartment for my family", "uk"),
                                             ("hur ansöker man om plats i förskolan för sin son", "de")])
def test_examples_written_in_another_language_do_not_teach_the_detector(trained, text, label):
    assert trained._written_in_another(trained._letters(text), label)


@pytest.mark.parametrize(("text", "label"), [("kif bdi a3mel personnummer", "ar"), ("yak otrymaty dozvil", "uk"),
                                             ("كيف أسجل", "ar"), ("Wie bekomme ich eine Wohnung?", "de")])
def test_examples_in_their_own_language_teach_the_detector(trained, text, label):
    assert not trained._written_in_another(trained._letters(text), label)


def test_arabic_and_ukrainian_examples_made_of_latin_script_languages_words_are_left_out():
    examples = [("work permit renewal", "en"), ("bostadsko karlstad", "sv"), ("Wohnung Karlstad", "de"),
                ("work permit renewal", "ar"), ("bostadsko karlstad", "uk"),  # every word known: left out
                ("kif work permit", "ar"), ("kvartyra karlstad", "uk"), ("كيف work permit", "ar")]  # kept
    kept = LanguageDetector._without_latin_phrases(examples)
    assert ("work permit renewal", "ar") not in kept and ("bostadsko karlstad", "uk") not in kept
    assert {("kif work permit", "ar"), ("kvartyra karlstad", "uk"), ("كيف work permit", "ar"),
            ("work permit renewal", "en")} <= set(kept)


@pytest.mark.parametrize("text", ["work permit renewal", "work visa sweden", "waiting time for the permit"])
def test_english_keywords_are_not_read_as_arabic(trained, text):
    assert (entity(trained, text) or {}).get("value") in (None, "en")
