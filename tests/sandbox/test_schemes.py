"""Schemes, roles and licences: the demo's recommended setup, read through Jira's endpoints and
the jira client, and each kind of defect `accessq doctor` must find, modelled by a seed."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import requests

from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.people import demo_seed
from tests.sandbox.conftest import api, jira_client, session

JANE = "712020:d3551473-22d8"  # Delta agent, licensed
TOM = "712020:e012f10b-2cc3"  # Jetstream-2 agent without a Service Management licence
BEN = "712020:747a4764-2337"  # inactive
ADA = "712020:be9d2594-c5fe"  # awardee updater, licensed
BOT = "712020:0c015822-3ee5"  # accessq-bot, the admin account
VIEWER = ("viewer", "viewer")
QUEUE_GRANTS = {
    "BROWSE_PROJECTS": {"customfield_10200", "customfield_10201", "customfield_10202"},
    "ADD_COMMENTS": {"customfield_10200", "customfield_10201"},
    "EDIT_ISSUES": {"customfield_10201"},
    "ASSIGN_ISSUES": {"customfield_10201"},
    "ASSIGNABLE_USER": {"customfield_10201"},
    "TRANSITION_ISSUES": {"customfield_10201"},
}


@cache
def _demo() -> dict[str, Any]:
    loaded = demo_seed()
    return loaded


def demo_with(**sections: Any) -> dict[str, Any]:
    """The demo seed with some sections replaced (None: removed)."""
    seed = copy.deepcopy(_demo())
    for key, value in sections.items():
        if value is None:
            seed.pop(key, None)
        else:
            seed[key] = value
    return seed


def get(sandbox: RunningSandbox, path: str, auth: Any = ("admin", "admin"), **params: Any) -> Any:
    with session(sandbox, auth) as http:
        response = http.get(api(sandbox, path), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def status(
    sandbox: RunningSandbox, path: str, auth: Any = ("admin", "admin"), **params: Any
) -> int:
    with session(sandbox, auth) as http:
        return http.get(api(sandbox, path), params=params).status_code


def who(sandbox: RunningSandbox, account_id: str, username: str) -> dict[str, str]:
    return {"accountId": account_id} if sandbox.flavor == "cloud" else {"username": username}


def my_permissions(
    sandbox: RunningSandbox, keys: str, auth: Any = ("admin", "admin")
) -> dict[str, bool]:
    body = get(sandbox, "mypermissions", auth, projectKey="ATS", permissions=keys)
    return {k: v["havePermission"] for k, v in body["permissions"].items()}


def check(sandbox: RunningSandbox, account_id: str, *keys: str) -> set[str]:
    """Project permissions (of keys) account_id holds in ATS, by Cloud's permissions/check."""
    with session(sandbox) as http:
        response = http.post(
            api(sandbox, "permissions/check"),
            json={
                "accountId": account_id,
                "projectPermissions": [{"permissions": list(keys), "projects": [10000]}],
            },
        )
    assert response.status_code == 200, response.text
    return {p["permission"] for p in response.json()["projectPermissions"] if p["projects"]}


def assignable(sandbox: RunningSandbox, text: str = "") -> list[str]:
    params = {"project": "ATS", "maxResults": 1000}
    if sandbox.flavor == "cloud":
        users = get(sandbox, "user/assignable/search", query=text, **params)
        return [u["accountId"] for u in users]
    users = get(sandbox, "user/assignable/search", username=text, **params)
    return [u["name"] for u in users]


# -- the demo's recommended setup -----------------------------------------------------------------


