"""A rename (`previously:`) stopped at any point is finished by rerunning the same command, with
no new flag: old groups deleted as part of the rename, the JSM view renamed, not duplicated.

Each case applies the queue under its old name, then the renamed configuration, stopped by Ctrl-C
at one point of the plan (one write at a time, so the point is exact) or by a step that fails;
then the same `apply --yes` again, in both flavours.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from accessq.jira import connection
from accessq.model.naming import jsm_queue_jql
from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.reliability.helpers import assert_no_crash, env_for, jira_state, run

CONFIG = """\
version: 1
jira:
  jsm_queues: true
rp_queues:
  - name: {name}
    previously: {previously}
    agents:
      - {{name: Jane Doe, email: jdoe@illinois.example.edu}}
      - {{name: Raj Patel, email: rpatel@illinois.example.edu}}
{more}"""
OMAR = "      - {name: Omar Haddad, email: ohaddad@sdsc.example.edu}\n"
ARGS = ("--yes", "--concurrency", "1")  # one write at a time: each strike point is exact

# (gateway method, strike before its nth call or after its nth call returned)
Strike = tuple[str, str, int]
STRIKES: dict[str, Strike] = {
    "new groups created, nobody moved": ("add_member", "before", 1),
    "some members moved": ("add_member", "after", 2),
    "component renamed": ("update_component", "after", 1),
    "view renamed, old groups kept": ("update_jsm_queue", "after", 1),
    "one old group deleted": ("delete_group", "after", 1),
}
# Steps that fail (HTTP 500, never retried) while the rest of the apply goes on.
FAILS: dict[str, dict[str, Any]] = {
    # The old groups are deleted, the view is left under the old name.
    "view rename fails": {"methods": ["PUT", "POST"], "paths": ["/rest/servicedesk*/queue*/*"]},
    # The old groups are deleted, the component and its view keep the old name.
    "component rename fails": {"methods": ["PUT"], "paths": ["/rest/api/*/component/*"]},
}


def _config(folder: Path, name: str, previously: str = "[]") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(CONFIG.format(name=name, previously=previously, more=OMAR), "utf-8")
    return path


def _views(sandbox: RunningSandbox) -> list[tuple[str, str]]:
    """(name, JQL) of every JSM queue view, read over plain HTTP, not through accessq."""
    if sandbox.flavor == "dc":
        auth: dict[str, Any] = {"headers": {"Authorization": "Bearer admin-pat"}}
    else:
        auth = {"auth": ("admin", "admin")}
    url = f"{sandbox.url}/rest/servicedeskapi/servicedesk/ATS/queue"
    page = requests.get(url, params={"limit": 100}, timeout=10, **auth)
    page.raise_for_status()
    return sorted((v["name"], v["jql"]) for v in page.json()["values"])


@contextmanager
def ctrl_c(monkeypatch: pytest.MonkeyPatch, strike: Strike) -> Iterator[list[str]]:
    """Gateways struck by Ctrl-C before the nth call of a write, or once the nth call landed."""
    method_name, when, nth = strike
    calls: list[str] = []
    real_open = connection.open_gateway

    @contextmanager
    def open_interruptible(settings: Any, **kwargs: Any) -> Iterator[Any]:
        with real_open(settings, **kwargs) as gateway:
            real = getattr(gateway, method_name)

            def call(*args: Any, **kw: Any) -> Any:
                calls.append(method_name)
                if when == "before" and len(calls) == nth:
                    raise KeyboardInterrupt
                result = real(*args, **kw)
                if when == "after" and len(calls) == nth:
                    raise KeyboardInterrupt
                return result

            setattr(gateway, method_name, call)
            yield gateway

    monkeypatch.setattr(connection, "open_gateway", open_interruptible)
    yield calls
    monkeypatch.setattr(connection, "open_gateway", real_open)


@pytest.fixture(params=["cloud", "dc"])
def renaming(
    request: pytest.FixtureRequest, make_sandbox: MakeSandbox, tmp_path: Path
) -> tuple[RunningSandbox, Path, str]:
    """(sandbox holding NCSA-Delta, the configuration renaming it to Delta, the component id)."""
    sandbox = make_sandbox(request.param)
    old = run(["apply", str(_config(tmp_path, "NCSA-Delta")), "--yes"], env_for(sandbox))
    assert old.exit_code == 0, old.stdout + old.stderr
    component_id = jira_state(sandbox).components["NCSA-Delta"][0]
    assert ("NCSA-Delta", jsm_queue_jql("NCSA-Delta")) in _views(sandbox)
    return sandbox, _config(tmp_path, "Delta", "[NCSA-Delta]"), component_id


def assert_renamed(sandbox: RunningSandbox, config: Path, component_id: str) -> None:
    """Converged: one component under the new name (the same one), the new groups with everyone,
    no old group, one view under the new name and none under the old."""
    again = run(["plan", str(config), "--detailed-exitcode"], env_for(sandbox))
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "No changes. Jira matches the configuration." in again.stdout
    state = jira_state(sandbox)
    assert state.components["Delta"][0] == component_id and "NCSA-Delta" not in state.components
    managed = {g: len(m) for g, m in state.groups.items() if g.startswith("ats-")}
    assert managed == {"ats-delta-agents": 3, "ats-delta-watchers": 3}
    views = [v for v in _views(sandbox) if "Delta" in v[0] or "Delta" in v[1]]
    assert views == [("Delta", jsm_queue_jql("Delta"))]


@pytest.mark.parametrize("point", sorted(STRIKES))
def test_a_rename_stopped_by_ctrl_c_is_finished_by_the_same_command(
    point: str,
    renaming: tuple[RunningSandbox, Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox, config, component_id = renaming
    with ctrl_c(monkeypatch, STRIKES[point]) as calls:
        killed = run(["apply", str(config), *ARGS], env_for(sandbox))
    assert calls, "the interruption never came"
    assert_no_crash(killed, codes=(130,))
    left = run(["plan", str(config), "--detailed-exitcode"], env_for(sandbox))
    assert left.exit_code == 2, left.stdout + left.stderr  # really half-way, and not blocked

    rerun = run(["apply", str(config), *ARGS], env_for(sandbox))
    assert rerun.exit_code == 0, rerun.stdout + rerun.stderr

    assert_renamed(sandbox, config, component_id)


@pytest.mark.parametrize("failing", sorted(FAILS))
def test_a_rename_with_a_failed_step_is_finished_by_the_same_command(
    failing: str, renaming: tuple[RunningSandbox, Path, str]
) -> None:
    sandbox, config, component_id = renaming
    sandbox.control.set_faults(error_next=1, error_status=500, **FAILS[failing])
    failed = run(["apply", str(config), *ARGS], env_for(sandbox))
    assert_no_crash(failed)
    assert failed.exit_code == 1, failed.stdout + failed.stderr
    assert not [g for g in jira_state(sandbox).groups if g.startswith("ats-ncsa-delta-")]
    sandbox.control.clear_faults()

    rerun = run(["apply", str(config), *ARGS], env_for(sandbox))
    assert rerun.exit_code == 0, rerun.stdout + rerun.stderr

    assert_renamed(sandbox, config, component_id)
