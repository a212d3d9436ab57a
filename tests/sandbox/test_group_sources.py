"""Groups Jira does not own (synced from an identity provider, or in a read-only directory) and
Data Center's nested groups."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from accessq.sandbox import RunningSandbox, SeedError, load_seed
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, session

JANE, RAJ, BEN = "712020:d3551473-22d8", "712020:068f1bb2-17cf", "712020:747a4764-2337"
IDS = {"jdoe": JANE, "rpatel": RAJ, "bcarter": BEN}


def _seed(groups: list[dict[str, Any]]) -> dict[str, Any]:
    users = [
        {"name": "Jane Doe", "email": "jdoe@x.example.org", "account_id": JANE, "username": "jdoe"},
        {"name": "Raj Patel", "email": "rpatel@x.example.org", "account_id": RAJ},
        {"name": "Grace Kim", "email": "gkim@x.example.org"},
        {"name": "Li Wei", "email": "lwei@x.example.org"},
        {
            "name": "Ben Carter",
            "email": "bcarter@x.example.org",
            "account_id": BEN,
            "active": False,
        },
    ]
    return {"users": users, "groups": groups}


def _who(sandbox: RunningSandbox, username: str) -> tuple[dict[str, str], str]:
    """(the body that adds, the query that removes) this person, in the flavour's terms."""
    if sandbox.flavor == "cloud":
        account = IDS.get(username) or _account_id(sandbox, username)
        return {"accountId": account}, f"accountId={account}"
    return {"name": username}, f"username={username}"


def _account_id(sandbox: RunningSandbox, username: str) -> str:
    with session(sandbox) as http:
        found = http.get(api(sandbox, "user/search"), params={"query": username}).json()
    return str(found[0]["accountId"])


def _members(sandbox: RunningSandbox, http: requests.Session, group: str, **params: Any) -> Any:
    response = http.get(api(sandbox, "group/member"), params={"groupname": group, **params})
    assert response.status_code == 200, response.text
    return response.json()


# -- groups managed outside Jira ---------------------------------------------------------------


def test_idp_groups_read_normally_but_refuse_every_write(
    sandbox_flavor_idp: RunningSandbox,
) -> None:
    sandbox = sandbox_flavor_idp
    cloud = sandbox.flavor == "cloud"
    add, remove = _who(sandbox, "rpatel")
    _, remove_jane = _who(sandbox, "jdoe")
    with session(sandbox) as http:
        assert [u["displayName"] for u in _members(sandbox, http, "okta-agents")["values"]] == [
            "Jane Doe"
        ]
        refused = [
            http.post(api(sandbox, "group/user?groupname=okta-agents"), json=add),
            http.delete(api(sandbox, f"group/user?groupname=okta-agents&{remove_jane}")),
            http.delete(api(sandbox, "group?groupname=okta-agents")),
        ]
        for response, action in zip(
            refused, ("add a user to", "remove a user from", "delete"), strict=True
        ):
            assert response.status_code == 403, response.text
            body = response.json()
            assert set(body) == {"errorMessages", "errors"}
            if cloud:
                assert body["errorMessages"] == [
                    f"You can't {action} a group synced from an identity provider. "
                    "Manage this group in your identity provider instead."
                ]
            else:
                assert body["errorMessages"] == [
                    "Cannot update group 'okta-agents' because directory 'Corporate LDAP' "
                    "does not allow updates."
                ]
        assert [u["displayName"] for u in _members(sandbox, http, "okta-agents")["values"]] == [
            "Jane Doe"
        ]
        # A group of Jira's own, next to it, is written as ever.
        ok = http.post(api(sandbox, "group/user?groupname=local-agents"), json=add)
        assert ok.status_code == 201
        assert http.delete(api(sandbox, f"group/user?groupname=local-agents&{remove}")).ok
        assert http.delete(api(sandbox, "group?groupname=local-agents")).ok


@pytest.fixture(params=["cloud", "dc"])
def sandbox_flavor_idp(request: pytest.FixtureRequest, make_sandbox: MakeSandbox) -> RunningSandbox:
    groups = [
        {"name": "okta-agents", "members": ["jdoe"], "managed_by": "idp"},
        {"name": "local-agents", "members": ["jdoe"]},
    ]
    return make_sandbox(request.param, _seed(groups))


