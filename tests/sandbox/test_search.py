"""JQL search over the sandbox's tickets: Cloud's `search/jql` (nextPageToken) and Data Center's
`search` (startAt/total), the subset of JQL they run, and Jira's errors for everything else."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, jira_client, session

JANE = "acc-jane"
SEED: dict[str, Any] = {
    "users": [
        {"name": "Jane Doe", "email": "jdoe@example.org", "account_id": JANE, "username": "jdoe"},
        {"name": "Raj Patel", "email": "rpatel@example.org", "account_id": "acc-raj"},
        {"name": "Priya Nair", "email": "pnair@example.org", "email_hidden": True},
        {"name": "Ben Carter", "email": "bcarter@example.org", "active": False},
    ],
    "components": [
        {"name": "Delta", "lead": "jdoe", "assignee_type": "COMPONENT_LEAD"},
        {"name": "General Support"},
        {"name": "Bridges-2"},
    ],
    "accounts": [
        {"login": "admin", "token": "admin", "user": "jdoe"},
        {"login": "viewer", "token": "viewer", "user": "rpatel", "role": "read-only"},
    ],
    "issues": [
        {
            "summary": "Cannot SSH to Delta",
            "description": "publickey denied since Monday",
            "components": ["Delta"],
            "assignee": "jdoe",
            "reporter": "pnair",
            "created": "2025-03-01T10:00:00Z",
        },
        {
            "summary": "Quota on Bridges-2",
            "components": ["Bridges-2", "General Support"],
            "assignee": "rpatel",
            "reporter": "pnair",
            "created": "2025-03-02T10:00:00Z",
        },
        {"summary": "Triage me", "reporter": "rpatel", "created": "2025-03-03T10:00:00Z"},
        {
            "summary": "Old resolved Delta ticket",
            "components": ["Delta"],
            "assignee": "jdoe",
            "status": "resolved",
            "created": "2025-01-01T10:00:00Z",
        },
        {
            "summary": "GPU job pending",
            "description": "gpuA100x4 partition, reason (Resources)",
            "components": ["Delta"],
            "created": "2025-03-05T10:00:00Z",
        },
    ],
}


@pytest.fixture(params=["cloud", "dc"])
def tickets(request: pytest.FixtureRequest, make_sandbox: MakeSandbox) -> RunningSandbox:
    return make_sandbox(request.param, SEED)


def _search(sandbox: RunningSandbox, jql: str, **extra: Any) -> requests.Response:
    with session(sandbox) as http:
        if sandbox.flavor == "cloud":
            params = {"jql": jql, "fields": "key", **extra}
            return http.get(api(sandbox, "search/jql", "3"), params=params)
        return http.get(api(sandbox, "search"), params={"jql": jql, "fields": "key", **extra})


def keys(sandbox: RunningSandbox, jql: str) -> list[str]:
    response = _search(sandbox, jql)
    assert response.status_code == 200, response.text
    return [issue["key"] for issue in response.json()["issues"]]


def errors(sandbox: RunningSandbox, jql: str) -> list[str]:
    response = _search(sandbox, jql)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["errors"] == {}
    return list(body["errorMessages"])


FOUND = [
    ("component = Delta AND resolution = Unresolved ORDER BY created DESC", [5, 1]),
    ('component = "delta"', [5, 1, 4]),  # no ORDER BY: newest first
    ('component in (Delta, "Bridges-2") ORDER BY key', [1, 2, 4, 5]),
    ("component = 10000 ORDER BY key", [1, 4, 5]),  # by id
    ("component is EMPTY", [3]),
    ("component = EMPTY", [3]),
    ("component is not EMPTY ORDER BY key", [1, 2, 4, 5]),
    ("component != Delta", [2]),  # != leaves out tickets with no component, as in Jira
    ("component not in (Delta) OR component is EMPTY ORDER BY key", [2, 3]),
    ("NOT component = Delta ORDER BY key", [2, 3]),
    ("component in (Delta, EMPTY) ORDER BY key", [1, 3, 4, 5]),
    ("resolution = Unresolved ORDER BY key ASC", [1, 2, 3, 5]),
    ("resolution is EMPTY ORDER BY key", [1, 2, 3, 5]),
    ("resolution = Done", [4]),
    ("resolution != Unresolved", [4]),
    ("assignee is EMPTY ORDER BY key", [3, 5]),
    ("assignee = currentUser() ORDER BY key", [1, 4]),
    ('assignee = "jdoe@example.org" ORDER BY key', [1, 4]),
    ('assignee = "jane doe" ORDER BY key', [1, 4]),
    ("assignee in (currentUser(), EMPTY) ORDER BY key", [1, 3, 4, 5]),
    ("assignee != currentUser()", [2]),
    ('reporter = "Priya Nair" ORDER BY key', [1, 2]),
    ("reporter is EMPTY ORDER BY key", [4, 5]),
    ('text ~ "publickey"', [1]),
    ('text ~ "gpu*"', [5]),
    ('text ~ "quota bridges"', [2]),
    ("text ~ 'cannot OR triage' ORDER BY key", [1, 3]),
    ('text ~ "delta -resolved" ORDER BY key', [1]),
    ("summary ~ delta ORDER BY key", [1, 4]),
    ("summary !~ delta ORDER BY key", [2, 3, 5]),
    ("description is EMPTY ORDER BY key", [2, 3, 4]),
    (
        "project = ATS AND (component = Delta OR assignee = acc-raj) ORDER BY created ASC",
        [4, 1, 2, 5],
    ),
    ('project = "ACCESS Support" ORDER BY key DESC', [5, 4, 3, 2, 1]),
    ("project in (ats, 10000) AND component = Delta ORDER BY key", [1, 4, 5]),
    ("project = ATS ORDER BY key", [1, 2, 3, 4, 5]),
    ("project = ATS ORDER BY updated, key", [5, 3, 2, 1, 4]),
]


@pytest.mark.parametrize(("jql", "expected"), FOUND, ids=[c[0] for c in FOUND])
def test_the_jql_subset(tickets: RunningSandbox, jql: str, expected: list[int]) -> None:
    jql = jql.replace("acc-raj", "acc-raj" if tickets.flavor == "cloud" else "rpatel")
    assert keys(tickets, jql) == [f"ATS-{n}" for n in expected]


def test_people_are_named_as_the_flavour_names_them(tickets: RunningSandbox) -> None:
    own, other = (JANE, "jdoe") if tickets.flavor == "cloud" else ("jdoe", JANE)
    assert keys(tickets, f"assignee = {own} ORDER BY key") == ["ATS-1", "ATS-4"]
    assert keys(tickets, f"assignee = {other}") == []  # unknown there: a warning, not an error


REFUSED = [
    ("component = Nope", "The value 'Nope' does not exist for the field 'component'."),
    ("component in (Delta, 99)", "A value with ID '99' does not exist for the field 'component'."),
    ("project = XYZ", "The value 'XYZ' does not exist for the field 'project'."),
    ("resolution = Fixed", "The value 'Fixed' does not exist for the field 'resolution'."),
    ("status = Open", "Field 'status' does not exist or you do not have permission to view it."),
    ("component ~ Delta", "The operator '~' is not supported by the 'component' field."),
    ("text = x", "The operator '=' is not supported by the 'text' field."),
    ("text !~ x", "The operator '!~' is not supported by the 'text' field."),
    ('text ~ ""', "The field 'text' does not support searching for an empty string."),
    (
        "component in Delta",
        "Operator 'in' does not support the non-list value '\"Delta\"' for field 'component'.",
    ),
    (
        "component = (Delta, Bridges-2)",
        "Operator '=' does not support the list value '(\"Delta\", \"Bridges-2\")' for field "
        "'component'.",
    ),
    (
        "assignee in EMPTY",
        "Operator 'in' does not support the empty value representation 'EMPTY' for field "
        "'assignee'.",
    ),
    (
        "component is Delta",
        "Operator 'is' does not support searching for non-empty values for field 'component'.",
    ),
    ("assignee in membersOf(x)", "Operator 'in' does not support the non-list value"),
    ("assignee = membersOf(x)", "Unable to find JQL function 'membersOf(x)'."),
    (
        "component = currentUser()",
        "A value provided by the function 'currentUser' is invalid for the field 'component'.",
    ),
    (
        "assignee = currentUser(me)",
        "Function 'currentUser' expected '0' arguments but received '1'.",
    ),
    ("project = ATS ORDER BY priority", "Not able to sort using field 'priority'."),
    (
        "component = ",
        "Error in the JQL Query: Expecting either a value, list or function before the end of "
        "the query.",
    ),
    (
        "component = Delta resolution = Unresolved",
        "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'resolution'. "
        "(line 1, character 19)",
    ),
]


@pytest.mark.parametrize(("jql", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_everything_else_is_refused_in_jiras_words(
    tickets: RunningSandbox, jql: str, message: str
) -> None:
    (only,) = errors(tickets, jql)
    assert only.startswith(message)


def test_every_problem_of_a_query_is_reported(tickets: RunningSandbox) -> None:
    assert errors(tickets, "status = Open AND component = Nope ORDER BY rank") == [
        "Field 'status' does not exist or you do not have permission to view it.",
        "The value 'Nope' does not exist for the field 'component'.",
        "Not able to sort using field 'rank'.",
    ]


# -- Cloud: search/jql ---------------------------------------------------------------------------


def test_cloud_pages_with_next_page_tokens(sandbox_cloud: RunningSandbox) -> None:
    url = api(sandbox_cloud, "search/jql", "3")
    seen: list[str] = []
    params: dict[str, Any] = {"jql": "project = ATS ORDER BY key", "maxResults": 4, "fields": "key"}
    with session(sandbox_cloud) as http:
        while True:
            page = http.get(url, params=params).json()
            seen += [i["key"] for i in page["issues"]]
            if page["isLast"]:
                assert "nextPageToken" not in page
                break
            params["nextPageToken"] = page["nextPageToken"]
        # POST takes the same in its body
        body: dict[str, Any] = {
            "jql": "project = ATS ORDER BY key",
            "maxResults": 100,
            "fields": ["summary"],
        }
        posted = http.post(url, json=body).json()
    assert seen == [f"ATS-{n}" for n in range(1, 10)]
    assert [i["key"] for i in posted["issues"]] == seen
    assert set(posted["issues"][0]["fields"]) == {"summary"}


def test_cloud_returns_ids_unless_fields_are_asked_for(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        page = http.get(api(sandbox_cloud, "search/jql", "3"), params={"jql": "project = ATS"})
    assert page.status_code == 200
    assert all(set(i) == {"id"} for i in page.json()["issues"])


def test_cloud_refuses_what_cloud_refuses(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud) as http:
        url = api(sandbox_cloud, "search/jql", "3")
        unbounded = http.get(url, params={"jql": "ORDER BY created DESC"})
        assert unbounded.status_code == 400
        assert unbounded.json()["errorMessages"] == [
            "Unbounded JQL queries are not allowed here. Please add a search restriction to "
            "your query."
        ]
        assert http.get(url).status_code == 400
        token = http.get(url, params={"jql": "project = ATS", "nextPageToken": "junk!"})
        assert token.status_code == 400
        payload = http.post(url, json={"jql": "project = ATS", "startAt": 5})
        assert payload.status_code == 400
        assert "Invalid request payload" in payload.json()["errorMessages"][0]
        removed = http.get(api(sandbox_cloud, "search", "3"), params={"jql": "project = ATS"})
        assert removed.status_code == 410
        assert "/rest/api/3/search/jql" in removed.json()["errorMessages"][0]


def test_cloud_keeps_warnings_to_itself(sandbox_cloud: RunningSandbox) -> None:
    response = _search(sandbox_cloud, "assignee = ghost")
    assert response.status_code == 200
    assert response.json() == {"issues": [], "isLast": True}


# -- Data Center: search -------------------------------------------------------------------------


def test_dc_pages_with_start_at_and_total(sandbox_dc: RunningSandbox) -> None:
    with session(sandbox_dc) as http:
        url = api(sandbox_dc, "search")
        window: dict[str, Any] = {
            "jql": "project = ATS ORDER BY key",
            "startAt": 2,
            "maxResults": 3,
        }
        page = http.get(url, params=window)
        body = page.json()
        assert (body["startAt"], body["maxResults"], body["total"]) == (2, 3, 9)
        assert [i["key"] for i in body["issues"]] == ["ATS-3", "ATS-4", "ATS-5"]
        assert "comment" not in body["issues"][0]["fields"]  # *navigable by default
        assert "summary" in body["issues"][0]["fields"]
        counting: dict[str, Any] = {"jql": "resolution = Unresolved", "maxResults": 0}
        count = http.get(url, params=counting).json()
        assert (count["total"], count["issues"]) == (6, [])
        posted = http.post(url, json={"jql": "project = ATS", "startAt": 8, "fields": ["key"]})
        assert [i["key"] for i in posted.json()["issues"]] == ["ATS-9"]  # the oldest
        bad = http.post(url, json={"jql": "project = ATS", "nextPageToken": "x"})
        assert bad.status_code == 400 and "nextPageToken" in bad.json()["errorMessages"][0]
        assert http.get(api(sandbox_dc, "search/jql"), params={"jql": "x = y"}).status_code == 404


def test_dc_warns_of_unknown_people_and_can_warn_instead_of_refusing(
    sandbox_dc: RunningSandbox,
) -> None:
    ghost = _search(sandbox_dc, "assignee = ghost").json()
    assert ghost["total"] == 0
    assert ghost["warningMessages"] == [
        "The value 'ghost' does not exist for the field 'assignee'."
    ]
    lenient = _search(
        sandbox_dc, "component = Nope OR component = 'General Support'", validateQuery="warn"
    )
    assert lenient.status_code == 200
    assert lenient.json()["total"] == 5
    assert lenient.json()["warningMessages"] == [
        "The value 'Nope' does not exist for the field 'component'."
    ]


# -- the jira library ----------------------------------------------------------------------------


def test_the_jira_library_searches_both_flavours(tickets: RunningSandbox) -> None:
    client = jira_client(tickets)
    found = client.search_issues("component = Delta AND resolution = Unresolved ORDER BY key")
    assert [i.key for i in found] == ["ATS-1", "ATS-5"]
    assert found[0].fields.summary == "Cannot SSH to Delta"
    assert found[0].fields.components[0].name == "Delta"
    everything = client.search_issues("project = ATS ORDER BY key", maxResults=False)
    assert [i.key for i in everything] == [f"ATS-{n}" for n in range(1, 6)]
    viewer = jira_client(tickets, ("viewer", "viewer"))
    mine = viewer.search_issues("assignee = currentUser()")
    assert [i.key for i in mine] == ["ATS-2"]
