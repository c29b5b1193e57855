"""actions/long_message.py: which messages are stories, and how they are cut into questions."""
from __future__ import annotations

from actions.long_message import is_long, is_question, sentences

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
