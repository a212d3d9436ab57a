"""The report of `accessq validate`: readable lines for people, JSON for machines.

Plain text on purpose: one `file:line:col: error: message (key.path)` line per finding (the form
editors and CI annotators already parse), then one summary line. No colour, so NO_COLOR and
pipes need no special handling.
"""

from __future__ import annotations

import json
from typing import Any

from accessq.config.diagnostics import Diagnostic
from accessq.config.loader import LoadResult
from accessq.config.models import Config, Contact, Updater
from accessq.config.people import lookup_key


def render_validation(result: LoadResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(_as_json(result), indent=2) + "\n"
    if fmt == "text":
        return _as_text(result)
    raise ValueError(f"unknown report format {fmt!r} (text or json)")


def summary(result: LoadResult) -> dict[str, int]:
    config = result.config
    return {
        "files": len(result.files),
        "rp_queues": len(config.rp_queues) if config else 0,
        "awardee_queues": len(config.awardee_queues) if config else 0,
        "people": count_people(config) if config else 0,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
    }


def count_people(config: Config) -> int:
    """Distinct people across all queues (an updater and a contact can be the same person)."""
    people: list[Contact | Updater] = []
    for rp in config.rp_queues:
        people += [*rp.agents, *(rp.watchers or [])]
    for aw in config.awardee_queues:
        people += aw.updaters
    return len({lookup_key(p, config.jira) for p in people})


def _as_text(result: LoadResult) -> str:
    lines = [str(d) for d in [*result.errors, *result.warnings]]
    lines.append(f"{_label(result)}: {_verdict(result)}")
    return "\n".join(lines) + "\n"


def _label(result: LoadResult) -> str:
    label = ", ".join(result.sources) or "(no files)"
    if len(result.files) > 1:
        label += f" ({len(result.files)} files)"
    return label


def _verdict(result: LoadResult) -> str:
    counts = summary(result)
    warned = _plural(counts["warnings"], "warning")
    if not result.ok:
        tail = f", {warned}" if counts["warnings"] else ""
        return f"invalid — {_plural(counts['errors'], 'error')}{tail}"
    parts = ", ".join(
        [
            _plural(counts["rp_queues"], "RP queue"),
            _plural(counts["awardee_queues"], "awardee queue"),
            _plural(counts["people"], "person", "people"),
        ]
    )
    return f"valid — {parts}" + (f" ({warned})" if counts["warnings"] else "")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _as_json(result: LoadResult) -> dict[str, Any]:
    return {
        "valid": result.ok,
        "files": [str(f) for f in result.files],
        "errors": [_finding(d) for d in result.errors],
        "warnings": [_finding(d) for d in result.warnings],
        "summary": summary(result),
    }


def _finding(diagnostic: Diagnostic) -> dict[str, Any]:
    loc = diagnostic.location
    return {
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "key_path": diagnostic.key_path,
        "message": diagnostic.message,
    }
