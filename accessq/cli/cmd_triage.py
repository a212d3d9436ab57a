"""`accessq triage`: open tickets with no queue or in a clearly worse one, and (--apply) move
the unambiguous ones."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from accessq.cli.app import JiraUrlOpt, PathsArg, QuietOpt, _quiet_logs, _stopped, app


class TriageFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def triage(
    paths: PathsArg,
    fmt: Annotated[TriageFormat, typer.Option("--format", help="Output format.")] = (
        TriageFormat.text
    ),
    apply: Annotated[
        bool, typer.Option("--apply", help="Reassign the unambiguous ones; list the rest.")
    ] = False,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Open tickets that need a queue, with the suggested queue and why."""
    from accessq.cli import routing_steps as steps
    from accessq.cli import workflow as wf
    from accessq.jira.errors import GatewayError
    from accessq.render.routing import render_triage
    from accessq.routing.triage import Suggestion, suggest

    _quiet_logs(quiet)
    applied: set[str] = set()
    suggestions: list[Suggestion] = []
    try:
        config = wf.load(paths)
        router = steps.router_of(config)
        names = {q.name for q in config.queues}
        with wf.connect(config, jira_url, quiet=quiet) as gateway:
            project = config.jira.project
            jql = f"project = {project} AND resolution = Unresolved ORDER BY key ASC"
            try:
                for ticket in gateway.search_tickets(jql):
                    found = suggest(ticket.key, ticket.components, router.route(ticket.text), names)
                    if found is not None:
                        suggestions.append(found)
            except GatewayError as exc:
                raise wf.Stop(f"error: {exc}") from None
            movable = [s for s in suggestions if s.verdict == "reassign" and s.best is not None]
            if apply and movable:
                with wf.apply_lock(gateway, break_lock=False) as lock:
                    try:
                        targets = steps.live_targets(gateway, config)
                        for s in movable:
                            assert s.best is not None
                            target = targets[s.best.queue]
                            if isinstance(target, str):
                                if not quiet:
                                    typer.echo(f"{s.key}: {target}; left as it is", err=True)
                                continue
                            wf.still_held(lock)
                            done = steps.reassign(gateway, s.key, s.best, target)
                            applied.add(s.key)
                            if not quiet:
                                typer.echo(done, err=True)
                    except GatewayError as exc:
                        raise wf.Stop(f"error: {exc}") from None
    except wf.Stop as exc:
        if applied:  # stopped part-way: still say which tickets were moved
            sys.stdout.write(render_triage(suggestions, fmt.value, applied))
        raise _stopped(exc) from None
    sys.stdout.write(render_triage(suggestions, fmt.value, applied))
