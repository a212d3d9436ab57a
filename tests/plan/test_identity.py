"""What the reviewer sees is who gets access: the plan's verdict on each configured person.

Directories are built by hand here (the live side's choice of accounts is tested against the
sandbox in tests/jira/test_identity_live.py): these tests pin what the plan does with them.
"""

from __future__ import annotations

import json

import pytest

from accessq.config.models import AwardeeQueue, Contact, RPQueue, Updater
from accessq.model.observed import Account, Observed, ObservedGroup, Target
from accessq.plan.diff import diff
from accessq.plan.model import Plan
from accessq.render.plan import render_json
from accessq.render.plan_markdown import render_markdown
from accessq.render.plan_text import render_text
from tests.plan.builders import account, at, config_of, group, managed, observed_of

MALLORY = Account(
    key="712020:mallory",
    display_name="Mallory Evil",
    email="mallory@evil.example.com",
    account_type="atlassian",
)
PORTAL = Account(
    key="qm:portal-jane",
    display_name="Jane Doe",
    email="jdoe@illinois.example.edu",
    account_type="customer",
)


def _renderings(plan: Plan) -> dict[str, str]:
    return {
        "text": render_text(plan, color=False, width=400),
        "markdown": render_markdown(plan),
        "json": render_json(plan),
    }


def _adds(plan: Plan) -> list[str]:
    return [c.person.label() for c in plan.changes if c.action == "add_member" and c.person]


def _with(observed: Observed, **directory: Account) -> Observed:
    return observed.model_copy(update={"directory": {**observed.directory, **directory}})


def test_an_account_id_whose_account_shows_another_email_is_refused_in_one_line() -> None:
    jane = Contact(name="Jane Doe", email="jdoe@illinois.example.edu", account_id=MALLORY.key)
    config = config_of(RPQueue(name="Delta", agents=[jane.at(at(3))]).at(at(1)))
    observed = _with(observed_of(config), **{f"account:{MALLORY.key}": MALLORY})
    plan = diff(config, observed)
    assert [c.action for c in plan.changes if c.person] == []  # Mallory is never added
    [error] = plan.errors
    assert error.kind == "account_mismatch"
    assert str(error) == (
        "queues.yaml:3:7: error: Jane Doe: account_id 712020:mallory is the Jira account "
        '"Mallory Evil" <mallory@evil.example.com> [712020:mallory], not '
        "jdoe@illinois.example.edu (Delta agents); fix the account_id or the email"
    )


def test_an_updater_pinned_to_an_account_of_another_email_is_refused() -> None:
    ada = Updater(name="Ada Lovelace", username="alovelace", account_id=MALLORY.key).at(at(4))
    config = config_of(AwardeeQueue(name="ACCESS-X", updaters=[ada]).at(at(2)))
    observed = _with(observed_of(config), **{f"account:{MALLORY.key}": MALLORY})
    [error] = diff(config, observed).errors
    assert error.kind == "account_mismatch"
    assert error.message.endswith(
        "not alovelace@access.example.org, the email of ACCESS username alovelace "
        "(ACCESS-X updaters); fix the account_id, or give it without the username"
    )


def test_an_account_id_that_agrees_with_the_email_reads_as_the_email() -> None:
    jdoe = account("jdoe")
    jane = Contact(name="Jane Doe", email="JDoe@Illinois.example.edu", account_id=jdoe.key)
    config = config_of(RPQueue(name="Delta", agents=[jane]))
    plan = diff(config, observed_of(config))
    assert not plan.errors
    assert _adds(plan) == ["Jane Doe <JDoe@Illinois.example.edu>"] * 2


