"""Write the database's content back to the seed files: `python -m catalog.export_yaml [DIR]` (make content-export).

The YAML under data/catalog stays the seed and the reviewable history: what staff change in the admin comes back
to those files, so it can be reviewed as a diff and committed. The files are updated in place (ruamel.yaml round
trip): comments, key order and quoting stay; only values that differ from the database are rewritten; entries
only the database has are added next to their neighbours; entries deleted in the database are removed (a file
left empty is removed too, except local_notes.yml and checklist.yml). A file whose content did not change is not
written; in one that did, every line the export did not change keeps its bytes, also where ruamel would spell it
otherwise (`"\\xF6"` escapes in a few topics' `about`). Exporting over the files a database was seeded from
changes no byte, and seeding from the exported files gives the same rows.

What the database does not hold stays as the files have it (a topic's `about`, comments, other_places.yml,
official_domains.yml); a new topic gets an `about` placeholder for its reviewer to fill in. Database state
that is no content (an answer's `outdated` flag, a topic's `in_model`) is not written.
"""
from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.models import (
    SERVICE_CATEGORIES,
    ChecklistStep,
    County,
    FaqEntry,
    LocalNote,
    Municipality,
    Service,
)
from catalog.seed import DEFAULT_DIR, _remember, files_hash
from catalog.session import session_scope
from common.languages import LANGUAGES

ANSWER_WIDTH = 98  # characters of answer text per line, as the files wrap them (100 columns with the indent)
NEW_TOPIC_ABOUT = "(added in the admin; say which questions belong here)"
LANGUAGE_NAMES = {"sv": "Swedish", "en": "English", "de": "German", "nl": "Dutch", "ar": "Arabic", "uk": "Ukrainian"}

TOPIC_FIELDS = ("about", "authority", "source_url", "change_url", "reviewed_on", "local", "offer_checklist", "see_also")
SERVICE_FIELDS = ("category", "name", "url", "none", "checked_source", "email", "phone", "address", "opening_hours")
MUNICIPALITY_FIELDS = ("name", "official_name", "scb_code", "county", "website", "aliases", "localities", "services")
COUNTY_FIELDS = ("key", "name", "code", "region", "website", "aliases", "services")
FLOW_MAPPINGS = ("when",)  # written `when: {eu: false, purpose: [work]}`, as checklist.yml does
HEADERS = {
    "topics": "FAQ topics in category '{topic}'. Texts live in ../answers/<lang>/{topic}.yml and "
              "../questions/<lang>/{topic}.yml.",
    "answers": "FAQ answers ({lang}) for category '{topic}'. Topic metadata (authority, source_url) in "
               "../../topics/{topic}.yml.",
    "authorities": "Authority line per FAQ key in {language} (shown after each answer; translation of `authority` "
                   "in faq/topics/*.yml).",
    "questions": "{language} training examples per FAQ key (see ../topics/*.yml for what belongs where).",
    "local_notes": "Local notes: a municipality's short addition under a national answer (at most 400 characters),\n"
                   "per municipality, FAQ key and language. Written by municipal editors in the admin and exported\n"
                   "here by `make content-export`.",
}


class ExportError(RuntimeError):
    """The database cannot be exported (it holds no catalog)."""


class _Representer(RoundTripRepresenter):
    pass


# `local: null`, as the files write an empty value (ruamel would leave it blank).
_Representer.add_representer(type(None), lambda representer, _: representer.represent_scalar("tag:yaml.org,2002:null", "null"))


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line; answers carry their own fold positions
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


# ---------------------------------------------------------------------------------------------------- documents


@dataclass
class _Document:
    path: Path
    data: CommentedMap
    original: str | None  # the file's text; None for a new file
    loaded: Any = None  # the content as loaded (plain data): a file whose content did not change is not written
    keep_empty: bool = False


