"""--help speaks human (issue 19): metavars, examples, the environment, the exit codes; shell
completion works through click's completion protocol."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from accessq.cli.app import app
from accessq.cli.exit_codes import ExitCode
from accessq.jira import connection
from tests.cli_support import run


def _commands() -> list[list[str]]:
    from typer.main import get_command

    root = get_command(app)
    found: list[list[str]] = [[]]
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        found.append([name])
        found += [[name, sub] for sub in getattr(command, "commands", {})]
    return found


@pytest.mark.parametrize("words", _commands(), ids=lambda w: " ".join(w) or "accessq")
def test_no_type_placeholders_in_help(words: list[str]) -> None:
    result = run([*words, "--help"])
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"<(list\[|Path|path|str|int|bool|text\|)", result.stdout), result.stdout


def test_main_help_lists_examples_environment_and_every_exit_code() -> None:
    text = run(["--help"]).stdout
    assert "Examples:" in text and "accessq show plan.json" in text
    for name in (v for k, v in vars(connection).items() if k.startswith("ENV_")):
        assert name in text
    listed = {int(m) for m in re.findall(r"^\s+(\d+)\s{2,}", text.split("Exit codes:")[1], re.M)}
    assert listed == {int(code) for code in ExitCode}
    for words in (["plan"], ["apply"]):
        assert "Exit codes:" in run([*words, "--help"]).stdout


def test_plan_takes_o_as_export_does() -> None:
    assert "-o, --out FILE" in run(["plan", "--help"]).stdout


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_ACCESSQ_COMPLETE": "complete_bash", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(cword)
    script = Path(sys.executable).parent / "accessq"  # the name decides the variable's
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_of_commands_and_options() -> None:
    assert _complete("accessq pl", 1) == ["plan"]
    assert set(_complete("accessq s", 1)) == {"schema", "show", "sandbox"}
    assert _complete("accessq plan --det", 2) == ["--detailed-exitcode"]
    assert "--format" in _complete("accessq show x --f", 3)
    assert _complete("accessq sandbox serve --fla", 3) == ["--flavor"]


def test_show_completion_prints_a_script() -> None:
    result = run(["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "_ACCESSQ_COMPLETE" in result.stdout
