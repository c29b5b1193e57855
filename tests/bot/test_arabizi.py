"""The consonant skeleton that lets Arabic-script examples teach the intent classifier Arabizi."""
import pytest

from bot.components.arabizi import skeleton


@pytest.mark.parametrize(
    ("arabizi", "arabic"),
    [("ro5sa", "رخصة"), ("7ashwa", "حشوة"), ("el sen", "السن"), ("shoghol lal zawje", "شغل للزوجة"),
     ("el estra7a bel shoghol", "الاستراحة بالشغل"), ("2addesh", "قديش"), ("2ard", "قرض"),
     ("el daraib", "الضرائب"), ("mahamm", "مهام")],
)
def test_arabizi_and_arabic_letters_share_a_skeleton(arabizi, arabic):
    assert skeleton(arabizi) == skeleton(arabic) != ""


@pytest.mark.parametrize(("one", "other"), [("rukhsa", "سمسار"), ("shoghol", "سكن"), ("ijar", "عمل")])
def test_different_words_keep_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


def test_cyrillic_has_no_skeleton_and_short_words_are_left_out():
    assert skeleton("дозвіл на проживання") == ""
    assert skeleton("w el fi ana") == ""
    assert skeleton("Bank in Kil") == "bnk kl"