class _Documents:
    """The files of one export: loaded on first use, written at the end when their content changed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.yaml = _yaml()
        self.loaded: dict[Path, _Document] = {}

    def _dump(self, data: Any) -> str:
        stream = io.StringIO()
        self.yaml.dump(data, stream)
        return stream.getvalue()

    def get(self, relative: str, header: str | None = None) -> CommentedMap:
        path = self.directory / relative
        if path not in self.loaded:
            if path.exists():
                original = path.read_bytes().decode("utf-8")
                data = self.yaml.load(original)
                if not isinstance(data, CommentedMap):
                    raise ExportError(f"{path}: expected a mapping")
                self.loaded[path] = _Document(path, data, original, _norm(data))
            else:
                data = CommentedMap()
                if header:
                    data.yaml_set_start_comment(header)
                self.loaded[path] = _Document(path, data, None)
        return self.loaded[path].data

    def folder(self, relative: str) -> dict[str, CommentedMap]:
        """The existing files of a folder by stem."""
        return {path.stem: self.get(str(path.relative_to(self.directory)))
                for path in sorted((self.directory / relative).glob("*.yml"))}

    def keep_empty(self, relative: str) -> None:
        self.loaded[self.directory / relative].keep_empty = True

    def save(self) -> list[Path]:
        changed = []
        for document in self.loaded.values():
            if not document.data and not document.keep_empty:
                if document.original is not None:
                    document.path.unlink()
                    changed.append(document.path)
                continue
            if document.original is not None and _norm(document.data) == document.loaded:
                continue  # comments move only with a key that comes or goes: unchanged content, unchanged file
            text = self._dump(document.data)
            if document.original is not None:
                baseline = self._dump(self.yaml.load(document.original))
                text = _keep_unchanged_lines(document.original, baseline, text)
                if text == document.original:
                    continue
            document.path.parent.mkdir(parents=True, exist_ok=True)
            document.path.write_bytes(text.encode("utf-8"))
            changed.append(document.path)
        return sorted(changed)


def _keep_unchanged_lines(original: str, baseline: str, new: str) -> str:
    """ruamel renders a few spellings of an untouched file differently (a double-quoted "\\xF6" comes back as
    "ö"): lines the export did not change are taken from the file as it was, the changed ones from ruamel."""
    if baseline == original:
        return new
    original_lines, baseline_lines, new_lines = (text.splitlines(keepends=True) for text in (original, baseline, new))
    if len(original_lines) != len(baseline_lines):
        return new
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, baseline_lines, new_lines, autojunk=False).get_opcodes():
        merged += original_lines[i1:i2] if tag == "equal" else new_lines[j1:j2]
    return "".join(merged)


# ----------------------------------------------------------------------------------------- values and comments


def _norm(value: Any) -> Any:
    """The value as the seed reads it: plain containers, stripped text, empty text as none."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return {key: _norm(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_norm(item) for item in value]
    return value


def _same(node: Any, value: Any) -> bool:
    return _norm(node) == _norm(value)


def _empty(value: Any) -> bool:
    return _norm(value) in (None, [], {})


def _folded(text: str) -> FoldedScalarString:
    """An answer as the files write it: `>-`, wrapped at ANSWER_WIDTH characters."""
    folded = FoldedScalarString(text)
    positions, start, space = [], 0, None
    for index, char in enumerate(text):
        if char == "\n":
            start, space = index + 1, None
        elif char == " ":
            if index - start > ANSWER_WIDTH and space is not None:
                positions.append(space)
                start = space + 1
            space = index
    if len(text) - start > ANSWER_WIDTH and space is not None and space >= start:
        positions.append(space)
    folded.fold_pos = positions
    return folded


def _styled(old: Any, text: str) -> str:
    """New text in the quoting of the value it replaces."""
    if isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        return type(old)(text)
    return text


def _flow(items: list) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _new(value: Any, key: Any = None) -> Any:
    """A new node: mappings in block style (FLOW_MAPPINGS in flow style), lists of scalars in flow style."""
    if isinstance(value, dict):
        node = CommentedMap((item_key, _new(item, item_key)) for item_key, item in value.items())
        if key in FLOW_MAPPINGS:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return _flow(list(value))
        return CommentedSeq(_new(item) for item in value)
    return value


