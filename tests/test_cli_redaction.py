"""The CLI's last net: whatever writes to stdout or stderr while a command runs, a secret
accessq holds comes out masked, even on a terminal whose encoding makes click rewrap streams."""

from __future__ import annotations

import io
import sys

import pytest
import typer
from rich.console import Console

from accessq.cli.redaction import redacted_output
from accessq.jira.secret import Secret

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
