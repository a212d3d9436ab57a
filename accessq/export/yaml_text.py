"""Queue YAML text for `accessq export`, written by hand for a stable, readable layout.

The layout follows `examples/queues.yaml`: people as one-line flow mappings, keywords as a flow
list, comments where a reviewer needs them. Scalars are written plain only when plain YAML reads
them back as the same string; otherwise double-quoted with escapes (or, for a multi-line
description, as a literal block), so any text survives the trip through the loader unchanged.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

import yaml

from accessq.config.models import JiraSettings
from accessq.export.collect import ExportedQueue, Person

INDENT = "  "
# Conservative on purpose: a letter or digit first, then no '#', brackets or double quotes. Commas
# and colons only outside flow collections (where a comma separates items), and a colon never
# before a space or at the end (`key: value`): so URLs stay plain.
_PLAIN_FLOW = re.compile(r"[^\W_][\w .@+()/'&-]*")
_PLAIN_BLOCK = re.compile(r"[^\W_](?:[\w .,@+()/'&=?%~-]|:(?=[^\s]))*")
WIDTH = 100  # comments wrap here, like the rest of the repository
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Line breaks YAML folds or normalises inside a scalar, and the byte-order mark.
_SPECIAL = frozenset("\r\x85\u2028\u2029\ufeff")


def _printable(ch: str) -> bool:
    """Whether YAML lets this character stand as itself (YAML 1.1 c-printable, minus breaks)."""
    code = ord(ch)
    if ch in _SPECIAL:
        return False
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _printable(ch):
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def double_quoted(text: str) -> str:
    return '"' + "".join(_escape(ch) for ch in text) + '"'


def scalar(text: str, *, flow: bool = True) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`, plain when that is safe.

    `flow`: the scalar stands inside `{...}` or `[...]` (the default, the stricter one).
    """
    plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if plain.fullmatch(text) and not text.endswith(" ") and _reads_back(text):
        return text
    return double_quoted(text)


# What YAML 1.2 (editors, yaml-language-server) reads as a number where pyyaml's YAML 1.1 does not.
_YAML12_NUMBER = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
)


# First characters of every non-string plain scalar pyyaml resolves (its implicit resolvers are
# keyed on them); text starting otherwise is a string, no need to parse it.
_RESOLVABLE_START = frozenset("yYnNtTfFoO0123456789-+.~<=")


def _reads_back(text: str) -> bool:
    # `yes`, `null`, `1e3`, `2024-01-01`, `1:20` would load as something else than a string.
    if _YAML12_NUMBER.fullmatch(text):
        return False
    if text and text[0] not in _RESOLVABLE_START:
        return True
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def text_block(key: str, text: str, indent: str) -> list[str]:
    """`key: value` for free text; several lines become a literal block when that is exact."""
    lines = text.split("\n")
    literal = (
        len(lines) > 1
        and all(_printable(ch) for ch in text.replace("\n", ""))
        and not lines[0].startswith(" ")
        and all(line == line.rstrip() for line in lines)
    )
    if not literal:
        return [f"{indent}{key}: {scalar(text, flow=False)}"]
    inner = indent + INDENT
    return [f"{indent}{key}: |-", *(f"{inner}{line}" if line else "" for line in lines)]


def flow_person(person: Person) -> str:
    fields = [("name", person.name)]
    if person.email:
        fields.append(("email", person.email))
    elif person.username:
        fields.append(("username", person.username))
    else:
        fields.append(("account_id", person.account_id or person.key))
    return "{" + ", ".join(f"{key}: {scalar(value)}" for key, value in fields) + "}"


def flow_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def comment(text: str, indent: str = "") -> list[str]:
    """Comment lines wrapped at WIDTH; line breaks and control characters in `text` are spaces."""
    safe = " ".join("".join(ch if _printable(ch) else " " for ch in text).split())
    lead = f"{indent}# "
    lines = textwrap.wrap(safe, WIDTH - len(lead), break_long_words=False, break_on_hyphens=False)
    return [f"{lead}{line}" for line in lines] or [lead.rstrip()]


def jira_lines(jira: JiraSettings) -> list[str]:
    """The `jira:` mapping with its non-default values only; empty when all are defaults."""
    defaults = JiraSettings()
    lines = []
    for key in JiraSettings.model_fields:
        value = getattr(jira, key)
        if value == getattr(defaults, key):
            continue
        shown = (
            ("true" if value else "false")
            if isinstance(value, bool)
            else scalar(str(value), flow=False)
        )
        lines.append(f"{INDENT}{key}: {shown}")
    return ["jira:", *lines] if lines else []


def people_lines(key: str, people: list[Person], indent: str) -> list[str]:
    if not people:
        return [f"{indent}{key}: []"]
    return [f"{indent}{key}:", *(f"{indent}{INDENT}- {flow_person(p)}" for p in people)]


def queue_lines(queue: ExportedQueue) -> list[str]:
    """One item of `rp_queues:` or `awardee_queues:`, its notes as comments above it."""
    item = INDENT * 2
    out = [line for note in queue.notes for line in comment(f"note: {note}", INDENT)]
    out.append(f"{INDENT}- name: {scalar(queue.name, flow=False)}")
    if queue.adopt:
        out.append(f"{item}adopt: true")
    if queue.description:
        out += text_block("description", queue.description, item)
    if queue.kind == "rp":
        out += people_lines("agents", queue.agents, item)
        if queue.watchers is not None:
            out += people_lines("watchers", queue.watchers, item)
    else:
        out += people_lines("updaters", queue.updaters, item)
        if queue.default_assignee:
            out.append(f"{item}default_assignee: {scalar(queue.default_assignee)}")
        if queue.keywords:
            out.append(f"{item}keywords: {flow_list(queue.keywords)}")
    return out


def queues_section(queues: list[ExportedQueue]) -> list[str]:
    """`rp_queues:` then `awardee_queues:`, each only when it has queues; a blank line between."""
    out: list[str] = []
    for key, kind in (("rp_queues", "rp"), ("awardee_queues", "awardee")):
        chosen = [q for q in queues if q.kind == kind]
        if not chosen:
            continue
        out += ["", f"{key}:"]
        for index, queue in enumerate(chosen):
            if index:
                out.append("")
            out += queue_lines(queue)
    return out
