"""The comment `apply --ticket` posts on the request ticket: what was done, as a short table.

Pure: text in, text out. The body is Jira wiki markup (the v2 comment API; Data Center renders
it, Cloud converts it to a document), and every name in it comes from a pull request or from
Jira, so every piece of such text goes through `wiki_text`: masked first (a token must be masked
before escaping splits it), then made plain text in markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from accessq.apply.engine import ApplyResult, StepResult
from accessq.jira.secret import redact
from accessq.plan.model import Change, Plan
from accessq.plan.payload import DeleteGroup, UpdateComponent

QUEUE_ROWS = 20  # queues with a row of their own; the rest are counted in one row
PEOPLE_PER_CELL = 5  # people named per cell, then "and N more"
PROBLEMS_SHOWN = 10  # failed or skipped changes named, then counted
TEXT_MAX = 160  # characters of one name or reason, before escaping
# Jira Cloud takes at most 32767 characters per comment: the table stops adding rows here and
# counts the rest, leaving room for the lines about problems.
TABLE_MAX = 20000

# The characters Jira's wiki renderer takes a backslash escape for (its
# BackslashEscapeRendererComponent); a backslash before any other character stays as it is.
_ESCAPED = re.compile(r"([-#*_+?^~|%{}\[\]()!@])")
# Anything that would end a table row or the paragraph: line breaks of every kind, controls.
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def wiki_text(value: object) -> str:
    """`value` as plain text inside wiki markup (a table cell included).

    Secrets masked; line breaks become spaces (a newline would end the table row); each markup
    character backslash-escaped; a backslash shown as U+FF3C (a backslash before an escaped
    character would make `\\\\`, Jira's line break, and un-escape it); a zero-width space after
    each colon, so `https://...` or `mailto:` in a name is not made a link (nor `:)` a smiley).
    """
    text = redact(str(value))
    if len(text) > TEXT_MAX:
        text = text[: TEXT_MAX - 1] + "…"
    text = _BREAKS.sub(" ", text).replace("\\", "\uff3c")
    return _ESCAPED.sub(r"\\\1", text).replace(":", ":\u200b")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass
class _Row:
    queue: str
    what: str
    added: dict[str, list[str]] = field(default_factory=dict)  # role -> labels
    removed: dict[str, list[str]] = field(default_factory=dict)
    problems: int = 0
    ended: int = 0  # memberships ended by deleting a group (its members, when planned)


def _people_cell(by_role: dict[str, list[str]]) -> str:
    parts = []
    for role in sorted(by_role):
        people = sorted(by_role[role], key=lambda p: (p.casefold(), p))  # steps end in any order
        shown = ", ".join(wiki_text(p) for p in people[:PEOPLE_PER_CELL])
        more = len(people) - PEOPLE_PER_CELL
        parts.append(f"{role}: {shown}" + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts) or " "  # an empty cell is one space: `||` would start a header


def _is_rename(change: Change) -> bool:
    payload = change.payload
    return isinstance(payload, UpdateComponent) and payload.after.name is not None


def _what(plan: Plan, queue: str, steps: list[StepResult]) -> str:
    """created / changed / renamed from "X" / deleted, or what stopped it (plain text)."""
    kind = plan.queue_kind(queue)
    key_action = {"create": "create_component", "delete": "delete_component"}.get(kind)
    key = next((s for s in steps if s.change.action == key_action or _is_rename(s.change)), None)
    if kind == "create":
        word = "created"
    elif kind == "delete":
        word = "deleted"
        note = key.change.tickets if key else None
        if note is not None and note.move_to is not None:
            word += f', its tickets moved to "{note.move_to}"'
    elif key is not None and isinstance(key.change.payload, UpdateComponent):
        word = f'renamed from "{key.change.payload.before.name}"'
    else:
        word = "changed"
    if key is not None and key.status != "done":
        return f"not {word.split(',')[0]} ({key.status})"
    if key is None and not any(s.status == "done" for s in steps):
        return "not changed"
    return word


def _rows(plan: Plan, steps: Iterable[StepResult]) -> list[_Row]:
    by_queue: dict[str, list[StepResult]] = {}
    for step in steps:
        by_queue.setdefault(step.change.queue, []).append(step)
    rows = []
    for queue in sorted(by_queue, key=lambda n: (n.casefold(), n)):
        queue_steps = by_queue[queue]
        row = _Row(queue, _what(plan, queue, queue_steps))
        for step in queue_steps:
            change = step.change
            if step.status != "done":
                row.problems += 1
                continue
            role = str(change.role or "")
            if change.action == "add_member" and change.person:
                row.added.setdefault(role, []).append(change.person.label())
            elif change.action == "remove_member" and change.person:
                row.removed.setdefault(role, []).append(change.person.label())
            elif isinstance(change.payload, DeleteGroup):
                held = _plural(len(change.payload.members), "member")
                row.removed.setdefault(role, []).append(f"group deleted with {held}")
                row.ended += len(change.payload.members) - 1  # the entry counts one
        rows.append(row)
    return rows


def _problem_line(step: StepResult) -> str:
    change = step.change
    what = change.action.replace("_", " ")
    who = f" {change.person.label()}" if change.person else ""
    reason = f": {step.error}" if step.error else ""
    return (
        f"* {wiki_text(change.queue)}: {step.status}, {wiki_text(what + who)}"
        f" ({wiki_text(change.target)}){wiki_text(reason)}"
    )


def _counts(rows: list[_Row]) -> str:
    """`Queues: 1 created, 2 changed. People: 5 added, 1 removed.` (what was done)."""
    kinds = [r.what.split(" ", 1)[0] for r in rows]
    queues = ", ".join(
        f"{kinds.count(k)} {k}"
        for k in ("created", "renamed", "changed", "deleted")
        if kinds.count(k)
    )
    added = sum(len(p) for r in rows for p in r.added.values())
    removed = sum(len(p) for r in rows for p in r.removed.values()) + sum(r.ended for r in rows)
    return f"Queues: {queues or 'none changed'}. People: {added} added, {removed} removed."


def render_ticket_comment(plan: Plan, result: ApplyResult) -> str:
    """The comment body: a sentence, the table, what failed or was left out, the counts."""
    rows = _rows(plan, result.steps)
    done = result.count("done")
    lines = [
        "*accessq* applied the queue change: "
        + _plural(done, "change")
        + " done"
        + (f", {result.count('failed')} failed" if result.count("failed") else "")
        + (f", {result.count('skipped')} skipped" if result.count("skipped") else "")
        + ".",
        _counts(rows),
        "",
        "||Queue||Done||People added||People removed||",
    ]
    # Queues with a problem first, so a long apply still shows what went wrong.
    ordered = sorted(rows, key=lambda r: r.problems == 0)
    shown, size = 0, 0
    for row in ordered[:QUEUE_ROWS]:
        what = row.what + (f"; {_plural(row.problems, 'change')} not done" if row.problems else "")
        line = (
            f"|{wiki_text(row.queue)}|{wiki_text(what)}|"
            f"{_people_cell(row.added)}|{_people_cell(row.removed)}|"
        )
        if size + len(line) > TABLE_MAX:
            break
        lines.append(line)
        shown, size = shown + 1, size + len(line) + 1
    rest = ordered[shown:]
    if rest:
        added = sum(len(p) for r in rest for p in r.added.values())
        removed = sum(len(p) for r in rest for p in r.removed.values()) + sum(r.ended for r in rest)
        counted = _counts(rest).split(". ", 1)[0].removeprefix("Queues: ")
        lines.append(
            f"|and {_plural(len(rest), 'more queue')}|{wiki_text(counted)}|"
            f"{added} more|{removed} more|"
        )
    problems = result.problems()
    if result.stopped_by is not None:
        lines += ["", f"Jira refused a write, so the apply stopped: {wiki_text(result.stopped_by)}"]
    if result.halted_by is not None:
        lines += ["", f"The apply stopped: {wiki_text(result.halted_by)}"]
    if problems:
        lines += ["", f"Not done ({len(problems)}):"]
        lines += [_problem_line(s) for s in problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            lines.append(f"* and {len(problems) - PROBLEMS_SHOWN} more")
    if plan.skipped:
        names = ", ".join(wiki_text(q) for q in plan.skipped[:QUEUE_ROWS])
        more = len(plan.skipped) - QUEUE_ROWS
        lines += [
            "",
            "Left out because of errors in their configuration, nothing changed in them: "
            + names
            + (f" and {more} more" if more > 0 else "")
            + ".",
        ]
    # Masked once more as a whole: nothing secret leaves, whatever a future line adds.
    return redact("\n".join(lines)) + "\n"
