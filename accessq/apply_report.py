"""How an apply reports at the end: what did not go right, the counts, the journal."""

from __future__ import annotations

import io

from accessq.apply import ApplyResult, StepResult, summarize


def _describe(step: StepResult) -> str:
    change = step.change
    what = change.action.replace("_", " ")
    who = f" {change.person.label()}" if change.person else ""
    return f"{what}{who} ({change.target})"


def render_result(result: ApplyResult) -> str:
    """The closing report: failures and skips with their reasons, the counts, the journal."""
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=120, no_color=True, highlight=False)
    problems = result.problems()
    if problems:
        table = Table(title="Steps that did not complete", title_justify="left")
        table.add_column("queue")
        table.add_column("step")
        table.add_column("result")
        table.add_column("why")
        for step in problems:
            table.add_row(step.change.queue, _describe(step), step.status, step.error or "")
        console.print(table)
    console.print(summarize(result.steps))
    if result.journal:
        console.print(f"Journal: {result.journal}")
    if problems:
        console.print("Nothing else was touched; run the same apply again to finish the job.")
    return buffer.getvalue()
