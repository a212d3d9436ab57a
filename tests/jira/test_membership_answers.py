"""Jira answering "already a member" / "not a member", and a group that appeared since the plan.

A membership change that Jira refuses because it is already so reaches the goal: the step is done
(with a note), never a failure. A group made outside the apply since the plan is never taken over:
its create fails with one line and nobody is added to it. Both flavours, real HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from accessq.apply.engine import ALREADY_GONE, ALREADY_MEMBER, Journal, execute
from accessq.config.models import Config, Contact, JiraSettings, RPQueue
from accessq.jira.errors import NotFound, RequestRejected
from accessq.jira.reader import read_observed
from accessq.plan.diff import diff
from accessq.render.apply_report import render_result
from accessq.sandbox import RunningSandbox
from tests.jira.conftest import connect

JANE = {"cloud": "712020:d3551473-22d8", "dc": "jdoe"}
RAJ = {"cloud": "712020:068f1bb2-17cf", "dc": "rpatel"}
GROUP = "ats-delta-agents"


def _members(sandbox: RunningSandbox, group: str) -> list[str]:
    with connect(sandbox) as gateway:
        return [m.key for m in gateway.group_members(group)]


def test_a_membership_that_is_already_so_is_the_goal_reached(sandbox: RunningSandbox) -> None:
    jane = JANE[sandbox.flavor]
    with connect(sandbox) as gateway:
        gateway.create_group(GROUP)
        assert gateway.add_member(GROUP, jane) is True
        assert gateway.add_member(GROUP, jane) is False  # Jira said 400 "already a member"
        assert [m.key for m in gateway.group_members(GROUP)] == [jane]
        assert gateway.remove_member(GROUP, jane) is True
        assert gateway.remove_member(GROUP, jane) is False  # 400 "not a member"
        assert gateway.group_members(GROUP) == ()


def test_refusals_that_do_not_reach_the_goal_still_fail(sandbox: RunningSandbox) -> None:
    jane = JANE[sandbox.flavor]
    with connect(sandbox) as gateway:
        with pytest.raises(NotFound):
            gateway.add_member("ats-missing-agents", jane)
        with pytest.raises(NotFound):
            gateway.remove_member("ats-missing-agents", jane)
        gateway.create_group(GROUP)
        with pytest.raises((NotFound, RequestRejected)):
            gateway.add_member(GROUP, "no-such-account")
        assert gateway.group_members(GROUP) == ()


def test_data_center_refuses_in_its_own_words(sandbox_dc: RunningSandbox) -> None:
    """The sandbox answers as Jira Data Center does (DefaultGroupService's messages, 400)."""
    http = requests.Session()
    http.headers["Authorization"] = "Bearer admin-pat"
    api = f"{sandbox_dc.url}/rest/api/2"
    http.post(f"{api}/group", json={"name": GROUP}).raise_for_status()
    http.post(f"{api}/group/user", params={"groupname": GROUP}, json={"name": "jdoe"})
    twice = http.post(f"{api}/group/user", params={"groupname": GROUP}, json={"name": "jdoe"})
    assert twice.status_code == 400
    assert twice.json()["errorMessages"] == [
        f"Cannot add user 'jdoe', user is already a member of '{GROUP}'"
    ]
    gone = http.delete(f"{api}/group/user", params={"groupname": GROUP, "username": "rpatel"})
    assert gone.status_code == 400
    assert gone.json()["errorMessages"] == [
        f"Cannot remove user 'rpatel' from group '{GROUP}' since user is not a member of '{GROUP}'"
    ]


@pytest.mark.parametrize("members", [0, 1])
def test_a_group_made_since_the_plan_is_not_taken_over(
    sandbox: RunningSandbox, members: int
) -> None:
    raj = RAJ[sandbox.flavor]
    with connect(sandbox) as someone_else:  # by hand, between the plan and the apply
        someone_else.create_group(GROUP)
        if members:
            someone_else.add_member(GROUP, raj)
    with connect(sandbox) as gateway, pytest.raises(RequestRejected) as caught:
        gateway.create_group(GROUP)
    noun = "1 member" if members else "0 members"
    assert str(caught.value) == (
        f"group {GROUP} already exists (made outside this apply since the plan, {noun}): "
        "accessq does not take over a group it did not create, so nobody was added to it; "
        "run `accessq plan` again to review it"
    )
    assert _members(sandbox, GROUP) == ([raj] if members else [])


def _config(*agents: Contact) -> Config:
    queue = RPQueue(name="Delta", agents=list(agents))
    return Config(version=1, jira=JiraSettings(), rp_queues=[queue])


def test_an_apply_over_changes_made_meanwhile_converges_without_failures(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The plan adds Raj and removes Jane (agents are watchers too); someone does it all by
    hand before the apply runs."""
    jane_c = Contact(name="Jane Doe", email="jdoe@illinois.example.edu")
    raj_c = Contact(name="Raj Patel", email="rpatel@illinois.example.edu")
    jane, raj = JANE[sandbox.flavor], RAJ[sandbox.flavor]
    groups = (GROUP, "ats-delta-watchers")
    with connect(sandbox) as gateway:
        first = _config(jane_c)
        assert execute(diff(first, read_observed(gateway, first)), gateway).ok

        wanted = _config(raj_c)
        plan = diff(wanted, read_observed(gateway, wanted))
        assert sorted((c.action, c.target) for c in plan.changes) == sorted(
            [(a, g) for a in ("add_member", "remove_member") for g in groups]
        )
        for group in groups:  # the same changes, made by hand meanwhile
            gateway.add_member(group, raj)
            gateway.remove_member(group, jane)

        journal = Journal(tmp_path / "journal")
        result = execute(plan, gateway, journal=journal)
        journal.close()
    assert result.ok
    expected = sorted([ALREADY_MEMBER, ALREADY_GONE] * 2)
    assert sorted(s.note or "" for s in result.steps) == expected
    notes = [json.loads(x)["note"] for x in journal.path.read_text().splitlines()]
    assert sorted(notes) == expected
    report = render_result(result)
    assert "Apply: 4 done, 0 failed, 0 skipped." in report
    assert "Of the done, 4 Jira already had so (see the journal's notes)." in report
    assert all(_members(sandbox, group) == [raj] for group in groups)