def _slot(container: Any, key: Any) -> tuple[Any, Any]:
    """Where the comment lines that follow `container[key]` are kept: at the last key of a block value."""
    value = container[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        return _slot(value, list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
    return container, key


def _token_index(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _after_block_scalar(holder: Any, at: Any) -> bool:
    """A `>-` or `|` value ends with its line: the comment token after it holds whole lines only."""
    return isinstance(holder[at], (FoldedScalarString, LiteralScalarString))


def _take_following_comments(container: Any, key: Any) -> str:
    """Remove and return the whole-line comments after `container[key]` (its end-of-line comment stays)."""
    holder, at = _slot(container, key)
    slots = holder.ca.items.get(at)
    index = _token_index(holder)
    token = slots[index] if slots and len(slots) > index else None
    if token is None:
        return ""
    if _after_block_scalar(holder, at):
        slots[index] = None
        return token.value
    first, newline, rest = token.value.partition("\n")
    if not rest.strip():
        return ""
    if first.strip():  # an end-of-line comment: keep it
        token.value = first + newline
    else:
        slots[index] = None
    return rest


def _put_following_comments(container: Any, key: Any, comments: str) -> None:
    if not comments:
        return
    holder, at = _slot(container, key)
    index = _token_index(holder)
    slots = holder.ca.items.setdefault(at, [None, None, None, None])
    if slots[index] is None:
        lead = "" if _after_block_scalar(holder, at) else "\n"
        slots[index] = CommentToken(lead + comments, CommentMark(0), None)
    else:
        slots[index].value += comments


def _delete_key(node: CommentedMap, key: Any) -> None:
    """Remove a key; the comment lines after its value (about what follows) move to the key before it."""
    keys = list(node)
    comments = _take_following_comments(node, key)
    del node[key]
    node.ca.items.pop(key, None)
    position = keys.index(key)
    if position > 0:
        _put_following_comments(node, keys[position - 1], comments)


def _insert_key(node: CommentedMap, key: Any, value: Any, order: list) -> None:
    """Add a key after the last key present that comes before it in `order` (first when none does); the comment
    lines that followed that key now follow the new one, so they stay above the key they are about."""
    earlier = set(order[:order.index(key)]) if key in order else set(order)
    keys = list(node)
    present = [position for position, name in enumerate(keys) if name in earlier]
    if present:
        after = keys[present[-1]]
        comments = _take_following_comments(node, after)
        node.insert(present[-1] + 1, key, value)
        _put_following_comments(node, key, comments)
    else:
        node.insert(0, key, value)


def _delete_item(seq: CommentedSeq, index: int) -> None:
    comments = _take_following_comments(seq, index)
    del seq[index]
    if index > 0:
        _put_following_comments(seq, index - 1, comments)


def _insert_item(seq: CommentedSeq, index: int, value: Any) -> None:
    comments = _take_following_comments(seq, index - 1) if index > 0 else ""
    seq.insert(index, value)
    _put_following_comments(seq, index, comments)


def _update(old: Any, value: Any, key: Any = None) -> Any:
    """`value` (plain data) written over the node `old`: the node itself when nothing changed, containers
    updated in place (so their comments and style stay), a new node otherwise."""
    if _same(old, value):
        return old
    if isinstance(old, CommentedMap) and isinstance(value, dict):
        for name in [name for name in old if name not in value and not _empty(old[name])]:
            _delete_key(old, name)
        _sync_map(old, value)
        return old
    if isinstance(old, CommentedSeq) and isinstance(value, list):
        _merge_list(old, value)
        return old
    if isinstance(old, str) and isinstance(value, str):
        return _styled(old, value)
    return _new(value, key)


def _sync_map(node: CommentedMap, values: dict, order: tuple | list | None = None,
              defaults: dict | None = None) -> None:
    """Bring the keys in `values` in line (other keys stay as they are): None removes a key, a value equal to its
    default is not added (and removed when it changes to the default), unchanged values keep their node."""
    order, defaults = list(order or values), defaults or {}
    for key, value in values.items():
        is_default = value is None or (key in defaults and value == defaults[key])
        if key in node:
            if _same(node[key], value):
                continue
            if is_default:
                _delete_key(node, key)
            else:
                new = _update(node[key], value, key)
                if new is not node[key]:
                    node[key] = new
        elif not is_default:
            _insert_key(node, key, _new(value, key), order)


def _identity(value: Any) -> Any:
    value = _norm(value)
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, (dict, list)) else value


def _merge_list(seq: CommentedSeq, values: list, identity: Callable[[Any], Any] = _identity) -> None:
    """Make `seq` hold `values`: items that stay keep their node, changed ones are updated in place, the others
    are removed or inserted where they belong."""
    if _same(seq, values):
        return
    old_ids, new_ids = [identity(_norm(item)) for item in seq], [identity(value) for value in values]
    matcher = SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(i2 - i1):
                new = _update(seq[i1 + offset], values[j1 + offset])
                if new is not seq[i1 + offset]:
                    seq[i1 + offset] = new
            continue
        for index in reversed(range(i1, i2)):
            _delete_item(seq, index)
        for offset, value in enumerate(values[j1:j2]):
            _insert_item(seq, i1 + offset, _new(value))


# ------------------------------------------------------------------------------------------------------ content


def export(session: Session, directory: Path) -> list[Path]:
    """Write the database's content into the seed files under `directory`; return the files changed (written,
    added or removed)."""
    session.flush()
    # populate_existing: collections the session already holds are read again (an edit deletes rows, not items).
    entries = session.scalars(
        select(FaqEntry).options(selectinload(FaqEntry.texts), selectinload(FaqEntry.questions))
        .order_by(FaqEntry.id).execution_options(populate_existing=True)
    ).all()
    municipalities = session.scalars(select(Municipality).order_by(Municipality.slug)).all()
    if not entries or not municipalities:
        raise ExportError("the database holds no catalog (run `make db` first); nothing was written")
    documents = _Documents(directory)
    services = session.scalars(select(Service).options(selectinload(Service.category)).order_by(Service.id)).all()
    _export_places(session, documents, municipalities, services)
    topic_order = _export_topics(documents, entries)
    _export_texts(documents, entries, topic_order)
    _export_checklist(session, documents)
    _export_notes(session, documents, entries)
    return documents.save()


def _export_places(session: Session, documents: _Documents, municipalities: list[Municipality],
                   services: list[Service]) -> None:
    by_owner: dict[tuple[str, int], list[Service]] = {}
    for service in services:
        owner = ("municipality", service.municipality_id) if service.municipality_id else ("county", service.county_id)
        by_owner.setdefault(owner, []).append(service)

    counties = session.scalars(select(County).order_by(County.key)).all()
    existing = documents.folder("counties")
    for stem in set(existing) - {county.key for county in counties}:
        existing[stem].clear()  # deleted in the database: the file goes
    for county in counties:
        document = documents.get(f"counties/{county.key}.yml")
        values = {"key": county.key, "name": county.name, "code": county.code, "region": county.region,
                  "website": county.website, "aliases": list(county.aliases)}
        if not document:
            values["code"] = DoubleQuotedScalarString(county.code)
        _sync_map(document, values, COUNTY_FIELDS, {"aliases": []})
        _sync_services(document, by_owner.get(("county", county.id), []), COUNTY_FIELDS)

    existing = documents.folder("municipalities")
    for stem in set(existing) - {municipality.slug for municipality in municipalities}:
        existing[stem].clear()
    for municipality in municipalities:
        document = documents.get(f"municipalities/{municipality.slug}.yml")
        localities = [{"name": locality["name"], **({"aliases": list(locality["aliases"])} if locality.get("aliases") else {})}
                      for locality in municipality.localities]
        values = {"name": municipality.name, "official_name": municipality.official_name,
                  "scb_code": municipality.scb_code, "county": municipality.county.key,
                  "website": municipality.website, "aliases": list(municipality.aliases), "localities": localities}
        if not document:
            values["scb_code"] = DoubleQuotedScalarString(municipality.scb_code)
        _sync_map(document, values, MUNICIPALITY_FIELDS, {"aliases": [], "localities": []})
        _sync_services(document, by_owner.get(("municipality", municipality.id), []), MUNICIPALITY_FIELDS)


def _service_values(service: Service) -> dict[str, Any]:
    if service.none:
        values: dict[str, Any] = {"category": service.category.code, "name": None, "url": None, "none": True,
                                  "checked_source": service.checked_source or service.url}
    else:
        values = {"category": service.category.code, "name": service.name, "url": service.url, "none": False,
                  "checked_source": service.checked_source}
    return values | {name: getattr(service, name) for name in ("email", "phone", "address", "opening_hours")}


def _file_service_key(item: Any) -> tuple[Any, Any]:
    item = _norm(item) if isinstance(item, dict) else {}
    return item.get("category"), item.get("checked_source") if item.get("none") else item.get("url")


def _sync_services(document: CommentedMap, rows: list[Service], order: tuple) -> None:
    """The `services` list: a row updates the entry with its category and page (or, changed in the admin, the
    first unclaimed entry of its category); entries without a row are removed; new rows are inserted after the
    last entry of their category (the files list them in SERVICE_CATEGORIES order)."""
    categories = list(SERVICE_CATEGORIES)
    rows = sorted(rows, key=lambda row: (categories.index(row.category.code), row.id))
    wanted = [((row.category.code, row.checked_source or row.url if row.none else row.url), _service_values(row))
              for row in rows]
    seq = document.get("services")
    if not isinstance(seq, CommentedSeq):
        if wanted:
            _sync_map(document, {"services": [_service_node(values) for _, values in wanted]}, order)
        return
    file_keys = [_file_service_key(item) for item in seq]
    claimed: dict[int, dict] = {}
    unclaimed_rows = []
    for key, values in wanted:
        index = next((index for index, file_key in enumerate(file_keys) if file_key == key and index not in claimed), None)
        if index is None:
            unclaimed_rows.append((key, values))
        else:
            claimed[index] = values
    new_rows = []
    for key, values in unclaimed_rows:
        index = next((index for index, file_key in enumerate(file_keys)
                      if file_key[0] == key[0] and index not in claimed), None)
        if index is None:
            new_rows.append(values)
        else:
            claimed[index] = values
    for index, values in claimed.items():
        _sync_map(seq[index], values, SERVICE_FIELDS, {"none": False})
    for index in sorted(set(range(len(seq))) - set(claimed), reverse=True):
        _delete_item(seq, index)
    for values in new_rows:
        rank = categories.index(values["category"])
        position = 0
        for index, item in enumerate(seq):
            if _file_service_key(item)[0] in categories and categories.index(_file_service_key(item)[0]) <= rank:
                position = index + 1
        _insert_item(seq, position, _service_node(values))
    if not seq:
        _delete_key(document, "services")


def _service_node(values: dict[str, Any]) -> CommentedMap:
    node = CommentedMap()
    for name in SERVICE_FIELDS:
        if values.get(name) is not None and not (name == "none" and not values[name]):
            node[name] = values[name]
    return node


def _local(value: Any) -> list[str]:
    value = _norm(value)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def _export_topics(documents: _Documents, entries: list[FaqEntry]) -> dict[str, list[str]]:
    """faq/topics/<topic>.yml; returns each topic's keys in file order (the order of the text files too)."""
    wanted: dict[str, dict[str, FaqEntry]] = {}
    for entry in entries:
        wanted.setdefault(entry.topic, {})[entry.key] = entry
    documents_by_topic = _sync_folder(documents, "faq/topics", wanted, _put_topic, HEADERS["topics"], order=None)
    return {topic: list(document) for topic, document in documents_by_topic.items()}


def _put_topic(old: Any, entry: FaqEntry) -> CommentedMap:
    local = [link.category.code for link in entry.local_links]
    values = {"authority": entry.authority, "source_url": entry.source_url, "change_url": entry.change_url,
              "reviewed_on": entry.reviewed_on, "offer_checklist": entry.offer_checklist,
              "see_also": list(entry.see_also)}
    if not isinstance(old, CommentedMap):
        node = CommentedMap(about=NEW_TOPIC_ABOUT)
        _sync_map(node, values, TOPIC_FIELDS, {"offer_checklist": False, "see_also": []})
        _insert_key(node, "local", _flow(local) if local else None, list(TOPIC_FIELDS))
        return node
    _sync_map(old, values, TOPIC_FIELDS, {"offer_checklist": False, "see_also": []})
    if "local" in old:
        if _local(old["local"]) != local:
            if local and isinstance(old["local"], CommentedSeq):
                _merge_list(old["local"], local)
            else:
                old["local"] = _flow(local) if local else None
    elif local:
        _insert_key(old, "local", _flow(local), list(TOPIC_FIELDS))
    return old


def _export_texts(documents: _Documents, entries: list[FaqEntry], topic_order: dict[str, list[str]]) -> None:
    english_lines = {key for document in documents.folder("faq/authorities/en").values() for key in document}
    for lang in LANGUAGES:
        answers: dict[str, dict[str, str]] = {}
        authorities: dict[str, dict[str, str]] = {}
        questions: dict[str, dict[str, list[str]]] = {}
        for entry in entries:
            text = next((text for text in entry.texts if text.language == lang), None)
            if text is not None:
                answers.setdefault(entry.topic, {})[entry.key] = text.answer
                # English falls back to the topic's authority at seeding: no line needed when it is the same.
                fallback = lang == "en" and entry.key not in english_lines and text.authority == entry.authority
                if text.authority and not fallback:
                    authorities.setdefault(entry.topic, {})[entry.key] = text.authority
            lines = [question.text for question in sorted(entry.questions, key=lambda q: q.id) if question.language == lang]
            if lines:
                questions.setdefault(entry.topic, {})[entry.key] = lines
        for kind, wanted, put in (("answers", answers, _put_answer), ("authorities", authorities, _put_authority),
                                  ("questions", questions, _put_questions)):
            header = HEADERS[kind].replace("{lang}", lang).replace("{language}", LANGUAGE_NAMES.get(lang, lang))
            _sync_folder(documents, f"faq/{kind}/{lang}", wanted, put, header, topic_order)


def _put_answer(old: Any, text: str) -> Any:
    return old if old is not None and _same(old, text) else _folded(text)


def _put_authority(old: Any, text: str) -> Any:
    return old if old is not None and _same(old, text) else _styled(old, text)


def _put_questions(old: Any, texts: list[str]) -> Any:
    if not isinstance(old, CommentedSeq):
        return CommentedSeq(texts)
    present = [line for line in dict.fromkeys(_norm(item) for item in old) if line is not None]
    if set(present) == set(texts):
        return old
    kept = [line for line in present if line in set(texts)]
    _merge_list(old, kept + [text for text in texts if text not in set(present)])
    return old


def _sync_folder(documents: _Documents, folder: str, wanted: dict[str, dict[str, Any]],
                 put: Callable[[Any, Any], Any], header: str,
                 order: dict[str, list[str]] | None) -> dict[str, CommentedMap]:
    """One document per topic, keyed by FAQ key: keys not wanted (or wanted in another topic's file) are removed,
    the others written with `put(old node or None, value)`, new ones placed in the topic's key order."""
    existing = documents.folder(folder)
    for topic, document in existing.items():
        for key in [key for key in document if key not in wanted.get(topic, {})]:
            _delete_key(document, key)
    result = dict(existing)
    for topic, values in wanted.items():
        document = existing.get(topic)
        if document is None:
            document = result[topic] = documents.get(f"{folder}/{topic}.yml", header.replace("{topic}", topic))
        key_order = (order or {}).get(topic) or [*document, *(key for key in values if key not in document)]
        for key, value in values.items():
            if key in document:
                new = put(document[key], value)
                if new is not document[key]:
                    document[key] = new
            else:
                _insert_key(document, key, put(None, value), key_order if key in key_order else [*key_order, key])
    return result


def _export_checklist(session: Session, documents: _Documents) -> None:
    steps = session.scalars(
        select(ChecklistStep).options(selectinload(ChecklistStep.faq_entry)).order_by(ChecklistStep.position)
    ).all()
    if not steps and not (documents.directory / "checklist.yml").exists():
        return
    values = [{"key": step.key, "faq": step.faq_entry.key, **({"when": dict(step.conditions)} if step.conditions else {}),
               "titles": dict(step.titles)} for step in steps]
    document = documents.get("checklist.yml")
    if isinstance(document.get("steps"), CommentedSeq):
        _merge_list(document["steps"], values, identity=lambda step: step.get("key") if isinstance(step, dict) else step)
    else:
        _sync_map(document, {"steps": values})
    documents.keep_empty("checklist.yml")


def _export_notes(session: Session, documents: _Documents, entries: list[FaqEntry]) -> None:
    """local_notes.yml: `<municipality slug>: {<faq key>: {<lang>: text}}` (written once there is a note)."""
    notes = session.scalars(
        select(LocalNote).options(selectinload(LocalNote.entry), selectinload(LocalNote.municipality))
    ).all()
    if not notes and not (documents.directory / "local_notes.yml").exists():
        return
    key_rank = {entry.key: rank for rank, entry in enumerate(entries)}
    notes = sorted(notes, key=lambda note: (note.municipality.slug, key_rank[note.entry.key],
                                            LANGUAGES.index(note.language) if note.language in LANGUAGES else 99))
    wanted: dict[str, dict[str, dict[str, str]]] = {}
    for note in notes:
        wanted.setdefault(note.municipality.slug, {}).setdefault(note.entry.key, {})[note.language] = note.text
    document = documents.get("local_notes.yml", HEADERS["local_notes"])
    for slug in [slug for slug in document if slug not in wanted]:
        _delete_key(document, slug)
    _sync_map(document, wanted)
    documents.keep_empty("local_notes.yml")


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DIR
    try:
        with session_scope() as session:
            changed = export(session, directory)
            if directory.resolve() == DEFAULT_DIR.resolve():
                # The files now hold the database's content: `make run` need not reload them (catalog/seed.py).
                _remember(session, files_hash(directory))
    except ExportError as error:
        print(f"content-export: {error}", file=sys.stderr)
        return 1
    for path in changed:
        print(f"  {path.relative_to(directory) if path.is_relative_to(directory) else path}")
    print(f"content-export: {len(changed)} files changed under {directory} (review them with git diff)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
