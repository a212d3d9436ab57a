"""`accessq who`'s report: text (rich tables) or JSON (the JSON schema: docs/people.md)."""

from __future__ import annotations

import io
import json
from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accessq.plan.who import ConfiguredRole, LiveRole, WhoReport
from accessq.render.color import console_options

WhoFormat = Literal["text", "json"]
STATUS = {
    "applied": ("in Jira", "green"),
    "not_applied": ("NOT APPLIED", "yellow"),
    "unresolved": ("NO ACCOUNT", "red"),
    "unchecked": ("", ""),
}


def render_who(report: WhoReport, fmt: WhoFormat, *, color: bool = False, width: int = 100) -> str:
    if fmt == "json":
        return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "text":
        return _text(report, color=color, width=width)
    raise ValueError(f"unknown format {fmt!r}: use text or json")


def _role(role: str, implied: bool = False) -> str:
    return f"{role} (= agents)" if implied else role  # watchers omitted are the agents


def _queues(rows: list[ConfiguredRole] | list[LiveRole]) -> int:
    return len({r.queue.casefold() for r in rows})


def _text(report: WhoReport, *, color: bool, width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, **console_options(color))
    where = report.target.describe() if report.target else "the configuration only (--no-jira)"
    console.print(Text(f"accessq who {report.query}: {where}", style="bold"))
    if report.target is not None:
        if report.accounts:
            for account in report.accounts:
                state = "" if account.active else ", deactivated"
                email = f" <{account.email}>" if account.email else ""
                console.print(
                    Text(f"Jira account: {account.display_name}{email} [{account.key}{state}]")
                )
        else:
            console.print("Jira account: none found in the queues' groups or as a lead")
    console.print()
    configured = report.configured
    console.print(
        Text(
            f"In the configuration: {len(configured)} role{'s' * (len(configured) != 1)} "
            f"in {_queues(configured)} queue{'s' * (_queues(configured) != 1)}",
            style="bold",
        )
    )
    if configured:
        table = _table(
            ["queue", "role", "where", "named by", "" if report.live is None else "state"]
        )
        for row in configured:
            label, style = STATUS[row.status]
            table.add_row(
                row.queue,
                _role(row.role, row.implied),
                row.where or "",
                row.match,
                Text(label, style=style),
            )
        console.print(table)
    if report.live is not None:
        console.print()
        live = report.live
        console.print(
            Text(
                f"In Jira: {len(live)} role{'s' * (len(live) != 1)} "
                f"in {_queues(live)} queue{'s' * (_queues(live) != 1)}",
                style="bold",
            )
        )
        if live:
            table = _table(["queue", "role", "through", "state"])
            for entry in live:
                table.add_row(
                    *_plain(
                        [
                            entry.queue,
                            entry.role,
                            f"group {entry.group}" if entry.group else "component lead",
                        ]
                    ),
                    Text("configured", style="green")
                    if entry.configured
                    else Text("NOT CONFIGURED", style="yellow"),
                )
            console.print(table)
        console.print()
        if report.differences:
            count = len(report.differences)
            console.print(Text(f"Differences: {count}", style="bold"))
            for diff in report.differences:
                at = f" ({diff.where})" if diff.where else ""
                console.print(Text(f"  {diff.queue} {diff.role}{at}: {diff.message}"))
        else:
            console.print("No differences: Jira matches the configuration for this person.")
    return out.getvalue()


def _plain(cells: list[str]) -> list[Text]:
    """Cells as plain text: a queue named `[red]x` is shown as written, never as markup."""
    return [Text(cell) for cell in cells]


def _table(headers: list[str]) -> Table:
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    for header in headers:
        table.add_column(header, overflow="fold")
    return table
