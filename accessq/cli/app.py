"""The accessq command line: parse, call, render, exit code. Nothing else lives here.

Heavy modules (pydantic, jira, rich, the sandbox) are imported inside the commands so that
`accessq --help` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from typer.core import TyperGroup

try:  # typer vendors click from 0.2x on; before that it depends on it
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older typer
    from click.exceptions import ClickException, UsageError  # type: ignore[no-redef,assignment]

from accessq.cli.exit_codes import ExitCode, exit_code_help

if TYPE_CHECKING:  # for annotations only: the commands import what they need when they run
    from accessq.apply.engine import ApplyResult
    from accessq.cli.workflow import Planned
    from accessq.config.models import Config
    from accessq.jira.gateway import Gateway
    from accessq.model.observed import Observed
    from accessq.plan.model import Plan
    from accessq.plan.safety import Violation
    from accessq.render.plan import Format


class _OneLineErrors(TyperGroup):
    """Usage errors as one `error:` line and exit code 1.

    Click's default is a boxed, multi-line message and exit code 2, which is the code a
    `plan --detailed-exitcode` uses for "changes present": a mistyped flag in CI must not read
    as a successful plan.
    """

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _human_metavars(command)
        return command

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        from accessq.cli.redaction import redacted_output

        with redacted_output():  # whatever a server echoed, the token is not printed
            return self._main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **kwargs
            )

    def _main(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        standalone_mode: bool,
        windows_expand_args: bool,
        **kwargs: Any,
    ) -> Any:
        call = (args, prog_name, complete_var, False, windows_expand_args)
        if not standalone_mode:
            return super().main(*call, **kwargs)
        try:
            code = super().main(*call, **kwargs)
        except UsageError as exc:
            if not exc.format_message():  # a bare `accessq`: the help was shown, nothing failed
                sys.exit(ExitCode.OK)
            where = exc.ctx.command_path if exc.ctx is not None else "accessq"
            typer.echo(f"error: {exc.format_message()} (see '{where} --help')", err=True)
            sys.exit(ExitCode.ERROR)
        except ClickException as exc:
            typer.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(ExitCode.ERROR)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(ExitCode.ERROR)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _human_metavars(command: Any) -> None:
    """Help shows FILE, N, [a|b], not typer's type names (`<list[Path]>`, `<int range>`)."""
    from typer.core import TyperArgument, TyperOption

    for param in command.params:
        if isinstance(param, TyperArgument):
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]  # PATHS
            continue
        if not isinstance(param, TyperOption) or param.is_flag or param.metavar is not None:
            continue
        kind = param.type_descriptor
        if kind.is_choice:
            names = (str(getattr(c, "value", c)) for c in kind.choices or ())
            param.metavar = "[" + "|".join(names) + "]"
        elif kind.is_path:
            param.metavar = "FILE"
        elif kind.is_ranged or param.bare_type() in ("int", "list[int]"):
            param.metavar = "N"
        else:
            param.metavar = "TEXT"


ENVIRONMENT_HELP = """\b
Environment:
  ACCESSQ_JIRA_URL         Jira base URL, or `sandbox`; unset: the local sandbox
  ACCESSQ_JIRA_USER        Cloud: the account's email, with ACCESSQ_JIRA_TOKEN
  ACCESSQ_JIRA_TOKEN       Cloud: its API token
  ACCESSQ_JIRA_PAT         Data Center: a personal access token
  ACCESSQ_JIRA_PROJECT     the project key (over jira.project; default ATS)
  ACCESSQ_JIRA_RATE_LIMIT  requests per second at most (0: no limit)
  CI                       set: an unset ACCESSQ_JIRA_URL is an error
  NO_COLOR                 set: no colour
  COLUMNS                  the width of list-queues tables"""


def _exit_codes_help() -> str:
    return "\b\nExit codes:\n" + exit_code_help()


MAIN_EPILOG = f"""\b
Examples:
  accessq validate queues/
  accessq plan queues/ -o plan.json
  accessq show plan.json --format markdown
  accessq apply --plan plan.json
  accessq list-queues

{ENVIRONMENT_HELP}

{_exit_codes_help()}

Shell completion: accessq --install-completion"""