def test_the_permission_scheme_is_the_service_desk_one_with_the_queue_grants(
    sandbox: RunningSandbox,
) -> None:
    bare = get(sandbox, "project/ATS/permissionscheme")
    assert (bare["id"], bare["name"]) == (10100, "ATS permission scheme")
    assert "permissions" not in bare  # only with an expand
    scheme = get(sandbox, "project/ATS/permissionscheme", expand="field,projectRole")
    by_field: dict[str, set[str]] = {}
    for grant in scheme["permissions"]:
        holder = grant["holder"]
        if holder["type"] == "groupCustomField":
            by_field.setdefault(grant["permission"], set()).add(holder["parameter"])
            assert holder["field"]["schema"]["custom"].endswith(":multigrouppicker")
            assert holder["field"]["name"].startswith("Queue ")
    assert {k: v for k, v in by_field.items() if k in QUEUE_GRANTS} == QUEUE_GRANTS
    roles = {
        (g["permission"], g["holder"]["projectRole"]["name"])
        for g in scheme["permissions"]
        if g["holder"]["type"] == "projectRole"
    }
    assert ("BROWSE_PROJECTS", "Service Desk Team") in roles  # the copy kept JSM's grants
    assert ("ADMINISTER_PROJECTS", "Administrators") in roles
    assert ("BROWSE_PROJECTS", "Viewers") in roles
    portal = {
        g["permission"]
        for g in scheme["permissions"]
        if g["holder"]["type"] == "sd.customer.portal.only"
    }
    assert "BROWSE_PROJECTS" in portal
    same = get(sandbox, "permissionscheme/10100", expand="permissions")
    assert len(same["permissions"]) == len(scheme["permissions"])
    assert "field" not in same["permissions"][0]["holder"]
    grants = get(sandbox, "permissionscheme/10100/permission")
    assert [g["id"] for g in grants["permissions"]] == [g["id"] for g in scheme["permissions"]]
    listed = get(sandbox, "permissionscheme")["permissionSchemes"]
    assert [s["id"] for s in listed] == [10100]


def test_the_notification_scheme_tells_each_queues_watchers(sandbox: RunningSandbox) -> None:
    bare = get(sandbox, "project/ATS/notificationscheme")
    assert "notificationSchemeEvents" not in bare
    scheme = get(sandbox, "project/ATS/notificationscheme", expand="all")
    events = {e["event"]["name"]: e["notifications"] for e in scheme["notificationSchemeEvents"]}
    watched = {
        name
        for name, notes in events.items()
        if any(
            n["notificationType"] == "GroupCustomField" and n["field"]["name"] == "Queue watchers"
            for n in notes
        )
    }
    assert watched == {
        "Issue Created",
        "Issue Assigned",
        "Issue Commented",
        "Issue Resolved",
        "Issue Closed",
        "Issue Reopened",
    }
    assert {n["notificationType"] for n in events["Issue Updated"]} == {
        "CurrentAssignee",
        "Reporter",
        "AllWatchers",
    }
    assert get(sandbox, "notificationscheme/10100", expand="all") == scheme
    page = get(sandbox, "notificationscheme")
    assert [s["id"] for s in page["values"]] == [10100] and page["isLast"]


def test_project_roles_and_their_actors(sandbox: RunningSandbox) -> None:
    roles = get(sandbox, "project/ATS/role")
    assert set(roles) == {
        "Administrators",
        "Service Desk Team",
        "Service Desk Customers",
        "Viewers",
    }
    assert roles["Service Desk Team"].endswith("/project/ATS/role/10100")
    team = get(sandbox, "project/ATS/role/10100")
    [actor] = team["actors"]
    assert (actor["type"], actor["name"]) == (
        "atlassian-group-role-actor",
        "jira-servicedesk-users",
    )
    admins = get(sandbox, "project/ATS/role/10002")["actors"]
    assert [a["displayName"] for a in admins] == ["accessq automation"]
    if sandbox.flavor == "cloud":
        assert admins[0]["actorUser"] == {"accountId": BOT}
        assert actor["actorGroup"]["name"] == "jira-servicedesk-users"
    else:
        assert admins[0]["name"] == "accessq-bot"
    assert status(sandbox, "project/ATS/role/99999") == 404
    assert status(sandbox, "project/ATS/role/x") == 404
    assert status(sandbox, "project/NOPE/role") == 404


