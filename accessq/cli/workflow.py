"""The steps the commands share: load the configuration, connect, read, diff, check safety.

Each step raises `Stop` with one printable line and the exit code, so the CLI stays a thin
layer of parse / call / render / exit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from accessq.apply.lock import ApplyLock
from accessq.cli.exit_codes import ExitCode
from accessq.config.models import Config
from accessq.jira.gateway import Gateway
from accessq.model.observed import Observed
from accessq.plan.model import Plan
from accessq.plan.safety import Violation

MAX_DRIFT_LINES = 10


class Stop(Exception):
    """End the command: `lines` go to stderr, then exit with `code`."""

    def __init__(self, *lines: str, code: ExitCode = ExitCode.ERROR) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = lines
        self.code = code


def load(paths: Sequence[Path]) -> Config:
    from accessq.config.loader import ConfigError, load_config_or_raise

    try:
        return load_config_or_raise(paths)
    except ConfigError as exc:
        errors = sorted(exc.result.errors, key=lambda d: d.sort_key())
        raise Stop(*(str(d) for d in errors)) from None


def load_scoped(paths: Sequence[Path], queue: list[str] | None) -> tuple[Config, Scoped]:
    """The configuration and what to plan of it: `--queue`, else the queues of files given
    alone out of a folder configuration (`FileScope`), else everything."""
    from accessq.config.loader import ConfigError, load_scoped_or_raise

    try:
        config, scope = load_scoped_or_raise(paths)
    except ConfigError as exc:
        errors = sorted(exc.result.errors, key=lambda d: d.sort_key())
        raise Stop(*(str(d) for d in errors)) from None
    if queue:
        return config, Scoped(set(queue), None)
    if scope is not None:
        return config, Scoped(set(scope.queues), list(scope.files))
    return config, Scoped(None, None)


@dataclass(frozen=True)
class Scoped:
    """Which queues a command plans: `only` None is all; `files` says they come from files."""

    only: set[str] | None
    files: list[str] | None


@contextmanager
def connect(config: Config, jira_url: str | None, *, quiet: bool = False) -> Iterator[Gateway]:
    """A gateway to the configured Jira (flags > ACCESSQ_* > `jira:`), or the sandbox.

    Unless quiet, every long retry wait is one line on stderr (`progress.notice`).
    """
    from accessq.cli.progress import notice
    from accessq.jira.connection import ConnectionSettings, open_gateway
    from accessq.jira.errors import GatewayError

    on_wait = None if quiet else lambda wait: notice(wait.describe())
    try:
        settings = ConnectionSettings.resolve(config.jira, url=jira_url)
        with open_gateway(settings, on_wait=on_wait) as gateway:
            yield gateway
    except GatewayError as exc:
        raise Stop(f"error: {exc}") from None


@contextmanager
def apply_lock(gateway: Gateway, *, break_lock: bool) -> Iterator[ApplyLock]:
    """Hold the apply lock of the project (accessq.apply.lock) for the body; always let go.

    Notes (a lock broken or taken over, a long wait) and a failure to release go to stderr even
    with --quiet: they concern another run, and whoever runs this one must know.
    """
    import typer

    from accessq.apply import lock as locking
    from accessq.jira.errors import AuthenticationError, GatewayError, NotFound, PermissionDenied

    held = locking.ApplyLock(
        gateway,
        project=gateway.project,
        timing=locking.DEFAULT_TIMING,
        tell=lambda message: typer.echo(message, err=True),
    )
    try:
        try:
            held.acquire(break_lock=break_lock)  # its notes go straight to stderr
        except locking.LockError as exc:
            raise Stop(f"error: {exc}") from None
        except PermissionDenied as exc:
            raise Stop(
                f"error: cannot take the apply lock on {gateway.project}: {exc}; it is a "
                f"project property, so apply needs an account that administers project "
                f"{gateway.project} (docs/site-setup.md); nothing was changed"
            ) from None
        except (AuthenticationError, NotFound) as exc:  # the message says it all
            raise Stop(f"error: {exc}") from None
        except GatewayError as exc:
            raise Stop(
                f"error: cannot take the apply lock on {gateway.project}: {exc}; "
                "nothing was changed: run the same apply again"
            ) from None
        yield held
    finally:
        warning = held.release()
        if warning:
            typer.echo(warning, err=True)


def still_held(lock: ApplyLock) -> None:
    """Stop before the first write when the lock was lost meanwhile (e.g. during the prompt)."""
    from accessq.apply.lock import LockError

    try:
        lock.check()
    except LockError as exc:
        raise Stop(f"error: {exc}") from None


def read(
    gateway: Gateway,
    config: Config,
    only: set[str] | None,
    *,
    quiet: bool = False,
    totals: bool = False,
) -> Observed:
    from accessq.cli.progress import progress_bar
    from accessq.jira.errors import GatewayError
    from accessq.jira.reader import read_observed

    try:
        with progress_bar("Reading groups", enabled=not quiet) as update:
            return read_observed(gateway, config, only=only, progress=update, totals=totals)
    except GatewayError as exc:
        raise Stop(f"error: {exc}") from None


@dataclass(frozen=True)
class Planned:
    config: Config
    observed: Observed
    plan: Plan
    violations: list[Violation]  # every rule the plan breaks, overridden ones marked

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if not v.overridden]


def plan_against(
    config: Config,
    observed: Observed,
    only: set[str] | None,
    *,
    force: bool = False,
    allow_delete: bool = False,
    scope: list[str] | None = None,
) -> Planned:
    from accessq.plan.diff import diff
    from accessq.plan.safety import evaluate, with_overrides

    plan = diff(config, observed, only=only, scope=scope)
    violations = with_overrides(
        evaluate(plan, config, observed), force=force, allow_delete=allow_delete
    )
    return Planned(config, observed, plan, violations)


def with_configuration(plan: Plan, config: Config) -> Plan:
    """The plan as saved by `plan --out`: it carries its configuration for `apply --plan`."""
    return plan.model_copy(update={"configuration": config.model_dump(mode="json")})


def configuration_of(plan: Plan) -> Config:
    from pydantic import ValidationError

    if plan.configuration is None:
        raise Stop(
            "error: the plan file carries no configuration; save it with `accessq plan --out`"
        )
    try:
        return Config.model_validate(plan.configuration)
    except ValidationError as exc:
        raise Stop(
            f"error: the plan file's configuration is not valid: {exc.errors()[0]['msg']}"
        ) from None


def read_plan_file(path: Path) -> Plan:
    from accessq.plan.serialize import PlanFileError, plan_from_json

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Stop(
            f"error: cannot read plan file {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    try:
        return plan_from_json(text)
    except PlanFileError as exc:
        raise Stop(
            f"error: {path}: {exc}; nothing was changed: make the plan again with "
            f"`accessq plan QUEUES --out {path}`"
        ) from None


def check_intact(saved: Plan) -> None:
    """Refuse a plan file whose fingerprint does not match its own parts (edited by hand)."""
    from accessq.plan.fingerprint import combine

    if combine(saved.fingerprint_parts) != saved.fingerprint:
        raise Stop("error: the plan file was altered after it was saved; make the plan again")


def check_fresh(saved: Plan, fresh: Observed, config: Config) -> None:
    """Refuse a saved plan whose Jira or configuration changed since it was made."""
    from accessq.plan.fingerprint import describe_drift, fingerprint_parts

    if saved.target.url != fresh.target.url or saved.target.project != fresh.target.project:
        raise Stop(
            f"error: the plan was made for {saved.target.describe()}, not {fresh.target.describe()}"
        )
    check_intact(saved)
    only = set(saved.only) if saved.only else None
    parts = fingerprint_parts(fresh, config, only=only)
    if parts != saved.fingerprint_parts:
        drift = describe_drift(saved.fingerprint_parts, parts)
        shown = [f"  {line}" for line in drift[:MAX_DRIFT_LINES]]
        if len(drift) > MAX_DRIFT_LINES:
            shown.append(f"  ... and {len(drift) - MAX_DRIFT_LINES} more")
        raise Stop(
            "error: the saved plan is stale: Jira or the configuration changed since it was made"
            " (or the plan was applied already); run `accessq plan` again",
            *shown,
        )


def check_same_changes(saved: Plan, fresh: Plan) -> None:
    """Apply exactly what was reviewed: the saved plan's changes must be the ones planned now.

    The fingerprint already proves Jira and the configuration are unchanged; this also catches a
    hand-edited plan file and a different accessq version planning differently.
    """

    # `source` is left out: a saved configuration carries no file positions.
    def comparable(plan: Plan) -> list[dict[str, object]]:
        return [c.model_dump(exclude={"source"}) for c in plan.changes]

    if comparable(saved) != comparable(fresh) or saved.skipped != fresh.skipped:
        raise Stop(
            "error: the saved plan's changes differ from what this accessq plans for the same "
            "state (edited plan file or another accessq version); make the plan again"
        )


def step_summary_path() -> Path | None:
    """GitHub Actions' job summary file, when running there."""
    value = os.environ.get("GITHUB_STEP_SUMMARY")
    return Path(value) if value else None


def append_step_summary(path: Path, text: str, *, done: str) -> None:
    """Add `text` to the job summary; one line saying what was `done` already if it cannot."""
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise Stop(
            f"error: cannot write the job summary GITHUB_STEP_SUMMARY={str(path)!r}: "
            f"{exc.strerror or exc}; {done}; fix the path (or unset it) and run again"
        ) from None