app = typer.Typer(
    cls=_OneLineErrors,
    name="accessq",
    help="ACCESS ticket-routing queues in Jira Service Management, kept as code.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: fast, and no type column beside the metavars
    epilog=MAIN_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
sandbox_app = typer.Typer(
    cls=_OneLineErrors,  # for its metavars; only the root's main() runs
    help="The local Jira-compatible sandbox server.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sandbox_app, name="sandbox")

JOURNAL_DIR = Path(".accessq/journal")


def _version(value: bool) -> None:
    if value:
        from accessq import __version__

        typer.echo(f"accessq {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """ACCESS ticket-routing queues in Jira Service Management, kept as code."""


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class Flavor(StrEnum):
    cloud = "cloud"
    dc = "dc"


PathsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATHS",
        help="Queue files, or folders of *.yaml / *.yml files.",
        show_default=False,
    ),
]


def fail(message: str, code: ExitCode = ExitCode.ERROR) -> typer.Exit:
    """One clear line on stderr and the exit code; never a traceback."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def validate(
    paths: PathsArg,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="Report format.")
    ] = ReportFormat.text,
) -> None:
    """Check queue files offline (no Jira, no credentials); report every error at once."""
    from accessq.config.loader import load_config
    from accessq.config.report import render_validation

    result = load_config(paths)
    sys.stdout.write(render_validation(result, fmt.value))
    raise typer.Exit(ExitCode.OK if result.ok else ExitCode.ERROR)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the queue language (for yaml-language-server and editors)."""
    import json

    from accessq.config.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


class PlanFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


JiraUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--jira-url",
        metavar="URL",
        help="Jira base URL (overrides ACCESSQ_JIRA_URL and jira.url); none: the local sandbox.",
        show_default=False,
    ),
]
QueueOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--queue", metavar="QUEUE", help="Only this queue (repeatable).", show_default=False
    ),
]
ConfigPathsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--config", "-c", metavar="FILE", help="Queue files for the jira: settings (repeatable)."
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")]


def _stopped(exc: Exception) -> typer.Exit:
    from accessq.cli.workflow import Stop

    assert isinstance(exc, Stop)
    for line in exc.lines:
        typer.echo(line, err=True)
    return typer.Exit(exc.code)


def _refuse_writing_over(flag: str, target: Path, sources: Sequence[Path], read: str) -> None:
    """A command's output never replaces the configuration it read (`config.queue_files`)."""
    from accessq.config.queue_files import written_over

    hit = written_over(target, sources)
    if hit is None:
        return
    kind, source = hit
    if kind == "file":
        raise fail(f"{flag} {target} is one of the queue files {read}; choose another name")
    raise fail(
        f"{flag} {target} is a queue file of the folder {source} {read} (*.yaml and *.yml, in "
        "any case); choose another name"
    )


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        typer.echo(message, err=True)


def _quiet_logs(quiet: bool) -> None:
    """--quiet also silences accessq's logged warnings (and retry waits: `wf.connect`)."""
    if quiet:
        import logging

        logging.getLogger("accessq").setLevel(logging.ERROR)


def output_width() -> int:
    """A report's width: the terminal's; in a file, a pipe or a CI log, never split a name."""
    import shutil

    return max(60, shutil.get_terminal_size().columns) if sys.stdout.isatty() else 1000


def _render_plan(planned: Planned, fmt: str) -> str:
    return render_plan(planned.plan, fmt, planned.violations)


def render_plan(plan_: Plan, fmt: str, violations: Sequence[Violation] = ()) -> str:
    """The plan as `plan` prints it (and `show` prints a saved one)."""
    import shutil

    from accessq.render.color import use_color
    from accessq.render.plan import render

    # On a terminal, wrap to it; in a file, a pipe or a CI log, never split a name mid-word.
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 1000
    if width < 1000 and _holds_secret(plan_, violations):
        width = 1000  # a token Jira handed back as a name stays whole, so the mask sees it
    return render(
        plan_,
        cast("Format", fmt),
        color=use_color(sys.stdout),
        width=max(60, width),
        violations=violations,
    )


def _holds_secret(plan_: Plan, violations: Sequence[Violation]) -> bool:
    return _holds_secret_text(plan_.model_dump_json() + "".join(v.message for v in violations))


def _holds_secret_text(text: str) -> bool:
    from accessq.jira.secret import redact

    return redact(text) != text


PLAN_EPILOG = f"""\b
Examples:
  accessq plan queues/
  accessq plan queues/ -o plan.json --detailed-exitcode
  accessq plan queues/ --queue Anvil --format markdown

{_exit_codes_help()}"""

APPLY_EPILOG = f"""\b
Examples:
  accessq apply queues/
  accessq apply --plan plan.json --yes

{_exit_codes_help()}"""


