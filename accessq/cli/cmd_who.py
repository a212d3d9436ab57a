"""`accessq who PATHS... PERSON`: every queue and role of one person, in the files and in Jira."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from accessq.cli.app import (
    JiraUrlOpt,
    QuietOpt,
    _quiet_logs,
    _say,
    _stopped,
    app,
    fail,
    output_width,
)
from accessq.cli.exit_codes import ExitCode


class WhoFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def who(
    args: Annotated[
        list[str],
        typer.Argument(
            help="Queue files or folders, then the person: email, ACCESS username, account id "
            "or name.",
            metavar="PATHS... PERSON",
            show_default=False,
        ),
    ],
    fmt: Annotated[WhoFormat, typer.Option("--format", help="Output format.")] = WhoFormat.text,
    no_jira: Annotated[
        bool,
        typer.Option(
            "--no-jira", help="The configuration only: no Jira, no credentials, no differences."
        ),
    ] = False,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Every queue and role a person has in the configuration (file:line) and in the live Jira,
    and every difference between the two. Read-only; exit 1 when they are in neither."""
    from accessq.cli import workflow as wf
    from accessq.config.loader import load_config
    from accessq.plan.who import WhoError
    from accessq.plan.who import who as find
    from accessq.render.color import use_color
    from accessq.render.who import render_who

    if len(args) < 2:
        raise fail("give the queue files or folders, then the person")
    *paths, person = args
    if not person.strip():
        raise fail("the person is empty: give an email, ACCESS username, account id or name")
    _quiet_logs(quiet)
    try:
        wf.load([Path(p) for p in paths])  # every error of the files, as `plan` reports them
        loaded = load_config(paths)  # again, with the positions of their keys
        config = loaded.config
        assert config is not None
        observed = None
        if not no_jira:
            with wf.connect(config, jira_url, quiet=quiet) as gateway:
                _say(f"Reading {gateway.target.describe()} ...", quiet)
                observed = wf.read(gateway, config, None, quiet=quiet)
    except wf.Stop as exc:
        raise _stopped(exc) from None
    try:
        report = find(config, person, observed, loaded.origins)
    except WhoError as exc:
        raise fail(str(exc)) from None
    if report.found or fmt == WhoFormat.json:  # JSON always answers, found or not
        sys.stdout.write(
            render_who(report, fmt.value, color=use_color(sys.stdout), width=output_width())
        )
    if not report.found:
        where = "in the configuration" if no_jira else "in the configuration nor in Jira"
        raise fail(f"{person} has no role {where} ({', '.join(paths)})")
    raise typer.Exit(ExitCode.OK)