def test_every_renderer_shows_the_account_granted_when_no_matching_email_established_it() -> None:
    # A pinned account with a hidden email: the configured email is unconfirmed, and the display
    # name and key of what is really granted must be on the line a reviewer reads.
    hidden = MALLORY.model_copy(update={"email": None})
    jane = Contact(name="Jane Doe", email="jdoe@illinois.example.edu", account_id=hidden.key)
    config = config_of(RPQueue(name="Delta", agents=[jane]))
    plan = diff(config, _with(observed_of(config), **{f"account:{hidden.key}": hidden}))
    assert not plan.errors
    expected = (
        'Jane Doe <jdoe@illinois.example.edu> as Jira account "Mallory Evil" (email hidden) '
        "[712020:mallory], by account_id"
    )
    assert _adds(plan) == [expected] * 2
    shown = _renderings(plan)
    assert f"+ agents: {expected}" in shown["text"]
    assert f"+ agents: {expected}" in shown["markdown"]
    person = json.loads(shown["json"])["changes"][-1]["person"]
    assert person["match"] == "account_id"
    assert person["account"]["display_name"] == "Mallory Evil"
    assert person["email"] == "jdoe@illinois.example.edu"  # the field keeps its meaning


def test_a_hidden_email_match_is_marked_in_every_renderer() -> None:
    priya = Contact(name="Priya Nair", email="pnair@purdue.example.edu").at(at(5))
    config = config_of(RPQueue(name="Anvil", agents=[priya]))
    plan = diff(config, observed_of(config))
    expected = (
        'Priya Nair <pnair@purdue.example.edu> as Jira account "Priya Nair" (email hidden) '
        "[712020:ac5c6aa8-0aec], found by exact-email search"
    )
    shown = _renderings(plan)
    assert f"+ agents: {expected}" in shown["text"]
    assert f"+ agents: {expected}" in shown["markdown"]
    changes = json.loads(shown["json"])["changes"]
    assert {c["person"]["match"] for c in changes if c["person"]} == {"hidden_email"}


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("customer", "a JSM customer account (accountType customer)"),
        ("app", "an app account (accountType app)"),
        (None, "an account whose type Jira does not say"),
    ],
)
def test_only_staff_accounts_are_granted_on_cloud(kind: str | None, words: str) -> None:
    jane = Contact(name="Jane Doe", email="jdoe@illinois.example.edu").at(at(3))
    config = config_of(RPQueue(name="Delta", agents=[jane]))
    portal = PORTAL.model_copy(update={"account_type": kind})
    observed = _with(observed_of(config), **{"email:jdoe@illinois.example.edu": portal})
    plan = diff(config, observed)
    assert [c for c in plan.changes if c.person] == []
    [error] = plan.errors
    assert error.kind == "account_type"
    assert str(error) == (
        f"queues.yaml:3:7: error: the Jira account of Jane Doe <jdoe@illinois.example.edu> is "
        f'{words} "Jane Doe" <jdoe@illinois.example.edu> [qm:portal-jane], not a staff account, '
        "so it gets no queue access (Delta agents); name the person's own staff account"
    )


def test_data_center_accounts_have_no_type_and_are_granted() -> None:
    jane = Contact(name="Jane Doe", email="jdoe@illinois.example.edu")
    config = config_of(RPQueue(name="Delta", agents=[jane]))
    dc = Target(url="https://jira.example.org", flavor="dc", project="ATS")
    user = Account(key="jdoe", display_name="Jane Doe", email="jdoe@illinois.example.edu")
    observed = Observed(target=dc, directory={"email:jdoe@illinois.example.edu": user})
    plan = diff(config, observed)
    assert not plan.errors and len(_adds(plan)) == 2


def _members(name: str, *accounts: Account) -> ObservedGroup:
    return ObservedGroup(name=name, members=tuple(sorted(accounts, key=lambda a: a.key)))


