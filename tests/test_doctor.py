"""`accessq doctor` against sandbox sites with each kind of defect docs/site-setup.md guards
against, in both flavours: the recommended setup passes, each defect is one FAIL line naming the
missing grant and how to add it, exit 1; doctor never writes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from accessq.sandbox import RunningSandbox
from tests.cli_support import run_on
from tests.conftest import MakeSandbox
from tests.sandbox.test_schemes import _demo, demo_with

QUEUES = """\
version: 1
jira:
  username_email: "{username}@access.example.org"
  REQUIRE
rp_queues:
  - name: Jetstream-2
    description: Indiana Jetstream2
    agents:
      - {name: Maria Garcia, email: mgarcia@iu.example.edu}
      - {name: Tom Becker, email: tbecker@iu.example.edu}
awardee_queues:
  - name: ACCESS-ACO-Support
    description: ACCESS Coordination Office
    updaters:
      - {name: Ada Lovelace, username: alovelace}
      - {name: Alan Turing, username: aturing}
    default_assignee: alovelace
"""
FLAVORS = ["cloud", "dc"]
MANAGED_GROUPS = [
    {"name": "ats-jetstream-2-agents", "members": ["mgarcia", "tbecker"]},
    {"name": "ats-jetstream-2-watchers", "members": ["mgarcia", "tbecker"]},
    {"name": "ats-access-aco-support-updaters", "members": ["alovelace", "aturing"]},
]


def queue_file(tmp_path: Path, *, licence: bool = False) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "queues.yaml"
    require = "require_agent_licence: true" if licence else ""
    path.write_text(QUEUES.replace("REQUIRE", require), encoding="utf-8")
    return path


def applied(make_sandbox: MakeSandbox, flavor: str, seed: Any, queues: Path) -> RunningSandbox:
    sandbox = make_sandbox(flavor, seed)
    done = run_on(sandbox, "apply", str(queues), "--yes", "-q")
    assert done.exit_code == 0, done.stdout + done.stderr
    return sandbox


def doctor(sandbox: RunningSandbox, queues: Path, *args: str, login: str = "admin") -> Any:
    return run_on(sandbox, "doctor", str(queues), "-q", *args, login=login)


def fails(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("FAIL: ")]


def writes(sandbox: RunningSandbox) -> list[str]:
    log = sandbox.control.stats()["log"]
    return [f"{e['method']} {e['path']}" for e in log if e["method"] not in ("GET", "HEAD")]


@pytest.mark.parametrize("flavor", FLAVORS)
def test_the_recommended_setup_passes_and_doctor_writes_nothing(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    queues = queue_file(tmp_path)
    sandbox = applied(make_sandbox, flavor, None, queues)
    sandbox.control.reset_stats()
    result = doctor(sandbox, queues)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert fails(result.stdout) == []
    assert "0 failed, 0 not checked" in result.stdout
    assert "automation rule fills them is assumed" in result.stdout
    assert writes(sandbox) == []


@pytest.mark.parametrize("flavor", FLAVORS)
def test_a_scheme_without_the_queue_grants(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    queues = queue_file(tmp_path)
    scheme = dict(_demo()["permission_scheme"], grants={})
    sandbox = applied(make_sandbox, flavor, demo_with(permission_scheme=scheme), queues)
    result = doctor(sandbox, queues)
    assert result.exit_code == 1
    lines = fails(result.stdout)
    assert (
        "FAIL: [Jetstream-2] ats-jetstream-2-agents lacks Browse Projects in ATS: in the "
        "project's permission scheme, grant Browse Projects to the group field the automation "
        "rule fills (or to group ats-jetstream-2-agents); docs/site-setup.md#the-permission-scheme"
    ) in lines
    assert any("ats-jetstream-2-watchers lacks Browse Projects" in line for line in lines)
    for label in ("Edit Issues", "Assign Issues", "Transition Issues", "Assignable User"):
        assert any(f"ats-access-aco-support-updaters lacks {label}" in line for line in lines)
    # JSM's own grants to the Service Desk Team still make Ada assignable
    assert not any("default assignee" in line for line in lines)


@pytest.mark.parametrize("flavor", FLAVORS)
def test_project_wide_group_grants_and_a_role_with_the_group_pass(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    """The simple setup: grants to the managed groups by name, or to a role holding the group."""
    queues = queue_file(tmp_path)
    roles = copy.deepcopy(_demo()["project_roles"])
    roles.append(
        {"id": 10300, "name": "Queue updaters", "groups": ["ats-access-aco-support-updaters"]}
    )
    update = ["projectRole:Queue updaters"]
    scheme = dict(
        _demo()["permission_scheme"],
        grants={
            "BROWSE_PROJECTS": [
                "group:ats-jetstream-2-agents",
                "group:ats-jetstream-2-watchers",
                *update,
            ],
            "EDIT_ISSUES": update,
            "ASSIGN_ISSUES": update,
            "TRANSITION_ISSUES": update,
            "ASSIGNABLE_USER": update,
        },
    )
    notices = dict(
        _demo()["notification_scheme"],
        events={
            "Issue Created": ["Group:ats-jetstream-2-watchers"],
            "Issue Commented": ["Group:ats-jetstream-2-watchers"],
        },
    )
    seed = demo_with(
        groups=MANAGED_GROUPS,
        project_roles=roles,
        permission_scheme=scheme,
        notification_scheme=notices,
    )
    sandbox = applied(make_sandbox, flavor, seed, queues)
    result = doctor(sandbox, queues, "--format", "json")
    assert result.exit_code == 0, result.stdout
    found = json.loads(result.stdout)
    assert found["ok"] is True and found["counts"]["fail"] == 0
    via = {f["message"] for f in found["findings"]}
    assert "ats-jetstream-2-agents has Browse Projects via group ats-jetstream-2-agents" in via
    assert (
        "ats-access-aco-support-updaters has Assignable User via project role Queue updaters"
    ) in via


@pytest.mark.parametrize("flavor", FLAVORS)
def test_watchers_left_out_of_the_notification_scheme(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    queues = queue_file(tmp_path)
    scheme = dict(_demo()["notification_scheme"], events={})
    sandbox = applied(make_sandbox, flavor, demo_with(notification_scheme=scheme), queues)
    result = doctor(sandbox, queues, "--format", "markdown")
    assert result.exit_code == 1
    assert "ats-jetstream-2-watchers is not told of Issue Created" in result.stdout
    assert "is not told of Issue Commented" in result.stdout
    assert "| Jetstream-2 | ok | FAIL 2 |" in result.stdout


@pytest.mark.parametrize("flavor", FLAVORS)
def test_an_agent_without_a_licence_when_licences_are_required(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    """Tom Becker (Jira Software only) is found only when require_agent_licence is set."""
    plain, strict = queue_file(tmp_path), queue_file(tmp_path / "strict", licence=True)
    sandbox = applied(make_sandbox, flavor, None, plain)
    assert doctor(sandbox, plain).exit_code == 0
    result = doctor(sandbox, strict)
    assert result.exit_code == 1
    assert fails(result.stdout) == [
        "FAIL: [Jetstream-2] Tom Becker (ats-jetstream-2-agents) has no Jira Service Management "
        "licence (jira.require_agent_licence): give them agent product access; "
        "docs/site-setup.md#service-desk-agent-licences"
    ]


@pytest.mark.parametrize("flavor", FLAVORS)
def test_a_default_assignee_who_cannot_be_assigned(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    queues = queue_file(tmp_path)
    groups = copy.deepcopy(_demo()["site_groups"])
    licensed = next(g for g in groups if g["name"] == "jira-servicedesk-users")
    licensed["members"].remove("alovelace")
    sandbox = applied(make_sandbox, flavor, demo_with(site_groups=groups), queues)
    result = doctor(sandbox, queues)
    assert result.exit_code == 1
    assert fails(result.stdout) == [
        "FAIL: [ACCESS-ACO-Support] Ada Lovelace (default assignee) of ACCESS-ACO-Support "
        "cannot be assigned new tickets of ATS: Jira would refuse every ticket of the queue; "
        "grant Assignable User to the updaters and give them a Service Management licence; "
        "docs/site-setup.md#the-permission-scheme"
    ]


@pytest.mark.parametrize("flavor", FLAVORS)
def test_groups_not_created_yet(make_sandbox: MakeSandbox, tmp_path: Path, flavor: str) -> None:
    queues = queue_file(tmp_path)
    sandbox = make_sandbox(flavor)
    result = doctor(sandbox, queues)
    assert result.exit_code == 1
    assert (
        "FAIL: [Jetstream-2] ats-jetstream-2-agents does not exist in Jira: run accessq apply "
        "to create it"
    ) in fails(result.stdout)


@pytest.mark.parametrize("flavor", FLAVORS)
def test_an_apply_account_that_is_no_project_administrator(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    queues = queue_file(tmp_path)
    roles = copy.deepcopy(_demo()["project_roles"])
    roles[0]["users"] = []
    accounts = [
        {"login": "admin", "token": "admin", "pat": "admin-pat", "user": "accessq-bot"},
        {"login": "viewer", "token": "viewer", "pat": "viewer-pat", "user": "viewer"},
    ]
    weak = make_sandbox(
        flavor,
        demo_with(
            project_roles=roles,
            accounts=[{**a, "role": "read-only"} for a in accounts],
            groups=MANAGED_GROUPS,
        ),
    )
    result = doctor(weak, queues)
    assert result.exit_code == 1
    lines = fails(result.stdout)
    assert (
        "FAIL: accessq automation lacks Administer Projects, which accessq apply needs; "
        "docs/site-setup.md#the-accessq-accounts"
    ) in lines
    assert any("lacks Administer Jira" in line for line in lines)
    assert "NOT CHECKED" in result.stdout  # its schemes are not readable to it


@pytest.mark.parametrize("flavor", FLAVORS)
def test_the_read_only_account_is_read_only(
    make_sandbox: MakeSandbox, tmp_path: Path, flavor: str
) -> None:
    queues = queue_file(tmp_path)
    sandbox = applied(make_sandbox, flavor, None, queues)
    viewer = doctor(sandbox, queues, "--read-only", login="viewer")
    assert viewer.exit_code == 0, viewer.stdout
    assert "NOT CHECKED" in viewer.stdout and "cannot read the permission scheme" in viewer.stdout
    admin = doctor(sandbox, queues, "--read-only")
    assert admin.exit_code == 1
    assert (
        "FAIL: accessq automation is meant to be read-only but holds Administer Projects: take "
        "it away (the plan account must not be able to write); "
        "docs/site-setup.md#the-accessq-accounts"
    ) in fails(admin.stdout)
