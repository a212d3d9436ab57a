"""How an apply reports at the end: per queue what was done, what failed and why; the journal."""

from __future__ import annotations

import io
from collections import defaultdict

from accessq.apply.engine import ApplyResult, StepResult, summarize
from accessq.jira.secret import redact

ALL_QUEUES_UP_TO = 30  # beyond this many queues, only those with problems get a row


def _describe(step: StepResult) -> str:
    change = step.change
    what = change.action.replace("_", " ")
    who = f" {change.person.label()}" if change.person else ""
    return f"{what}{who} ({change.target})"


def render_result(result: ApplyResult) -> str:
    """The closing report on stderr."""
    from rich.console import Console
    from rich.table import Table

    from accessq.render.color import console_options

    buffer = io.StringIO()
    # Plain text on stderr, whatever FORCE_COLOR and friends say: it is read in CI logs too.
    console = Console(file=buffer, width=120, highlight=False, **console_options(False))
    if result.stopped_by is not None:
        # Every other write would be refused the same way: one line, not a row per step.
        console.print(f"error: Jira refused a write, so the apply stopped: {result.stopped_by}")
    else:
        by_queue: dict[str, list[StepResult]] = defaultdict(list)
        for step in result.steps:
            by_queue[step.change.queue].append(step)
        table = Table(title="Apply", title_justify="left")
        for column in ("queue", "done", "failed", "skipped", "first problem"):
            table.add_column(
                column, justify="right" if column in ("done", "failed", "skipped") else "left"
            )
        quiet_queues = 0
        for queue in sorted(by_queue, key=str.casefold):
            steps = by_queue[queue]
            problem = next((s for s in steps if s.status != "done"), None)
            if problem is None and len(by_queue) > ALL_QUEUES_UP_TO:
                quiet_queues += 1
                continue
            counts = [sum(1 for s in steps if s.status == k) for k in ("done", "failed", "skipped")]
            why = f"{_describe(problem)}: {problem.error}" if problem else ""
            # Masked here, not only on output: the table wraps a long cell, which can split a
            # token (a name Jira handed back) across lines where the output's mask misses it.
            table.add_row(redact(queue), *map(str, counts), redact(why))
        if quiet_queues:
            table.add_row(f"{quiet_queues} other queues", "all", "0", "0", "")
        if by_queue:
            console.print(table)
    console.print(summarize(result.steps))
    already = sum(1 for s in result.steps if s.note)
    if already:
        # Someone else made the same change since the plan was read: the goal, reached.
        console.print(f"Of the done, {already} Jira already had so (see the journal's notes).")
    if result.journal:
        console.print(f"Journal: {result.journal}")
    if result.stopped_by is not None:
        console.print(
            "Nothing else was touched; give the account the rights accessq needs "
            "(docs/site-setup.md), then run the same apply again."
        )
    elif result.halted_by is not None:
        console.print(_halted_line(result), soft_wrap=True)
    elif result.problems():
        console.print("Nothing else was touched; run the same apply again to finish the job.")
    return buffer.getvalue()


def _halted_line(result: ApplyResult) -> str:
    """accessq stopped the run itself: why, what was done, how to finish (one line)."""
    done = result.count("done")
    kept = ""
    if result.journal_failed is not None:
        kept = f" (the journal lists the first {result.journaled} whole)"
        advice = "free some disk space (or make the folder writable), then run the same apply"
    else:
        advice = "once the other apply has finished, run the same apply"
    return (
        f"error: the apply stopped: {result.halted_by}; {done} of {len(result.steps)} steps "
        f"were done{kept}, nothing else was touched; {advice} again to finish the job."
    )
