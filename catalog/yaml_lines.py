"""YAML loading that remembers line numbers, so a bad seed file is reported as file:line: field."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    lines: dict[Any, int]


class LineList(list):
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.lines = {self.construct_object(k, deep=True): k.start_mark.line + 1 for k, _ in node.value}
        return mapping

    def construct_sequence(self, node, deep=False):
        sequence = LineList(super().construct_sequence(node, deep=True))
        sequence.lines = [item.start_mark.line + 1 for item in node.value]
        return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)


def load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 — a SafeLoader subclass


def line_of(document: Any, location: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of `location` that the document still has."""
    line, node = None, document
    for part in location:
        if isinstance(node, LineDict) and part in node:
            line, node = node.lines.get(part, line), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line, node = node.lines[part], node[part]
        else:
            break
    return line
