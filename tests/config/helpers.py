"""Assertion helpers for the config tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from accessq.config.diagnostics import Diagnostic
from accessq.config.loader import LoadResult

Write = Callable[..., Path]  # the `write` fixture: write(name, text) -> path
Load = Callable[..., LoadResult]  # the `load` fixture: load(text) -> LoadResult of q.yaml


def lines(findings: list[Diagnostic]) -> list[str]:
    return [str(d) for d in findings]


def only_error(result: LoadResult) -> str:
    """The one error of an invalid result, as the line a user reads."""
    assert result.config is None
    assert len(result.errors) == 1, lines(result.errors)
    return str(result.errors[0])
