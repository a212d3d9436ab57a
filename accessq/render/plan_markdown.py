"""The plan as a pull-request comment (GitHub-flavoured markdown).

The first line is a hidden marker so CI can find and update its one comment in place. Each queue
is a collapsible `<details>` holding a `diff` block, so GitHub colours additions and removals.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from accessq.plan.model import Plan
from accessq.plan.payload import DeleteGroup
from accessq.plan.safety import Violation
from accessq.render.blocks import QueueBlock
from accessq.render.plan_text import EMPTY, adopting_blocks, closing_line, origin_line

MARKER = "<!-- accessq-plan -->"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def md(text: str) -> str:
    """Text safe to place in markdown prose: no accidental emphasis, links or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _fence(body: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _banner(plan: Plan) -> list[str]:
    """A warning whenever the plan takes something away."""
    deleted_queues = plan.summary.delete
    others = [c for c in plan.changes if c.queue not in deleted_queues]
    group_deletes = [c.payload for c in others if isinstance(c.payload, DeleteGroup)]
    groups = len(group_deletes)
    held = sum(len(group.members) for group in group_deletes)
    views = sum(c.action == "delete_jsm_queue" for c in others)
    removals = plan.summary.members_removed
    parts = []
    if deleted_queues:
        names = ", ".join(md(q) for q in deleted_queues)
        parts.append(f"deletes {_count(len(deleted_queues), 'queue')} ({names})")
    if groups:
        parts.append(f"deletes {_count(groups, 'other group')} ({_count(held, 'membership')})")
    if views:
        parts.append(f"deletes {_count(views, 'other JSM queue view')}")
    if removals:
        people = "1 person" if removals == 1 else f"{removals} people"
        parts.append(f"removes {people} from groups")
    if not parts:
        return []
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return [
        "> [!WARNING]",
        f"> This plan {said}. Check every `-` line below.",
        "",
    ]


def _table(plan: Plan) -> list[str]:
    s = plan.summary
    return [
        "| Queues to create | Queues to change | Queues to delete | Members added "
        "| Members removed | Groups deleted | Members in them |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(s.create)} | {len(s.change)} | {len(s.delete)} | {s.members_added} "
        f"| {s.members_removed} | {s.groups_deleted} | {s.memberships_deleted} |",
        "",
    ]


def _details(block: QueueBlock, origin: str | None = None) -> list[str]:
    body_lines = []
    for line in block.lines:
        source = f"  ({line.source})" if line.source and line.source != block.source else ""
        body_lines.append(f"{line.symbol} {line.text}{source}")
        body_lines.extend(f"    {detail}" for detail in line.details)
    body = "\n".join(body_lines)
    fence = _fence(body)
    count = _count(len(block.lines), "change")
    where = f" <sub>{html.escape(block.source)}</sub>" if block.source else ""
    return [
        "<details>",
        f"<summary><code>{block.symbol}</code> <strong>{html.escape(block.title)}</strong>: "
        f"{count}{where}</summary>",
        "",
        *([f"<em>{html.escape(origin)}</em>", ""] if origin else []),
        f"{fence}diff",
        body,
        fence,
        "",
        "</details>",
        "",
    ]


def render_markdown(plan: Plan, *, violations: Sequence[Violation] = ()) -> str:
    out = [MARKER, "### accessq plan", "", f"**Target:** {md(plan.target.describe())}", ""]
    if not plan.is_empty:
        out += _banner(plan)
        if plan.drift:
            names = ", ".join(md(q) for q in plan.drift)
            out += [
                "> [!NOTE]",
                f"> Drift: the changes to {names} undo changes made in Jira by hand.",
                "",
            ]
        out += _table(plan)
        for block in adopting_blocks(plan):
            out += _details(block, origin_line(plan, block.queue))
    if plan.errors:
        out += [f"#### Errors ({len(plan.errors)})", ""]
        out += [f"- {md(str(error))}" for error in plan.errors]
        out.append("")
    if violations:
        out += ["#### Blocked by safety rules", ""]
        for v in violations:
            suffix = f" (overridden by `{v.flag}`)" if v.overridden else ""
            out.append(f"- {md(v.message)}{suffix}")
        out.append("")
    if plan.notes:
        out += ["#### Notes", ""]
        out += [f"- {md(note)}" for note in plan.notes]
        out.append("")
    last = closing_line(plan)
    out.append(last if last == EMPTY else f"**{md(last)}**")
    return "\n".join(out) + "\n"
