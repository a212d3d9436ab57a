"""The accessq command line: parse, call, render, exit code. Nothing else lives here.

Heavy modules (pydantic, jira, rich, the sandbox) are imported inside the commands so that
`accessq --help` starts fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="accessq",
    help="ACCESS ticket-routing queues in Jira Service Management, kept as code.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
sandbox_app = typer.Typer(help="The local Jira-compatible sandbox server.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")

EXIT_OK, EXIT_ERROR, EXIT_CHANGES, EXIT_BLOCKED = 0, 1, 2, 3


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


class Flavor(str, Enum):
    cloud = "cloud"
    dc = "dc"


PathsArg = Annotated[
    list[Path],
    typer.Argument(help="Queue files, or folders of *.yaml / *.yml files.", show_default=False),
]


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """One clear line on stderr and the exit code; never a traceback."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def validate(
    paths: PathsArg,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = ReportFormat.text,
) -> None:
    """Check queue files offline (no Jira, no credentials); report every error at once."""
    from accessq.config.loader import load_config
    from accessq.config.report import render_validation

    result = load_config(paths)
    sys.stdout.write(render_validation(result, fmt.value))
    raise typer.Exit(EXIT_OK if result.ok else EXIT_ERROR)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the queue language (for yaml-language-server and editors)."""
    import json

    from accessq.config.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


@sandbox_app.command("serve")
def sandbox_serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 8080,
    db: Annotated[Path, typer.Option(help="SQLite state file.")] = Path(".accessq/sandbox.sqlite"),
    flavor: Annotated[Flavor, typer.Option(help="Jira Cloud or Data Center behaviour.")] = Flavor.cloud,
    seed: Annotated[
        Path | None, typer.Option(help="Seed YAML (users, groups, components, accounts).")
    ] = None,
    latency_ms: Annotated[int, typer.Option(help="Latency added to every request.")] = 0,
    rate_limit: Annotated[
        int, typer.Option(help="Requests allowed per second before 429; 0 is unlimited.")
    ] = 0,
) -> None:
    """Serve the sandbox in the foreground until Ctrl-C."""
    from accessq.sandbox import serve

    try:
        serve(
            host=host,
            port=port,
            db=db,
            flavor=flavor.value,
            seed=seed,
            latency_ms=latency_ms,
            rate_limit=rate_limit,
        )
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None


@sandbox_app.command("reset")
def sandbox_reset(
    db: Annotated[Path, typer.Option(help="SQLite state file.")] = Path(".accessq/sandbox.sqlite"),
    flavor: Annotated[Flavor, typer.Option(help="Jira Cloud or Data Center behaviour.")] = Flavor.cloud,
    seed: Annotated[Path | None, typer.Option(help="Seed YAML; default: the demo seed.")] = None,
) -> None:
    """Wipe the sandbox state and seed it again."""
    from accessq.sandbox import reset

    try:
        reset(db=db, flavor=flavor.value, seed=seed)
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Sandbox reset: {db}", err=True)


def main() -> None:
    app()
