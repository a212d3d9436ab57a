"""accessq against groups it cannot fully write: Data Center's nested groups, and groups an
identity provider (or a read-only directory) owns. Strict xfails record accessq's known gaps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import env_for, run
from tests.conftest import MakeSandbox
from tests.people import demo_seed

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "queues.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


def _demo_with(groups: list[dict[str, Any]]) -> dict[str, Any]:
    seed = demo_seed()
    seed["groups"] = groups
    return seed


@pytest.mark.xfail(
    strict=True,
    reason="accessq bug: on Data Center it reads a group's nested members as members and plans "
    "to remove them, which Jira refuses (they are not direct members); apply never converges",
)
def test_apply_converges_when_a_managed_group_contains_a_group(make_sandbox: MakeSandbox) -> None:
    seed = _demo_with(
        [
            {
                "name": "ats-delta-agents",
                "members": ["jdoe", "rpatel"],
                "children": ["contractors"],
            },
            {"name": "contractors", "members": ["gkim"]},
        ]
    )
    sandbox = make_sandbox("dc", seed)
    for _ in range(2):
        applied = run(["apply", str(EXAMPLE), "--yes"], env_for(sandbox))
    assert applied.exit_code == 0, applied.stdout + applied.stderr


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_group_owned_by_an_identity_provider_stops_the_apply_with_jiras_reason(
    make_sandbox: MakeSandbox, flavor: str
) -> None:
    seed = _demo_with([{"name": "ats-delta-agents", "members": ["jdoe"], "managed_by": "idp"}])
    sandbox = make_sandbox(flavor, seed)
    applied = run(["apply", str(EXAMPLE), "--yes"], env_for(sandbox))
    assert applied.exit_code == 1
    reason = "identity provider" if flavor == "cloud" else "does not allow updates"
    assert "HTTP 403" in applied.stderr and reason in applied.stderr
