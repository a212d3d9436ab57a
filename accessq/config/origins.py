"""Where each queue and person of a merged configuration came from: file, position, key path.

A merged `Config` no longer knows which file (or which index in that file) a queue came from;
the loader records it here so that a check on the merged configuration can still say
`queues/delta.yaml:7:9` and `rp_queues[0].agents[1].email`.
"""

from __future__ import annotations

from typing import Any

from accessq.config.models import Location
from accessq.config.yaml_source import KeyPath, YamlDocument


def format_key_path(path: KeyPath) -> str:
    """`('rp_queues', 2, 'agents', 0, 'email')` -> `rp_queues[2].agents[0].email`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class Origins:
    """Maps a model object (a queue, a person) to its document and key path."""

    def __init__(self) -> None:
        # id() -> (object, ...): holding the object keeps its id from being reused.
        self._where: dict[int, tuple[Any, YamlDocument, KeyPath, dict[str, list[int]]]] = {}

    def add(
        self, obj: Any, doc: YamlDocument, path: KeyPath, kept: dict[str, list[int]] | None = None
    ) -> None:
        """Record `obj` at `path` of `doc`; `kept` maps lists that lost invalid items
        to the file index of each item kept (see `accessq.config.salvage`)."""
        self._where[id(obj)] = (obj, doc, path, kept or {})

    def pruned(self, obj: Any, key: str) -> bool:
        """True when `obj`'s `key` lost invalid parts, so rules about it would mislead."""
        entry = self._where.get(id(obj))
        return entry is not None and key in entry[3]

    def locate(self, obj: Any, *sub: str | int) -> tuple[Location | None, str | None]:
        """Position and key path of `obj` (its first key), or of its field `sub` when given."""
        entry = self._where.get(id(obj))
        if entry is None:
            return getattr(obj, "location", None), None
        _, doc, path, kept = entry
        if len(sub) > 1 and isinstance(sub[1], int) and str(sub[0]) in kept:
            sub = (sub[0], kept[str(sub[0])][sub[1]], *sub[2:])
        full = (*path, *sub)
        where = doc.value_at(full) if sub else doc.item_at(full)
        return where, format_key_path(full)
