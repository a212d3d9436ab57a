"""`accessq list-queues`: the live queues of the project, managed or not, as table, JSON or YAML."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Column:
    header: str
    cells: list[str]
    right: bool = False  # numbers
    fold_to: int | None = None  # text that may wrap down to this width; None: only at words

    @property
    def natural(self) -> int:
        return max(len(line) for text in (self.header, *self.cells) for line in text.split("\n"))

    @property
    def least(self) -> int:
        """The narrowest it gets: the header may wrap at its words, cells fold to `fold_to`."""
        cells = max((len(line) for text in self.cells for line in text.split("\n")), default=1)
        words = max(len(word) for word in self.header.split())
        return max(words, cells if self.fold_to is None else min(cells, self.fold_to))


ROLE_COLUMNS = ("agents", "watchers", "updaters")
TICKET_COLUMNS = ("Open", "Total", "Unassigned", "Oldest open")
# Left out in this order when the table is too wide; queue, kind and counts always stay.
LEAVE_OUT = (
    "Keywords",
    "Default assignee",
    "Oldest open",
    "Total",
    "Unassigned",
    "Open",
    "Members",
)


def _columns(
    rows: list[dict[str, Any]], *, members: bool, narrow: bool, width: int | None
) -> list[_Column]:
    counts = [row["counts"] for row in rows]
    tickets = [_ticket_cells(row["tickets"]) for row in rows]
    # A name folds only when it takes more than half the width: whole names are the point.
    names = _Column("Queue", [row["name"] for row in rows], fold_to=(width or 100_000) // 2)
    columns = [names, _Column("Kind", [row["kind"] for row in rows])]
    if narrow:  # a line per role in one column: a third of the width of three
        columns.append(
            _Column(
                "Counts",
                [
                    "\n".join(f"{role} {c[role]}" for role in ROLE_COLUMNS if role in c) or "-"
                    for c in counts
                ],
            )
        )
    else:
        columns += [
            _Column(role.title(), [str(c[role]) if role in c else "-" for c in counts], right=True)
            for role in ROLE_COLUMNS
        ]
    columns += [
        _Column(header, [t[i] for t in tickets], right=True)
        for i, header in enumerate(TICKET_COLUMNS)
    ]
    columns += [
        _Column("Default assignee", [row["default_assignee"] for row in rows], fold_to=16),
        _Column("Keywords", [", ".join(row["keywords"]) or "-" for row in rows], fold_to=12),
    ]
    if members:
        columns.append(_Column("Members", [_people_cell(row) for row in rows], fold_to=24))
    return columns


def _people_cell(row: dict[str, Any]) -> str:
    return (
        "\n".join(
            f"{role}: {_person_line(p)}" for role, people in row["members"].items() for p in people
        )
        or "-"
    )


def _fitting(
    rows: list[dict[str, Any]], *, members: bool, width: int | None
) -> tuple[list[_Column], list[str]]:
    """The columns that fit `width` (None: all), and the headers of those left out.

    Queue names, kinds and member counts stay; the rest go in `LEAVE_OUT` order. When even the
    key columns do not fit, the three counts share one column.
    """
    wide = _columns(rows, members=members, narrow=False, width=width)
    if width is None:
        return wide, []
    for narrow in (False, True):
        layout = _columns(rows, members=members, narrow=narrow, width=width)
        kept = list(layout)
        for header in LEAVE_OUT:
            if _least_width(kept) <= width:
                break
            kept = [c for c in kept if c.header != header]
        if _least_width(kept) <= width or narrow:
            return kept, [c.header for c in layout if c not in kept]
    raise AssertionError("unreachable")


def _least_width(columns: list[_Column]) -> int:
    return sum(c.least for c in columns) + 3 * len(columns) + 1  # padding and rules


def _table(
    observed: Observed,
    rows: list[dict[str, Any]],
    *,
    members: bool,
    color: bool,
    width: int | None,
) -> str:
    columns, dropped = _fitting(rows, members=members, width=width)
    table = Table(title=f"Queues at {observed.target.describe()}", title_justify="left")
    for column in columns:
        table.add_column(
            column.header,
            justify="right" if column.right else "left",
            overflow="fold",
            min_width=column.least,
        )
    for i in range(len(rows)):
        table.add_row(*(column.cells[i] for column in columns))
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
    if dropped:
        console.print(
            f"Left out to fit {width} columns: {', '.join(dropped)} (--format yaml shows all)."
        )
    # Rich pads every line to the console width; trailing blanks only get in the way of diffs.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
