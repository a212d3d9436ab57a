"""The record of what `apply` last applied per queue, kept in Jira (format: accessq.plan.drift).

Reading it never fails a plan and writing it never fails an apply: either gives one line (a note
or a warning) instead. Writing puts the further parts first and the first part last, so a reader
meets either the old record whole, the new one whole, or parts of two writes, which it ignores.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from accessq.apply.lock import PropertyStore
from accessq.plan.drift import HEAD_KEY, IGNORED, RecordError, encode, parse_part, part_key


@dataclass(frozen=True)
class Recorded:
    queues: dict[str, str] | None  # None: no record (never applied) or one that was ignored
    parts: int = 0  # properties the record in Jira takes (the writer deletes the surplus)
    note: str | None = None  # why a record in Jira was ignored


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def read_applied(store: PropertyStore) -> Recorded:
    """The record (one request when it fits one property, as it does up to ~800 queues, or when
    there is none: the plan has read the project already, so a 404 means no record)."""
    try:
        value, _ = store.project_property(HEAD_KEY, clock=False)
        if value is None:
            return Recorded(None)
        head = parse_part(value, 0)
        queues = dict(head.queues)
        for index in range(1, head.parts):
            part, _ = store.project_property(part_key(index), clock=False)
            queues.update(parse_part(part, index, head.write).queues)
        return Recorded(queues, parts=head.parts)
    except RecordError as exc:
        return Recorded(None, parts=0, note=IGNORED.format(key=HEAD_KEY, why=exc))
    except Exception as exc:  # Jira refused or failed: the plan stands without labels
        why = f"it could not be read ({_one_line(exc)})"
        return Recorded(None, note=IGNORED.format(key=HEAD_KEY, why=why))


def write_applied(store: PropertyStore, queues: Mapping[str, str], *, before: int) -> str | None:
    """Write the record; `before`: how many parts the previous one took. A warning line when
    it could not be written (the apply itself is done either way)."""
    try:
        parts = encode(queues, uuid.uuid4().hex[:16])
        for index in range(len(parts) - 1, -1, -1):
            store.set_project_property(part_key(index), parts[index])
        for index in range(len(parts), before):
            store.delete_project_property(part_key(index))
    except Exception as exc:
        return (
            f"warning: could not record what was applied in Jira (project property {HEAD_KEY}: "
            f"{_one_line(exc)}); the next plan may label its changes wrongly as drift or "
            "configuration"
        )
    return None
