"""`accessq doctor`: check that the site lets every queue member do their job. Read-only."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from accessq.cli.app import JiraUrlOpt, PathsArg, QuietOpt, _quiet_logs, _say, _stopped, app
from accessq.cli.exit_codes import ExitCode


class DoctorFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def doctor(
    paths: PathsArg,
    fmt: Annotated[
        DoctorFormat, typer.Option("--format", help="Output format.")
    ] = DoctorFormat.text,
    read_only: Annotated[
        bool,
        typer.Option(
            "--read-only",
            help="Signed in as the read-only plan account: check it can write nothing; the "
            "schemes it may not read are reported as not checked.",
        ),
    ] = False,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Check that permission and notification schemes, licences and accessq's own account let
    every queue member do their job (docs/site-setup.md). Read-only; exit 1 when a check fails."""
    from accessq.cli import workflow as wf
    from accessq.doctor.checks import assignee_keys, diagnose, licence_keys
    from accessq.jira.errors import GatewayError
    from accessq.jira.site_access import read_site_access
    from accessq.render.doctor import render_doctor

    _quiet_logs(quiet)
    try:
        config = wf.load(paths)
        with wf.connect(config, jira_url, quiet=quiet) as gateway:
            _say(f"Reading {gateway.target.describe()} ...", quiet)
            observed = wf.read(gateway, config, None, quiet=quiet)
            runner = observed.runner or gateway.myself()
            try:
                access = read_site_access(
                    gateway,
                    runner,
                    agents=licence_keys(config, observed),
                    assignees=assignee_keys(config, observed),
                )
            except GatewayError as exc:
                raise wf.Stop(f"error: {exc}") from None
    except wf.Stop as exc:
        raise _stopped(exc) from None
    report = diagnose(config, observed, access, read_only=read_only)
    sys.stdout.write(render_doctor(report, fmt.value))
    summary = wf.step_summary_path()
    if summary is not None:
        from accessq.jira.secret import redact

        try:
            wf.append_step_summary(
                summary, redact(render_doctor(report, "markdown")), done="the doctor's report"
            )
        except wf.Stop as exc:
            raise _stopped(exc) from None
    if not report.ok:
        raise typer.Exit(ExitCode.ERROR)
