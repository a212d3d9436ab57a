"""`accessq list-queues`: the live queues of the project, managed or not, as table, JSON or YAML."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any, Literal

import yaml
from rich.console import Console
from rich.table import Table

from accessq.config.naming import group_name
from accessq.model.naming import AWARDEE_ROLES, LEAD_ASSIGNEE, RP_ROLES, decode_description
from accessq.model.observed import Account, Observed, ObservedComponent, TicketCounts
from accessq.render.color import console_options

ListFormat = Literal["table", "json", "yaml"]


def queue_rows(
    observed: Observed, *, members: bool, prefix: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """One plain dict per component, sorted by name: the data every format renders."""
    now = now or datetime.now(UTC)
    # Component leads come without an email on Cloud; the same account in a group has it.
    known = {m.key: m for g in observed.groups for m in g.members}
    known.update({a.key: a for a in observed.directory.values()})
    rows = []
    for component in sorted(observed.components, key=lambda c: c.name.casefold()):
        text = decode_description(component.description)
        groups = {
            role: observed.group(group_name(prefix, component.name, role))
            for role in (*RP_ROLES, *AWARDEE_ROLES)
        }
        present = {role: g for role, g in groups.items() if g is not None}
        if not text.managed:
            kind = "unmanaged"
        elif "updaters" in present or component.assignee_type == LEAD_ASSIGNEE:
            kind = "awardee"
        else:
            kind = "RP"
        row: dict[str, Any] = {
            "name": component.name,
            "kind": kind,
            "description": text.description,
            "keywords": list(text.keywords),
            "aliases": list(text.aliases),
            "default_assignee": _assignee(component, known),
            "counts": {role: len(g.members) for role, g in present.items()},
            "tickets": _tickets(component.tickets, now),
        }
        if members:
            row["members"] = {
                role: [_person(m) for m in sorted(g.members, key=_by_name)]
                for role, g in present.items()
            }
        rows.append(row)
    return rows


def render_queue_list(
    observed: Observed,
    fmt: ListFormat,
    members: bool,
    prefix: str,
    *,
    color: bool = False,
    width: int | None = None,
    now: datetime | None = None,
) -> str:
    """The listing as text.

    Table only: `color` (`render.color.use_color`, the caller's decision) colours it; `width`
    (e.g. the terminal's) wraps cells to fit, None keeps every row on its natural width.
    """
    rows = queue_rows(observed, members=members, prefix=prefix, now=now)
    if fmt == "json":
        document = {"target": observed.target.model_dump(), "queues": rows}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        document = {"target": observed.target.model_dump(), "queues": rows}
        return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
    if fmt == "table":
        return _table(observed, rows, members=members, color=color, width=width)
    raise ValueError(f"unknown format {fmt!r}: use table, json or yaml")


def _tickets(counts: TicketCounts | None, now: datetime) -> dict[str, Any] | None:
    """{open, total, open_unassigned, oldest_open (ISO time), oldest_open_days}; None unread."""
    if counts is None:
        return None
    oldest = counts.oldest_open
    return {
        "open": counts.open,
        "total": counts.total,
        "open_unassigned": counts.open_unassigned,
        "oldest_open": oldest.isoformat() if oldest else None,
        "oldest_open_days": max(0, (now - oldest).days) if oldest else None,
    }


def _ticket_cells(tickets: dict[str, Any] | None) -> list[str]:
    if tickets is None:
        return ["?"] * 4
    days = tickets["oldest_open_days"]
    total = tickets["total"]
    return [
        str(tickets["open"]),
        "?" if total is None else str(total),
        str(tickets["open_unassigned"]),
        "-" if days is None else f"{days} d",
    ]


def _assignee(component: ObservedComponent, known: dict[str, Account]) -> str:
    lead = component.lead
    if component.assignee_type == LEAD_ASSIGNEE and lead is not None:
        return known.get(lead.key, lead).label()
    if component.assignee_type == LEAD_ASSIGNEE:
        return "component lead (none set)"
    return "project default"


def _by_name(account: Account) -> tuple[str, str]:
    return (account.display_name.casefold(), account.key)


def _person(account: Account) -> dict[str, Any]:
    person: dict[str, Any] = {"name": account.display_name or account.key}
    if account.email:
        person["email"] = account.email
    else:  # the directory hides the email: the key is how to name them in a queue file
        person["key"] = account.key
    if not account.active:
        person["active"] = False
    return person


def _person_line(person: dict[str, Any]) -> str:
    who = person["name"]
    ident = f"<{person['email']}>" if "email" in person else f"[{person['key']}]"
    inactive = " (inactive)" if person.get("active") is False else ""
    return f"{who} {ident}{inactive}"


def _table(
    observed: Observed,
    rows: list[dict[str, Any]],
    *,
    members: bool,
    color: bool,
    width: int | None,
) -> str:
    table = Table(title=f"Queues at {observed.target.describe()}", title_justify="left")
    table.add_column("Queue", overflow="fold")
    table.add_column("Kind")
    table.add_column("Agents", justify="right")
    table.add_column("Watchers", justify="right")
    table.add_column("Updaters", justify="right")
    table.add_column("Open", justify="right")
    table.add_column("Total", justify="right")
    table.add_column("Unassigned", justify="right")
    table.add_column("Oldest open", justify="right")
    table.add_column("Default assignee", overflow="fold")
    table.add_column("Keywords", overflow="fold")
    if members:
        table.add_column("Members", overflow="fold")
    for row in rows:
        counts = row["counts"]
        cells = [
            row["name"],
            row["kind"],
            *(str(counts[r]) if r in counts else "-" for r in ("agents", "watchers", "updaters")),
            *_ticket_cells(row["tickets"]),
            row["default_assignee"],
            ", ".join(row["keywords"]) or "-",
        ]
        if members:
            cells.append(
                "\n".join(
                    f"{role}: {_person_line(p)}"
                    for role, people in row["members"].items()
                    for p in people
                )
                or "-"
            )
        table.add_row(*cells)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or 100_000,  # tables do not expand: this is their natural width
        highlight=False,
        **console_options(color),
    )
    console.print(table)
    if not rows:
        console.print("No components in the project.")
    # Rich pads every line to the console width; trailing blanks only get in the way of diffs.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
