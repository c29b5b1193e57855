"""common/ is what both Python environments share: it must import nothing outside the standard library."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from common.languages import LANGUAGES, direction, fallbacks, known, reply_language

COMMON = Path(__file__).resolve().parents[2] / "common"


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." if node.level else (node.module or "").split(".")[0])
    return found


@pytest.mark.parametrize("path", sorted(COMMON.glob("*.py")), ids=lambda path: path.name)
def test_imports_only_the_standard_library(path):
    outside = imported_modules(path) - set(sys.stdlib_module_names) - {"common", "__future__", "."}
    assert outside == set(), f"{path.name} imports {outside}"


def test_loads_in_a_bare_interpreter():
    """A Python without our packages' site-packages (-S -I) still imports every module of common."""
    modules = ", ".join(f"common.{path.stem}" for path in sorted(COMMON.glob("*.py")) if path.stem != "__init__")
    code = f"import sys; sys.path.insert(0, {str(COMMON.parent)!r}); import {modules}"
    subprocess.run([sys.executable, "-S", "-I", "-c", code], check=True)


@pytest.mark.parametrize(
    ("slots", "expected"),
    [({"language": "ar", "language_hint": "de"}, "ar"),  # the sticky slot wins over the channel's hint
     ({"language": None, "language_hint": "de"}, "de"),
     ({"language": "xx", "language_hint": None}, "en"),  # unknown codes are ignored
     ({}, "en")],
)
def test_reply_language(slots, expected):
    assert reply_language(slots) == expected


def test_languages_directions_and_fallbacks():
    assert LANGUAGES == ("sv", "en", "de", "nl", "ar", "uk")
    assert [direction(code) for code in LANGUAGES] == ["ltr"] * 4 + ["rtl", "ltr"]
    assert fallbacks("de") == ["de", "en", "sv"] and fallbacks("en") == ["en", "sv"]
    assert known("uk") == "uk" and known("ru") is None and known(None) is None
