"""The demo people every test shares: accessq/sandbox/demo_seed.yaml, read once.

Tests that look people up use `DEMO_USERS` (the seed's users by username, not to be changed);
tests that need a seed of their own start from `demo_seed()`, a fresh copy free to change.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import yaml

from accessq.sandbox import DEMO_SEED


@functools.cache
def _demo() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8"))
    return data


def demo_seed() -> dict[str, Any]:
    """The demo seed as its YAML says: a fresh copy, free to change."""
    return copy.deepcopy(_demo())


DEMO_USERS: dict[str, dict[str, Any]] = {u["username"]: u for u in _demo()["users"]}
