"""What a user of the sandbox notices: Cloud vs Data Center identities, privacy, inactive users,
Jira's validation and error bodies."""

from __future__ import annotations

from typing import Any

import requests

from accessq.sandbox import RunningSandbox
from tests.sandbox.conftest import api, session

PRIYA = "712020:ac5c6aa8-0aec"  # email hidden
BEN = "712020:747a4764-2337"  # deactivated


def _errors(response: requests.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"errorMessages", "errors"}, body
    return body


# -- identities and privacy ----------------------------------------------------------------


def test_cloud_leaves_hidden_emails_out_but_finds_them_by_exact_email(
    sandbox_cloud: RunningSandbox,
) -> None:
    with session(sandbox_cloud) as http:
        priya = http.get(api(sandbox_cloud, f"user?accountId={PRIYA}")).json()
        assert priya["displayName"] == "Priya Nair"
        assert "emailAddress" not in priya
        exact = http.get(
            api(sandbox_cloud, "user/search"), params={"query": "PNair@purdue.example.edu"}
        )
        assert [u["accountId"] for u in exact.json()] == [PRIYA]
        prefix = http.get(api(sandbox_cloud, "user/search"), params={"query": "pnair@purdue"})
        assert prefix.json() == []
        by_name = http.get(api(sandbox_cloud, "user/search"), params={"query": "nair"})
        assert [u["accountId"] for u in by_name.json()] == [PRIYA]


def test_dc_shows_every_email_and_names_users_by_username(sandbox_dc: RunningSandbox) -> None:
    with session(sandbox_dc) as http:
        priya = http.get(api(sandbox_dc, "user?username=pnair")).json()
        assert priya["emailAddress"] == "pnair@purdue.example.edu"
        assert priya["name"] == "pnair"
        assert priya["key"].startswith("JIRAUSER")  # a modern DC key, not the username
        assert "accountId" not in priya
        by_key = http.get(api(sandbox_dc, "user"), params={"key": priya["key"]}).json()
        assert by_key["name"] == "pnair"
        found = http.get(api(sandbox_dc, "user/search"), params={"username": "pna"}).json()
        assert [u["name"] for u in found] == ["pnair"]
        missing = http.get(api(sandbox_dc, "user/search"), params={"query": "pnair"})
        assert missing.status_code == 400


