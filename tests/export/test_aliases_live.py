"""Aliases live in Jira (issue 15): applied into the component description (`Aliases:` line),
exported back, planned as a component update when they change; sites written before aliases were
stored plan no change. The real CLI against the sandbox, in both flavours."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from tests.cli_support import run_on as run
from tests.people import demo_seed

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "queues.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _with_aliases(tmp_path: Path) -> Path:
    """The example, with aliases on an awardee queue too (a comma and a JSON-looking one)."""
    path = tmp_path / "queues.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    keywords: [confluence, access wiki]\n",
        '    keywords: [confluence, access wiki]\n    aliases: [ACO, "Office, ACCESS", "[x]"]\n',
    )
    assert text.count("aliases:") == 2
    path.write_text(text, encoding="utf-8")
    return path


def _aliases_of(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queues = [*(data.get("rp_queues") or []), *(data.get("awardee_queues") or [])]
    return {q["name"]: q["aliases"] for q in queues if q.get("aliases")}


def _plan_json(sandbox: Any, path: Path) -> dict[str, Any]:
    result = run(sandbox, "plan", str(path), "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    return dict(json.loads(result.stdout))


def _plan(sandbox: Any, path: Path) -> Result:
    return run(sandbox, "plan", str(path), "--detailed-exitcode")


def test_applied_aliases_export_back_and_the_export_plans_no_change(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    config = _with_aliases(tmp_path)
    applied = run(sandbox, "apply", str(config), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert _plan(sandbox, config).exit_code == 0

    out = tmp_path / "exported.yaml"
    made = run(sandbox, "export", "--config", str(config), "-o", str(out))
    assert made.exit_code == 0, made.stderr
    assert _aliases_of(out) == _aliases_of(config) == {
        "Jetstream-2": ["Jetstream2", "JS2"],
        "ACCESS-ACO-Support": ["ACO", "Office, ACCESS", "[x]"],
    }
    planned = _plan(sandbox, out)
    assert planned.exit_code == 0, planned.stdout


def test_changing_an_alias_plans_one_component_update_and_converges(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    config = _with_aliases(tmp_path)
    assert run(sandbox, "apply", str(config), "--yes").exit_code == 0
    config.write_text(
        config.read_text(encoding="utf-8").replace("[Jetstream2, JS2]", "[Jetstream2, JS-2]"),
        encoding="utf-8",
    )

    plan = _plan_json(sandbox, config)
    assert [(c["action"], c["target"]) for c in plan["changes"]] == [
        ("update_component", "Jetstream-2")
    ]
    change = plan["changes"][0]
    assert change["before"]["aliases"] == ["Jetstream2", "JS2"]
    assert change["after"]["aliases"] == ["Jetstream2", "JS-2"]
    text = _plan(sandbox, config)
    assert text.exit_code == 2
    assert "aliases: + JS-2, - JS2" in text.stdout

    applied = run(sandbox, "apply", str(config), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    again = _plan(sandbox, config)
    assert again.exit_code == 0, again.stdout

    # Removing the last aliases writes the description without the line, as before aliases.
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    aliases: [Jetstream2, JS-2]", "    aliases: []"
        ),
        encoding="utf-8",
    )
    plan = _plan_json(sandbox, config)
    assert [c["after"] for c in plan["changes"]] == [
        {"description": "Indiana University Jetstream2 cloud", "keywords": [], "aliases": []}
    ]
    assert run(sandbox, "apply", str(config), "--yes").exit_code == 0
    listed = json.loads(run(sandbox, "list-queues", "--format", "json").stdout)
    row = next(r for r in listed["queues"] if r["name"] == "Jetstream-2")
    assert row["aliases"] == []
    assert _plan(sandbox, config).exit_code == 0


# Components as accessq wrote them before aliases were stored: the literal text, not the encoder.
OLD_SITE = {
    "components": [
        {"name": "General Support", "description": "Anything that fits no other queue."},
        {"name": "Bridges-2", "description": "PSC Bridges-2\n\nManaged by accessq."},
        {
            "name": "ACCESS-ACO-Support",
            "description": "Aliases: not a trailer\n\nKeywords: confluence, access wiki\n"
            "Managed by accessq.",
        },
    ],
    "groups": [],
}

OLD_CONFIG = """\
version: 1
safety: {min_agents: 0}
rp_queues:
  - name: Bridges-2
    description: PSC Bridges-2
awardee_queues:
  - name: ACCESS-ACO-Support
    description: "Aliases: not a trailer"
    keywords: [confluence, access wiki]
"""


def test_a_site_written_before_aliases_were_stored_plans_no_component_change(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    seed = demo_seed()
    seed.update(OLD_SITE)
    sandbox = make_sandbox(flavor, seed=seed)
    config = tmp_path / "old.yaml"
    config.write_text(OLD_CONFIG, encoding="utf-8")
    plan = _plan_json(sandbox, config)
    actions = {c["action"] for c in plan["changes"]}
    assert actions == {"create_group"}, plan["changes"]  # only the groups it never had
