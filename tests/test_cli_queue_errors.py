"""One queue's bad person blocks only that queue: `plan` and `apply` end to end, both flavours."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import run_on as run
from tests.jira.conftest import connect

HEAD = "version: 1\njira:\n  username_email: '{username}@access.example.org'\nrp_queues:\n"
DELTA_OK = """\
  - name: Delta
    agents:
      - {name: Jane Doe, email: jdoe@illinois.example.edu}
      - {name: Raj Patel, email: rpatel@illinois.example.edu}
"""
# Raj leaves the file and Ben, deactivated, joins: planned alone, Raj would be removed now.
DELTA_BAD = """\
  - name: Delta
    agents:
      - {name: Jane Doe, email: jdoe@illinois.example.edu}
      - {name: Ben Carter, email: bcarter@purdue.example.edu}
"""
ANVIL = """\
  - name: Anvil
    agents:
      - {name: Priya Nair, email: pnair@purdue.example.edu}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals and saved plans stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    return make_sandbox(request.param)


def _site(sandbox: Any, tmp_path: Path) -> Path:
    """Delta applied with Jane and Raj; then the file names Ben instead of Raj, and adds Anvil."""
    queues = tmp_path / "queues.yaml"
    queues.write_text(HEAD + DELTA_OK)
    first = run(sandbox, "apply", str(queues), "--yes")
    assert first.exit_code == 0, first.stdout + first.stderr
    queues.write_text(HEAD + DELTA_BAD + ANVIL)
    return queues


def _members(sandbox: Any, group: str) -> list[str]:
    with connect(sandbox) as gateway:
        try:
            return sorted(m.display_name or m.key for m in gateway.group_members(group))
        except Exception:  # the group does not exist
            return []


def test_apply_applies_every_other_queue_and_exits_1_naming_the_skipped(
    sandbox: Any, tmp_path: Path
) -> None:
    queues = _site(sandbox, tmp_path)
    planned = run(sandbox, "plan", str(queues), "--format", "json")
    assert planned.exit_code == 1
    data = json.loads(planned.stdout)
    assert data["skipped"] == ["Delta"]
    assert [(e["queue"], e["kind"]) for e in data["errors"]] == [("Delta", "inactive_person")]
    assert {c["queue"] for c in data["changes"]} == {"Anvil"}

    applied = run(sandbox, "apply", str(queues), "--yes")
    assert applied.exit_code == 1, applied.stdout + applied.stderr
    assert "accessq offboard <queue files> bcarter@purdue.example.edu" in applied.stdout
    assert applied.stderr.rstrip().endswith(
        "error: left out because of their errors (see above), nothing changed in them: Delta; "
        "fix them and run apply again"
    )
    # Raj keeps his access; Anvil is made.
    assert _members(sandbox, "ats-delta-agents") == ["Jane Doe", "Raj Patel"]
    assert _members(sandbox, "ats-anvil-agents") == ["Priya Nair"]


def test_strict_changes_nothing(sandbox: Any, tmp_path: Path) -> None:
    queues = _site(sandbox, tmp_path)
    applied = run(sandbox, "apply", str(queues), "--yes", "--strict")
    assert applied.exit_code == 1
    assert "error: the plan has errors; nothing was changed" in applied.stderr
    assert _members(sandbox, "ats-anvil-agents") == []
    assert len(_members(sandbox, "ats-delta-agents")) == 2


def test_a_saved_plan_skips_the_same_queues(sandbox: Any, tmp_path: Path) -> None:
    queues = _site(sandbox, tmp_path)
    saved = run(sandbox, "plan", str(queues), "--out", "plan.json")
    assert saved.exit_code == 1
    assert "Left out until their errors are fixed: Delta." in saved.stdout
    applied = run(sandbox, "apply", "--plan", "plan.json", "--yes")
    assert applied.exit_code == 1, applied.stdout + applied.stderr
    assert "nothing changed in them: Delta" in applied.stderr
    assert _members(sandbox, "ats-anvil-agents") == ["Priya Nair"]
    assert len(_members(sandbox, "ats-delta-agents")) == 2


def test_an_error_of_no_queue_still_stops_everything(sandbox: Any, tmp_path: Path) -> None:
    queues = _site(sandbox, tmp_path)
    applied = run(sandbox, "apply", str(queues), "--yes", "--queue", "Anvil", "--queue", "Nope")
    assert applied.exit_code == 1
    assert "error: the plan has errors; nothing was changed" in applied.stderr
    assert _members(sandbox, "ats-anvil-agents") == []
