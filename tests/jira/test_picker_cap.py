"""A site whose group picker shows only a few groups (jira.ajax.autocomplete.limit): accessq's
group discovery refines its queries until nothing is cut off, so plans come out the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accessq.sandbox import RunningSandbox
from tests.cli_support import env_for, run
from tests.conftest import MakeSandbox
from tests.jira.conftest import connect

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "queues.yaml"
CAP = {"group_picker_limit": 5}
PICKER = "GET /rest/api/{version}/groups/picker"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


def _plan(sandbox: RunningSandbox) -> dict[str, Any]:
    result = run(["plan", str(EXAMPLE), "--format", "json"], env_for(sandbox))
    assert result.exit_code == 0, result.stdout + result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)
    for differs in ("target", "created", "fingerprint"):  # the sandbox's URL is in them
        plan.pop(differs, None)
    plan.get("fingerprint_parts", {}).pop("target", None)
    return plan


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_discovery_through_a_cap_of_5(make_sandbox: MakeSandbox, flavor: str) -> None:
    managed = [f"ats-q{i:02d}-agents" for i in range(17)] + ["ATS-Upper-watchers"]
    decoys = ["other-ats-q01-agents", "jira-users", "xats-q02-agents"]
    seed = {"groups": [{"name": n} for n in managed + decoys]}
    sandbox = make_sandbox(flavor, seed, options=CAP)
    with connect(sandbox) as gateway:
        found = gateway.find_groups("ats-")
    assert found == sorted(managed, key=str.casefold)
    assert sandbox.control.count(PICKER) > 1  # the first answer was cut off, and refined


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_the_example_plans_and_converges_through_a_cap_of_5(
    make_sandbox: MakeSandbox, flavor: str
) -> None:
    capped = make_sandbox(flavor, options=CAP)
    uncapped = make_sandbox(flavor)
    assert _plan(capped) == _plan(uncapped)
    applied = run(["apply", str(EXAMPLE), "--yes"], env_for(capped))
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    capped.control.reset_stats()
    again = run(["plan", str(EXAMPLE), "--detailed-exitcode"], env_for(capped))
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "No changes. Jira matches the configuration." in again.stdout
    assert capped.control.count(PICKER) > 1  # more managed groups than the cap: refined


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_managed_group_hidden_behind_decoys_is_still_found(
    make_sandbox: MakeSandbox, flavor: str
) -> None:
    # The picker matches substrings and sorts by name: "0-ats-a-agents" comes before
    # "ats-a-agents". With 5 such decoys every answer for "ats-", "ats-a", ..., "ats-a-agents"
    # is cut off at 5 decoys, and "ats-a-agents" + any character matches nothing: the gateway
    # asks for "ats-a-agents" by name.
    names = ["ats-a-agents", *(f"{i}-ats-a-agents" for i in range(5))]
    sandbox = make_sandbox(flavor, {"groups": [{"name": n} for n in names]}, options=CAP)
    with connect(sandbox) as gateway:
        assert gateway.find_groups("ats-") == ["ats-a-agents"]
