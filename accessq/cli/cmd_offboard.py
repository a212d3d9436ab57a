"""`accessq offboard PATHS... PERSON`: take someone out of every queue file, in place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from accessq.cli.app import app, fail
from accessq.cli.exit_codes import ExitCode


@app.command()
def offboard(
    args: Annotated[
        list[str],
        typer.Argument(
            help="Queue files or folders, then the person: email, ACCESS username, account id "
            "or name.",
            metavar="PATHS... PERSON",
            show_default=False,
        ),
    ],
    assignee: Annotated[
        str | None,
        typer.Option(
            "--assignee",
            help="Where they are a default assignee: the successor, one of that queue's updaters.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the diff only; write nothing.")
    ] = False,
) -> None:
    """Remove a person from every queue, keeping the files' comments and layout; print the diff."""
    from accessq.cli import workflow as wf
    from accessq.config.edit import EditError, diff_text, read_sources, validate, write_all
    from accessq.config.edit import offboard as edit
    from accessq.config.loader import load_config

    if len(args) < 2:
        raise fail("give the queue files or folders, then the person")
    *paths, person = args
    try:
        wf.load([Path(p) for p in paths])  # a configuration with errors is not edited
    except wf.Stop as exc:
        for line in exc.lines:
            typer.echo(line, err=True)
        raise typer.Exit(exc.code) from None
    loaded = load_config(paths)
    assert loaded.config is not None
    try:
        sources = read_sources(loaded.files)
        done = edit(loaded.config, sources, person, assignee)
        if done.texts:
            validate(sources, done.texts)
            sys.stdout.write(diff_text(sources, done.texts))
            if not dry_run:
                write_all(done.texts)
    except EditError as exc:
        raise fail(str(exc)) from None
    for line in done.refused:
        typer.echo(line, err=True)
    if not done.removed and not done.refused:
        raise fail(f"{person} is in no queue of {', '.join(paths)}")
    queues = sorted({r.queue for r in done.removed}, key=str.casefold)
    if queues:
        verb = "Would remove" if dry_run else "Removed"
        entries = "entry" if len(done.removed) == 1 else "entries"
        typer.echo(
            f"{verb} {person} from {len(done.removed)} {entries} in {len(queues)} "
            f"queue{'' if len(queues) == 1 else 's'} "
            f"({', '.join(queues)}); run `accessq plan` to see the access this removes.",
            err=True,
        )
    raise typer.Exit(ExitCode.ERROR if done.refused else ExitCode.OK)
