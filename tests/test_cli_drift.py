"""Drift through the real CLI against the sandbox, both flavours: apply records what it applied
per queue in Jira, and a later plan labels the changes that undo a hand edit made in Jira
(`drift`) apart from those of a changed configuration; a tampered record only loses the labels.
The record's format and size: tests/plan/test_drift.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.cli_support import run_on as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "queues.yaml"
HEAD = "/rest/api/2/project/ATS/properties/accessq.applied"
DRIFT = "(drift: undoes a change made in Jira by hand)"
CONFIG = "(configuration: differs from what the last apply recorded)"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(params=["cloud", "dc"])
def applied(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    """A sandbox the example was applied to."""
    sandbox = make_sandbox(request.param)
    result = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert result.exit_code == 0, result.stderr
    return sandbox


def admin(sandbox: Any) -> requests.Session:
    """Someone clicking in Jira, straight at its REST API."""
    http = requests.Session()
    if sandbox.flavor == "dc":
        http.headers["Authorization"] = "Bearer admin-pat"
    else:
        http.auth = ("admin", "admin")
    return http


def remove_by_hand(sandbox: Any, group: str) -> None:
    """Take the first member out of `group`, as a Jira admin would in Jira's own pages."""
    http = admin(sandbox)
    api = f"{sandbox.url}/rest/api/2"
    members = http.get(f"{api}/group/member", params={"groupname": group}).json()["values"]
    who = (
        {"accountId": members[0]["accountId"]}
        if sandbox.flavor == "cloud"
        else {"username": members[0]["name"]}
    )
    http.delete(f"{api}/group/user", params={"groupname": group, **who}).raise_for_status()


def test_apply_records_every_queue_it_applied(applied: Any) -> None:
    value = admin(applied).get(f"{applied.url}{HEAD}").json()["value"]
    assert value["version"] == 1 and value["parts"] == 1
    assert "delta" in value["queues"] and "jetstream-2" in value["queues"]
    # Nothing to change: the record stands, not written again.
    applied.control.reset_stats()
    assert run(applied, "apply", str(EXAMPLE), "--yes").exit_code == 0
    routes = applied.control.stats()["by_route"]
    assert not any(r.startswith("PUT ") and "accessq.applied" in r for r in routes)


def test_a_hand_edit_in_jira_is_drift(applied: Any) -> None:
    remove_by_hand(applied, "ats-delta-agents")
    result = run(applied, "plan", str(EXAMPLE), "--drift", login="viewer")
    assert result.exit_code == 2, result.stderr
    lines = result.stdout.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("~ Delta"))
    assert lines[title + 1].strip() == DRIFT
    as_json = run(applied, "plan", str(EXAMPLE), "--format", "json", login="viewer")
    assert json.loads(as_json.stdout)["origins"] == {"Delta": "drift"}
    markdown = run(applied, "plan", str(EXAMPLE), "--format", "markdown", login="viewer")
    assert "> Drift: the changes to Delta undo changes made in Jira by hand." in markdown.stdout
    # Applying it puts Jira back and records it: no drift left.
    assert run(applied, "apply", str(EXAMPLE), "--yes").exit_code == 0
    after = run(applied, "plan", str(EXAMPLE), "--drift", login="viewer")
    assert after.exit_code == 0, after.stdout
    assert DRIFT not in after.stdout


def test_a_changed_configuration_is_not_drift(applied: Any, tmp_path: Path) -> None:
    changed = tmp_path / "queues.yaml"
    text = EXAMPLE.read_text()
    assert "{name: Raj Patel, email: rpatel@illinois.example.edu}" in text
    changed.write_text(
        text.replace("      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n", "", 1)
    )
    result = run(applied, "plan", str(changed), "--drift", login="viewer")
    assert result.exit_code == 0, result.stdout
    assert CONFIG in result.stdout and DRIFT not in result.stdout
    assert "Delta" in result.stdout


@pytest.mark.parametrize(
    "tampered",
    [
        "not a record",
        {"version": 1, "write": "ab", "parts": 1, "queues": {"delta": "rm -rf"}},
        {"version": 1, "write": "ab", "parts": 3, "queues": {}},  # its parts are missing
    ],
)
def test_a_tampered_record_is_ignored_with_a_note(applied: Any, tampered: Any) -> None:
    remove_by_hand(applied, "ats-delta-agents")
    before = run(applied, "plan", str(EXAMPLE), "--format", "json", login="viewer")
    admin(applied).put(f"{applied.url}{HEAD}", json=tampered).raise_for_status()
    result = run(applied, "plan", str(EXAMPLE), "--format", "json", "--drift", login="viewer")
    assert result.exit_code == 0  # no drift claimed from a record accessq cannot trust
    plan, planned_before = json.loads(result.stdout), json.loads(before.stdout)
    assert plan["changes"] == planned_before["changes"]
    assert "origins" not in plan
    [note] = [n for n in plan["notes"] if "accessq.applied" in n]
    assert note.startswith("Ignored the record of the last apply in Jira")
    # The next apply writes a sound record over it.
    assert run(applied, "apply", str(EXAMPLE), "--yes").exit_code == 0
    assert admin(applied).get(f"{applied.url}{HEAD}").json()["value"]["parts"] == 1


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_site_never_applied_costs_a_plan_one_request_for_the_record(
    make_sandbox: Any, flavor: str
) -> None:
    """The record's absence is one 404: the plan has read the project already, so it does not
    ask for the list of property keys the apply lock needs (for Jira's clock) on top."""
    sandbox = make_sandbox(flavor)
    sandbox.control.reset_stats()
    result = run(sandbox, "plan", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    routes = sandbox.control.stats()["by_route"]
    assert sum(n for route, n in routes.items() if "/properties" in route) == 1
