"""The gettext catalogs: complete in every language, placeholders intact, compilable, in sync with the code."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from common.messages import RESPONSES

LOCALES = Path(__file__).resolve().parents[2] / "locales"
TRANSLATED = ["sv", "de", "nl", "ar", "uk"]  # English is the source language
PLACEHOLDER = re.compile(r"{(\w*)}")


def catalog(language: str):
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_template_lists_exactly_the_messages_in_the_code():
    with (LOCALES / "messages.pot").open("rb") as handle:
        template = {message.id for message in read_po(handle) if message.id}
    assert template == set(RESPONSES.values()), "run `make catalogs` after changing common/messages.py"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language):
    messages = {message.id: message for message in catalog(language) if message.id}
    assert set(messages) == set(RESPONSES.values())
    for source, message in messages.items():
        assert message.string, f"{language}: untranslated {source!r}"
        assert "fuzzy" not in message.flags, f"{language}: fuzzy {source!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(source)), (
            f"{language}: placeholders differ in {source!r}"
        )


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_compiles(language, tmp_path):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "compile", "-i",
         str(LOCALES / language / "LC_MESSAGES" / "messages.po"), "-o", str(tmp_path / "m.mo"), "--statistics"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.mo").stat().st_size > 0


def test_language_switch_confirmation_names_its_own_language():
    names = {"sv": "svenska", "de": "deutsch", "nl": "nederlands", "ar": "العربية", "uk": "українською"}
    source = RESPONSES["utter_language_changed"]
    for language, name in names.items():
        translated = next(m.string for m in catalog(language) if m.id == source)
        assert name in translated.lower(), (language, translated)
