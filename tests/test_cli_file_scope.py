"""Planning one file of a folder configuration plans its queues, never deletes the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from accessq.sandbox import RunningSandbox
from tests.cli_support import run_on

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "queues.yaml"
NEW_AGENT = {"name": "Maria Garcia", "email": "mgarcia@iu.example.edu"}


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest) -> RunningSandbox:
    return request.getfixturevalue(f"sandbox_{request.param}")  # type: ignore[no-any-return]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """examples/queues.yaml split as a team would: settings, one file per RP, the awardees."""
    monkeypatch.chdir(tmp_path)
    whole = yaml.safe_load(EXAMPLE.read_text())
    queues = tmp_path / "queues"
    queues.mkdir()
    head = {k: whole[k] for k in ("version", "jira", "safety")}
    (queues / "settings.yaml").write_text(yaml.safe_dump(head))
    for rp in whole["rp_queues"]:
        text = yaml.safe_dump({"version": 1, "rp_queues": [rp]})
        (queues / f"{rp['name'].lower()}.yaml").write_text(text)
    awardees = {"version": 1, "awardee_queues": whole["awardee_queues"]}
    (queues / "awardees.yaml").write_text(yaml.safe_dump(awardees))
    return queues


def _edit_delta(folder: Path) -> Path:
    delta = folder / "delta.yaml"
    data = yaml.safe_load(delta.read_text())
    data["rp_queues"][0]["agents"].append(NEW_AGENT)
    delta.write_text(yaml.safe_dump(data))
    return delta


def _components(sandbox: RunningSandbox) -> set[str]:
    return {c.name for c in sandbox._store.components()}  # the server's own state


def test_planning_one_file_plans_its_queues_only_and_says_so(
    sandbox: RunningSandbox, folder: Path
) -> None:
    assert run_on(sandbox, "apply", "--yes", str(folder)).exit_code == 0
    delta = _edit_delta(folder)
    result = run_on(sandbox, "plan", str(delta), "--format", "json", "--detailed-exitcode")
    assert result.exit_code == 2, result.stdout + result.stderr  # changes, none blocked
    plan = json.loads(result.stdout)
    assert {c["queue"] for c in plan["changes"]} == {"Delta"}
    assert plan["summary"]["delete"] == []
    assert plan["only"] == ["Delta"] and plan["scope"] == [str(delta)]
    assert (
        f"Planned 1 queue of {delta} only; the other 9 configured queues of the folder were "
        "not compared, and no queue outside these files is deleted (plan the folder to see "
        "everything)." in plan["notes"]
    )


def test_apply_of_one_file_with_allow_delete_touches_only_its_queues(
    sandbox: RunningSandbox, folder: Path
) -> None:
    assert run_on(sandbox, "apply", "--yes", str(folder)).exit_code == 0
    before = _components(sandbox)
    delta = _edit_delta(folder)
    result = run_on(sandbox, "apply", "--yes", "--allow-delete", str(delta))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert _components(sandbox) == before
    again = run_on(sandbox, "plan", str(folder), "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout  # the folder is in step: Delta's agent was added


def test_a_saved_plan_of_one_file_applies_as_partially(
    sandbox: RunningSandbox, folder: Path, tmp_path: Path
) -> None:
    assert run_on(sandbox, "apply", "--yes", str(folder)).exit_code == 0
    before = _components(sandbox)
    delta = _edit_delta(folder)
    saved = tmp_path / "plan.json"
    assert run_on(sandbox, "plan", str(delta), "--out", str(saved)).exit_code == 0
    assert json.loads(saved.read_text())["scope"] == [str(delta)]
    result = run_on(sandbox, "apply", "--yes", "--allow-delete", "--plan", str(saved))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Planned 1 queue of" in result.stdout
    assert _components(sandbox) == before


def test_a_file_alone_with_no_sibling_queue_files_is_the_whole_configuration(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    queues = tmp_path / "queues.yaml"
    (tmp_path / "mkdocs.yml").write_text("site_name: ACCESS queues\nversion: 3\n")
    queues.write_text(EXAMPLE.read_text())
    assert run_on(sandbox, "apply", "--yes", str(queues)).exit_code == 0
    data = yaml.safe_load(queues.read_text())
    data["rp_queues"] = [q for q in data["rp_queues"] if q["name"] != "Anvil"]
    queues.write_text(yaml.safe_dump(data))
    result = run_on(sandbox, "plan", str(queues), "--format", "json")
    assert result.exit_code == 3  # the deletion is planned, and blocked without --allow-delete
    plan = json.loads(result.stdout)
    assert plan["summary"]["delete"] == ["Anvil"] and plan["scope"] is None