@app.command(epilog=PLAN_EPILOG)
def plan(
    paths: PathsArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Save the plan (JSON) for `apply --plan` and `show`.",
        ),
    ] = None,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="Output format.")] = PlanFormat.text,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 2 when there are changes.")
    ] = False,
    drift: Annotated[
        bool,
        typer.Option(
            "--drift",
            help="Exit 2 when changes undo hand edits made in Jira (drift), else 0.",
        ),
    ] = False,
    queue: QueueOpt = None,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Read the live Jira and show what `apply` would change. Read-only."""
    from dataclasses import replace

    from accessq.cli import workflow as wf
    from accessq.cli.drift_steps import labelled

    _quiet_logs(quiet)
    if out is not None:
        _refuse_writing_over("--out", out, paths, "being planned")
    try:
        config, scoped = wf.load_scoped(paths, queue)
        only = scoped.only
        with wf.connect(config, jira_url, quiet=quiet) as gateway:
            _say(f"Reading {gateway.target.describe()} ...", quiet)
            observed = wf.read(gateway, config, only, quiet=quiet)
            planned = wf.plan_against(config, observed, only, scope=scoped.files)
            planned = replace(planned, plan=labelled(planned.plan, config, gateway)[0])
    except wf.Stop as exc:
        raise _stopped(exc) from None
    sys.stdout.write(_render_plan(planned, fmt.value))
    if out is not None:
        from accessq.cli.redaction import write_text
        from accessq.plan.serialize import plan_to_json

        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            write_text(out, plan_to_json(wf.with_configuration(planned.plan, config)))
        except OSError as exc:
            raise fail(f"cannot write {out}: {exc.strerror}") from None
        _say(f"Plan saved to {out}; apply it with: accessq apply --plan {out}", quiet)
    summary = wf.step_summary_path()
    if summary is not None:
        from accessq.jira.secret import redact
        from accessq.render.plan_markdown import render_markdown

        # CI shows the summary to anyone with access: masked like every other output.
        text = redact(render_markdown(planned.plan, violations=planned.violations)) + "\n"
        done = "the plan above is complete" + (f" and saved to {out}" if out else "")
        try:
            wf.append_step_summary(summary, text, done=done)
        except wf.Stop as exc:
            raise _stopped(exc) from None
    if planned.plan.has_errors:
        raise typer.Exit(ExitCode.ERROR)
    if planned.blocking:
        raise typer.Exit(ExitCode.BLOCKED)
    if drift:
        raise typer.Exit(ExitCode.CHANGES if planned.plan.drift else ExitCode.OK)
    if detailed_exitcode and not planned.plan.is_empty:
        raise typer.Exit(ExitCode.CHANGES)


@app.command(epilog=APPLY_EPILOG)
def apply(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATHS", help="Queue files or folders (or use --plan).", show_default=False
        ),
    ] = None,
    plan_file: Annotated[
        Path | None,
        typer.Option("--plan", metavar="FILE", help="Apply a plan saved by `plan --out`."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Override the removal and min-agents safety rules.")
    ] = False,
    allow_delete: Annotated[
        bool, typer.Option("--allow-delete", help="Allow deleting queues no longer configured.")
    ] = False,
    queue: QueueOpt = None,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Parallel writes.")] = 8,
    break_lock: Annotated[
        bool,
        typer.Option(
            "--break-lock",
            help="Take over the apply lock of another run (only when it is no longer running).",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Change nothing when any queue has an error (default: apply the other queues).",
        ),
    ] = False,
    ticket: Annotated[
        str | None,
        typer.Option(
            "--ticket",
            envvar="ACCESSQ_TICKET",
            metavar="KEY",
            help="Comment on this request ticket (e.g. ATS-123) with what was done.",
            show_default=False,
        ),
    ] = None,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Make Jira match the configuration (or a saved plan), safely; one apply at a time."""
    from dataclasses import replace

    from accessq.cli import workflow as wf
    from accessq.cli.drift_steps import labelled, record_applied
    from accessq.cli.ticket import check_ticket, comment_on_ticket, ticket_key
    from accessq.render.apply_report import render_result

    if bool(paths) == bool(plan_file):
        raise fail("give queue files/folders or --plan FILE (one of them)")
    if plan_file and queue:
        raise fail("--queue cannot narrow a saved plan; it applies what it says")
    key = ticket_key(ticket) if ticket is not None else None
    if ticket is not None and key is None:
        raise fail(f"--ticket {ticket!r} is not a ticket key: give PROJECT-NUMBER, e.g. ATS-123")
    unreadable: str | None = None  # why the ticket cannot be read, when it cannot
    nothing_to_change = False
    interactive = _stdin_is_terminal()
    if not yes and not interactive:
        raise fail("not a terminal: re-run with --yes to apply without confirmation")
    _quiet_logs(quiet)
    _check_journal_folder()  # before any write, not after the plan
    try:
        saved = wf.read_plan_file(plan_file) if plan_file else None
        if saved is not None:
            config = wf.configuration_of(saved)
            only, scope = None, saved.scope  # both from the saved plan, below
        else:
            config, scoped = wf.load_scoped(paths or [], queue)
            only, scope = scoped.only, scoped.files
        with (
            wf.connect(config, jira_url, quiet=quiet) as gateway,
            wf.apply_lock(gateway, break_lock=break_lock) as lock,
        ):
            # Read, plan and write under the lock: no other apply changes Jira in between.
            if key is not None:
                unreadable = check_ticket(gateway, key)
                if unreadable is not None:
                    typer.echo(
                        f"warning: ticket {key}: {unreadable}; the apply may go ahead, "
                        "but the ticket will not be commented",
                        err=True,
                    )
            _say(f"Reading {gateway.target.describe()} ...", quiet)
            observed = wf.read(
                gateway, config, set(saved.only) if saved and saved.only else only, quiet=quiet
            )
            if saved is not None:
                wf.check_fresh(saved, observed, config)
                only = set(saved.only) if saved.only else None
            planned = wf.plan_against(
                config, observed, only, force=force, allow_delete=allow_delete, scope=scope
            )
            if saved is not None:
                wf.check_same_changes(saved, planned.plan)
            labelled_plan, recorded = labelled(planned.plan, config, gateway)
            planned = replace(planned, plan=labelled_plan)
            sys.stdout.write(_render_plan(planned, "text"))
            if planned.plan.global_errors or (strict and planned.plan.has_errors):
                raise wf.Stop("error: the plan has errors; nothing was changed")
            if planned.blocking:
                raise wf.Stop("blocked by safety rules; nothing was changed", code=ExitCode.BLOCKED)
            if planned.plan.is_empty:
                nothing_to_change = True  # no comment then (README: apply --ticket)
                _warn(record_applied(planned.plan, config, gateway, recorded, None))
                raise wf.Stop(*_skipped_lines(planned.plan), code=_ok_unless_skipped(planned.plan))
            if not yes and not typer.confirm(
                _apply_prompt(planned.plan, gateway), default=False, err=True
            ):
                raise wf.Stop("Cancelled; nothing was changed.", code=ExitCode.ERROR)
            wf.still_held(lock)
            result = _execute(
                planned.plan, gateway, concurrency=concurrency, quiet=quiet, halt=lock.lost
            )
            _warn(record_applied(planned.plan, config, gateway, recorded, result))
            closing = None
            if key is not None:
                closing = (
                    f"warning: {key} was not commented: {unreadable}."
                    if unreadable is not None
                    else comment_on_ticket(gateway, key, planned.plan, result)
                )
    except wf.Stop as exc:
        stop = _stopped(exc)
        if key is not None:
            why = unreadable or "nothing was changed"
            if unreadable is None and exc.code == ExitCode.INTERRUPTED:
                why = "the apply was interrupted"
            elif unreadable is None and nothing_to_change:
                why = "there was nothing to change"
            typer.echo(f"{key} was not commented: {why}.", err=True)
        raise stop from None
    # The report once the lock is let go: whatever releasing it says (a retry wait, a warning)
    # comes before it, so the report's closing line stays the last but for the lines below.
    sys.stderr.write(render_result(result))
    for line in _skipped_lines(planned.plan):
        typer.echo(line, err=True)
    if closing is not None:
        typer.echo(closing, err=True)
    ok = result.ok and not planned.plan.skipped
    raise typer.Exit(ExitCode.OK if ok else ExitCode.ERROR)


