"""Queues and their tickets, end to end in both flavours: list-queues counts them, a deletion
that would strip open tickets is blocked unless `retired_queues` says where they go, and apply
moves them with the component's deletion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from accessq.model.naming import encode_description
from accessq.sandbox import DEMO_SEED
from tests.cli_support import run_on as run


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _seed() -> dict[str, Any]:
    """The demo seed plus a managed queue NCSA-Delta holding 2 open tickets and 1 resolved."""
    seed: dict[str, Any] = yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8"))
    seed["components"].append(
        {"name": "NCSA-Delta", "description": encode_description("Delta, the old way", [])}
    )
    seed["issues"] += [
        {"summary": "GPU job stuck", "components": ["NCSA-Delta"], "created": "2025-01-10"},
        {
            "summary": "Quota",
            "components": ["NCSA-Delta"],
            "assignee": "jdoe",
            "created": "2025-02-01",
        },
        {"summary": "Done", "components": ["NCSA-Delta"], "status": "resolved"},
    ]
    return seed


QUEUE = (
    "version: 1\nrp_queues:\n  - name: Delta\n"
    "    agents: [{name: Jane Doe, email: jdoe@illinois.example.edu}]\n"
)


def _write(text: str) -> str:
    Path("queues.yaml").write_text(text, encoding="utf-8")
    return "queues.yaml"


def _tickets_of(sandbox: Any, component: str) -> int:
    found = run(sandbox, "list-queues", "--format", "json", "--quiet")
    rows = {q["name"]: q for q in json.loads(found.stdout)["queues"]}
    return int(rows[component]["tickets"]["total"]) if component in rows else -1


def test_list_queues_counts_open_total_unassigned_and_oldest(
    make_sandbox: Any, flavor: str
) -> None:
    sandbox = make_sandbox(flavor, _seed())
    found = run(sandbox, "list-queues", "--format", "json", "--quiet")
    assert found.exit_code == 0, found.stdout + found.stderr
    rows = {q["name"]: q for q in json.loads(found.stdout)["queues"]}
    tickets = rows["NCSA-Delta"]["tickets"]
    assert (tickets["open"], tickets["total"], tickets["open_unassigned"]) == (2, 3, 1)
    assert tickets["oldest_open"].startswith("2025-01-10")
    assert tickets["oldest_open_days"] > 0
    as_yaml = yaml.safe_load(run(sandbox, "list-queues", "--format", "yaml", "--quiet").stdout)
    assert {q["name"]: q["tickets"] for q in as_yaml["queues"]}["NCSA-Delta"] == tickets
    table = run(sandbox, "list-queues", "--quiet").stdout
    assert "Oldest open" in table and "Unassigned" in table


def test_deleting_a_queue_with_open_tickets_is_blocked_even_with_allow_delete(
    make_sandbox: Any, flavor: str
) -> None:
    sandbox = make_sandbox(flavor, _seed())
    path = _write(QUEUE)
    planned = run(sandbox, "plan", path)
    assert planned.exit_code == 3, planned.stdout + planned.stderr
    assert "tickets: holds 2 open tickets; deleting it takes the component off" in planned.stdout
    assert (
        "NCSA-Delta: the plan deletes this queue, whose component holds 2 open tickets; say "
        "where they go in retired_queues"
    ) in " ".join((planned.stdout + planned.stderr).split())
    applied = run(sandbox, "apply", path, "--allow-delete", "--yes")
    assert applied.exit_code == 3, applied.stdout + applied.stderr
    assert _tickets_of(sandbox, "NCSA-Delta") == 3  # nothing deleted


def test_retired_queues_moves_the_tickets_to_the_configured_queue(
    make_sandbox: Any, flavor: str
) -> None:
    sandbox = make_sandbox(flavor, _seed())
    path = _write(QUEUE + "retired_queues:\n  - {name: NCSA-Delta, move_tickets_to: Delta}\n")
    planned = run(sandbox, "plan", path, "--format", "json")
    # Blocked by the delete rule alone (--allow-delete), not by the open tickets.
    assert planned.exit_code == 3, planned.stdout + planned.stderr
    assert "whose component holds" not in planned.stdout + planned.stderr
    delete = next(
        c for c in json.loads(planned.stdout)["changes"] if c["action"] == "delete_component"
    )
    assert delete["tickets"] == {"open": 2, "move_to": "Delta", "move_to_id": None}
    assert "create_component:Delta" in delete["depends_on"]
    text = run(sandbox, "plan", path).stdout
    assert 'tickets: holds 2 open tickets; all its tickets move to "Delta"' in text
    applied = run(sandbox, "apply", path, "--allow-delete", "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert _tickets_of(sandbox, "Delta") == 3  # resolved ones move too
    assert _tickets_of(sandbox, "NCSA-Delta") == -1
    # Once the component is gone the entry does nothing: it may stay in the file.
    again = run(sandbox, "plan", path)
    assert again.exit_code == 0 and "No changes" in again.stdout, again.stdout


def test_a_move_target_that_does_not_exist_is_a_plan_error(make_sandbox: Any, flavor: str) -> None:
    sandbox = make_sandbox(flavor, _seed())
    path = _write(QUEUE + "retired_queues:\n  - {name: NCSA-Delta, move_tickets_to: Triage}\n")
    planned = run(sandbox, "plan", path)
    assert planned.exit_code == 1, planned.stdout + planned.stderr
    assert (
        "queues.yaml:6:6: error: retired queue NCSA-Delta: move_tickets_to 'Triage' is neither "
        "a configured queue nor a component in Jira"
    ) in planned.stdout + planned.stderr
