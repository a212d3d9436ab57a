"""Tickets over HTTP: get, create, edit and assign issues, comments (text on v2, ADF on v3),
component issue counts and moves, and the requests in JSM queues; with the jira library too."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira import JIRAError

from accessq.sandbox import RunningSandbox, load_seed
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, jira_client, session
from tests.sandbox.test_search import JANE, SEED

RAJ = "acc-raj"
BEN = next(u.account_id for u in load_seed(SEED).users if u.username == "bcarter")
DELTA, GENERAL, BRIDGES = "10000", "10001", "10002"


@pytest.fixture(params=["cloud", "dc"])
def tickets(request: pytest.FixtureRequest, make_sandbox: MakeSandbox) -> RunningSandbox:
    return make_sandbox(request.param, SEED)


def _who(sandbox: RunningSandbox, user: dict[str, Any] | None) -> str | None:
    if user is None:
        return None
    return str(user["accountId"] if sandbox.flavor == "cloud" else user["name"])


def _ref(sandbox: RunningSandbox, cloud: str | None, dc: str | None) -> dict[str, str | None]:
    return {"accountId": cloud} if sandbox.flavor == "cloud" else {"name": dc}


def _issue(http: requests.Session, sandbox: RunningSandbox, key: str, v: str = "2") -> Any:
    response = http.get(api(sandbox, f"issue/{key}", v))
    assert response.status_code == 200, response.text
    return response.json()


def _assignee_name(issue: Any) -> Any:
    """The assignee's display name (the library types the assignee as optional)."""
    return issue.fields.assignee.displayName


