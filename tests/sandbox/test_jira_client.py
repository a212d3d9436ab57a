"""The real pycontribs `jira` client works against the sandbox, in both flavours."""

from __future__ import annotations

import pytest
from jira import JIRAError

from accessq.sandbox import RunningSandbox
from tests.sandbox.conftest import jira_client

JANE_ACCOUNT = "712020:d3551473-22d8"
CUSTOMER_ACCOUNT = "qm:5e0c7a1d-3b9f-4c2e-8d6a-0f4b2c9e7a13:6a1f0e93b2c4d5e6f7a8b9c0"


def test_construction_reads_server_info(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    info = client.server_info()
    expected = "Cloud" if sandbox.flavor == "cloud" else "Server"
    assert info["deploymentType"] == expected
    assert client.deploymentType == expected
    assert client._is_cloud is (sandbox.flavor == "cloud")
    assert info["baseUrl"] == sandbox.url


def test_myself_is_the_account_user(sandbox: RunningSandbox) -> None:
    me = jira_client(sandbox).myself()
    assert me["displayName"] == "accessq automation"
    if sandbox.flavor == "cloud":
        assert me["accountId"] == "712020:0c015822-3ee5"
        assert "name" not in me
    else:
        assert me["name"] == "accessq-bot"
        assert "accountId" not in me


def test_component_lifecycle(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    assert [c.name for c in client.project_components("ATS")] == ["General Support"]

    created = client.create_component("Delta", "ATS", description="NCSA Delta")
    assert created.name == "Delta"
    assert created.description == "NCSA Delta"
    assert created.assigneeType == "PROJECT_DEFAULT"

    lead = (
        {"leadAccountId": JANE_ACCOUNT} if sandbox.flavor == "cloud" else {"leadUserName": "jdoe"}
    )
    created.update(description="NCSA Delta (CPU and GPU)", assigneeType="COMPONENT_LEAD", **lead)
    again = client.component(created.id)
    assert again.description == "NCSA Delta (CPU and GPU)"
    assert again.lead.displayName == "Jane Doe"
    assert again.realAssigneeType == "COMPONENT_LEAD"
    assert again.isAssigneeTypeValid is True

    client.delete_component(created.id)
    assert [c.name for c in client.project_components("ATS")] == ["General Support"]
    with pytest.raises(JIRAError) as caught:
        client.component(created.id)
    assert caught.value.status_code == 404


def test_create_component_with_username_lead_only_on_dc(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    if sandbox.flavor == "dc":
        component = client.create_component(
            "Anvil", "ATS", leadUserName="rpatel", assigneeType="COMPONENT_LEAD"
        )
        assert component.lead.name == "rpatel"
        assert component.leadUserName == "rpatel"
        return
    with pytest.raises(JIRAError) as caught:
        client.create_component("Anvil", "ATS", leadUserName="rpatel")
    assert caught.value.status_code == 400
    assert "GDPR strict mode" in (caught.value.text or "")


def test_group_lifecycle_and_members(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    assert client.add_group("ats-delta-agents") is True
    assert "ats-delta-agents" in client.groups(query="delta")
    assert client.group_members("ats-delta-agents") == {}
    client.remove_group("ats-delta-agents")
    assert client.groups(query="delta") == []


def test_group_user_add_and_remove_by_username_on_dc(make_sandbox) -> None:
    client = jira_client(make_sandbox("dc"))
    client.add_group("ats-aco-updaters")
    added = client.add_user_to_group("alovelace", "ats-aco-updaters")
    assert isinstance(added, dict)
    assert added["name"] == "ats-aco-updaters"
    members = client.group_members("ats-aco-updaters")
    assert list(members) == ["alovelace"]
    assert members["alovelace"]["fullname"] == "Ada Lovelace"
    assert members["alovelace"]["email"] == "alovelace@access.example.org"
    assert client.remove_user_from_group("alovelace", "ats-aco-updaters") is True
    assert client.group_members("ats-aco-updaters") == {}


def test_cloud_rejects_the_libraries_username_membership_calls(make_sandbox) -> None:
    client = jira_client(make_sandbox("cloud"))
    client.add_group("ats-aco-updaters")
    with pytest.raises(JIRAError) as caught:
        client.add_user_to_group("alovelace", "ats-aco-updaters")
    assert caught.value.status_code == 404
    assert "Specified user does not exist" in (caught.value.text or "")
    with pytest.raises(JIRAError) as caught:
        client.remove_user_from_group("alovelace", "ats-aco-updaters")
    assert caught.value.status_code == 400
    assert "GDPR strict mode" in (caught.value.text or "")


def test_group_members_pages_past_fifty(make_sandbox) -> None:
    people = [
        {"name": f"Person {i:03}", "email": f"p{i:03}@example.org", "username": f"p{i:03}"}
        for i in range(120)
    ]
    seed = {
        "users": people,
        "groups": [{"name": "big", "members": [p["username"] for p in people]}],
    }
    for flavor in ("cloud", "dc"):
        members = jira_client(make_sandbox(flavor, seed)).group_members("big")
        assert len(members) == 120
        names = sorted(m["fullname"] for m in members.values())
        assert names == [p["name"] for p in people]


def test_search_users(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    # The demo seed's JSM customer is named "jdoe@illinois.example.edu": a prefix of its name.
    if sandbox.flavor == "cloud":
        found = client.search_users(query="jdoe@illinois.example.edu")
        assert [u.accountId for u in found] == [JANE_ACCOUNT, CUSTOMER_ACCOUNT]
        assert [u.accountType for u in found] == ["atlassian", "customer"]
    else:
        found = client.search_users(user="jdoe")
        assert [u.name for u in found] == ["jdoe", "qm-portal-7731"]
    assert found[0].displayName == "Jane Doe"
    assert found[1].displayName == "jdoe@illinois.example.edu"
    if sandbox.flavor == "cloud":
        assert not hasattr(found[1], "emailAddress")  # hidden by the customer's profile
    assert found[0].emailAddress == "jdoe@illinois.example.edu"


def test_user_lookup(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    user = client.user(JANE_ACCOUNT if sandbox.flavor == "cloud" else "jdoe")
    assert user.displayName == "Jane Doe"
    with pytest.raises(JIRAError) as caught:
        client.user("nobody-at-all")
    assert caught.value.status_code == 404
