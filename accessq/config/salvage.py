"""Keep the sound part of an invalid queue, so the rules across queues still see it.

Without this, one misspelt key would hide that the same queue's name is taken, or that a keyword
is claimed twice: the user would fix one error only to meet the next. A queue whose name is bad
cannot take part at all; otherwise its bad keys and bad list items are dropped and it is
validated again.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

_M = TypeVar("_M", bound=BaseModel)
# Each key that lost its value or list items -> the file index of each list item kept:
# {'agents': [0, 2]} (items 1 and 3 were invalid), {'safety': []} (dropped whole).
Kept = dict[str, list[int]]


def validate_or_salvage(model: type[_M], data: Any) -> tuple[_M, Kept] | None:
    """`data` validated as `model`, else its sound part, else None."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        pruned = _prune(data, [tuple(e["loc"]) for e in exc.errors()])
    if pruned is None:
        return None
    pruned_data, kept = pruned
    try:
        return model.model_validate(pruned_data), kept
    except ValidationError:
        return None


def _prune(data: Any, locs: list[tuple[Any, ...]]) -> tuple[dict[str, Any], Kept] | None:
    if not isinstance(data, dict):
        return None
    drop_keys: set[str] = set()
    drop_items: dict[str, set[int]] = {}
    for loc in locs:
        if not loc or loc[0] == "name":
            return None  # the queue itself is unsound, or nothing could name it
        key = str(loc[0])
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(data.get(key), list):
            drop_items.setdefault(key, set()).add(loc[1])
        else:
            drop_keys.add(key)
    if "updaters" in drop_items or "updaters" in drop_keys:
        # The default assignee may be the updater dropped; do not call it "not an updater".
        drop_keys.add("default_assignee")
    pruned = {k: v for k, v in data.items() if k not in drop_keys}
    kept: Kept = {key: [] for key in drop_keys}
    for key, bad in drop_items.items():
        if key in drop_keys:
            continue
        kept[key] = [i for i in range(len(data[key])) if i not in bad]
        pruned[key] = [data[key][i] for i in kept[key]]
    return pruned, kept
