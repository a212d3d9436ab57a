"""The words for each change, shared by the text and markdown renderers so they never disagree.

Free text (names, descriptions, JQL) is shown JSON-quoted: an empty string, a trailing space or a
line break is visible rather than guessed at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from accessq.plan.model import Change, Plan, TicketNote, lead_label

Symbol = Literal["+", "~", "-"]

_SYMBOL: dict[str, Symbol] = {
    "create": "+",
    "add": "+",
    "update": "~",
    "remove": "-",
    "delete": "-",
}


def symbol_of(change: Change) -> Symbol:
    """`+` gives, `~` changes, `-` takes away: by the kind of operation (create_, add_, ...)."""
    return _SYMBOL[change.action.split("_", 1)[0]]


@dataclass(frozen=True)
class Line:
    symbol: Symbol
    text: str
    source: str | None = None
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QueueBlock:
    queue: str
    symbol: Symbol
    title: str  # e.g. `Anvil (new queue)`
    source: str | None
    lines: list[Line]


def quote(text: Any) -> str:
    return json.dumps(text, ensure_ascii=False)


def _keywords(value: Any) -> str:
    return ", ".join(value) if value else "(none)"


def _component_details(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    details = []
    if "name" in after:
        details.append(f"name: {quote(before.get('name'))} -> {quote(after['name'])}")
    if "description" in after and before.get("description") != after["description"]:
        details.append(
            f"description: {quote(before.get('description'))} -> {quote(after['description'])}"
        )
    if "keywords" in after and before.get("keywords") != after["keywords"]:
        details.append(
            f"keywords: {_keywords(before.get('keywords'))} -> {_keywords(after['keywords'])}"
        )
    if "lead" in after:
        details.append(
            f"default assignee: {lead_label(before.get('lead'))} -> {lead_label(after['lead'])}"
        )
    if "assignee_type" in after and before.get("assignee_type") != after["assignee_type"]:
        details.append(f"assignee type: {before.get('assignee_type')} -> {after['assignee_type']}")
    return details


def tickets_detail(change: Change) -> list[str]:
    """What happens to the tickets of a component the change deletes or renames."""
    note: TicketNote | None = change.tickets
    if note is None:
        return []
    held = "open tickets not counted" if note.open is None else f"{note.open} open tickets"
    if note.open == 1:
        held = "1 open ticket"
    if change.action == "update_component":
        return [f"tickets: renamed, not recreated: its {held} stay in it"]
    if note.move_to is not None:
        return [f"tickets: holds {held}; all its tickets move to {quote(note.move_to)}"]
    return [f"tickets: holds {held}; deleting it takes the component off its tickets"]


def describe(change: Change) -> Line:
    """One change as a line (and detail lines) a reviewer reads."""
    symbol = symbol_of(change)
    before = change.before if isinstance(change.before, dict) else {}
    after = change.after if isinstance(change.after, dict) else {}
    person = change.person.label() if change.person else ""
    action = change.action
    if action == "create_component":
        details = []
        if after.get("description"):
            details.append(f"description: {quote(after['description'])}")
        if after.get("keywords"):
            details.append(f"keywords: {_keywords(after['keywords'])}")
        return Line(symbol, f"component {quote(change.target)}", change.source, details)
    if action == "update_component":
        details = _component_details(before, after) + tickets_detail(change)
        return Line(symbol, f"component {quote(change.target)}", change.source, details)
    if action == "delete_component":
        details = tickets_detail(change)
        return Line(symbol, f"component {quote(change.target)}", change.source, details)
    if action == "create_group":
        return Line(symbol, f"group {change.target}", change.source)
    if action == "delete_group":
        count = len(before.get("members", []))
        members = "1 member" if count == 1 else f"{count} members"
        return Line(symbol, f"group {change.target} ({members})", change.source)
    if action in ("add_member", "remove_member"):
        return Line(symbol, f"{change.role}: {person}", change.source)
    if action == "create_jsm_queue":
        return Line(
            symbol,
            f"JSM queue view {quote(change.target)}",
            change.source,
            [f"jql: {quote(after.get('jql'))}"],
        )
    if action == "update_jsm_queue":
        details = [
            f"{key}: {quote(before.get(key))} -> {quote(after[key])}"
            for key in ("name", "jql")
            if before.get(key) != after.get(key)
        ]
        return Line(symbol, f"JSM queue view {quote(change.target)}", change.source, details)
    return Line(symbol, f"JSM queue view {quote(change.target)}", change.source)


def _title(plan: Plan, queue: str, changes: list[Change]) -> tuple[Symbol, str]:
    kind = plan.queue_kind(queue)
    if kind == "create":
        return "+", f"{queue} (new queue)"
    if kind == "delete":
        return "-", f"{queue} (no longer configured: deleted)"
    renamed = next(
        (c.before["name"] for c in changes if c.action == "update_component" and "name" in c.after),
        None,
    )
    return "~", f"{queue} (renamed from {quote(renamed)})" if renamed else queue


def blocks(plan: Plan) -> list[QueueBlock]:
    """The plan's changes grouped by queue, queues by name, changes in apply order."""
    by_queue: dict[str, list[Change]] = {}
    for change in plan.changes:
        by_queue.setdefault(change.queue, []).append(change)
    result = []
    for queue in plan.queues():
        changes = by_queue[queue]
        symbol, title = _title(plan, queue, changes)
        # The queue's own position: the first change that is not about one person.
        source = next((c.source for c in changes if c.source and c.person is None), None)
        lines = [describe(c) for c in changes]
        result.append(QueueBlock(queue, symbol, title, source, lines))
    return result
