"""actions/long_message.py: which messages are stories, and how they are cut into questions."""
from __future__ import annotations

from actions.long_message import Topic, is_long, is_question, ordered, reading, sentences

STORY = ("Hello! I am a nurse from the Philippines and I will start working at the hospital in Torsby in March. "
         "My husband and our two children come with me, the kids are 4 and 9 years old. We already found a flat "
         "through a colleague. How do I get my Swedish nursing licence? And is the preschool expensive?")


def test_a_story_is_long_and_cut_into_its_sentences():
    assert is_long(STORY)
    parts = sentences(STORY)
    assert parts[0].startswith("I am a nurse") and "Hello!" not in parts  # too short to carry a question
    assert [part for part in parts if is_question(part)] == [
        "How do I get my Swedish nursing licence?", "And is the preschool expensive?"]


def test_one_question_is_not_a_story_however_long():
    assert not is_long("how do I get a personnummer " * 3)
    assert not is_long("x" * 1000)  # one "sentence" without words
    assert is_question("كيف أحصل على رقم شخصي؟") and not is_question("Jag flyttar till Kil.")


def test_a_short_story_is_read_by_sentence_when_its_whole_is_unsure():
    story = ("Добрий день! Я приїхала з Харкова у березні разом із двома дітьми, 7 і 12 років. Ми живемо в Арвіці. "
             "Я бухгалтерка за фахом. Що мені робити, щоб знайти роботу в Швеції?")
    assert len(story) < 280 and not is_long(story)
    assert reading(story, confidence=0.95) is None  # sure of the whole: it stands
    assert reading(story, confidence=0.3) == "questions"  # 0.3 (family maintenance): a topic from its question
    assert reading("Що мені робити, щоб знайти роботу в Швеції?", confidence=0.3) is None  # one sentence
    assert reading(STORY) == reading(STORY, confidence=0.3) == "story"


def test_the_question_on_what_the_whole_story_is_about_is_answered_first():
    found = [Topic("bankid", 0.9, "Can I do it online without BankID?"),
             Topic("arbetsformedlingen", 0.7, "How do I register with Arbetsförmedlingen?"),
             Topic("sfi", 0.95, "I am learning Swedish.")]
    assert [t.key for t in ordered(found)] == ["bankid", "arbetsformedlingen", "sfi"]
    assert [t.key for t in ordered(found, "arbetsformedlingen")] == ["arbetsformedlingen", "bankid", "sfi"]
    assert [t.key for t in ordered(found, "sfi")] == ["bankid", "arbetsformedlingen", "sfi"]  # questions first
