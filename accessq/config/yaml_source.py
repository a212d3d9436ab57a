"""Read one queue file into plain data plus the position of every key and value.

pyyaml's `SafeLoader` composes the file into nodes (each with its `start_mark`); we build the
Python values ourselves so that we can record where each came from, reject duplicate keys (pyyaml
keeps the last one silently), allow only plain YAML tags, and bound what a hostile file can cost:
its size, its node count, its nesting, its aliases and what they expand to ("billion laughs").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from accessq.config.diagnostics import Diagnostic
from accessq.config.models import Location
from accessq.config.text import codepoint

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 100_000  # values as written; bounds the memory of composing a file
MAX_ALIASES = 1_000
MAX_EXPANDED = 100_000  # values once every alias is expanded
MAX_DEPTH = 32  # the language nests 5 deep; this also keeps recursion far from Python's limit

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MERGE = f"{_TAG}merge"
_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")
# pyyaml's words for what is, nearly always, a key indented too much or too little.
_INDENTATION_SIGNS = ("<block end>", "mapping values are not allowed here")


class SourceError(Exception):
    """A file that cannot be read as a queue file at all; carries its one diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass
class YamlDocument:
    """One file's values, with where each key and value stands in it."""

    file: str  # as the user gave it
    data: Any
    values: dict[KeyPath, Location] = field(default_factory=dict)
    keys: dict[KeyPath, Location] = field(default_factory=dict)
    items: dict[KeyPath, Location] = field(default_factory=dict)  # a mapping's first key

    def value_at(self, path: KeyPath) -> Location:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        for prefix in _prefixes(path):
            if prefix in self.values:
                return self.values[prefix]
        return Location(self.file, 1, 1)

    def key_at(self, path: KeyPath) -> Location:
        """Position of the key that introduces `path` (falls back to the value)."""
        return self.keys.get(path) or self.value_at(path)

    def item_at(self, path: KeyPath) -> Location:
        """Position of a mapping's first key: where a queue or person 'starts'."""
        for prefix in _prefixes(path):
            if prefix in self.items:
                return self.items[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Location(self.file, 1, 1)


def _prefixes(path: KeyPath) -> Iterator[KeyPath]:
    for end in range(len(path), -1, -1):
        yield path[:end]


def read_document(path: Path, shown: str) -> YamlDocument:
    """Parse `path` (named `shown` in messages); raise SourceError for anything unusable."""
    text = _read_text(path, shown)
    root = _compose(text, shown)
    if root is None or (isinstance(root, ScalarNode) and root.tag == f"{_TAG}null"):
        raise SourceError(
            Diagnostic("the file is empty; a queue file starts with 'version: 1'", _at(shown, 1, 1))
        )
    _check_expansion(root, shown)
    doc = YamlDocument(file=shown, data=None)
    doc.data = _Builder(doc).build(root, (), 0)
    return doc


def _at(shown: str, line: int, column: int) -> Location:
    return Location(shown, line, column)


def _mark(shown: str, mark: Any) -> Location:
    return Location(shown, mark.line + 1, mark.column + 1)


def _read_text(path: Path, shown: str) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SourceError(Diagnostic(f"{shown}: cannot read the file: {reason.lower()}")) from None
    if len(raw) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise SourceError(
            Diagnostic(f"the file is larger than {limit} MiB, the limit", _at(shown, 1, 1))
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode" editors save UTF-16
        raise SourceError(Diagnostic("the file is UTF-16 text; save it as UTF-8", _at(shown, 1, 1)))
    if b"\0" in raw:
        offset = raw.index(b"\0")
        raise SourceError(
            Diagnostic("this is a binary file, not YAML text", _byte_location(shown, raw, offset))
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            Diagnostic(
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                _byte_location(shown, raw, exc.start),
            )
        ) from None
    _refuse_hidden_breaks(text, shown)
    return text


def _refuse_hidden_breaks(text: str, shown: str) -> None:
    """YAML ends a line at U+0085, U+2028 and U+2029, where editors show none: such a character
    (pasted from a web page, say) would silently split a value in two and shift every line
    number after it. Written as an escape in quotes ("\\u2028"), it is checked with its value."""
    found = _HIDDEN_BREAK.search(text)
    if found is None:
        return
    offset = found.start()
    line_start = text.rfind("\n", 0, offset) + 1
    where = _at(shown, text.count("\n", 0, offset) + 1, offset - line_start + 1)
    raise SourceError(
        Diagnostic(
            f"the file holds {codepoint(found.group())}, which YAML reads as a line break "
            "where most editors show none; remove it",
            where,
        )
    )


def _byte_location(shown: str, raw: bytes, offset: int) -> Location:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return _at(shown, raw.count(b"\n", 0, offset) + 1, offset - line_start + 1)


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts and limits nodes, aliases and nesting while it composes."""

    def __init__(self, stream: str, shown: str) -> None:
        super().__init__(stream)
        self.shown = shown
        self.nodes = 0
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self._limit(f"more than {MAX_ALIASES} aliases (*name)", event)
        else:
            self.nodes += 1
            if self.nodes > MAX_NODES:
                raise self._limit(f"more than {MAX_NODES} values", event)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._limit(f"values nested more than {MAX_DEPTH} levels deep", event)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def _limit(self, what: str, event: Any) -> SourceError:
        return SourceError(
            Diagnostic(
                f"the file has {what}; refusing to read it", _mark(self.shown, event.start_mark)
            )
        )


def _compose(text: str, shown: str) -> Node | None:
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text, shown)  # checks every character up front
        return loader.get_single_node()
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else 0
        raise SourceError(
            Diagnostic(
                f"invalid YAML: character #x{char:04x} is not allowed", _at(shown, line, column)
            )
        ) from None
    except ComposerError as exc:
        if exc.context == "expected a single document in the stream":
            message = "a queue file holds one YAML document, but a second one starts here (---)"
            raise SourceError(Diagnostic(message, _mark(shown, exc.problem_mark))) from None
        raise SourceError(_marked(exc, shown)) from None
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_marked(exc, shown)) from None
    finally:
        if loader is not None:
            loader.dispose()


def _marked(exc: yaml.MarkedYAMLError, shown: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    plain = _plain_words(exc, mark)
    if plain is not None and mark is not None:
        return Diagnostic(plain, _mark(shown, mark))
    message = f"invalid YAML: {exc.problem or exc.context}"
    if (
        exc.context
        and exc.problem
        and exc.context_mark
        and mark
        and exc.context_mark.line != mark.line
    ):
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    if any(sign in message for sign in _INDENTATION_SIGNS):
        message += "; check the indentation"
    return Diagnostic(message, _mark(shown, mark) if mark else _at(shown, 1, 1))


# `key: value: more`: the line's first key, then a value holding ": " of its own.
_VALUE_WITH_COLON = re.compile(r"^\s*(?:-\s+)*([^\s#:{}\[\]\"',][^:#]*?)\s*:\s+[^\s\"'{\[|>&*!]")


def _plain_words(exc: yaml.MarkedYAMLError, mark: yaml.Mark | None) -> str | None:
    """pyyaml's words for the two slips people make most, said in the queue language."""
    if mark is None:
        return None
    if exc.problem and "'\\t'" in exc.problem:  # "found character '\t' that cannot start ..."
        return "a tab character; YAML indents with spaces"
    if exc.problem == "mapping values are not allowed here" and isinstance(mark.buffer, str):
        start = mark.buffer.rfind("\n", 0, mark.pointer) + 1
        line = mark.buffer[start : mark.pointer]
        found = _VALUE_WITH_COLON.match(line)
        if found is not None:
            key = found.group(1).strip()
            value = mark.buffer[start:].split("\n", 1)[0][found.end() - 1 :]
            value = value.split(" #", 1)[0].strip()
            return (
                f"the value of '{key}' holds ': ', which YAML reads as a new key; quote the "
                f"value: {key}: {json.dumps(value, ensure_ascii=False)}"
            )
    return None


def _check_expansion(root: Node, shown: str) -> None:
    """Count the values aliases would expand to, without expanding them, and refuse too many.

    Each node's size is computed once (aliases share nodes), so this costs one pass over the
    nodes as written, however large the expansion would be.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise SourceError(
                Diagnostic(
                    "invalid YAML: an alias refers to a value that contains it (a loop)",
                    _mark(shown, node.start_mark),
                )
            )
        if depth > MAX_DEPTH:
            raise SourceError(
                Diagnostic(
                    f"aliases nest values more than {MAX_DEPTH} levels deep; refusing to read it",
                    _mark(shown, node.start_mark),
                )
            )
        active.add(key)
        total = 1
        for child in _children(node):
            total += size(child, depth + 1)
            if total > MAX_EXPANDED:
                raise SourceError(
                    Diagnostic(
                        f"aliases here expand to more than {MAX_EXPANDED} values "
                        "(a 'billion laughs' file?); refusing to read it",
                        _mark(shown, node.start_mark),
                    )
                )
        active.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


class _Builder:
    """Turns nodes into plain values, recording positions in the document as it goes."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.constructor = SafeConstructor()

    def error(self, message: str, node: Node) -> SourceError:
        return SourceError(Diagnostic(message, _mark(self.doc.file, node.start_mark)))

    def build(self, node: Node, path: KeyPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.error(f"values nest more than {MAX_DEPTH} levels deep", node)
        self.doc.values.setdefault(path, _mark(self.doc.file, node.start_mark))
        if isinstance(node, MappingNode):
            if node.tag != f"{_TAG}map":
                raise self._bad_tag(node)
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != f"{_TAG}seq":
                raise self._bad_tag(node)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            raise self._bad_tag(node)
        try:
            return self.constructor.construct_object(node)
        except ValueError:
            # Looks like a date or number but is not one (2024-13-45): keep the text as written.
            return str(node.value)

    def _bad_tag(self, node: Node) -> SourceError:
        tag = node.tag.replace(_TAG, "!!")
        return self.error(f"the YAML tag '{tag}' is not allowed; queue files are plain YAML", node)

    def _mapping(self, node: MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        merged: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                raise self.error("a key must be a plain word, not a list or a mapping", key_node)
            key = str(key_node.value)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise self.error(f"duplicate key '{key}' (first at line {first})", key_node)
            seen[key] = key_node
            child = (*path, key)
            # setdefault throughout: keys written in the mapping come before merged ones and win.
            key_at = self.doc.keys.setdefault(child, _mark(self.doc.file, key_node.start_mark))
            if _is_empty(value_node):
                # An empty value has no text of its own; point at its key instead.
                self.doc.values.setdefault(child, key_at)
            result[key] = self.build(value_node, child, depth + 1)
        first_key = next(iter(seen.values()), None)
        if first_key is not None:
            self.doc.items.setdefault(path, _mark(self.doc.file, first_key.start_mark))
        for source in merged:
            self._merge(result, source, path, depth)
        return result

    def _merge(self, result: dict[str, Any], source: Node, path: KeyPath, depth: int) -> None:
        """`<<: *base` (or a list of them): keys written here win over merged ones."""
        sources = source.value if isinstance(source, SequenceNode) else [source]
        for item in sources:
            if not isinstance(item, MappingNode):
                raise self.error("'<<' merges only mappings", item)
            for key, value in self._mapping(item, path, depth).items():
                result.setdefault(key, value)


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and node.style is None