def test_the_jira_client_reads_schemes_roles_and_permissions(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    scheme = client.project_permissionscheme("ATS")
    assert scheme.name == "ATS permission scheme"
    assert scheme.raw["permissions"]  # the client asks with expand=user
    assert client.project_notification_scheme("ATS").raw["notificationSchemeEvents"]
    assert client.project_roles("ATS")["Service Desk Team"]["id"] == "10100"
    assert client.project_role("ATS", "10002").name == "Administrators"
    assert [s["id"] for s in client.permissionschemes()] == [10100]
    assert [s["id"] for s in client.notificationschemes()] == [10100]
    mine = client.my_permissions(
        projectKey="ATS", permissions="ADMINISTER_PROJECTS,ASSIGNABLE_USER"
    )
    assert mine["permissions"]["ADMINISTER_PROJECTS"]["havePermission"] is True
    assert mine["permissions"]["ASSIGNABLE_USER"]["havePermission"] is False  # no JSM licence
    if sandbox.flavor == "cloud":
        found = client.search_assignable_users_for_issues(query="jane", project="ATS")
        assert [u.accountId for u in found] == [JANE]
    else:
        found = client.search_assignable_users_for_issues(username="jdoe", project="ATS")
        assert [u.name for u in found] == ["jdoe"]


# -- licences (application roles) -----------------------------------------------------------------


def test_application_roles_count_licensed_users(sandbox: RunningSandbox) -> None:
    roles = {r["key"]: r for r in get(sandbox, "applicationrole")}
    desk = roles["jira-servicedesk"]
    assert (desk["userCount"], desk["numberOfSeats"], desk["remainingSeats"]) == (18, 25, 7)
    assert desk["groups"] == ["jira-servicedesk-users"] and not desk["hasUnlimitedSeats"]
    software = get(sandbox, "applicationrole/jira-software")
    assert software["userCount"] == 21  # everyone but Ben Carter, who is inactive anyway
    assert software["hasUnlimitedSeats"] is True
    assert status(sandbox, "applicationrole/jira-core") == 404
    assert status(sandbox, "applicationrole", VIEWER) == 403


def test_users_show_their_product_access_when_asked(sandbox: RunningSandbox) -> None:
    tom = get(sandbox, "user", expand="applicationRoles,groups", **who(sandbox, TOM, "tbecker"))
    assert [a["key"] for a in tom["applicationRoles"]["items"]] == ["jira-software"]
    assert [g["name"] for g in tom["groups"]["items"]] == ["jira-software-users"]
    jane = get(sandbox, "user", expand="applicationRoles", **who(sandbox, JANE, "jdoe"))
    assert {a["key"] for a in jane["applicationRoles"]["items"]} == {
        "jira-servicedesk",
        "jira-software",
    }
    assert "groups" not in jane
    plain = get(sandbox, "user", **who(sandbox, JANE, "jdoe"))
    assert "applicationRoles" not in plain and "expand" not in plain


# -- a person's permissions -----------------------------------------------------------------------


def test_mypermissions_of_the_two_accessq_accounts(sandbox: RunningSandbox) -> None:
    keys = "ADMINISTER,USER_PICKER,ADMINISTER_PROJECTS,BROWSE_PROJECTS,EDIT_ISSUES,ASSIGNABLE_USER"
    assert my_permissions(sandbox, keys) == {
        "ADMINISTER": True,  # the admin account is a Jira administrator: it manages groups
        "USER_PICKER": True,
        "ADMINISTER_PROJECTS": True,
        "BROWSE_PROJECTS": True,
        # Administrators are granted every project permission, but agent work in a service
        # project needs a Service Management licence, which the accessq accounts do not have.
        "EDIT_ISSUES": False,
        "ASSIGNABLE_USER": False,
    }
    assert my_permissions(sandbox, keys, VIEWER) == {
        "ADMINISTER": False,
        "USER_PICKER": True,
        "ADMINISTER_PROJECTS": False,
        "BROWSE_PROJECTS": True,
        "EDIT_ISSUES": False,
        "ASSIGNABLE_USER": False,
    }
    anonymous = get(sandbox, "mypermissions", None, permissions="BROWSE_PROJECTS,USER_PICKER")
    assert not any(p["havePermission"] for p in anonymous["permissions"].values())
    everything = get(sandbox, "mypermissions", permissions="BROWSE_PROJECTS")
    assert everything["permissions"]["BROWSE_PROJECTS"]["id"] == "10"


def test_mypermissions_rejects_what_jira_rejects(sandbox: RunningSandbox) -> None:
    assert status(sandbox, "mypermissions", permissions="BROWSE,NOPE") == 400
    assert status(sandbox, "mypermissions", permissions="BROWSE_PROJECTS", projectKey="NOPE") == 404
    assert status(sandbox, "mypermissions", permissions="BROWSE_PROJECTS", projectId="1") == 404
    assert status(sandbox, "mypermissions", permissions="BROWSE_PROJECTS", issueKey="ATS-1") == 404
    assert status(sandbox, "mypermissions", permissions="EDIT_ISSUES", commentId="1") == 400
    if sandbox.flavor == "cloud":
        assert status(sandbox, "mypermissions") == 400  # required on Cloud since 2019
    else:
        every = get(sandbox, "mypermissions")["permissions"]
        assert {"ADMINISTER", "BROWSE_PROJECTS", "ASSIGNABLE_USER"} <= set(every)
        assert every["ADMINISTER"]["name"] == "Jira Administrators"


def test_permissions_check_for_another_person_needs_a_jira_administrator(
    sandbox_cloud: RunningSandbox,
) -> None:
    assert check(sandbox_cloud, TOM, "BROWSE_PROJECTS", "ADD_COMMENTS", "ASSIGNABLE_USER") == set()
    assert check(sandbox_cloud, JANE, "BROWSE_PROJECTS", "ASSIGNABLE_USER") == {
        "BROWSE_PROJECTS",
        "ASSIGNABLE_USER",
    }
    with session(sandbox_cloud, VIEWER) as http:
        url = api(sandbox_cloud, "permissions/check")
        other = http.post(url, json={"accountId": JANE, "globalPermissions": ["ADMINISTER"]})
        assert other.status_code == 403
        assert other.json()["errorMessages"] == [
            "Only Jira administrators can perform this operation."
        ]
        own = http.post(url, json={"globalPermissions": ["USER_PICKER", "ADMINISTER"]})
        assert own.json() == {"globalPermissions": ["USER_PICKER"], "projectPermissions": []}
        bad = http.post(url, json={"globalPermissions": ["PERMISSION_123"]})
        assert (bad.status_code, bad.json()["errors"]) == (
            400,
            {"PERMISSION_123": "Unrecognized permission"},
        )
        empty = http.post(
            url, json={"projectPermissions": [{"permissions": [], "projects": [10000]}]}
        )
        assert empty.status_code == 400
    with session(sandbox_cloud) as http:
        unknown = http.post(api(sandbox_cloud, "permissions/check"), json={"accountId": "nobody"})
        assert unknown.status_code == 400


def test_permissions_check_is_cloud_only(sandbox_dc: RunningSandbox) -> None:
    with session(sandbox_dc) as http:
        assert http.post(api(sandbox_dc, "permissions/check"), json={}).status_code == 404


def test_scheme_reads_need_a_project_administrator(sandbox: RunningSandbox) -> None:
    assert status(sandbox, "project/ATS/permissionscheme", VIEWER) == 403
    assert status(sandbox, "project/ATS/notificationscheme", VIEWER) == 404
    assert status(sandbox, "notificationscheme/10100", VIEWER) == 404
    assert status(sandbox, "project/ATS/role", VIEWER) == 404
    assert status(sandbox, "permissionscheme/10100", VIEWER) == 200  # any signed-in person
    assert status(sandbox, "permissionscheme/10100", None) == 401
    assert status(sandbox, "permissionscheme/1") == 404
    assert status(sandbox, "project/NOPE/permissionscheme") == 404


# -- assignable users -----------------------------------------------------------------------------


def test_only_licensed_active_agents_are_assignable_for_a_new_ticket(
    sandbox: RunningSandbox,
) -> None:
    everyone = assignable(sandbox)
    expect = {JANE, ADA} if sandbox.flavor == "cloud" else {"jdoe", "alovelace"}
    not_expect = (
        {TOM, BEN, BOT} if sandbox.flavor == "cloud" else {"tbecker", "bcarter", "accessq-bot"}
    )
    assert expect <= set(everyone)
    assert not not_expect & set(everyone)
    assert len(everyone) == 18  # the Service Desk Team; the Queue updaters field counts for no one
    name = "Jane" if sandbox.flavor == "cloud" else "jd"
    assert len(assignable(sandbox, name)) == 1


def test_assignable_search_parameters(sandbox: RunningSandbox) -> None:
    base = {"project": "ATS"}
    if sandbox.flavor == "cloud":
        assert get(sandbox, "user/assignable/search", accountId=TOM, **base) == []
        assert len(get(sandbox, "user/assignable/search", accountId=JANE, **base)) == 1
        assert status(sandbox, "user/assignable/search", username="jdoe", **base) == 400
        assert status(sandbox, "user/assignable/search", **base) == 400
        both = {"query": "j", "accountId": JANE, **base}
        assert status(sandbox, "user/assignable/search", **both) == 400
    assert status(sandbox, "user/assignable/search", query="j") == 400  # no project or issue
    assert status(sandbox, "user/assignable/search", query="j", project="NOPE") == 404
    assert status(sandbox, "user/assignable/search", query="j", issueKey="ATS-1") == 404
    by_id = {"query": ""} if sandbox.flavor == "cloud" else {}
    assert status(sandbox, "user/assignable/search", project="10000", **by_id) == 200


def test_cloud_pages_before_it_filters_so_pages_come_back_short(
    sandbox_cloud: RunningSandbox,
) -> None:
    """Of the first 5 people who match, only the assignable ones: a page shorter than asked
    for is not the last (the Cloud reference warns of this)."""
    first = get(sandbox_cloud, "user/assignable/search", project="ATS", query="", maxResults=5)
    pages, start = [], 0
    while start < 30:
        pages.append(
            get(
                sandbox_cloud,
                "user/assignable/search",
                project="ATS",
                query="",
                startAt=start,
                maxResults=5,
            )
        )
        start += 5
    assert pages[0] == first
    assert any(0 < len(p) < 5 for p in pages[:-1])
    assert sum(len(p) for p in pages) == 18


# -- defects a doctor must find, each modelled by a seed ------------------------------------------


def test_a_scheme_without_the_queue_grants(make_sandbox: MakeSandbox) -> None:
    scheme = dict(_demo()["permission_scheme"], grants={})
    sandbox = make_sandbox("cloud", demo_with(permission_scheme=scheme))
    grants = get(sandbox, "project/ATS/permissionscheme", expand="permissions")["permissions"]
    assert not [g for g in grants if g["holder"]["type"] == "groupCustomField"]


def test_a_service_desk_team_that_lost_browse(make_sandbox: MakeSandbox) -> None:
    scheme = dict(
        _demo()["permission_scheme"],
        grants={},
        revoke={"BROWSE_PROJECTS": ["projectRole:Service Desk Team"]},
    )
    sandbox = make_sandbox("cloud", demo_with(permission_scheme=scheme))
    assert check(sandbox, JANE, "BROWSE_PROJECTS", "EDIT_ISSUES") == {"EDIT_ISSUES"}


def test_project_wide_group_grants_follow_the_group(make_sandbox: MakeSandbox) -> None:
    """The simple setup: grants to the managed groups by name. Deleting a group takes it out of
    the scheme (as Jira does); creating it again does not put it back."""
    seed = demo_with(
        groups=[{"name": "ats-delta-agents", "members": ["jdoe", "tbecker"]}],
        permission_scheme={
            "name": "ATS simple",
            "base": "jsm-default",
            "grants": {"BROWSE_PROJECTS": ["group:ats-delta-agents"]},
            "revoke": {"BROWSE_PROJECTS": ["projectRole:Service Desk Team"]},
        },
    )
    sandbox = make_sandbox("cloud", seed)
    group = next(
        g["holder"]
        for g in get(sandbox, "project/ATS/permissionscheme", expand="group")["permissions"]
        if g["holder"]["type"] == "group"
    )
    assert group["parameter"] == "ats-delta-agents"
    assert group["group"] == {
        "name": "ats-delta-agents",
        "groupId": group["value"],
        "self": group["group"]["self"],
    }
    assert check(sandbox, TOM, "BROWSE_PROJECTS") == {"BROWSE_PROJECTS"}  # collaborators browse
    assert check(sandbox, ADA, "BROWSE_PROJECTS") == set()
    with session(sandbox) as http:
        assert http.delete(api(sandbox, "group"), params={"groupname": "ats-delta-agents"}).ok
        assert (
            http.post(api(sandbox, "group"), json={"name": "ats-delta-agents"}).status_code == 201
        )
        http.post(
            api(sandbox, "group/user"),
            params={"groupname": "ats-delta-agents"},
            json={"accountId": TOM},
        )
    types = {
        g["holder"]["type"]
        for g in get(sandbox, "project/ATS/permissionscheme", expand="all")["permissions"]
    }
    assert "group" not in types
    assert check(sandbox, TOM, "BROWSE_PROJECTS") == set()


def test_an_agent_without_a_licence_and_an_updater_who_cannot_be_assigned(
    make_sandbox: MakeSandbox,
) -> None:
    groups = copy.deepcopy(_demo()["site_groups"])
    licensed = next(g for g in groups if g["name"] == "jira-servicedesk-users")
    licensed["members"].remove("alovelace")
    sandbox = make_sandbox("cloud", demo_with(site_groups=groups))
    assert ADA not in assignable(sandbox)
    ada = get(sandbox, "user", accountId=ADA, expand="applicationRoles")
    assert [a["key"] for a in ada["applicationRoles"]["items"]] == ["jira-software"]
    assert get(sandbox, "applicationrole/jira-servicedesk")["userCount"] == 17


def test_no_product_access_at_all(make_sandbox: MakeSandbox) -> None:
    groups = copy.deepcopy(_demo()["site_groups"])
    for group in groups:
        if group["name"].startswith("jira-"):
            group["members"].remove("jdoe")
    sandbox = make_sandbox("cloud", demo_with(site_groups=groups))
    assert check(sandbox, JANE, "BROWSE_PROJECTS", "ADD_COMMENTS") == set()
    jane = get(sandbox, "user", accountId=JANE, expand="applicationRoles")
    assert jane["applicationRoles"] == {"size": 0, "items": []}


def test_watchers_left_out_of_the_notification_scheme(make_sandbox: MakeSandbox) -> None:
    scheme = {"name": "Default Notification Scheme", "base": "jira-default"}
    sandbox = make_sandbox("dc", demo_with(notification_scheme=scheme))
    events = get(sandbox, "project/ATS/notificationscheme", expand="all")[
        "notificationSchemeEvents"
    ]
    types = {n["notificationType"] for e in events for n in e["notifications"]}
    assert types == {"CurrentAssignee", "Reporter", "AllWatchers"}


def test_notifications_to_groups_roles_users_and_addresses(make_sandbox: MakeSandbox) -> None:
    seed = demo_with(
        groups=[{"name": "ats-delta-watchers", "members": ["jdoe"]}],
        notification_scheme={
            "name": "Mixed",
            "base": "none",
            "events": {
                "Issue Created": ["Group:ats-delta-watchers", "ProjectRole:Service Desk Team"],
                6: ["User:jdoe", "EmailAddress:queue@example.org", "ComponentLead"],
            },
        },
    )
    for flavor in ("cloud", "dc"):
        sandbox = make_sandbox(flavor, seed)
        events = get(sandbox, "notificationscheme/10000", expand="all")["notificationSchemeEvents"]
        assert [e["event"]["name"] for e in events] == ["Issue Created", "Issue Commented"]
        created, commented = (e["notifications"] for e in events)
        assert created[0]["group"]["name"] == "ats-delta-watchers"
        assert created[1]["projectRole"]["name"] == "Service Desk Team"
        assert commented[0]["user"]["displayName"] == "Jane Doe"
        assert commented[1]["emailAddress"] == "queue@example.org"
        if flavor == "cloud":
            assert created[0]["recipient"] == created[0]["group"]["groupId"]
            assert commented[0]["parameter"] == JANE
        else:
            assert "recipient" not in created[0]
            assert commented[0]["parameter"].startswith("JIRAUSER")


def test_a_runner_account_that_is_no_project_administrator(make_sandbox: MakeSandbox) -> None:
    roles = copy.deepcopy(_demo()["project_roles"])
    roles[0]["users"] = []
    seed = demo_with(
        project_roles=roles,
        accounts=[
            {"login": "admin", "token": "admin", "user": "accessq-bot", "role": "read-only"},
            {"login": "viewer", "token": "viewer", "user": "viewer", "role": "read-only"},
        ],
    )
    sandbox = make_sandbox("dc", seed)
    held = my_permissions(sandbox, "ADMINISTER,ADMINISTER_PROJECTS,BROWSE_PROJECTS,USER_PICKER")
    assert held == {
        "ADMINISTER": False,
        "ADMINISTER_PROJECTS": False,
        "BROWSE_PROJECTS": False,
        "USER_PICKER": True,
    }
    assert status(sandbox, "project/ATS/permissionscheme") == 403


# -- defaults, seeds, state -----------------------------------------------------------------------


def test_a_seed_without_access_sections_gets_jiras_defaults(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", {"users": [{"name": "Solo", "email": "solo@example.org"}]})
    scheme = get(sandbox, "project/ATS/permissionscheme", expand="all")
    assert scheme["name"] == "Default Jira Service Management Permission Scheme"
    assert {g["holder"]["type"] for g in scheme["permissions"]} == {
        "projectRole",
        "sd.customer.portal.only",
    }
    assert [r["userCount"] for r in get(sandbox, "applicationrole")] == [
        3,
        3,
    ]  # solo, admin, viewer
    assert my_permissions(sandbox, "ADMINISTER_PROJECTS,USER_PICKER", VIEWER) == {
        "ADMINISTER_PROJECTS": False,
        "USER_PICKER": True,
    }
    events = get(sandbox, "project/ATS/notificationscheme", expand="all")[
        "notificationSchemeEvents"
    ]
    assert len(events) == 17


def test_reset_and_restart_keep_schemes_whole(make_sandbox: MakeSandbox, tmp_path: Any) -> None:
    from accessq.sandbox import reset

    db = tmp_path / "state.sqlite"
    first = make_sandbox("cloud", db=db)
    with session(first) as http:
        http.delete(api(first, "group"), params={"groupname": "jira-servicedesk-users"})
    assert get(first, "project/ATS/role/10100")["actors"] == []
    first.stop()
    again = make_sandbox("cloud", db=db)
    assert get(again, "applicationrole/jira-servicedesk")["userCount"] == 0
    again.stop()
    reset(db=db, flavor="cloud", seed=None)
    fresh = make_sandbox("cloud", db=db)
    assert get(fresh, "applicationrole/jira-servicedesk")["userCount"] == 18


def test_api_versions_keep_their_links(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        scheme = http.get(f"{sandbox_cloud.url}/rest/api/3/project/ATS/permissionscheme").json()
    assert scheme["self"].endswith("/rest/api/3/permissionscheme/10100")


def test_requests_answer_json_errors(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        response: requests.Response = http.get(api(sandbox_cloud, "applicationrole/nope"))
    assert response.status_code == 404
    assert set(response.json()) == {"errorMessages", "errors"}
