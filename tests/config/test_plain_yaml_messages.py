"""The slips people make most, said in the queue language: one line with file:line, from
`accessq validate` and from `accessq plan` (which stops before it connects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import run

HEAD = "version: 1\n"
AWARDEE = """awardee_queues:
  - name: ACCESS-ACO-Support
    updaters:
      - {name: Ada Lovelace, username: alovelace}
      - {name: Alan Turing, username: aturing}
    default_assignee: %s
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _errors(text: str, command: str) -> list[str]:
    Path("queues.yaml").write_text(text)
    result = run([command, "queues.yaml"])
    assert result.exit_code == 1
    lines = [x for x in (result.stdout + result.stderr).splitlines() if ": error: " in x]
    assert len(lines) == 1, lines
    assert "Traceback" not in result.stdout + result.stderr
    return lines


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_a_tab_used_for_indentation(command: str) -> None:
    text = HEAD + "rp_queues:\n  - name: Delta\n\tagents: []\n"
    assert _errors(text, command) == [
        "queues.yaml:4:1: error: a tab character; YAML indents with spaces"
    ]


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_an_unquoted_colon_in_a_value(command: str) -> None:
    text = HEAD + "rp_queues:\n  - name: Delta: GPU   # the GPU part\n    agents: []\n"
    assert _errors(text, command) == [
        "queues.yaml:3:16: error: the value of 'name' holds ': ', which YAML reads as a new key; "
        'quote the value: name: "Delta: GPU"'
    ]


def test_a_key_indented_wrongly_still_says_check_the_indentation() -> None:
    text = HEAD + "rp_queues:\n  - name: Delta\n    description: x\n     agents: []\n"
    (line,) = _errors(text, "validate")
    assert line.startswith("queues.yaml:5:") and line.endswith("; check the indentation")


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_a_default_assignee_given_by_name_suggests_that_updaters_username(command: str) -> None:
    (line,) = _errors(HEAD + AWARDEE % "Alan Turing", command)
    assert line == (
        "queues.yaml:7:23: error: default assignee 'Alan Turing' looks like a person's name; "
        "default_assignee wants an ACCESS username: 'aturing', the username of updater "
        "Alan Turing (awardee_queues[0].default_assignee)"
    )


def test_a_default_assignee_given_by_an_unknown_name_lists_the_usernames() -> None:
    (line,) = _errors(HEAD + AWARDEE % "Grace Hopper", "validate")
    assert line.endswith(
        "looks like a person's name; default_assignee wants an ACCESS username: the username "
        "of one of the updaters (alovelace, aturing) (awardee_queues[0].default_assignee)"
    )