def test_a_customer_account_in_a_group_is_removed_and_never_blocks_the_plan() -> None:
    jane = Contact(name="Jane Doe", email="jdoe@illinois.example.edu")
    config = config_of(RPQueue(name="Delta", agents=[jane]))
    # A portal customer posing as Jane's email, somehow in the group: it goes, nothing stops it.
    portal = PORTAL.model_copy(update={"email": None, "display_name": "jdoe@illinois.example.edu"})
    groups = [
        _members("ats-delta-agents", account("jdoe"), portal),
        group("ats-delta-watchers", "jdoe"),
    ]
    plan = diff(config, observed_of(config, managed("1", "Delta"), groups=groups))
    assert not plan.errors
    assert [(c.action, c.before) for c in plan.changes] == [("remove_member", portal.key)]


def test_a_configured_person_who_is_a_customer_in_the_group_is_an_error_and_is_not_kept() -> None:
    jane = Contact(name="Jane Doe", email="jdoe@illinois.example.edu")
    config = config_of(RPQueue(name="Delta", agents=[jane]))
    groups = [_members("ats-delta-agents", PORTAL), group("ats-delta-watchers")]
    observed = _with(
        observed_of(config, managed("1", "Delta"), groups=groups),
        **{"email:jdoe@illinois.example.edu": PORTAL},
    )
    plan = diff(config, observed)
    assert [e.kind for e in plan.errors] == ["account_type"]
    # The queue waits, whole, until its entry names a staff account.
    assert (plan.changes, plan.skipped) == ([], ["Delta"])


def test_ambiguous_people_are_errors_that_say_how_to_pin_the_account() -> None:
    priya = Contact(name="Priya Nair", email="pnair@purdue.example.edu").at(at(5))
    config = config_of(RPQueue(name="Anvil", agents=[priya]))
    impostor = Account(
        key="qm:imp", display_name="pnair@purdue.example.edu", account_type="customer"
    )
    # Two accounts that hide the searched email (a staff one and a portal customer, say).
    twin = Account(key="qm:twin", display_name="P. Nair", account_type="customer")
    real = account("pnair")
    observed = observed_of(config).model_copy(
        update={
            "directory": {},
            "ambiguous": {"email:pnair@purdue.example.edu": (real, twin)},
        }
    )
    [error] = diff(config, observed).errors
    assert error.kind == "ambiguous_person"
    assert str(error) == (
        "queues.yaml:5:7: error: no Jira account can be taken for Priya Nair "
        "<pnair@purdue.example.edu> (Anvil agents): Jira's search finds 2 accounts that could be "
        'them: "Priya Nair" (email hidden) [712020:ac5c6aa8-0aec], "P. Nair" '
        "(email hidden) [qm:twin]; give the person's account_id: to name their account"
    )
    alone = observed.model_copy(
        update={"ambiguous": {"email:pnair@purdue.example.edu": (impostor,)}}
    )
    [error] = diff(config, alone).errors
    assert "the only account Jira's search finds hides its email and has a display name like" in (
        error.message
    )


def test_a_deactivated_person_is_told_how_to_leave_the_configuration() -> None:
    ben = Contact(name="Ben Carter", email="bcarter@purdue.example.edu").at(at(6))
    config = config_of(RPQueue(name="Delta", agents=[ben]))
    groups = [group("ats-delta-agents", "bcarter"), group("ats-delta-watchers", "bcarter")]
    plan = diff(config, observed_of(config, managed("1", "Delta"), groups=groups))
    [error] = plan.errors
    assert error.kind == "inactive_person"
    assert error.message.endswith(
        "is deactivated (Delta agents): if they have left, `accessq offboard <queue files> "
        "bcarter@purdue.example.edu` deletes them from every queue, and apply then takes the "
        "account out of the groups"
    )
    assert plan.is_empty  # kept while configured
    # Deleting the entry, as the message says, takes the account out.
    config.rp_queues[0].agents.clear()
    removed = diff(config, observed_of(config, managed("1", "Delta"), groups=groups))
    assert not removed.errors
    assert {(c.action, c.before) for c in removed.changes} == {
        ("remove_member", account("bcarter").key)
    }
