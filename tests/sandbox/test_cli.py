"""`accessq sandbox serve` and `accessq sandbox reset` as a user runs them."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from accessq.cli.app import app


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_where_and_how_to_sign_in_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    db = tmp_path / "state" / "sandbox.sqlite"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "accessq",
            "sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(db),
            "--flavor",
            "dc",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert "Jira Data Center" in first and str(db) in first
        url = first.split(" on ", 1)[1].split()[0]
        assert "admin / admin (admin)" in process.stderr.readline()
        with requests.Session() as http:
            http.trust_env = False  # no proxies for loopback
            info = http.get(f"{url}/rest/api/2/serverInfo", timeout=5).json()
        assert info["deploymentType"] == "Server"
    finally:
        process.send_signal(stop)
        assert process.wait(timeout=10) == 0
    assert db.exists()


def test_reset_cli(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    result = CliRunner().invoke(app, ["sandbox", "reset", "--db", str(db)])
    assert result.exit_code == 0
    assert f"Sandbox reset: {db}" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("users:\n  - {name: X, email: x@example.org, colour: blue}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sandbox", "reset", "--db", str(db), "--seed", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"error: {bad}:2: users[0]: unknown key 'colour' "
        "(known: name, email, account_id, username, active, email_hidden, time_zone, account_type)"
    )


def test_serve_cli_refuses_other_hosts_and_bad_ports(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite")
    result = CliRunner().invoke(app, ["sandbox", "serve", "--host", "0.0.0.0", "--db", db])
    assert result.exit_code == 1
    assert result.output.startswith("error: refusing to listen on '0.0.0.0'")
    result = CliRunner().invoke(app, ["sandbox", "serve", "--port", "70000", "--db", db])
    assert result.exit_code == 1
    assert (
        result.output.strip() == "error: port 70000 is not between 0 and 65535 (0 picks a free one)"
    )
    assert not (tmp_path / "x.sqlite").exists()


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path, sandbox_cloud: object) -> None:
    port = int(str(sandbox_cloud.url).rsplit(":", 1)[1])  # type: ignore[attr-defined]
    result = CliRunner().invoke(
        app, ["sandbox", "serve", "--port", str(port), "--db", str(tmp_path / "s.sqlite")]
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"error: cannot listen on 127.0.0.1:{port}: address already in use"
    )


def test_serve_cli_checks_options_before_creating_the_state(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    for option, message in (
        ("colour=blue", "error: unknown sandbox option(s) colour; known: hidden_email_search"),
        ("hidden_email_search=sometimes", "error: hidden_email_search must be one of exact, never"),
        ("hidden_email_search", "error: --option 'hidden_email_search': write it as KEY=VALUE"),
    ):
        result = CliRunner().invoke(
            app, ["sandbox", "serve", "--db", str(db), "--port", "0", "--option", option]
        )
        assert result.exit_code == 1
        assert result.output.strip() == message
    assert not db.exists()
