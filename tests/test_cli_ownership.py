"""What accessq owns, end to end in both flavours: groups under the exact names it writes, and no
group deleted without the reviewer seeing it counted and, unless a rename moves its people,
without `--allow-delete`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import run_on as run
from tests.people import demo_seed
from tests.reliability.helpers import jira_state

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "queues.yaml"
# Made by hand: accessq never writes these names, though their slugs are two example queues'.
LOOK_ALIKES = {"ats-jetstream.2-watchers": "jdoe", "ats-Bridges 2-agents": "lwei"}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _seed(groups: dict[str, str]) -> dict[str, Any]:
    seed = demo_seed()
    seed["groups"] = [{"name": name, "members": [who]} for name, who in groups.items()]
    return seed


def _members(sandbox: Any) -> dict[str, frozenset[str]]:
    return jira_state(sandbox).groups


def test_look_alike_groups_are_never_read_changed_or_deleted(
    make_sandbox: Any, flavor: str
) -> None:
    sandbox = make_sandbox(flavor, _seed(LOOK_ALIKES))
    before = _members(sandbox)

    planned = run(sandbox, "plan", str(EXAMPLE))
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    for name in LOOK_ALIKES:
        assert f"group {name}" not in planned.stdout  # no `- group ats-jetstream.2-watchers`
    assert (
        "Groups not named as accessq names its groups are not accessq's and are left alone: "
        '"ats-Bridges 2-agents", "ats-jetstream.2-watchers".'
    ) in " ".join(planned.stdout.split())
    assert "Plan: 10 queues to create, 0 to change, 0 to delete; 29 membership changes." in (
        planned.stdout
    )

    sandbox.control.reset_stats()
    applied = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    # Not even their members were read: nothing of theirs can reach a plan.
    asked = [e["query"] for e in sandbox.control.stats()["log"] if "groupname=" in e["query"]]
    assert not [q for q in asked if "jetstream.2" in q or "Bridges" in q], asked
    after = _members(sandbox)
    for name in LOOK_ALIKES:
        assert after[name] == before[name]  # still there, members and all
    assert {"ats-jetstream-2-watchers", "ats-bridges-2-agents"} <= after.keys()

    again = run(sandbox, "plan", str(EXAMPLE), "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout
    assert "No changes. Jira matches the configuration." in again.stdout


RENAMED = """\
version: 1
rp_queues:
  - name: {name}
    previously: {previously}
    agents:
      - {{name: Jane Doe, email: jdoe@illinois.example.edu}}
      - {{name: Raj Patel, email: rpatel@illinois.example.edu}}
{extra}"""
OMAR = "      - {name: Omar Haddad, email: ohaddad@sdsc.example.edu}\n"


def _config(folder: Path, name: str, *, previously: str = "[]", omar: bool = False) -> Path:
    path = folder / f"{name}.yaml"
    text = RENAMED.format(name=name, previously=previously, extra=OMAR if omar else "")
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rename_that_moves_everyone_needs_no_flag_and_says_what_it_deletes(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    old = run(sandbox, "apply", str(_config(tmp_path, "NCSA-Delta")), "--yes")
    assert old.exit_code == 0, old.stdout + old.stderr
    renamed = _config(tmp_path, "Delta", previously="[NCSA-Delta]")

    planned = run(sandbox, "plan", str(renamed), "--format", "json")
    assert planned.exit_code == 0, planned.stderr
    summary = json.loads(planned.stdout)["summary"]
    assert summary["groups_deleted"] == 2 and summary["memberships_deleted"] == 4
    text = run(sandbox, "plan", str(renamed))
    assert text.stdout.rstrip().endswith(
        "Plan: 0 queues to create, 1 to change, 0 to delete; 4 membership changes; 2 groups to "
        "delete with 4 memberships."
    )

    applied = run(sandbox, "apply", str(renamed), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    groups = _members(sandbox)
    assert "ats-ncsa-delta-agents" not in groups and len(groups["ats-delta-agents"]) == 2


def test_a_rename_that_would_take_someones_access_with_the_old_group_needs_allow_delete(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    old = run(sandbox, "apply", str(_config(tmp_path, "NCSA-Delta", omar=True)), "--yes")
    assert old.exit_code == 0, old.stdout + old.stderr
    before = _members(sandbox)
    renamed = str(_config(tmp_path, "Delta", previously="[NCSA-Delta]"))  # without Omar

    blocked = run(sandbox, "apply", renamed, "--yes")
    assert blocked.exit_code == 3, blocked.stdout + blocked.stderr
    said = " ".join(blocked.stdout.split())
    assert (
        "Delta: the plan deletes group ats-ncsa-delta-agents, and 1 of its 3 members would not "
        "be in ats-delta-agents after it (Omar Haddad <ohaddad@sdsc.example.edu>); re-run with "
        "--allow-delete to allow it"
    ) in said
    assert "2 groups to delete with 6 memberships." in said
    assert _members(sandbox) == before  # nothing was changed

    allowed = run(sandbox, "apply", renamed, "--yes", "--allow-delete")
    assert allowed.exit_code == 0, allowed.stdout + allowed.stderr
    assert "ats-ncsa-delta-agents" not in _members(sandbox)
