"""The words for each change, shared by the text and markdown renderers so they never disagree.

Free text (names, descriptions, JQL) is shown JSON-quoted: an empty string, a trailing space or a
line break is visible rather than guessed at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, assert_never

from accessq.config.text import visible
from accessq.plan.model import Change, Plan, TicketNote, lead_label
from accessq.plan.payload import (
    AddMember,
    ComponentFields,
    CreateComponent,
    CreateGroup,
    CreateJsmQueue,
    DeleteComponent,
    DeleteGroup,
    DeleteJsmQueue,
    RemoveMember,
    UpdateComponent,
    UpdateJsmQueue,
)

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


def _term(term: str) -> str:
    """A term as itself, or quoted where a comma, sign, quote or hidden character would make
    the list read wrong (`+ "C, C++"` is one alias, not two)."""
    plain = term.isprintable() and term == term.strip() and term[:1] not in ("+", "-")
    # Jira's side may hold anything: a hidden character shows as its code (`<U+202E>`).
    return term if plain and not {",", '"'} & set(term) else quote(visible(term, limit=None))


def _aliases(before: list[str], after: list[str]) -> str:
    """`+ Jetstream2, - JS-2`: the aliases the update adds and removes (else, a reordering)."""
    added = [f"+ {_term(a)}" for a in after if a not in before]
    removed = [f"- {_term(a)}" for a in before if a not in after]
    if added or removed:
        return ", ".join(added + removed)
    return f"{', '.join(map(_term, before))} -> {', '.join(map(_term, after))}"


def _component_details(before: ComponentFields, after: ComponentFields) -> list[str]:
    details = []
    if after.name is not None:
        details.append(f"name: {quote(before.name)} -> {quote(after.name)}")
    if after.description is not None and before.description != after.description:
        details.append(f"description: {quote(before.description)} -> {quote(after.description)}")
    if after.keywords is not None and before.keywords != after.keywords:
        details.append(f"keywords: {_keywords(before.keywords)} -> {_keywords(after.keywords)}")
    if after.aliases is not None and before.aliases != after.aliases:
        details.append(f"aliases: {_aliases(before.aliases or [], after.aliases)}")
    if after.sets_lead:
        details.append(f"default assignee: {lead_label(before.lead)} -> {lead_label(after.lead)}")
    if after.assignee_type is not None and before.assignee_type != after.assignee_type:
        details.append(f"assignee type: {before.assignee_type} -> {after.assignee_type}")
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
    component = f"component {quote(change.target)}"
    view = f"JSM queue view {quote(change.target)}"
    match change.payload:
        case CreateComponent() as new:
            details = []
            if new.description:
                details.append(f"description: {quote(new.description)}")
            if new.keywords:
                details.append(f"keywords: {_keywords(new.keywords)}")
            if new.aliases:
                details.append(f"aliases: {', '.join(map(_term, new.aliases))}")
            return Line(symbol, component, change.source, details)
        case UpdateComponent(before=before, after=after):
            details = _component_details(before, after) + tickets_detail(change)
            return Line(symbol, component, change.source, details)
        case DeleteComponent():
            return Line(symbol, component, change.source, tickets_detail(change))
        case CreateGroup():
            return Line(symbol, f"group {change.target}", change.source)
        case DeleteGroup(members=held):
            members = "1 member" if len(held) == 1 else f"{len(held)} members"
            return Line(symbol, f"group {change.target} ({members})", change.source)
        case AddMember() | RemoveMember():
            person = change.person.label() if change.person else ""
            return Line(symbol, f"{change.role}: {person}", change.source)
        case CreateJsmQueue(jql=jql):
            return Line(symbol, view, change.source, [f"jql: {quote(jql)}"])
        case UpdateJsmQueue(before=was, after=now):
            details = [
                f"{key}: {quote(old)} -> {quote(new_value)}"
                for key, old, new_value in (("name", was.name, now.name), ("jql", was.jql, now.jql))
                if old != new_value
            ]
            return Line(symbol, view, change.source, details)
        case DeleteJsmQueue():
            return Line(symbol, view, change.source)
        case unknown:
            assert_never(unknown)


def _renamed_from(changes: list[Change]) -> str | None:
    for change in changes:
        match change.payload:
            case UpdateComponent(before=before, after=after) if after.name is not None:
                return before.name
    return None


def _title(plan: Plan, queue: str, changes: list[Change]) -> tuple[Symbol, str]:
    kind = plan.queue_kind(queue)
    if kind == "create":
        return "+", f"{queue} (new queue)"
    if kind == "delete":
        return "-", f"{queue} (no longer configured: deleted)"
    renamed = _renamed_from(changes)
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
