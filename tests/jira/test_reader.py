"""The observed snapshot against the sandbox: contents, identity, and how many requests it takes."""

from __future__ import annotations

import json

import pytest

from accessq.config.people import lookup_key, people
from accessq.jira.reader import read_observed
from accessq.model.observed import Account
from accessq.plan.diff import diff
from accessq.render.queue_list import render_queue_list
from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.jira import scenario
from tests.jira.conftest import connect

MEMBERS = "GET /rest/api/{version}/group/member"
SEARCH = "GET /rest/api/{version}/user/search"
USER = "GET /rest/api/{version}/user"
ALL_USERS = "GET /rest/api/{version}/users/search"


@pytest.fixture
def world(flavor: str, make_sandbox: MakeSandbox) -> RunningSandbox:
    return make_sandbox(flavor, scenario.seed())


def test_snapshot_contents(world: RunningSandbox, flavor: str) -> None:
    config = scenario.config(flavor)
    progress: list[tuple[int, int]] = []
    with connect(world) as gateway:
        observed = read_observed(gateway, config, progress=lambda *p: progress.append(p))
    assert observed.target == gateway.target
    assert progress == [(n, 6) for n in range(1, 7)]  # one step per managed group read
    assert [c.name for c in observed.components] == [
        "ACCESS-ACO-Support",
        "Big",
        "Delta",
        "General Support",
    ]
    aco = observed.component("access-aco-support")
    assert aco is not None and aco.assignee_type == "COMPONENT_LEAD"
    assert aco.lead is not None and aco.lead.display_name == "Ada Lovelace"
    # Managed groups, orphans included; never the prefix without a role, nor other prefixes.
    assert [g.name for g in observed.groups] == [
        "ats-access-aco-support-updaters",
        "ats-big-agents",
        "ats-big-watchers",
        "ats-delta-agents",
        "ats-delta-watchers",
        "ats-retired-agents",
    ]
    big = observed.group("ats-big-agents")
    assert big is not None and len(big.members) == scenario.BIG  # paged past 50
    delta = observed.group("ats-delta-agents")
    assert delta is not None
    ben = next(m for m in delta.members if m.display_name == "Ben Carter")
    assert ben.active is False  # inactive members are read too
    assert observed.jsm_queues is None  # jsm_queues is off
    assert observed.runner is not None and observed.runner.display_name == "accessq automation"


def test_requests_grow_with_groups_and_pages_not_people(world: RunningSandbox, flavor: str) -> None:
    config = scenario.config(flavor)
    world.control.reset_stats()
    with connect(world) as gateway:
        observed = read_observed(gateway, config)
        made = gateway.request_count
    by_route = world.control.stats()["by_route"]
    # 6 managed groups, one of them 3 pages long: 8 member pages, whatever the people count.
    assert by_route[MEMBERS] == 8
    # Searched: only people in no managed group, plus, on Cloud, Priya, whose hidden email the
    # member list cannot show. Jane (named twice, in two cases) and the 120 staff: no search.
    searched = {"mgarcia", "nobody", "aturing"} | ({"pnair"} if flavor == "cloud" else set())
    assert by_route[SEARCH] == len(searched)
    assert by_route[USER] == 1  # the account_id override, not in any group
    # Cloud's search skips deactivated users: 'nobody' not found costs one pass over every
    # account (about 150: one page, and the empty page that ends it), whoever else is missing.
    passes = 2 if flavor == "cloud" else 0
    assert by_route.get(ALL_USERS, 0) == passes
    # serverInfo + myself + components + groups/picker + one page of open tickets (one JQL
    # search for every queue) + the above, and nothing else.
    assert made == 4 + 1 + 8 + len(searched) + 1 + passes == world.control.count()
    # Delta agents 4, new watchers 2, Big 120, updaters 3; 'nobody' is nobody.
    assert len(observed.directory) == 4 + 2 + 120 + 3 - 1


def test_identity(world: RunningSandbox, flavor: str) -> None:
    config = scenario.config(flavor)
    with connect(world) as gateway:
        observed = read_observed(gateway, config)
    d = observed.directory
    jira = config.jira
    named = {person.name: person for _, _, person in people(config.queues)}

    def account(name: str) -> Account | None:
        return d.get(lookup_key(named[name], jira))

    priya = account("Priya Nair")
    assert priya is not None and priya.display_name == "Priya Nair"
    if flavor == "cloud":
        assert priya.email is None and priya.key == "712020:ac5c6aa8-0aec"  # hidden, still found
    else:
        assert priya.key == "pnair"
    ben = account("Ben Carter")
    assert ben is not None and ben.active is False
    ada = account("Ada Lovelace")  # ACCESS username -> alovelace@access.example.org
    assert ada is not None and ada.email == "alovelace@access.example.org"
    assert account("Alan Turing") is not None
    grace = account("Grace Hopper")  # account_id override, looked up directly
    assert grace is not None and grace.key == scenario.GHOPPER[flavor]
    assert account("Maria Garcia") is not None
    assert account("Nobody") is None
    assert d["email:jdoe@illinois.example.edu"].display_name == "Jane Doe"  # case-insensitive

    # Ben is deactivated in both flavours (Cloud: seen so in his group), Nobody is nobody.
    errors = sorted((e.kind, e.message.split(" (")[0]) for e in diff(config, observed).errors)
    assert errors == [
        (
            "inactive_person",
            "the Jira account of Ben Carter <bcarter@purdue.example.edu> is deactivated",
        ),
        ("unresolved_person", "no Jira account found for Nobody <nobody@nowhere.example.org>"),
    ]


def test_only_reads_the_named_queues(world: RunningSandbox, flavor: str) -> None:
    config = scenario.config(flavor)
    world.control.reset_stats()
    with connect(world) as gateway:
        observed = read_observed(gateway, config, only={"delta"})
    assert [g.name for g in observed.groups] == ["ats-delta-agents", "ats-delta-watchers"]
    assert len(observed.components) == 4  # all components: one request either way
    assert world.control.stats()["by_route"][MEMBERS] == 2
    assert not any(k.startswith("email:staff") for k in observed.directory)


def test_jsm_queue_views_are_read_when_enabled(world: RunningSandbox, flavor: str) -> None:
    config = scenario.config(flavor)
    config.jira.jsm_queues = True
    with connect(world) as gateway:
        observed = read_observed(gateway, config)
    assert observed.jsm_queues is not None
    assert [q.name for q in observed.jsm_queues] == [
        "All open",
        "Assigned to me",
        "Unassigned issues",
    ]


def test_listing_from_a_live_read(world: RunningSandbox, flavor: str) -> None:
    config = scenario.config(flavor)
    with connect(world) as gateway:
        observed = read_observed(gateway, config)
    document = json.loads(render_queue_list(observed, "json", members=True, prefix="ats-"))
    rows = {q["name"]: q for q in document["queues"]}
    assert rows["General Support"]["kind"] == "unmanaged"
    assert rows["Big"]["counts"] == {"agents": 120, "watchers": 0}
    assert rows["ACCESS-ACO-Support"]["kind"] == "awardee"
    assert rows["ACCESS-ACO-Support"]["keywords"] == ["confluence", "access wiki"]
    # The lead's email comes from the group member list when the component omits it.
    assert rows["ACCESS-ACO-Support"]["default_assignee"] == (
        "Ada Lovelace <alovelace@access.example.org>"
    )
    priya = next(p for p in rows["Delta"]["members"]["agents"] if p["name"] == "Priya Nair")
    assert ("key" in priya) is (flavor == "cloud")  # hidden email: named by key