def _warn(line: str | None) -> None:
    if line is not None:
        typer.echo(line, err=True)


def _skipped_lines(plan_: Plan) -> list[str]:
    """The closing line of an apply that left queues out for their errors (exit code 1)."""
    if not plan_.skipped:
        return []
    return [
        f"error: left out because of their errors (see above), nothing changed in them: "
        f"{', '.join(plan_.skipped)}; fix them and run apply again"
    ]


def _ok_unless_skipped(plan_: Plan) -> ExitCode:
    return ExitCode.ERROR if plan_.skipped else ExitCode.OK


def _apply_prompt(plan: Plan, gateway: Gateway) -> str:
    """Names the target and the counts: with stdout redirected, the prompt is all one sees."""
    counts = plan.summary.closing_line().removeprefix("Plan: ").rstrip(".")
    return f"Apply to {gateway.target.describe()}: {counts}?"


def _check_journal_folder() -> None:
    """The journal folder exists and takes files, or one line and nothing happens."""
    import tempfile

    try:
        JOURNAL_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=JOURNAL_DIR):
            pass
    except OSError as exc:
        raise fail(
            f"cannot write the journal folder {JOURNAL_DIR}: {exc.strerror or exc}; "
            "nothing was changed: make it a writable folder, then run the same apply again"
        ) from None


