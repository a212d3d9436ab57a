"""The plan for a terminal (rich): `+` create, `~` change, `-` delete, one queue at a time."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import replace

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from accessq.plan.model import Plan
from accessq.plan.payload import UpdateComponent
from accessq.plan.safety import Violation
from accessq.render.blocks import QueueBlock, blocks
from accessq.render.color import console_options

EMPTY = "No changes. Jira matches the configuration."
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
_STYLE = {"+": "green", "~": "yellow", "-": "red"}


ORIGIN = {
    "drift": "(drift: undoes a change made in Jira by hand)",
    "configuration": "(configuration: differs from what the last apply recorded)",
}


def origin_line(plan: Plan, queue: str) -> str | None:
    """Where a queue's changes come from, when the plan knows (accessq.plan.drift)."""
    origin = (plan.origins or {}).get(queue)
    return ORIGIN[origin] if origin else None


ADOPTED = "adopted: accessq marks the component as its own (adopt: true)"


def adopting_blocks(plan: Plan) -> list[QueueBlock]:
    """`describe.blocks`, with the queues that adopt an unmanaged component saying so."""
    adopted = {
        c.queue
        for c in plan.changes
        if isinstance(c.payload, UpdateComponent) and c.payload.after.managed
    }
    return [_adopting(b) if b.queue in adopted else b for b in blocks(plan)]


def _adopting(block: QueueBlock) -> QueueBlock:
    # The one `~ component` line of a queue is its update_component change.
    lines = [
        replace(line, details=[ADOPTED, *line.details])
        if line.symbol == "~" and line.text.startswith("component ")
        else line
        for line in block.lines
    ]
    return replace(block, title=f"{block.title} (adopting an existing component)", lines=lines)


def _line(symbol: str, text: str, source: str | None, *, bold: bool = False) -> Text:
    line = Text()
    line.append(f"{symbol} ", style=_STYLE[symbol] + (" bold" if bold else ""))
    line.append(text, style="bold" if bold else "")
    if source:
        line.append(f"  ({source})", style="dim")
    return line


def _indent(text: Text, by: int) -> RenderableType:
    # Padding keeps a wrapped line's continuation under its first character.
    return Padding(text, (0, 0, 0, by), expand=False) if by else text


def _block(block: QueueBlock, origin: str | None = None) -> list[RenderableType]:
    out: list[RenderableType] = [_line(block.symbol, block.title, block.source, bold=True)]
    if origin:
        out.append(_indent(Text(origin, style="magenta" if "drift" in origin else "dim"), 4))
    for line in block.lines:
        source = line.source if line.source != block.source else None
        out.append(_indent(_line(line.symbol, line.text, source), 4))
        out.extend(_indent(Text(detail), 8) for detail in line.details)
    out.append(Text())
    return out


def _section(title: str, style: str, items: list[Text]) -> list[RenderableType]:
    if not items:
        return []
    return [Text(title, style=style), *(_indent(item, 2) for item in items), Text()]


def render_text(
    plan: Plan,
    *,
    color: bool,
    width: int = 100,
    violations: Sequence[Violation] = (),
) -> str:
    """The plan as terminal text; `violations` (from `safety`) are listed before the summary."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
        **console_options(color),  # the caller decides colour and width, not the environment
    )
    header = Text("Target: ", style="bold")
    header.append(plan.target.describe())
    out: list[RenderableType] = [header, Text()]
    for block in adopting_blocks(plan):
        out += _block(block, origin_line(plan, block.queue))
    errors = [Text(str(error), style="red") for error in plan.errors]
    out += _section(f"Errors ({len(plan.errors)}):", "bold red", errors)
    blocked = [
        Text(v.message + f" (overridden by {v.flag})", style="yellow")
        if v.overridden
        else Text(v.message, style="red")
        for v in violations
    ]
    out += _section("Blocked by safety rules:", "bold red", blocked)
    out += _section("Notes:", "bold", [Text(note, style="dim") for note in plan.notes])
    out.append(Text(closing_line(plan), style="bold"))
    console.print(Group(*out))  # one print: rich's per-call cost dominates on big plans
    # rich pads wrapped lines to the full width; trailing blanks only get in the way of diffs.
    return _TRAILING.sub(r"\1", buffer.getvalue())


def closing_line(plan: Plan) -> str:
    if plan.is_empty and not plan.has_errors:
        return EMPTY
    line = plan.summary.closing_line() if not plan.is_empty else "Plan: no changes."
    if plan.global_errors:
        count = len(plan.errors)
        errors = "1 error" if count == 1 else f"{count} errors"
        line += f" {errors} must be fixed before this plan can be applied."
    elif plan.skipped:
        # Queue errors leave their queues out, whole; apply --strict still applies nothing.
        line += f" Left out until their errors are fixed: {', '.join(plan.skipped)}."
    return line
