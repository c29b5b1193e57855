"""The municipality gazetteer in six languages and scripts, built from the same export as training."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.components.gazetteer import MunicipalityGazetteer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory) -> MunicipalityGazetteer:
    exported = yaml.safe_load((ROOT / ".build" / "train" / "gazetteer.yml").read_text(encoding="utf-8"))
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    config = {**MunicipalityGazetteer.get_default_config()}
    return MunicipalityGazetteer(config, storage, Resource("gazetteer"), exported)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hur söker jag förskola i Östersund?", "Östersund"),
        ("östersunds kommun förskola", "Östersund"),
        ("ostersund", "Östersund"),
        ("we are moving to Karlstad in May", "Karlstad"),
        ("Wohnung in Säffle gesucht", "Säffle"),
        ("wohnung in saffle", "Säffle"),
        ("Ik verhuis naar Årjäng", "Årjäng"),
        ("Kristinehamm school", "Kristinehamn"),          # misspelt
        ("كيف اسجل في المدرسة في كارلستاد", "Karlstad"),   # Arabic script
        ("بكارلستاد", "Karlstad"),                        # attached preposition
        ("Як знайти житло у Карлстаді?", "Karlstad"),      # Ukrainian locative
        ("садик в Естерсунді", "Östersund"),
        ("I live in Åre", "Åre"),
        ("Sfi i Hammarö", "Hammarö"),
        ("ما هو الموقع الإلكتروني لبلدية كيل؟", "Kil"),      # a short name after "municipality" with a preposition on it
        ("moving to Stockholm", "Stockholm"),              # outside: recognised, catalog says it's not ours
    ],
)
def test_finds_municipalities_in_any_language(gazetteer, text, expected):
    values = [entity["value"] for entity in gazetteer.extract(text)]
    assert values == [expected]


@pytest.mark.parametrize(
    "text",
    ["Are you a bot?", "how are you", "what are the rules for a work permit", "Ich wohne am Berg",
     "Еда в Швеції дорога", "thanks", "ok", "",
     # words that look like short place names (Are/Åre, Еда/Eda, كيل/Kil)
     "my wife and kids are in Manila", "which vaccines are in the programme", "еда в магазині дорога", "كيل الرز",
     # frequent words that look like places (data/catalog/not_places.yml): similar (Hallen, Järpen, Alster, Nacka),
     # an inflection of a short name (Lit, Скоре, سونه, Glava) or a locality that is mostly a word (Hallen)
     "ik moet hem van de opvang halen", "ik woon al jaren in Zweden", "Bis zu welchem Alter gibt es Hort?",
     "vi vill snacka med någon", "jag kan lite svenska", "нужно как можно скорее", "глава сім'ї працює",
     "لازم شيل إطارات المسامير", "كيف أشغل تلفزيون سوني", "var ligger hallen för badminton",
     "можна письмовий план крок за кроком?"],
)
def test_ordinary_words_are_not_places(gazetteer, text):
    assert gazetteer.extract(text) == []


@pytest.mark.parametrize(
    ("text", "override"),
    [("Östersund", True), ("i Krokom", True), ("Krokoms kommun", True), ("у Карлстаді", True),
     ("SFI Krokom", False), ("förskola i Krokom", False)],
)
def test_a_bare_place_name_is_an_answer_naming_the_municipality(gazetteer, text, override):
    message = Message(data={"text": text, "intent": {"name": "faq_sfi", "confidence": 0.6}})
    gazetteer.process([message])
    assert (message.get("intent")["name"] == "inform_municipality") is override


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("дешевий стоматолог в Арвіці", "Arvika"),          # a-stem locative, к -> ц
        ("живемо у Форшазі", "Forshaga"),                  # г -> з
        ("контракт в Берзі на три місяці", "Berg"),
        ("ми щойно приїхали в Еду", "Eda"),                 # short name, with a preposition
        ("як відкрити кафе в Шілі", "Kil"),                 # Kil as it is said: Шіль
        ("як записатися на sfi в Торшбю", "Torsby"),        # Swedish "rs" said "sh"
        ("كيف بفتح مطعم بكيل", "Kil"),                      # attached Arabic preposition
        ("بدي نضف اسناني عند دكتور سنان بهاغفورش", "Hagfors"),
        ("بيت للايجار ب اوري", "Åre"),                       # another Arabic ending
        ("vi bor i Hallen", "Åre"),                         # a locality that is also a word, after a locative
        ("наскільки Кроком близько до озера", "Krokom"),     # a capitalised alias inside a sentence
        ("Bergs kommun", "Berg"),                           # a genitive of a short name
    ],
)
def test_inflected_and_spoken_forms(gazetteer, text, expected):
    assert [e["value"] for e in gazetteer.extract(text)] == [expected]


def test_a_changed_gazetteer_file_changes_only_the_gazetteers_config(tmp_path):
    """Rasa reuses a component's cached training while its config and data are the same: the training config
    keys the gazetteer by its file, so new places alone retrain it (and nothing else)."""
    from bot.build.model import training_config

    def pipeline(places: dict) -> list:
        build = tmp_path / "train"
        build.mkdir(exist_ok=True)
        (build / "gazetteer.yml").write_text(yaml.safe_dump({"places": places}), encoding="utf-8")
        return yaml.safe_load(training_config(ROOT / "config.yml", build).read_text(encoding="utf-8"))["pipeline"]

    before, after = pipeline({"Kil": {}}), pipeline({"Kil": {}, "Lofsdalen": {"value": "Härjedalen"}})
    changed = [b["name"] for b, a in zip(before, after) if a != b]
    assert changed == ["bot.components.gazetteer.MunicipalityGazetteer"]
    assert pipeline({"Kil": {}}) == before
