"""`accessq route`: which queue a text or ticket belongs to, and (--apply) move it there."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from accessq.cli.app import JiraUrlOpt, PathsArg, QuietOpt, ReportFormat, _quiet_logs, _stopped, app
from accessq.cli.exit_codes import ExitCode


@app.command()
def route(
    paths: PathsArg,
    text: Annotated[
        str | None, typer.Option("--text", help="Route this text.", show_default=False)
    ] = None,
    ticket: Annotated[
        str | None,
        typer.Option("--ticket", help="Route this ticket (e.g. ATS-123).", show_default=False),
    ] = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply", help="Move the ticket to the best queue, assign it and say why in a comment."
        ),
    ] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = (
        ReportFormat.text
    ),
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """The queues a text or ticket matches, best first; exit 1 when none matches."""
    from accessq.cli import routing_steps as steps
    from accessq.cli import workflow as wf
    from accessq.jira.errors import GatewayError
    from accessq.render.routing import NO_MATCH, render_decision

    if (text is None) == (ticket is None):
        raise _usage("give exactly one of --text or --ticket")
    if apply and ticket is None:
        raise _usage("--apply moves a ticket: give --ticket")
    _quiet_logs(quiet)
    try:
        config = wf.load(paths)
        router = steps.router_of(config)
        if text is not None:
            decision = router.route(text)
            sys.stdout.write(render_decision(decision, fmt.value))
            raise typer.Exit(ExitCode.OK if decision.matches else ExitCode.ERROR)
        assert ticket is not None
        with wf.connect(config, jira_url, quiet=quiet) as gateway:
            try:
                found = gateway.ticket(ticket)
            except GatewayError as exc:
                raise wf.Stop(f"error: {exc}") from None
            decision = router.route(found.text)
            sys.stdout.write(render_decision(decision, fmt.value, found.key))
            if not decision.matches:
                if fmt.value == "text":
                    raise typer.Exit(ExitCode.ERROR)
                raise wf.Stop(NO_MATCH)
            if not apply:
                raise typer.Exit(ExitCode.OK)
            if decision.winner is None:
                names = " and ".join(f"'{m.queue}'" for m in decision.tied)
                raise wf.Stop(
                    f"error: {found.key}: the best queues tie ({names}, score "
                    f"{decision.tied[0].score}); nothing was changed: leave it to a person"
                )
            if found.components == (decision.winner.queue,):
                typer.echo(
                    f"{found.key} is already in {decision.winner.queue}; nothing to do", err=True
                )
                raise typer.Exit(ExitCode.OK)
            with wf.apply_lock(gateway, break_lock=False) as lock:
                try:
                    targets = steps.live_targets(gateway, config)
                    wf.still_held(lock)
                    done = steps.reassign(
                        gateway, found.key, decision.winner, targets[decision.winner.queue]
                    )
                except GatewayError as exc:
                    raise wf.Stop(f"error: {found.key}: {exc}") from None
            typer.echo(done, err=True)
    except wf.Stop as exc:
        raise _stopped(exc) from None


def _usage(message: str) -> typer.Exit:
    typer.echo(f"error: {message} (see 'accessq route --help')", err=True)
    return typer.Exit(ExitCode.ERROR)