def test_cloud_rejects_usernames_as_cloud_does(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        for path in ("user?username=jdoe", "user/search?username=jdoe", "user?key=jdoe"):
            response = http.get(api(sandbox_cloud, path))
            assert response.status_code == 400
            assert "not supported in GDPR strict mode" in _errors(response)["errorMessages"][0]


def test_inactive_users_are_flagged_and_left_out_unless_asked(sandbox: RunningSandbox) -> None:
    ben = {"accountId": BEN} if sandbox.flavor == "cloud" else {"username": "bcarter"}
    search = {"query": "Ben Carter"} if sandbox.flavor == "cloud" else {"username": "Ben"}
    with session(sandbox) as http:
        assert http.get(api(sandbox, "user"), params=ben).json()["active"] is False
        assert http.get(api(sandbox, "user/search"), params=search).json() == []
        found = http.get(api(sandbox, "user/search"), params={**search, "includeInactive": "true"})
        if sandbox.flavor == "cloud":
            # Cloud's user/search has no includeInactive: it returns active users only.
            assert found.json() == []
            by_id = http.get(api(sandbox, "user/search"), params={"accountId": BEN})
            assert by_id.json() == []
            return
        assert [u["displayName"] for u in found.json()] == ["Ben Carter"]
        assert found.json()[0]["active"] is False


def test_group_member_listing_hides_inactive_members_unless_asked(sandbox: RunningSandbox) -> None:
    add = _member_body(sandbox)
    with session(sandbox) as http:
        http.post(api(sandbox, "group"), json={"name": "ats-anvil-agents"}).raise_for_status()
        for person in ("pnair", "bcarter"):
            http.post(api(sandbox, "group/user?groupname=ats-anvil-agents"), json=add(person))
        url = api(sandbox, "group/member?groupname=ats-anvil-agents")
        active = http.get(url).json()
        assert [u["displayName"] for u in active["values"]] == ["Priya Nair"]
        everyone = http.get(url + "&includeInactiveUsers=true").json()
        assert [u["displayName"] for u in everyone["values"]] == ["Ben Carter", "Priya Nair"]
        assert everyone["total"] == 2


def _member_body(sandbox: RunningSandbox) -> Any:
    ids = {"pnair": PRIYA, "bcarter": BEN, "jdoe": "712020:d3551473-22d8"}
    if sandbox.flavor == "cloud":
        return lambda username: {"accountId": ids[username]}
    return lambda username: {"name": username}


# -- groups ----------------------------------------------------------------------------------


def test_group_names_are_case_insensitive(sandbox: RunningSandbox, admin: requests.Session) -> None:
    created = admin.post(api(sandbox, "group"), json={"name": "ATS-Delta-Agents"})
    assert created.status_code == 201
    again = admin.post(api(sandbox, "group"), json={"name": "ats-delta-agents"})
    assert again.status_code == 400
    assert _errors(again)["errorMessages"] == ["A group with this name already exists."]
    found = admin.get(api(sandbox, "group/member?groupname=ats-DELTA-agents"))
    assert found.status_code == 200
    assert admin.delete(api(sandbox, "group?groupname=ats-delta-agents")).status_code == 200
    gone = admin.get(api(sandbox, "group/member?groupname=ats-delta-agents"))
    assert gone.status_code == 404


def test_adding_a_member_twice_and_removing_a_non_member_are_400s(
    sandbox: RunningSandbox, admin: requests.Session
) -> None:
    add = _member_body(sandbox)
    admin.post(api(sandbox, "group"), json={"name": "g"}).raise_for_status()
    url = api(sandbox, "group/user?groupname=g")
    assert admin.post(url, json=add("jdoe")).status_code == 201
    twice = admin.post(url, json=add("jdoe"))
    assert twice.status_code == 400
    assert "already a member" in _errors(twice)["errorMessages"][0]
    who = "accountId=712020:d3551473-22d8" if sandbox.flavor == "cloud" else "username=jdoe"
    assert admin.delete(f"{url}&{who}").status_code == 200
    assert admin.delete(f"{url}&{who}").status_code == 400


def test_cloud_group_membership_by_group_id(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        group = http.post(api(sandbox_cloud, "group"), json={"name": "g"}).json()
        added = http.post(
            api(sandbox_cloud, f"group/user?groupId={group['groupId']}"), json={"accountId": PRIYA}
        )
        assert added.status_code == 201
        members = http.get(api(sandbox_cloud, f"group/member?groupId={group['groupId']}")).json()
        assert [m["accountId"] for m in members["values"]] == [PRIYA]
        assert "emailAddress" not in members["values"][0]


def test_group_bulk_and_picker(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        for name in ("ats-a-agents", "ats-b-agents", "ats-b-watchers", "other"):
            http.post(api(sandbox_cloud, "group"), json={"name": name}).raise_for_status()
        bulk = http.get(
            api(sandbox_cloud, "group/bulk"), params={"groupName": ["ats-b-agents", "OTHER"]}
        ).json()
        assert [g["name"] for g in bulk["values"]] == ["ats-b-agents", "other"]
        query: dict[str, Any] = {"query": "ats-", "maxResults": 2}
        picker = http.get(api(sandbox_cloud, "groups/picker"), params=query)
        body = picker.json()
        assert body["total"] == 3
        assert body["header"] == "Showing 2 of 3 matching groups"
        assert [g["name"] for g in body["groups"]] == ["ats-a-agents", "ats-b-agents"]
        assert body["groups"][0]["html"] == "<b>ats-</b>a-agents"
        case = http.get(api(sandbox_cloud, "groups/picker"), params={"query": "ATS-"}).json()
        assert case["total"] == 0  # Cloud matches case-sensitively unless asked
        folded = http.get(
            api(sandbox_cloud, "groups/picker"), params={"query": "ATS-", "caseInsensitive": "true"}
        ).json()
        assert folded["total"] == 3


def test_dc_has_no_group_bulk_or_users_search(sandbox_dc: RunningSandbox) -> None:
    with session(sandbox_dc) as http:
        assert http.get(api(sandbox_dc, "group/bulk")).status_code == 404
        assert http.get(api(sandbox_dc, "users/search")).status_code == 404


# -- components ------------------------------------------------------------------------------


def test_component_validation(sandbox: RunningSandbox, admin: requests.Session) -> None:
    url = api(sandbox, "component")
    duplicate = admin.post(url, json={"name": "general support", "project": "ATS"})
    assert duplicate.status_code == 400
    assert _errors(duplicate)["errors"] == {
        "name": "A component with the name general support already exists in this project."
    }
    nameless = admin.post(url, json={"name": " ", "project": "ATS"})
    assert nameless.status_code == 400 and "name" in _errors(nameless)["errors"]
    missing = admin.post(url, json={"name": "X", "project": "NOPE"})
    assert missing.status_code == 404
    assert _errors(missing)["errorMessages"] == ["No project could be found with key 'NOPE'."]
    bad_type = admin.post(url, json={"name": "X", "project": "ATS", "assigneeType": "ME"})
    assert bad_type.status_code == 400 and "assigneeType" in _errors(bad_type)["errors"]
    lead = {"leadAccountId": "nobody"} if sandbox.flavor == "cloud" else {"leadUserName": "nobody"}
    no_lead = admin.post(url, json={"name": "X", "project": "ATS", **lead})
    assert no_lead.status_code == 400
    not_json = admin.post(url, data="name=X", headers={"Content-Type": "text/plain"})
    assert not_json.status_code == 415


def test_component_assignee_follows_the_lead(
    sandbox: RunningSandbox, admin: requests.Session
) -> None:
    lead_key = "leadAccountId" if sandbox.flavor == "cloud" else "leadUserName"
    jane = "712020:d3551473-22d8" if sandbox.flavor == "cloud" else "jdoe"
    ben = BEN if sandbox.flavor == "cloud" else "bcarter"
    created = admin.post(
        api(sandbox, "component"),
        json={"name": "ACO", "project": "ATS", "assigneeType": "COMPONENT_LEAD", lead_key: jane},
    ).json()
    assert created["assignee"]["displayName"] == "Jane Doe"
    assert created["realAssigneeType"] == "COMPONENT_LEAD"
    url = api(sandbox, f"component/{created['id']}")
    inactive = admin.put(url, json={lead_key: ben}).json()
    assert inactive["isAssigneeTypeValid"] is False  # an inactive lead cannot be assigned
    assert inactive["realAssigneeType"] == "PROJECT_DEFAULT"
    removed = admin.put(url, json={lead_key: ""}).json()
    assert "lead" not in removed
    assert removed["isAssigneeTypeValid"] is False
    renamed = admin.put(url, json={"name": "General Support"})
    assert renamed.status_code == 400


def test_dc_refuses_lead_account_id(sandbox_dc: RunningSandbox) -> None:
    with session(sandbox_dc) as http:
        response = http.post(
            api(sandbox_dc, "component"),
            json={"name": "X", "project": "ATS", "leadAccountId": "712020:d3551473-22d8"},
        )
        assert response.status_code == 400
        assert "leadAccountId" in _errors(response)["errorMessages"][0]


def test_delete_component_checks_the_replacement(
    sandbox: RunningSandbox, admin: requests.Session
) -> None:
    created = admin.post(api(sandbox, "component"), json={"name": "X", "project": "ATS"}).json()
    url = api(sandbox, f"component/{created['id']}")
    assert admin.delete(url, params={"moveIssuesTo": "424242"}).status_code == 404
    assert admin.delete(url, params={"moveIssuesTo": "10000"}).status_code == 204
    assert admin.delete(url).status_code == 404


def test_every_api_version_answers_alike(sandbox: RunningSandbox, admin: requests.Session) -> None:
    bodies = [
        admin.get(api(sandbox, "project/ATS/components", v)).json() for v in ("2", "3", "latest")
    ]
    assert [c["name"] for c in bodies[0]] == ["General Support"]
    assert bodies[1][0]["self"].endswith("/rest/api/3/component/10000")
    assert [b[0]["id"] for b in bodies] == ["10000"] * 3


def test_unknown_paths_and_methods(sandbox: RunningSandbox, admin: requests.Session) -> None:
    assert admin.get(api(sandbox, "no/such/thing")).status_code == 404
    assert admin.patch(api(sandbox, "component/10000"), json={}).status_code == 405


# -- JSM -------------------------------------------------------------------------------------


def _jsm_error(response: requests.Response) -> str:
    body = response.json()
    assert set(body) == {"errorMessage", "i18nErrorMessage"}, body
    return str(body["errorMessage"])


def test_service_desk_and_default_queues(sandbox: RunningSandbox, admin: requests.Session) -> None:
    desks = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk").json()
    assert [(d["id"], d["projectKey"]) for d in desks["values"]] == [("1", "ATS")]
    page = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/ATS/queue?limit=2").json()
    assert [q["name"] for q in page["values"]] == ["All open", "Assigned to me"]
    assert page["isLastPage"] is False and "issueCount" not in page["values"][0]
    rest = admin.get(page["_links"]["next"] + "&includeCount=true").json()
    assert [q["name"] for q in rest["values"]] == ["Unassigned issues"]
    # the demo seed's open tickets with nobody assigned: ATS-2, ATS-3 and ATS-5
    assert rest["isLastPage"] is True and rest["values"][0]["issueCount"] == 3
    missing = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/7/queue")
    assert missing.status_code == 404 and "7" in _jsm_error(missing)


def test_internal_queue_writes(sandbox: RunningSandbox, admin: requests.Session) -> None:
    internal = f"{sandbox.url}/rest/servicedesk/1/servicedesk/ATS/queues"
    jql = 'project = ATS AND component = "Delta" AND resolution = Unresolved'
    created = admin.post(
        internal, json={"name": "Delta", "jql": jql, "columns": ["issuekey", "summary"]}
    )
    assert created.status_code == 200
    queue_id = created.json()["id"]
    updated = admin.put(f"{internal}/{queue_id}", json={"name": "Delta (NCSA)"})
    assert updated.json()["name"] == "Delta (NCSA)" and updated.json()["jql"] == jql
    public = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/1/queue/{queue_id}").json()
    assert public["fields"] == ["issuekey", "summary"]
    duplicate = admin.post(internal, json={"name": "all open", "jql": jql})
    assert duplicate.status_code == 400 and "already exists" in _jsm_error(duplicate)
    assert admin.put(internal, json={"deleted": [queue_id]}).status_code == 204
    gone = admin.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/1/queue/{queue_id}")
    assert gone.status_code == 404
    assert admin.put(internal, json={"deleted": [queue_id]}).status_code == 404


def test_public_queue_writes_only_on_dc(sandbox: RunningSandbox, admin: requests.Session) -> None:
    url = f"{sandbox.url}/rest/servicedeskapi/servicedesk/1/queue"
    body = {"name": "Delta", "jql": "project = ATS", "fields": ["summary"]}
    created = admin.post(url, json=body)
    if sandbox.flavor == "cloud":
        assert created.status_code == 405  # Cloud's public API only reads queues
        return
    assert created.status_code == 201
    queue_id = created.json()["id"]
    assert (
        admin.post(f"{url}/{queue_id}", json={"jql": "project = ATS ORDER BY created"}).json()[
            "jql"
        ]
        == "project = ATS ORDER BY created"
    )
    assert admin.delete(f"{url}/{queue_id}").status_code == 204
    assert admin.delete(f"{url}/{queue_id}").status_code == 404
