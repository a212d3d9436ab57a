"""Who gets access, end to end: the real client over real HTTP against the sandbox.

Each test reads the site as `accessq plan` does and plans against it; a few run the CLI. Both
flavours wherever the flavour has the feature (Data Center shows every email and has no account
types).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accessq.config.models import Config, Contact, JiraSettings, RPQueue
from accessq.jira.reader import read_observed
from accessq.plan.diff import diff
from accessq.plan.model import Plan
from accessq.sandbox import RunningSandbox
from tests.cli_support import run_on
from tests.conftest import MakeSandbox
from tests.jira.conftest import connect
from tests.people import DEMO_USERS, demo_seed

ALL_USERS = "GET /rest/api/{version}/users/search"
DEMO = demo_seed()
USERS = DEMO_USERS


def key_of(username: str, flavor: str) -> str:
    return str(USERS[username]["account_id"]) if flavor == "cloud" else username


def seed(*users: dict[str, Any], groups: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """The demo seed with more users and some groups."""
    return {**DEMO, "users": [*DEMO["users"], *users], "groups": list(groups)}


def delta(*agents: Contact) -> Config:
    return Config(
        version=1,
        jira=JiraSettings(username_email="{username}@access.example.org"),
        rp_queues=[RPQueue(name="Delta", agents=list(agents))],
    )


def plan_of(sandbox: RunningSandbox, config: Config) -> Plan:
    with connect(sandbox) as gateway:
        return diff(config, read_observed(gateway, config))


def added(plan: Plan) -> set[str]:
    return {c.after for c in plan.changes if c.action == "add_member"}


JANE = Contact(name="Jane Doe", email="jdoe@illinois.example.edu")
PRIYA = Contact(name="Priya Nair", email="pnair@purdue.example.edu")


def test_jane_is_never_the_customer_named_after_her_email(
    flavor: str, make_sandbox: MakeSandbox
) -> None:
    sandbox = make_sandbox(flavor)
    plan = plan_of(sandbox, delta(JANE))
    assert not plan.errors
    assert added(plan) == {key_of("jdoe", flavor)}
    assert {c.person.label() for c in plan.changes if c.person} == {
        "Jane Doe <jdoe@illinois.example.edu>"
    }


POSER = {
    "name": "pnair@purdue.example.edu",
    "email": "portal-1234@mailbox.example.net",
    "username": "qm-portal-1234",
    "email_hidden": True,
    "account_type": "customer",
}


@pytest.mark.parametrize("search", ["exact", "never"])
def test_a_poser_of_a_hidden_email_neither_wins_nor_hides_the_person(
    flavor: str, search: str, make_sandbox: MakeSandbox
) -> None:
    sandbox = make_sandbox(flavor, seed(POSER), options={"hidden_email_search": search})
    plan = plan_of(sandbox, delta(PRIYA))
    priya = key_of("pnair", flavor)
    if flavor == "dc":  # Data Center shows Priya's email: an exact match, the poser is nobody
        assert not plan.errors and added(plan) == {priya}
        return
    if search == "exact":  # Priya is found by her hidden email; the poser only by its name
        assert not plan.errors and added(plan) == {priya}
        assert {c.person.label() for c in plan.changes if c.person} == {
            'Priya Nair <pnair@purdue.example.edu> as Jira account "Priya Nair" (email hidden) '
            f"[{priya}], found by exact-email search"
        }
        return
    # Only the poser answers: never taken, an error that says how to pin the account.
    assert added(plan) == set()
    [error] = plan.errors
    assert error.kind == "ambiguous_person"
    assert "display name like an email, which anyone can choose" in error.message
    assert error.message.endswith("give the person's account_id: to name their account")
    # Pinned, as the error says: granted, and the plan shows the account it pinned.
    pinned = PRIYA.model_copy(update={"account_id": priya})
    plan = plan_of(sandbox, delta(pinned))
    assert not plan.errors and added(plan) == {priya}
    assert {c.person.label() for c in plan.changes if c.person} == {
        f'Priya Nair <pnair@purdue.example.edu> as Jira account "Priya Nair" (email hidden) '
        f"[{priya}], by account_id"
    }


@pytest.mark.parametrize("search", ["exact", "never"])
def test_a_staff_account_named_like_an_email_is_never_taken_for_it(
    flavor: str, search: str, make_sandbox: MakeSandbox
) -> None:
    # Nobody has this email; an account (staff, even) is named after it and hides its own.
    impostor = {**POSER, "name": "newhire@purdue.example.edu", "account_type": "atlassian"}
    sandbox = make_sandbox(flavor, seed(impostor), options={"hidden_email_search": search})
    newhire = Contact(name="New Hire", email="newhire@purdue.example.edu")
    plan = plan_of(sandbox, delta(newhire))
    assert added(plan) == set()
    [error] = plan.errors
    if flavor == "dc":  # its email shows, and it is not this one
        assert error.kind == "unresolved_person"
    else:
        assert error.kind == "ambiguous_person"
        assert "has a display name like an email, which anyone can choose" in error.message


def test_a_pinned_account_id_that_contradicts_the_email_fails_the_plan_in_one_line(
    flavor: str, make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    raj = key_of("rpatel", flavor)
    queues = tmp_path / "queues.yaml"
    queues.write_text(
        "version: 1\n"
        "rp_queues:\n"
        "  - name: Delta\n"
        "    agents:\n"
        f'      - {{name: Jane Doe, email: jdoe@illinois.example.edu, account_id: "{raj}"}}\n'
    )
    result = run_on(sandbox, "plan", str(queues))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if "error:" in line]
    assert errors == [
        f"  {queues}:5:10: error: Jane Doe: account_id {raj} is the Jira account "
        f'"Raj Patel" <rpatel@illinois.example.edu> [{raj}], not jdoe@illinois.example.edu '
        "(Delta agents); fix the account_id or the email"
    ]
    assert "+ agents" not in result.stdout  # Raj is not granted under Jane's name
    assert "Traceback" not in result.stdout + result.stderr


CUSTOMER = {
    "name": "Casey Client",
    "email": "casey@client.example.com",
    "username": "qm-casey",
    "account_id": "qm:casey-0001",
    "account_type": "customer",
}


def test_only_staff_accounts_are_granted_on_cloud(make_sandbox: MakeSandbox) -> None:
    app = next(u for u in DEMO["users"] if u.get("account_type") == "app")
    sandbox = make_sandbox("cloud", seed(CUSTOMER))
    casey = Contact(name="Casey Client", email="casey@client.example.com")
    bot = Contact(name="Automation", account_id=app["account_id"])
    plan = plan_of(sandbox, delta(casey, bot))
    assert added(plan) == set()
    assert sorted(e.message.split(", not a staff")[0] for e in plan.errors) == [
        "the Jira account of Automation [account 557058:0d5b7a3e-9c41-4f6e-8a2d-1b3c5e7f9a0c] is "
        'an app account (accountType app) "Automation for Jira" (email hidden) '
        "[557058:0d5b7a3e-9c41-4f6e-8a2d-1b3c5e7f9a0c]",
        "the Jira account of Casey Client <casey@client.example.com> is a JSM customer account "
        '(accountType customer) "Casey Client" <casey@client.example.com> '
        "[qm:casey-0001]",
    ]


def test_a_customer_in_a_managed_group_is_no_shortcut_and_is_removed(
    make_sandbox: MakeSandbox,
) -> None:
    group = {"name": "ats-delta-agents", "members": ["qm-casey", "jdoe"]}
    sandbox = make_sandbox("cloud", seed(CUSTOMER, groups=(group,)))
    casey = Contact(name="Casey Client", email="casey@client.example.com")
    plan = plan_of(sandbox, delta(JANE, casey))
    # Seen in the group, the customer still answers for nobody: an error, the queue waits
    # (whole, as apply has always waited for errors), and once the entry goes so does Casey.
    assert [e.kind for e in plan.errors] == ["account_type"]
    assert (plan.changes, plan.skipped) == ([], ["Delta"])
    fixed = plan_of(sandbox, delta(JANE))
    removed = [c.before for c in fixed.changes if c.action == "remove_member"]
    assert removed == ["qm:casey-0001"]


def test_removing_a_customer_from_a_group_is_planned_and_applied(
    flavor: str, make_sandbox: MakeSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the apply journal stays here
    groups = (
        {"name": "ats-delta-agents", "members": ["jdoe", "qm-portal-7731"]},
        {"name": "ats-delta-watchers", "members": ["jdoe"]},
    )
    sandbox = make_sandbox(flavor, seed(groups=groups))
    queues = tmp_path / "queues.yaml"
    queues.write_text(
        "version: 1\n"
        "rp_queues:\n"
        "  - name: Delta\n"
        "    agents: [{name: Jane Doe, email: jdoe@illinois.example.edu}]\n"
    )
    planned = run_on(sandbox, "plan", str(queues))
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    # The customer's chosen name cannot pass for Jane on the line a reviewer reads.
    portal = USERS["qm-portal-7731"]
    shown = (
        f"<{portal['email']}> [qm-portal-7731]"
        if flavor == "dc"
        else f"(email hidden) [{portal['account_id']}]"
    )
    assert f'- agents: "jdoe@illinois.example.edu" {shown}' in planned.stdout
    applied = run_on(sandbox, "apply", str(queues), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    with connect(sandbox) as gateway:
        members = gateway.group_members("ats-delta-agents")
    assert [m.key for m in members] == [key_of("jdoe", flavor)]


BEN = Contact(name="Ben Carter", email="bcarter@purdue.example.edu")


def test_a_deactivated_person_in_no_group_is_reported_deactivated(
    flavor: str, make_sandbox: MakeSandbox
) -> None:
    sandbox = make_sandbox(flavor)
    sandbox.control.reset_stats()
    plan = plan_of(sandbox, delta(JANE, BEN))
    [error] = plan.errors
    assert error.kind == "inactive_person"
    assert error.message == (
        "the Jira account of Ben Carter <bcarter@purdue.example.edu> is deactivated (Delta "
        "agents): if they have left, `accessq offboard <queue files> bcarter@purdue.example.edu` "
        "deletes them from every queue, and apply then takes the account out of the groups"
    )
    # Cloud's search skips him; one page of the pass over every account finds him, and the
    # pass stops there. Data Center's search includes the inactive.
    passes = sandbox.control.stats()["by_route"].get(ALL_USERS, 0)
    assert passes == (1 if flavor == "cloud" else 0)
    # Pinned by account id: the direct lookup says so too.
    pinned = BEN.model_copy(update={"account_id": key_of("bcarter", flavor)})
    [error] = plan_of(sandbox, delta(JANE, pinned)).errors
    assert error.kind == "inactive_person"


def test_no_pass_over_all_accounts_when_everyone_is_found(
    flavor: str, make_sandbox: MakeSandbox
) -> None:
    sandbox = make_sandbox(flavor)
    sandbox.control.reset_stats()
    plan = plan_of(sandbox, delta(JANE, PRIYA))
    assert not plan.errors
    assert ALL_USERS not in sandbox.control.stats()["by_route"]


def test_when_cloud_search_never_finds_hidden_emails_the_error_says_to_pin(
    make_sandbox: MakeSandbox,
) -> None:
    sandbox = make_sandbox("cloud", options={"hidden_email_search": "never"})
    [error] = plan_of(sandbox, delta(PRIYA)).errors
    assert error.kind == "unresolved_person"
    assert error.message.endswith(
        "check the email, or give the person's account_id: if Jira hides their email"
    )
    pinned = PRIYA.model_copy(update={"account_id": key_of("pnair", "cloud")})
    plan = plan_of(sandbox, delta(pinned))
    assert not plan.errors and added(plan) == {key_of("pnair", "cloud")}