def _execute(
    plan_: Plan,
    gateway: Gateway,
    *,
    concurrency: int,
    quiet: bool,
    halt: Callable[[], str | None],
) -> ApplyResult:
    from accessq.apply.engine import Journal, JournalError, execute
    from accessq.cli.progress import progress_bar
    from accessq.cli.workflow import Stop as wf_stop
    from accessq.jira.errors import AuthenticationError, PermissionDenied

    try:
        journal = Journal(JOURNAL_DIR)
    except JournalError as exc:
        raise wf_stop(
            f"error: {exc}; nothing was changed: make {JOURNAL_DIR} writable (or free some "
            "space), then run the same apply again"
        ) from None
    total, done = len(plan_.changes), 0
    try:
        with progress_bar("Applying", enabled=not quiet) as update:

            def on_step(_step: object) -> None:
                nonlocal done
                done += 1
                update(done, total)

            result = execute(
                plan_,
                gateway,
                concurrency=concurrency,
                journal=journal,
                on_step=on_step,
                request_id=gateway.last_request_id,
                fatal=(AuthenticationError, PermissionDenied),
                halt=halt,
            )
    except KeyboardInterrupt:
        raise wf_stop(
            f"Interrupted after {done} of {total} steps; journal: {journal.path}. "
            "Run the same apply again to finish the job.",
            code=ExitCode.INTERRUPTED,
        ) from None
    finally:
        journal.close()
    return result


def _read_site(
    paths: list[Path] | None, jira_url: str | None, *, quiet: bool, totals: bool = False
) -> tuple[Config, Observed]:
    """The whole live project, with the `jira:` settings of optional queue files."""
    from accessq.cli import workflow as wf
    from accessq.config.models import Config

    _quiet_logs(quiet)
    try:
        config = wf.load(paths) if paths else Config(version=1)
        with wf.connect(config, jira_url, quiet=quiet) as gateway:
            return config, wf.read(gateway, config, None, quiet=quiet, totals=totals)
    except wf.Stop as exc:
        raise _stopped(exc) from None


