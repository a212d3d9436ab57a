"""The CLI's last net: whatever writes to stdout or stderr while a command runs, a secret
accessq holds comes out masked, even on a terminal whose encoding makes click rewrap streams."""

from __future__ import annotations

import io
import os
import shutil
import sys

import pytest
import typer
from rich.console import Console

from accessq.apply.engine import ApplyResult, StepResult
from accessq.cli.app import _render_plan
from accessq.cli.redaction import RedactingStream, redacted_output
from accessq.cli.workflow import plan_against
from accessq.jira.secret import Secret
from accessq.plan.model import Change
from accessq.plan.payload import DeleteComponent
from accessq.render.apply_report import render_result
from tests.plan.builders import config_of, managed, observed_of

TOKEN = "tok-net-4c2e9a71"


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])  # ascii: LANG=C, click's rewrap case
def test_every_writer_of_the_cli_goes_through_the_mask(
    encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Secret(TOKEN)
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding=encoding, write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding=encoding, write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    with redacted_output():
        typer.echo(f"echo {TOKEN}")
        typer.echo(f"error: {TOKEN}", err=True)
        sys.stdout.write(f"write {TOKEN}\n")
        Console(stderr=True, no_color=True).print(f"rich {TOKEN}")
    assert sys.stdout is out and sys.stderr is err  # put back afterwards
    shown = out_bytes.getvalue().decode() + err_bytes.getvalue().decode()
    assert TOKEN not in shown
    for line in ("echo ***", "error: ***", "write ***", "rich ***"):
        assert line in shown, shown


# As long as a Cloud API token: longer than a table cell or a terminal line, so wrapping would
# split it where no mask on the output could recognise it.
LONG_TOKEN = "ATATT3x" + "FfGF0aB1c2D3e4F5g6H7i8J9k0LmNoPqRsTuVwXyZ" * 4 + "=C0FFEE"


def _delete(name: str) -> Change:
    gone = DeleteComponent(
        name=name, description="", keywords=[], lead=None, assignee_type="PROJECT_DEFAULT"
    )
    return Change.of(
        gone,
        id=f"delete_component:{name}",
        queue=name,
        phase="delete",
        target=name,
        target_id="10001",
    )


def test_the_apply_report_masks_a_long_token_before_its_table_wraps_it() -> None:
    Secret(LONG_TOKEN)
    name = f"Echo {LONG_TOKEN}"
    failed = StepResult(_delete(name), "failed", error=f"Jira failed on {name}")
    report = render_result(ApplyResult(steps=[failed]))
    assert "Echo ***" in report
    for start in range(0, len(LONG_TOKEN) - 12, 6):  # no piece of it on any line
        assert LONG_TOKEN[start : start + 12] not in report, report


def test_a_plan_holding_a_long_token_is_not_wrapped_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Secret(LONG_TOKEN)
    config = config_of()
    observed = observed_of(config, managed("10001", f"Echo {LONG_TOKEN}", "Leaked."))
    planned = plan_against(config, observed, None)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *a: os.terminal_size((80, 24)))
    buffer = io.StringIO()
    RedactingStream(buffer).write(_render_plan(planned, "text"))  # as the CLI prints it
    shown = buffer.getvalue()
    assert "Echo ***" in shown
    for start in range(0, len(LONG_TOKEN) - 12, 6):
        assert LONG_TOKEN[start : start + 12] not in shown, shown
