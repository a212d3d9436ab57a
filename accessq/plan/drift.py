"""Drift: which queues' changes undo a hand edit made in Jira, and which come from the config.

`apply` records in Jira (project properties, accessq.apply.applied) a fingerprint of what it last
applied per queue: {slug: `fingerprint.desired_fingerprint`}. A later plan labels each queue with
changes: `drift` when the configuration still asks exactly what was applied then (so Jira was
changed by hand since), `configuration` otherwise (the queue file or the `jira:` settings changed,
the queue is new or leaves the configuration, or its last apply did not finish).

The record is anyone's to edit (any project admin can write a project property): it only LABELS
changes, never decides what is planned or applied. A record that is not exactly the shape accessq
writes is ignored whole, with one note.

Jira keeps at most 32,768 bytes per property, and 3,000 queues take ~90 KB, so the record is
split: `accessq.applied` holds the first part and how many there are, `accessq.applied.1` ... the
rest; every part carries the id of the write it belongs to, so parts of two applies never mix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from accessq.config.models import Config
from accessq.config.naming import slug
from accessq.config.selection import is_selected
from accessq.plan.fingerprint import desired_fingerprint
from accessq.plan.model import Plan

Origin = Literal["drift", "configuration"]

HEAD_KEY = "accessq.applied"
VERSION = 1
PART_BYTES = 30_000  # of Jira's 32,768 per property, with room for the part's own fields
MAX_PARTS = 64  # ~1.9 MB: far beyond any real site; a larger record is not written
_HASH = re.compile(r"[0-9a-f]{12}")
_WRITE_ID = re.compile(r"[0-9a-f]{1,32}")
_SLUG_MAX = 300
_SHOWN = 60

IGNORED = (
    "Ignored the record of the last apply in Jira (project property {key}): {why}; "
    "changes are not labelled drift or configuration."
)


class RecordError(ValueError):
    """The record in Jira is not one accessq wrote; `str()` says why, briefly."""


def part_key(index: int) -> str:
    return HEAD_KEY if index == 0 else f"{HEAD_KEY}.{index}"


@dataclass(frozen=True)
class Head:
    """What the first part says: the write it belongs to and how many parts there are."""

    write: str
    parts: int
    queues: dict[str, str]


def parse_part(value: Any, index: int, write: str | None = None) -> Head:
    """One part as read from Jira; raises `RecordError` unless it is exactly what accessq wrote."""
    key = part_key(index)
    if not isinstance(value, dict) or value.get("version") != VERSION:
        raise RecordError(f"{key} is not a version-{VERSION} record")
    got = value.get("write")
    if not isinstance(got, str) or not _WRITE_ID.fullmatch(got):
        raise RecordError(f"{key} names no write id")
    if write is not None and got != write:
        raise RecordError(f"{key} belongs to another apply than {HEAD_KEY} (written meanwhile?)")
    parts = value.get("parts", 1) if index == 0 else 1
    if type(parts) is not int or not 1 <= parts <= MAX_PARTS:
        raise RecordError(f"{key} gives {_short(parts)} parts")
    if index and value.get("part") != index:
        raise RecordError(f"{key} does not say it is part {index}")
    queues = value.get("queues")
    if not isinstance(queues, dict):
        raise RecordError(f"{key} has no queues")
    for name, digest in queues.items():
        if not (0 < len(name) <= _SLUG_MAX) or not isinstance(digest, str):
            raise RecordError(f"{key} has an entry that is not a queue: {_short(name)}")
        if not _HASH.fullmatch(digest):
            raise RecordError(f"{key}: {_short(name)} has no fingerprint")
    return Head(write=got, parts=parts, queues=dict(queues))


def encode(queues: Mapping[str, str], write: str) -> list[dict[str, Any]]:
    """The record as parts (first part first), each within `PART_BYTES` as JSON; raises
    `RecordError` when it would take more than `MAX_PARTS`."""
    chunks: list[dict[str, str]] = [{}]
    size = 0
    for name, digest in sorted(queues.items()):
        entry = len(json.dumps({name: digest})) + 2  # the separator and a margin
        if size + entry > PART_BYTES and chunks[-1]:
            chunks.append({})
            size = 0
        chunks[-1][name] = digest
        size += entry
    if len(chunks) > MAX_PARTS:
        raise RecordError(f"{len(queues)} queues would take {len(chunks)} properties")
    parts: list[dict[str, Any]] = []
    for index, chunk in enumerate(chunks):
        head = {"parts": len(chunks)} if index == 0 else {"part": index}
        parts.append({"version": VERSION, "write": write, **head, "queues": chunk})
    return parts


def origins(plan: Plan, config: Config, recorded: Mapping[str, str]) -> dict[str, Origin]:
    """Per queue with changes: `drift` when the configuration asks what was last applied."""
    by_name = {q.name: q for q in config.queues}
    labels: dict[str, Origin] = {}
    for name in plan.queues():
        queue = by_name.get(name)
        same = queue is not None and recorded.get(slug(name)) == desired_fingerprint(queue, config)
        labels[name] = "drift" if same else "configuration"
    return labels


def merged(
    recorded: Mapping[str, str] | None, config: Config, plan: Plan, confirmed: set[str]
) -> dict[str, str]:
    """The record after an apply of `plan`: queues in `confirmed` (configured names whose every
    step succeeded, or that needed none) get their fingerprint; other queues this apply touched
    are forgotten (their state is unknown); queues outside its selection keep their entry."""
    record = dict(recorded or {})
    configured = {slug(q.name) for q in config.queues}
    if plan.only is None:
        record = {k: v for k, v in record.items() if k in configured}
    for name in plan.queues():
        record.pop(slug(name), None)
    for queue in config.queues:
        if not is_selected(queue, plan.only):
            continue
        if queue.name in confirmed:
            record[slug(queue.name)] = desired_fingerprint(queue, config)
        else:
            record.pop(slug(queue.name), None)
    return record


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True) if not isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
