"""`accessq export` end to end: the real CLI against the sandbox, in both flavours. Whatever was
applied exports to files that plan to no changes; `--adopt` exports what a plan then adopts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jira import JIRA
from typer.testing import Result

from accessq.model.naming import MARKER
from tests.cli_support import run_on as run
from tests.people import demo_seed as fresh_demo_seed

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "queues.yaml"


def plan_exit(sandbox: Any, *paths: Path) -> Result:
    return run(sandbox, "plan", *map(str, paths), "--detailed-exitcode")


def demo_seed(**changes: Any) -> dict[str, Any]:
    seed = fresh_demo_seed()
    seed.update(changes)
    return dict(seed)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_apply_then_export_then_plan_shows_no_changes(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    assert run(sandbox, "apply", str(EXAMPLE), "--yes").exit_code == 0

    # Without the configuration: default jira: settings, so updaters go by account.
    bare = run(sandbox, "export")
    assert bare.exit_code == 0, bare.stderr
    assert bare.stdout.startswith(f"# Exported by `accessq export` from {sandbox.url} (")
    assert run(sandbox, "export").stdout == bare.stdout  # the same Jira, the same bytes
    (tmp_path / "bare.yaml").write_text(bare.stdout, encoding="utf-8")
    planned = plan_exit(sandbox, tmp_path / "bare.yaml")
    assert planned.exit_code == 0, planned.stdout
    assert "No changes. Jira matches the configuration." in planned.stdout

    # With it: its username_email recovers the ACCESS usernames.
    out = tmp_path / "out.yaml"
    made = run(sandbox, "export", "--config", str(EXAMPLE), "-o", str(out))
    assert made.exit_code == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    assert 'username_email: "{username}@access.example.org"' in text
    assert "{name: Ada Lovelace, username: alovelace}" in text
    assert "default_assignee: alovelace" in text
    assert "keywords: [matchplus, mentorship, student facilitator]" in text
    # Cloud hides Priya's email: she is named by her accountId (Data Center shows it).
    priya = 'account_id: "712020:ac5c6aa8-0aec"' if flavor == "cloud" else "email: pnair@"
    assert f"{{name: Priya Nair, {priya}" in text
    # Delta's watchers are its agents: the key is left out; Bridges-2's differ.
    assert text.count("    watchers:") == 1
    assert plan_exit(sandbox, out).exit_code == 0

    split = tmp_path / "queues"
    made = run(sandbox, "export", "--config", str(EXAMPLE), "--split", str(split))
    assert made.exit_code == 0, made.stderr
    names = sorted(p.name for p in split.iterdir())
    assert names[:3] == [
        "access-aco-support.yaml",
        "access-cssn-support.yaml",
        "access-match-support.yaml",
    ]
    assert "settings.yaml" in names and "delta.yaml" in names and len(names) == 11
    validated = run(sandbox, "validate", str(split))
    assert validated.exit_code == 0, validated.stdout
    planned = plan_exit(sandbox, split)
    assert planned.exit_code == 0, planned.stdout


def test_the_site_layout_settings_are_carried_into_the_export(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    layout = tmp_path / "layout.yaml"
    layout.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        .replace('group_prefix: "ats-"', 'group_prefix: "acc-"')
        .replace("jsm_queues: false", "jsm_queues: true"),
        encoding="utf-8",
    )
    assert run(sandbox, "apply", str(layout), "--yes").exit_code == 0
    out = tmp_path / "out.yaml"
    assert run(sandbox, "export", "-c", str(layout), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "\njira:\n  group_prefix: acc-\n" in text and "  jsm_queues: true\n" in text
    assert "JSM queue view" not in text  # every one is in place: no note
    assert plan_exit(sandbox, out).exit_code == 0


def test_an_empty_site_exports_a_configuration_that_plans_no_changes(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor, seed=demo_seed(components=[], groups=[], issues=[]))
    result = run(sandbox, "export")
    assert result.exit_code == 0, result.stderr
    assert "\nversion: 1\n" in result.stdout and "queues:" not in result.stdout
    (tmp_path / "empty.yaml").write_text(result.stdout, encoding="utf-8")
    assert plan_exit(sandbox, tmp_path / "empty.yaml").exit_code == 0
    split = run(sandbox, "export", "--split", str(tmp_path / "empty"))
    assert split.exit_code == 0
    assert [p.name for p in (tmp_path / "empty").iterdir()] == ["settings.yaml"]
    assert plan_exit(sandbox, tmp_path / "empty").exit_code == 0


LEGACY_SEED = {
    "components": [
        {"name": "General Support", "description": "Anything that fits no other queue."},
        {"name": "Legacy-HPC", "description": "The old cluster", "lead": "enovak"},
    ],
    "groups": [
        {"name": "ats-legacy-hpc-agents", "members": ["enovak", "ohaddad", "pnair"]},
        {"name": "ats-legacy-hpc-watchers", "members": ["enovak"]},
    ],
}


def test_adopt_exports_a_look_alike_that_plan_adopts_and_apply_converges(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor, seed=demo_seed(**LEGACY_SEED))
    plain = run(sandbox, "export")
    assert "Legacy-HPC" not in plain.stdout.split("version: 1")[1]  # unmanaged: not a queue yet

    adopt = tmp_path / "adopt.yaml"
    assert run(sandbox, "export", "--adopt", "-o", str(adopt)).exit_code == 0
    text = adopt.read_text(encoding="utf-8")
    assert "  - name: Legacy-HPC\n    adopt: true\n    description: The old cluster\n" in text
    assert 'not adopted: "General Support"' in text  # no groups: does not look like a queue

    planned = plan_exit(sandbox, adopt)
    assert planned.exit_code == 2, planned.stdout + planned.stderr
    assert "~ Legacy-HPC (adopting an existing component)" in planned.stdout
    assert "adopted: accessq marks the component as its own (adopt: true)" in planned.stdout
    assert "Plan: 0 queues to create, 1 to change, 0 to delete; 0 membership changes." in (
        planned.stdout
    )

    applied = run(sandbox, "apply", str(adopt), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    again = plan_exit(sandbox, adopt)
    assert again.exit_code == 0, again.stdout
    assert "`adopt: true` can be removed" in again.stdout
    component = next(
        c for c in _client(sandbox).project_components("ATS") if c.name == "Legacy-HPC"
    )
    assert component.description.endswith(MARKER)

    # Now managed: a plain export has it, without adopt, and still plans no changes.
    after = run(sandbox, "export")
    assert "  - name: Legacy-HPC\n    description: The old cluster\n" in after.stdout
    (tmp_path / "after.yaml").write_text(after.stdout, encoding="utf-8")
    assert plan_exit(sandbox, tmp_path / "after.yaml").exit_code == 0


def test_without_adopt_the_conflict_says_how_to_adopt(make_sandbox: Any, tmp_path: Path) -> None:
    sandbox = make_sandbox("cloud", seed=demo_seed(**LEGACY_SEED))
    adopt = tmp_path / "adopt.yaml"
    assert run(sandbox, "export", "--adopt", "-o", str(adopt)).exit_code == 0
    adopt.write_text(adopt.read_text(encoding="utf-8").replace("    adopt: true\n", ""))
    planned = run(sandbox, "plan", str(adopt))
    assert planned.exit_code == 1
    assert "add `adopt: true` to" in planned.stdout and MARKER in planned.stdout


def _client(sandbox: Any) -> JIRA:
    if sandbox.flavor == "dc":
        return JIRA(sandbox.url, token_auth=sandbox.pat, max_retries=0)
    return JIRA(sandbox.url, basic_auth=("admin", "admin"), max_retries=0)


def test_split_refuses_a_folder_with_queue_files_it_would_not_replace(
    sandbox_cloud: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "queues"
    folder.mkdir()
    (folder / "retired-queue.yaml").write_text("version: 1\n")
    result = run(sandbox_cloud, "export", "--split", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {folder} already holds queue files this export would not replace "
        "(retired-queue.yaml); export into an empty folder"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["retired-queue.yaml"]
