"""`accessq show PLAN_FILE`: a plan saved by `plan --out`, rendered as `plan` showed it. Offline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from accessq.cli.app import PlanFormat, _stopped, app, render_plan


@app.command(
    epilog="Example: accessq plan queues/ -o plan.json && accessq show plan.json --format markdown"
)
def show(
    plan_file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A plan saved by `plan --out`.", show_default=False),
    ],
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Output format.")] = PlanFormat.text,
) -> None:
    """Show a saved plan as `plan` showed it (no Jira needed); JSON prints the file as saved.

    Safety rules are not listed: they need live Jira, and `apply --plan` checks them again.
    """
    from accessq.cli import workflow as wf

    try:
        saved = wf.read_plan_file(plan_file)
        wf.check_intact(saved)
        wf.configuration_of(saved)  # a file `apply --plan` would refuse is refused here too
    except wf.Stop as exc:
        raise _stopped(exc) from None
    sys.stdout.write(render_plan(saved, fmt.value))