def _doc(text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


# -- reading ---------------------------------------------------------------------------------


def test_an_issue_has_jiras_fields(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        issue = _issue(http, tickets, "ATS-1")
    assert (issue["id"], issue["key"]) == ("10000", "ATS-1")
    assert issue["self"].endswith("/rest/api/2/issue/10000")
    fields = issue["fields"]
    assert fields["summary"] == "Cannot SSH to Delta"
    assert fields["description"] == "publickey denied since Monday"
    assert [(c["id"], c["name"]) for c in fields["components"]] == [(DELTA, "Delta")]
    assert _who(tickets, fields["assignee"]) == (JANE if tickets.flavor == "cloud" else "jdoe")
    assert fields["reporter"]["displayName"] == "Priya Nair"
    if tickets.flavor == "cloud":
        assert "name" not in fields["assignee"] and "emailAddress" not in fields["reporter"]
    else:
        assert fields["assignee"]["key"].startswith("JIRAUSER")
    assert fields["status"]["name"] == "Open" and fields["status"]["statusCategory"]["key"] == "new"
    assert fields["resolution"] is None and fields["resolutiondate"] is None
    assert fields["created"] == "2025-03-01T10:00:00.000+0000"
    assert fields["project"]["key"] == "ATS" and fields["issuetype"]["name"] == "Service Request"
    assert fields["comment"] == {
        "comments": [],
        "maxResults": 0,
        "total": 0,
        "startAt": 0,
        "self": issue["self"] + "/comment",
    }


def test_resolved_issues_and_the_ways_to_name_one(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        resolved = _issue(http, tickets, "ats-4")  # any case, as Jira finds it
        assert resolved["key"] == "ATS-4"
        assert resolved["fields"]["status"]["name"] == "Resolved"
        assert resolved["fields"]["resolution"]["name"] == "Done"
        assert resolved["fields"]["resolutiondate"] == resolved["fields"]["created"]
        assert _issue(http, tickets, "10003")["key"] == "ATS-4"
        missing = http.get(api(tickets, "issue/ATS-99"))
        assert missing.status_code == 404
        assert missing.json() == {
            "errorMessages": ["Issue does not exist or you do not have permission to see it."],
            "errors": {},
        }


def test_fields_choose_what_comes_back(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        url = api(tickets, "issue/ATS-1")
        some = http.get(url, params={"fields": "summary,components"}).json()["fields"]
        assert set(some) == {"summary", "components"}
        most = http.get(url, params={"fields": "-description,-comment"}).json()["fields"]
        assert "description" not in most and "comment" not in most and "summary" in most
        navigable = http.get(url, params={"fields": "*navigable"}).json()["fields"]
        assert "comment" not in navigable and "status" in navigable


def test_v3_writes_rich_text_as_atlassian_documents(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        fields = _issue(http, tickets, "ATS-1", "3")["fields"]
    assert fields["description"] == _doc("publickey denied since Monday")


def test_the_jira_library_reads_issues(tickets: RunningSandbox) -> None:
    issue = jira_client(tickets).issue("ATS-2")
    assert issue.fields.summary == "Quota on Bridges-2"
    assert [c.name for c in issue.fields.components] == ["Bridges-2", "General Support"]
    assert _assignee_name(issue) == "Raj Patel"
    assert issue.fields.status.name == "Open"


# -- creating --------------------------------------------------------------------------------


def test_create_gives_the_next_key_and_the_components_default_assignee(
    tickets: RunningSandbox,
) -> None:
    client = jira_client(tickets)
    created = client.create_issue(
        project="ATS",
        summary="Delta is slow",
        description="Since the upgrade.",
        issuetype={"name": "Service Request"},
        components=[{"name": "Delta"}],
    )
    assert created.key == "ATS-6"
    # Delta's default assignee is its lead; the reporter is whoever creates it
    assert _assignee_name(created) == "Jane Doe"
    assert created.fields.reporter.displayName == "Jane Doe"
    assert created.fields.description == "Since the upgrade."
    plain = client.create_issue(
        fields={
            "project": {"key": "ATS"},
            "issuetype": {"id": "10001"},
            "summary": "No component",
            "assignee": _ref(tickets, RAJ, "rpatel"),
        }
    )
    assert plain.key == "ATS-7" and _assignee_name(plain) == "Raj Patel"
    unassigned = client.create_issue(
        fields={
            "project": {"id": "10000"},
            "issuetype": {"name": "service request"},
            "summary": "Nobody",
            "components": [{"id": DELTA}],
            "assignee": None,
        }
    )
    assert unassigned.fields.assignee is None


def test_create_in_v3_takes_documents(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        body: dict[str, Any] = {
            "fields": {
                "project": {"key": "ATS"},
                "issuetype": {"name": "Service Request"},
                "summary": "ADF",
                "description": _doc("Rich."),
            }
        }
        created = http.post(api(tickets, "issue", "3"), json=body)
        assert created.status_code == 201
        assert created.json() == {
            "id": "10005",
            "key": "ATS-6",
            "self": f"{tickets.url}/rest/api/3/issue/10005",
        }
        assert _issue(http, tickets, "ATS-6")["fields"]["description"] == "Rich."
        assert _issue(http, tickets, "ATS-6", "3")["fields"]["description"] == _doc("Rich.")
        body["fields"]["description"] = "plain text on v3"
        refused = http.post(api(tickets, "issue", "3"), json=body)
        assert refused.status_code == 400
        assert refused.json()["errors"] == {
            "description": "Operation value must be an Atlassian Document (see the Atlassian "
            "Document Format)"
        }


def test_create_refuses_what_jira_refuses(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        url = api(tickets, "issue")
        empty = http.post(url, json={"fields": {"project": {"key": "ATS"}}})
        assert empty.status_code == 400
        assert empty.json() == {
            "errorMessages": [],
            "errors": {
                "summary": "You must specify a summary of the issue.",
                "issuetype": "Specify an issue type",
            },
        }
        wrong = http.post(
            url,
            json={
                "fields": {
                    "project": {"key": "NOPE"},
                    "issuetype": {"name": "Bug"},
                    "summary": "x",
                    "components": [{"name": "Nope"}],
                    "labels": ["a"],
                    "assignee": _ref(tickets, "acc-ghost", "ghost"),
                }
            },
        )
        assert wrong.status_code == 400
        assert wrong.json()["errors"] == {
            "project": "Specify a valid project ID or key",
            "issuetype": "Specify a valid issue type",
            "components": "Component name 'Nope' is not valid",
            "labels": "Field 'labels' cannot be set. It is not on the appropriate screen, or "
            "unknown.",
            "assignee": "User '"
            + ("acc-ghost" if tickets.flavor == "cloud" else "ghost")
            + "' cannot be assigned issues.",
        }
    with session(tickets, ("viewer", "viewer")) as http:
        body: dict[str, Any] = {
            "fields": {"project": {"key": "ATS"}, "issuetype": {"id": "10001"}, "summary": "x"}
        }
        denied = http.post(api(tickets, "issue"), json=body)
        assert denied.status_code == 403
        assert denied.json()["errorMessages"] == [
            "You do not have permission to create issues in this project."
        ]


def test_people_must_be_named_as_the_flavour_names_them(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        other = {"name": "jdoe"} if tickets.flavor == "cloud" else {"accountId": JANE}
        body: dict[str, Any] = {
            "fields": {
                "project": {"key": "ATS"},
                "issuetype": {"id": "10001"},
                "summary": "x",
                "assignee": other,
            }
        }
        refused = http.post(api(tickets, "issue"), json=body)
    assert refused.status_code == 400
    if tickets.flavor == "cloud":
        assert "GDPR strict mode" in refused.json()["errorMessages"][0]
    else:
        assert refused.json()["errors"] == {
            "assignee": "expected Object containing a 'name' property"
        }


# -- editing and assigning -------------------------------------------------------------------


def test_edit_components_and_assignee_with_fields_and_update(tickets: RunningSandbox) -> None:
    client = jira_client(tickets)
    issue = client.issue("ATS-3")
    issue.update(fields={"components": [{"name": "Bridges-2"}], "summary": "Triaged"})
    assert [c.name for c in issue.fields.components] == ["Bridges-2"]
    assert issue.fields.summary == "Triaged"
    issue.update(update={"components": [{"add": {"name": "Delta"}}, {"remove": {"id": BRIDGES}}]})
    assert [c.name for c in issue.fields.components] == ["Delta"]
    issue.update(update={"components": [{"set": [{"name": "General Support"}]}]})
    assert [c.name for c in issue.fields.components] == ["General Support"]
    issue.update(fields={"assignee": _ref(tickets, RAJ, "rpatel")})
    assert _assignee_name(issue) == "Raj Patel"
    issue.update(update={"assignee": [{"set": None}]})
    assert issue.fields.assignee is None
    issue.update(fields={"assignee": _ref(tickets, JANE, "jdoe")})
    issue.update(fields={"assignee": _ref(tickets, None, None)})  # a person named by nothing
    assert issue.fields.assignee is None
    assert issue.fields.updated > issue.fields.created


def test_edit_refuses_what_jira_refuses(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        url = api(tickets, "issue/ATS-1")
        both = http.put(
            url,
            json={"fields": {"components": []}, "update": {"components": [{"set": []}]}},
        )
        assert both.status_code == 400 and set(both.json()["errors"]) == {"components"}
        unknown = http.put(url, json={"fields": {"resolution": {"name": "Done"}}})
        assert unknown.json()["errors"] == {
            "resolution": "Field 'resolution' cannot be set. It is not on the appropriate "
            "screen, or unknown."
        }
        empty = http.put(url, json={"fields": {"summary": " "}})
        assert empty.json()["errors"] == {"summary": "You must specify a summary of the issue."}
        array = http.put(url, json={"fields": {"components": {"name": "Delta"}}})
        assert array.json()["errors"] == {"components": "data was not an array"}
        verb = http.put(url, json={"update": {"assignee": [{"add": None}]}})
        assert verb.status_code == 400
        assert http.put(api(tickets, "issue/ATS-99"), json={"fields": {}}).status_code == 404
        returned = http.put(url, params={"returnIssue": "true"}, json={"fields": {"summary": "Y"}})
        assert returned.status_code == 200 and returned.json()["fields"]["summary"] == "Y"
    with session(tickets, ("viewer", "viewer")) as http:
        assert http.put(url, json={"fields": {"summary": "x"}}).status_code == 403


def test_assign_as_the_jira_library_does(tickets: RunningSandbox) -> None:
    client = jira_client(tickets)
    who = "Raj Patel" if tickets.flavor == "cloud" else "rpatel"
    assert client.assign_issue("ATS-3", who) is True
    assert _assignee_name(client.issue("ATS-3")) == "Raj Patel"
    client.assign_issue("ATS-3", None)
    assert client.issue("ATS-3").fields.assignee is None
    client.assign_issue("ATS-5", "-1")  # automatic: Delta's lead
    assert _assignee_name(client.issue("ATS-5")) == "Jane Doe"
    with pytest.raises(JIRAError, match="No matching user"):
        client.assign_issue("ATS-3", "Nobody Atall")
    with session(tickets) as http:
        ref = _ref(tickets, BEN, "bcarter")
        inactive = http.put(api(tickets, "issue/ATS-3/assignee"), json=ref)
    shown = "Ben Carter" if tickets.flavor == "cloud" else "bcarter"
    assert inactive.status_code == 400
    assert inactive.json()["errors"] == {"assignee": f"User '{shown}' cannot be assigned issues."}


def test_assign_endpoint_takes_the_flavours_identity(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        url = api(tickets, "issue/ATS-3/assignee")
        assert http.put(url, json=_ref(tickets, JANE, "jdoe")).status_code == 204
        assert _issue(http, tickets, "ATS-3")["fields"]["assignee"]["displayName"] == "Jane Doe"
        other = {"name": "jdoe"} if tickets.flavor == "cloud" else {"accountId": JANE}
        assert http.put(url, json=other).status_code == 400
        if tickets.flavor == "dc":
            key = _issue(http, tickets, "ATS-2")["fields"]["assignee"]["key"]
            assert http.put(url, json={"key": key}).status_code == 204
    with session(tickets, ("viewer", "viewer")) as http:
        assert http.put(url, json=_ref(tickets, JANE, "jdoe")).status_code == 403


# -- comments --------------------------------------------------------------------------------


def test_comments_through_the_jira_library(tickets: RunningSandbox) -> None:
    client = jira_client(tickets)
    first = client.add_comment("ATS-1", "We reset your key.")
    client.add_comment("ATS-1", "Closing soon.", is_internal=True)
    assert first.body == "We reset your key."
    assert first.author.displayName == "Jane Doe"
    assert [c.body for c in client.comments("ATS-1")] == ["We reset your key.", "Closing soon."]
    newest = client.comments("ATS-1", order_by="-created")
    assert [c.body for c in newest] == ["Closing soon.", "We reset your key."]
    issue = client.issue("ATS-1")
    assert issue.fields.comment.total == 2
    if tickets.flavor == "cloud":
        assert [c.jsdPublic for c in client.comments("ATS-1")] == [True, False]


def test_comment_bodies_are_text_on_v2_and_documents_on_v3(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        v3 = http.post(api(tickets, "issue/ATS-1/comment", "3"), json={"body": _doc("Hello.")})
        assert v3.status_code == 201 and v3.json()["body"] == _doc("Hello.")
        v2 = http.post(api(tickets, "issue/ATS-1/comment"), json={"body": "Line one\n\nLine two"})
        assert v2.status_code == 201 and v2.json()["body"] == "Line one\n\nLine two"
        as_text = http.get(api(tickets, "issue/ATS-1/comment")).json()
        assert [c["body"] for c in as_text["comments"]] == ["Hello.", "Line one\n\nLine two"]
        as_docs = http.get(api(tickets, "issue/ATS-1/comment", "3"), params={"maxResults": 1})
        page = as_docs.json()
        assert (page["total"], page["maxResults"], page["startAt"]) == (2, 1, 0)
        assert page["comments"][0]["body"] == _doc("Hello.")
        second = http.get(api(tickets, "issue/ATS-1/comment", "3"), params={"startAt": 1})
        assert second.json()["comments"][0]["body"]["content"] == [
            _doc("Line one")["content"][0],
            _doc("Line two")["content"][0],
        ]
        cases: list[tuple[str, Any, str]] = [
            ("3", "plain", "Operation value must be an Atlassian Document"),
            ("2", _doc("x"), "Comment body is not valid!"),
            ("2", "  ", "Comment body can not be empty!"),
            ("3", {"type": "doc", "version": 1, "content": []}, "Comment body can not be empty!"),
        ]
        for version, body, message in cases:
            refused = http.post(api(tickets, "issue/ATS-1/comment", version), json={"body": body})
            assert refused.status_code == 400
            assert refused.json()["errors"]["comment"].startswith(message)
        bad_order = http.get(api(tickets, "issue/ATS-1/comment"), params={"orderBy": "author"})
        assert bad_order.status_code == 400
    with session(tickets, ("viewer", "viewer")) as http:
        denied = http.post(api(tickets, "issue/ATS-1/comment"), json={"body": "x"})
        assert denied.status_code == 403


# -- components ------------------------------------------------------------------------------


def test_component_issue_counts(tickets: RunningSandbox) -> None:
    client = jira_client(tickets)
    assert client.component_count_related_issues(DELTA) == 3  # resolved ones count too
    assert client.component_count_related_issues(BRIDGES) == 1
    with session(tickets) as http:
        counts = http.get(api(tickets, f"component/{GENERAL}/relatedIssueCounts")).json()
        assert counts == {"self": f"{tickets.url}/rest/api/2/component/{GENERAL}", "issueCount": 1}
        assert http.get(api(tickets, "component/999/relatedIssueCounts")).status_code == 404
        paged = http.get(
            api(tickets, "project/ATS/component"), params={"orderBy": "-issueCount"}
        ).json()
        assert [(c["name"], c["issueCount"]) for c in paged["values"]] == [
            ("Delta", 3),
            ("Bridges-2", 1),
            ("General Support", 1),
        ]


def test_deleting_a_component_moves_or_drops_its_tickets(tickets: RunningSandbox) -> None:
    client = jira_client(tickets)
    with session(tickets) as http:
        moved = http.delete(api(tickets, f"component/{DELTA}"), params={"moveIssuesTo": GENERAL})
        assert moved.status_code == 204
        assert client.component_count_related_issues(GENERAL) == 4
        assert [c.name for c in client.issue("ATS-1").fields.components] == ["General Support"]
        assert http.delete(api(tickets, f"component/{BRIDGES}")).status_code == 204
    # without moveIssuesTo, Jira takes the component off its tickets
    assert [c.name for c in client.issue("ATS-2").fields.components] == ["General Support"]
    assert client.component_count_related_issues(GENERAL) == 4


# -- JSM queues ------------------------------------------------------------------------------


def _queues(http: requests.Session, sandbox: RunningSandbox) -> dict[str, Any]:
    page = http.get(
        f"{sandbox.url}/rest/servicedeskapi/servicedesk/1/queue", params={"includeCount": "true"}
    ).json()
    return {q["name"]: q for q in page["values"]}


def test_queue_counts_and_requests_come_from_their_jql(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        queues = _queues(http, tickets)
        assert {n: q["issueCount"] for n, q in queues.items()} == {
            "All open": 4,
            "Assigned to me": 1,
            "Unassigned issues": 2,
        }
        one = http.get(
            f"{tickets.url}/rest/servicedeskapi/servicedesk/1/queue/{queues['All open']['id']}",
            params={"includeCount": "true"},
        ).json()
        assert one["issueCount"] == 4
        url = f"{tickets.url}/rest/servicedeskapi/servicedesk/ATS/queue/{queues['All open']['id']}"
        first = http.get(url + "/issue", params={"limit": 3}).json()
        assert [v["key"] for v in first["values"]] == ["ATS-5", "ATS-3", "ATS-2"]
        assert first["isLastPage"] is False and first["size"] == 3
        assert set(first["values"][0]["fields"]) == {
            "issuetype",
            "summary",
            "reporter",
            "status",
            "created",
        }
        rest = http.get(first["_links"]["next"]).json()
        assert [v["key"] for v in rest["values"]] == ["ATS-1"] and rest["isLastPage"] is True
    with session(tickets, ("viewer", "viewer")) as http:
        # "Assigned to me" is about whoever asks
        assert _queues(http, tickets)["Assigned to me"]["issueCount"] == 1


def test_an_accessq_queue_view_counts_its_component(tickets: RunningSandbox) -> None:
    with session(tickets) as http:
        internal = f"{tickets.url}/rest/servicedesk/1/servicedesk/ATS/queues"
        body = {"name": "Delta", "jql": 'component = "Delta" AND resolution = Unresolved'}
        created = http.post(internal, json={**body, "columns": ["issuekey", "summary"]})
        assert created.status_code == 200, created.text
        strange = http.post(internal, json={"name": "Odd", "jql": "status = Open", "columns": []})
        assert strange.status_code == 200
        queues = _queues(http, tickets)
        assert queues["Delta"]["issueCount"] == 2
        assert queues["Odd"]["issueCount"] == 0  # JQL the sandbox does not run counts nothing
        listed = http.get(
            f"{tickets.url}/rest/servicedeskapi/servicedesk/1/queue/{queues['Delta']['id']}/issue"
        ).json()
        assert [(v["key"], set(v["fields"])) for v in listed["values"]] == [
            ("ATS-5", {"summary"}),
            ("ATS-1", {"summary"}),
        ]
        odd = http.get(
            f"{tickets.url}/rest/servicedeskapi/servicedesk/1/queue/{queues['Odd']['id']}/issue"
        )
        assert odd.status_code == 400 and "status = Open" in odd.json()["errorMessage"]
        missing = http.get(f"{tickets.url}/rest/servicedeskapi/servicedesk/1/queue/999/issue")
        assert missing.status_code == 404
