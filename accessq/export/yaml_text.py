"""Queue YAML text for `accessq export`: a stable, readable layout around emitted values.

The layout follows `examples/queues.yaml`: people as one-line flow mappings, keywords as a flow
list, comments where a reviewer needs them. The layout (comments, blank lines, key order) is
ours; every value is written by pyyaml's emitter, which decides plain or quoted and escapes, so
any text survives the trip through the loader unchanged (double quotes preferred; a multi-line
description a literal block when that is exact).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

import yaml

from accessq.config.models import JiraSettings
from accessq.export.collect import ExportedQueue, Person

INDENT = "  "
WIDTH = 100  # comments wrap here, like the rest of the repository
_UNLIMITED = 1 << 30  # the emitter never folds a value: a scalar stays on its key's line
# Line breaks YAML folds or normalises inside a scalar, and the byte-order mark.
_SPECIAL = frozenset("\r\x85\u2028\u2029\ufeff")
# What YAML 1.2 (editors, yaml-language-server) reads as a number where pyyaml's YAML 1.1 does not.
_YAML12_NUMBER = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
)


class _Dumper(yaml.SafeDumper):
    """pyyaml's emitter decides plain or quoted and escapes; we only prefer double quotes.

    Double quotes can carry every character as an escape, single quotes cannot; and a string a
    YAML 1.2 reader would take for a number is quoted too.
    """

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float", _YAML12_NUMBER, list("-+.0123456789")
)


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


def _emit(value: object, *, flow: bool) -> str:
    text = yaml.dump(
        value,
        Dumper=_Dumper,
        default_flow_style=flow,
        allow_unicode=True,
        sort_keys=False,
        width=_UNLIMITED,
    )
    return text.removesuffix("...\n").rstrip("\n")


def scalar(text: str, *, flow: bool = True) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`, plain when that is safe.

    `flow`: the scalar stands inside `{...}` or `[...]` (the default, the stricter one).
    """
    if flow:
        return _emit([text], flow=True)[1:-1]
    return _emit({"k": text}, flow=False).removeprefix("k: ")


class _Literal(str):
    """A multi-line text the emitter writes as a literal block when it can be exact."""


def _literal(dumper: yaml.SafeDumper, data: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


_Dumper.add_representer(_Literal, _literal)


def text_block(key: str, text: str, indent: str) -> list[str]:
    """`key: value` for free text; several lines become a literal block when that is exact."""
    # pyyaml would put a NEL or line separator raw into a literal block, where it reads back as
    # a line break: such text is double-quoted with escapes instead.
    if "\n" not in text or not all(_printable(ch) for ch in text.replace("\n", "")):
        return [f"{indent}{key}: {scalar(text, flow=False)}"]
    first, *rest = _emit({key: _Literal(text)}, flow=False).split("\n")
    # The emitter indents a block's lines by two under a top-level key: shift them to `indent`.
    return [f"{indent}{first}", *(f"{indent}{line}" if line else "" for line in rest)]


def flow_person(person: Person) -> str:
    fields = {"name": person.name}
    if person.email:
        fields["email"] = person.email
    elif person.username:
        fields["username"] = person.username
    else:
        fields["account_id"] = person.account_id or person.key
    return _emit(fields, flow=True)


def flow_list(values: Iterable[str]) -> str:
    return _emit(list(values), flow=True)


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
    if queue.aliases:
        out.append(f"{item}aliases: {flow_list(queue.aliases)}")
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