def test_a_read_only_account_still_gets_its_own_403(sandbox_flavor_idp: RunningSandbox) -> None:
    sandbox = sandbox_flavor_idp
    with requests.Session() as http:
        http.trust_env = False
        response = http.delete(
            api(sandbox, "group?groupname=okta-agents"), auth=("viewer", "viewer")
        )
    assert response.status_code == 403
    assert "only Jira administrators" in response.json()["errorMessages"][0]


# -- nested groups -----------------------------------------------------------------------------

NESTED = [
    {"name": "parent", "members": ["jdoe"], "children": ["child"]},
    {"name": "child", "members": ["rpatel", "jdoe", "bcarter"], "children": ["grandchild"]},
    {"name": "grandchild", "members": ["gkim"], "children": ["parent"]},  # a cycle is harmless
    {"name": "other", "members": ["lwei"]},
]


def test_dc_counts_the_members_of_child_groups(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("dc", _seed(NESTED))
    with session(sandbox) as http:
        active = _members(sandbox, http, "parent")
        assert [u["name"] for u in active["values"]] == ["gkim", "jdoe", "rpatel"]  # each once
        assert active["total"] == 3
        everyone = _members(sandbox, http, "parent", includeInactiveUsers="true")
        assert [u["name"] for u in everyone["values"]] == ["bcarter", "gkim", "jdoe", "rpatel"]
        paged = _members(sandbox, http, "parent", maxResults=2, startAt=2)
        assert [u["name"] for u in paged["values"]] == ["rpatel"]
        child = _members(sandbox, http, "child")  # the cycle brings parent's members in too
        assert [u["name"] for u in child["values"]] == ["gkim", "jdoe", "rpatel"]
        legacy = http.get(api(sandbox, "group"), params={"groupname": "parent", "expand": "users"})
        assert legacy.json()["users"]["size"] == 4  # inactive included, as that listing does
        assert [u["name"] for u in _members(sandbox, http, "other")["values"]] == ["lwei"]


def test_cloud_has_no_nested_groups(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", _seed(NESTED))
    with session(sandbox) as http:
        parent = _members(sandbox, http, "parent", includeInactiveUsers="true")
    assert [u["displayName"] for u in parent["values"]] == ["Jane Doe"]


def test_dc_writes_change_direct_memberships_only(make_sandbox: MakeSandbox) -> None:
    groups = [
        {"name": "parent", "members": ["jdoe"], "children": ["child"]},
        {"name": "child", "members": ["rpatel", "jdoe"]},
    ]
    sandbox = make_sandbox("dc", _seed(groups))
    url = api(sandbox, "group/user?groupname=parent")
    with session(sandbox) as http:
        # Raj is a member through "child": adding him is "already a member", removing him from
        # "parent" is "not a member" (he is not one directly).
        twice = http.post(url, json={"name": "rpatel"})
        assert twice.status_code == 400
        assert "already a member of 'parent'" in twice.json()["errorMessages"][0]
        indirect = http.delete(f"{url}&username=rpatel")
        assert indirect.status_code == 400
        assert "not a member of 'parent'" in indirect.json()["errorMessages"][0]
        assert http.delete(f"{url}&username=jdoe").status_code == 200  # direct, and via child
        assert "jdoe" in [u["name"] for u in _members(sandbox, http, "parent")["values"]]
        assert http.post(url, json={"name": "gkim"}).status_code == 201
        http.delete(api(sandbox, "group?groupname=child")).raise_for_status()
        left = _members(sandbox, http, "parent")
        assert [u["name"] for u in left["values"]] == ["gkim"]


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([{"name": "a", "children": ["b"]}], r"groups\[0\]: child 'b' is not a group"),
        ([{"name": "a", "children": ["A"]}], r"groups\[0\]: a group cannot contain itself"),
        ([{"name": "a", "children": "b"}], r"groups\[0\]: children must be a list"),
        (
            [{"name": "a", "managed_by": "ldap"}],
            r"groups\[0\]: managed_by must be one of jira, idp",
        ),
    ],
)
def test_seed_mistakes(groups: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(SeedError, match=message):
        load_seed({"groups": groups})