@app.command(
    "list-queues",
    epilog="Example: accessq list-queues --members --config queues/  "
    "(tables fit the terminal, or COLUMNS; --format yaml shows every column)",
)
def list_queues(
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
    members: Annotated[bool, typer.Option("--members", help="List the people too.")] = False,
    paths: ConfigPathsOpt = None,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Every queue in the live project, managed by accessq or not."""
    from accessq.render.color import use_color
    from accessq.render.queue_list import render_queue_list

    config, observed = _read_site(paths, jira_url, quiet=quiet, totals=True)

    def listing(width: int | None) -> str:
        return render_queue_list(
            observed,
            fmt.value,
            members=members,
            prefix=config.jira.group_prefix,
            color=use_color(sys.stdout),
            width=width,
        )

    width = _table_width() if fmt is ListFormat.table else None
    if width is not None and _holds_secret_text(listing(None)):
        width = None  # a token Jira handed back stays whole and in view, so the mask sees it
    sys.stdout.write(listing(width))


PIPED_WIDTH = 120  # a table written to a file or a pipe with no COLUMNS: wide enough for logs


def _table_width() -> int:
    """COLUMNS when set (as `shutil` and shells read it), else the terminal's, else PIPED_WIDTH."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif sys.stdout.isatty():
        width = shutil.get_terminal_size().columns
    else:
        width = PIPED_WIDTH
    return max(40, width)  # narrower, nothing readable fits anyway


@app.command()
def export(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    split: Annotated[
        Path | None,
        typer.Option("--split", metavar="FOLDER", help="Write one file per queue into FOLDER."),
    ] = None,
    adopt: Annotated[
        bool,
        typer.Option("--adopt", help="Also export unmanaged components, marked for adoption."),
    ] = False,
    paths: ConfigPathsOpt = None,
    jira_url: JiraUrlOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Write the live queues as queue YAML; `export` then `plan` shows no changes."""
    from accessq.cli.redaction import write_text
    from accessq.config.queue_files import holding_configuration, is_queue_file
    from accessq.export.write import export_files

    if out is not None and split is not None:
        raise fail("give --out FILE or --split FOLDER, not both")
    if out is not None:
        _refuse_writing_over("--out", out, paths or [], "read with --config")
    held = holding_configuration(split, paths or []) if split is not None else None
    if held is not None:
        raise fail(
            f"--split {split} holds queue files read with --config ({held}); "
            "export into another folder"
        )
    config, observed = _read_site(paths, jira_url, quiet=quiet)
    files = export_files(observed, config.jira, adopt=adopt, split=split is not None)
    from accessq.model.naming import decode_description

    managed = [c for c in observed.components if decode_description(c.description).managed]
    if managed and not observed.groups:
        prefix = config.jira.group_prefix
        typer.echo(
            f"warning: {len(managed)} managed queues but no groups named {prefix}<queue>-<role>: "
            "if they use another group_prefix, pass --config with the queue files that set it",
            err=True,
        )
    if split is None and out is None:
        sys.stdout.write(files[next(iter(files))])
        return
    folder = split if split is not None else (out.parent if out else Path("."))
    if split is not None and split.is_dir():
        # A stale queue file left beside a fresh export would be planned as a live queue.
        stale = sorted(p.name for p in split.iterdir() if is_queue_file(p) and p.name not in files)
        if stale:
            shown = ", ".join(stale[:3]) + (", ..." if len(stale) > 3 else "")
            raise fail(
                f"{split} already holds queue files this export would not replace ({shown}); "
                "export into an empty folder"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            target = out if out is not None else folder / name
            write_text(target, text)
            _say(f"Wrote {target}", quiet)
    except OSError as exc:
        raise fail(f"cannot write {exc.filename}: {exc.strerror}") from None


@sandbox_app.command("serve")
def sandbox_serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port; 0 picks a free one.")] = 8080,
    db: Annotated[Path, typer.Option(help="SQLite state file.")] = Path(".accessq/sandbox.sqlite"),
    flavor: Annotated[
        Flavor, typer.Option(help="Jira Cloud or Data Center behaviour.")
    ] = Flavor.cloud,
    seed: Annotated[
        Path | None, typer.Option(help="Seed YAML (users, groups, components, accounts).")
    ] = None,
    latency_ms: Annotated[int, typer.Option(help="Latency added to every request.")] = 0,
    rate_limit: Annotated[
        int, typer.Option(help="Requests allowed per second before 429; 0 is unlimited.")
    ] = 0,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            metavar="KEY=VALUE",
            help="A sandbox option for this run (see docs/sandbox.md), e.g. "
            "hidden_email_search=never; repeatable.",
        ),
    ] = None,
) -> None:
    """Serve the sandbox in the foreground until Ctrl-C."""
    from accessq.sandbox import serve
    from accessq.sandbox.options import parse_assignments

    try:
        serve(
            host=host,
            port=port,
            db=db,
            flavor=flavor.value,
            seed=seed,
            latency_ms=latency_ms,
            rate_limit=rate_limit,
            options=parse_assignments(option or []),
        )
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None


@sandbox_app.command("reset")
def sandbox_reset(
    db: Annotated[Path, typer.Option(help="SQLite state file.")] = Path(".accessq/sandbox.sqlite"),
    flavor: Annotated[
        Flavor, typer.Option(help="Jira Cloud or Data Center behaviour.")
    ] = Flavor.cloud,
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
    from accessq.cli.redaction import install

    install()  # for the whole process, so even a crash's traceback is masked
    app()


# Commands in their own modules register on `app` when imported (keeps this file thin).
from accessq.cli import cmd_doctor as _cmd_doctor  # noqa: E402,F401  (registers the command)
from accessq.cli import cmd_offboard as _cmd_offboard  # noqa: E402,F401
from accessq.cli import cmd_route as _cmd_route  # noqa: E402,F401
from accessq.cli import cmd_show as _cmd_show  # noqa: E402,F401
from accessq.cli import cmd_triage as _cmd_triage  # noqa: E402,F401
from accessq.cli import cmd_vocabulary as _cmd_vocabulary  # noqa: E402,F401
from accessq.cli import cmd_who as _cmd_who  # noqa: E402,F401
