"""The sandbox's answers match the response schemas of `../shared/jira-openapi/` (Cloud's OpenAPI).

Skipped, with the reason, when the shared OpenAPI folder is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from accessq.sandbox import RunningSandbox
from tests.sandbox.conftest import session
from tests.sandbox.openapi import JSM, PLATFORM, OpenApi

JANE = "712020:d3551473-22d8"
PRIYA = "712020:ac5c6aa8-0aec"  # hidden email
BEN = "712020:747a4764-2337"  # inactive
CUSTOMER = "qm:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d:5e6f7a8b9c0d1e2f3a4b5c6d"  # a JSM customer
APP = "557058:6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"  # an app's account


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str  # relative to the sandbox, {component} filled in
    spec_path: str
    status: int
    body: dict[str, Any] | None = None
    auth: tuple[str, str] | None = ("admin", "admin")
    spec: str = PLATFORM
    schema: str | None = None  # validate against this component schema instead of the operation's


P = "/rest/api/3"
SD = "/rest/servicedeskapi/servicedesk"
CLOUD_CASES = [
    Case("serverInfo", "GET", f"{P}/serverInfo", f"{P}/serverInfo", 200, auth=None),
    Case("myself", "GET", f"{P}/myself", f"{P}/myself", 200),
    Case("project", "GET", f"{P}/project/ATS", f"{P}/project/{{projectIdOrKey}}", 200),
    Case(
        "components",
        "GET",
        f"{P}/project/ATS/components",
        f"{P}/project/{{projectIdOrKey}}/components",
        200,
    ),
    Case(
        "components paged",
        "GET",
        f"{P}/project/ATS/component?maxResults=1",
        f"{P}/project/{{projectIdOrKey}}/component",
        200,
    ),
    Case(
        "create component",
        "POST",
        f"{P}/component",
        f"{P}/component",
        201,
        body={
            "name": "Anvil",
            "project": "ATS",
            "leadAccountId": JANE,
            "assigneeType": "COMPONENT_LEAD",
            "description": "Purdue Anvil",
        },
    ),
    Case("get component", "GET", f"{P}/component/{{component}}", f"{P}/component/{{id}}", 200),
    Case(
        "update component",
        "PUT",
        f"{P}/component/{{component}}",
        f"{P}/component/{{id}}",
        200,
        body={"leadAccountId": "", "assigneeType": "PROJECT_DEFAULT"},
    ),
    Case("create group", "POST", f"{P}/group", f"{P}/group", 201, body={"name": "ats-new-agents"}),
    Case(
        "group expand users",
        "GET",
        f"{P}/group?groupname=ats-delta-agents&expand=users",
        f"{P}/group",
        200,
    ),
    Case(
        "group members",
        "GET",
        f"{P}/group/member?groupname=ats-delta-agents&includeInactiveUsers=true",
        f"{P}/group/member",
        200,
    ),
    Case(
        "add group user",
        "POST",
        f"{P}/group/user?groupname=ats-delta-agents",
        f"{P}/group/user",
        201,
        body={"accountId": "712020:068f1bb2-17cf"},
    ),
    Case(
        "group bulk",
        "GET",
        f"{P}/group/bulk?groupName=ats-delta-agents&groupName=nope",
        f"{P}/group/bulk",
        200,
    ),
    Case("groups picker", "GET", f"{P}/groups/picker?query=delta", f"{P}/groups/picker", 200),
    Case("user", "GET", f"{P}/user?accountId={JANE}", f"{P}/user", 200),
    Case("user hidden email", "GET", f"{P}/user?accountId={PRIYA}", f"{P}/user", 200),
    Case("user inactive", "GET", f"{P}/user?accountId={BEN}", f"{P}/user", 200),
    Case("user customer", "GET", f"{P}/user?accountId={CUSTOMER}", f"{P}/user", 200),
    Case("user app", "GET", f"{P}/user?accountId={APP}", f"{P}/user", 200),
    Case(
        "project property keys",
        "GET",
        f"{P}/project/ATS/properties",
        f"{P}/project/{{projectIdOrKey}}/properties",
        200,
    ),
    Case(
        "project property",
        "GET",
        f"{P}/project/ATS/properties/accessq.state",
        f"{P}/project/{{projectIdOrKey}}/properties/{{propertyKey}}",
        200,
    ),
    Case(
        "404 project property",
        "GET",
        f"{P}/project/ATS/properties/nope",
        f"{P}/project/{{projectIdOrKey}}/properties/{{propertyKey}}",
        404,
        schema="ErrorCollection",
    ),
    Case(
        "403 project property",
        "PUT",
        f"{P}/project/ATS/properties/x",
        f"{P}/project/{{projectIdOrKey}}/properties/{{propertyKey}}",
        403,
        body={"x": 1},
        auth=("viewer", "viewer"),
        schema="ErrorCollection",
    ),
    Case(
        "user search",
        "GET",
        f"{P}/user/search?query=pnair@purdue.example.edu",
        f"{P}/user/search",
        200,
    ),
    Case("all users", "GET", f"{P}/users/search?maxResults=5", f"{P}/users/search", 200),
    Case(
        "400 duplicate component",
        "POST",
        f"{P}/component",
        f"{P}/component",
        400,
        body={"name": "General Support", "project": "ATS"},
        schema="ErrorCollection",
    ),
    Case(
        "404 component",
        "GET",
        f"{P}/component/99999",
        f"{P}/component/{{id}}",
        404,
        schema="ErrorCollection",
    ),
    Case("401", "GET", f"{P}/myself", f"{P}/myself", 401, auth=None, schema="ErrorCollection"),
    Case(
        "403",
        "POST",
        f"{P}/group",
        f"{P}/group",
        403,
        body={"name": "x"},
        auth=("viewer", "viewer"),
        schema="ErrorCollection",
    ),
    Case("service desks", "GET", SD, "/rest/servicedeskapi/servicedesk", 200, spec=JSM),
    Case(
        "service desk",
        "GET",
        f"{SD}/1",
        "/rest/servicedeskapi/servicedesk/{serviceDeskId}",
        200,
        spec=JSM,
    ),
    Case(
        "queues",
        "GET",
        f"{SD}/1/queue?includeCount=true&limit=2",
        "/rest/servicedeskapi/servicedesk/{serviceDeskId}/queue",
        200,
        spec=JSM,
    ),
    Case(
        "queue",
        "GET",
        f"{SD}/ATS/queue/1",
        "/rest/servicedeskapi/servicedesk/{serviceDeskId}/queue/{queueId}",
        200,
        spec=JSM,
    ),
    Case(
        "jsm 404",
        "GET",
        f"{SD}/99",
        "/rest/servicedeskapi/servicedesk/{serviceDeskId}",
        404,
        spec=JSM,
    ),
    Case(
        "jsm 401",
        "GET",
        SD,
        "/rest/servicedeskapi/servicedesk",
        401,
        auth=None,
        spec=JSM,
    ),
]

# Data Center answers in the same shapes with name/key identities (schemas allow both).
DC_CASES = [
    Case("dc myself", "GET", f"{P}/myself", f"{P}/myself", 200),
    Case("dc user", "GET", f"{P}/user?username=pnair", f"{P}/user", 200),
    Case(
        "dc group members",
        "GET",
        f"{P}/group/member?groupname=ats-delta-agents",
        f"{P}/group/member",
        200,
    ),
    Case(
        "dc group expand users",
        "GET",
        f"{P}/group?groupname=ats-delta-agents&expand=users",
        f"{P}/group",
        200,
    ),
    Case(
        "dc create component",
        "POST",
        f"{P}/component",
        f"{P}/component",
        201,
        body={
            "name": "Anvil",
            "project": "ATS",
            "leadUserName": "jdoe",
            "assigneeType": "COMPONENT_LEAD",
        },
    ),
    Case("dc user search", "GET", f"{P}/user/search?username=j", f"{P}/user/search", 200),
    Case(
        "dc project property keys",
        "GET",
        f"{P}/project/ATS/properties",
        f"{P}/project/{{projectIdOrKey}}/properties",
        200,
    ),
    Case(
        "dc project property",
        "GET",
        f"{P}/project/10000/properties/accessq.state",
        f"{P}/project/{{projectIdOrKey}}/properties/{{propertyKey}}",
        200,
    ),
]

SEED = {
    "users": [
        {
            "name": "Jane Doe",
            "email": "jdoe@illinois.example.edu",
            "account_id": JANE,
            "username": "jdoe",
        },
        {
            "name": "Raj Patel",
            "email": "rpatel@illinois.example.edu",
            "account_id": "712020:068f1bb2-17cf",
            "username": "rpatel",
        },
        {
            "name": "Priya Nair",
            "email": "pnair@purdue.example.edu",
            "account_id": PRIYA,
            "username": "pnair",
            "email_hidden": True,
        },
        {
            "name": "Ben Carter",
            "email": "bcarter@purdue.example.edu",
            "account_id": BEN,
            "username": "bcarter",
            "active": False,
        },
        {
            "name": "Portal Customer",
            "email": "customer@mail.example.net",
            "account_id": CUSTOMER,
            "email_hidden": True,
            "account_type": "customer",
        },
        {
            "name": "Automation for Jira",
            "email": "automation@connect.example.net",
            "account_id": APP,
            "email_hidden": True,
            "account_type": "app",
        },
    ],
    "groups": [{"name": "ats-delta-agents", "members": ["jdoe", "pnair", "bcarter"]}],
    "components": [
        {
            "name": "General Support",
            "description": "Anything",
            "lead": "jdoe",
            "assignee_type": "COMPONENT_LEAD",
        },
    ],
}


@pytest.fixture
def openapi_dir(shared_openapi: Path | None) -> Path:
    if shared_openapi is None:
        pytest.skip("the shared OpenAPI folder ../shared/jira-openapi is absent")
    return shared_openapi


@pytest.fixture
def conformance_sandbox(
    request: pytest.FixtureRequest, make_sandbox: Any
) -> Iterator[tuple[RunningSandbox, str]]:
    sandbox = make_sandbox(request.param, SEED)
    with session(sandbox) as http:
        created = http.post(f"{sandbox.url}{P}/component", json={"name": "Delta", "project": "ATS"})
        created.raise_for_status()
        stored = http.put(
            f"{sandbox.url}{P}/project/ATS/properties/accessq.state", json={"plan": ["a", 1]}
        )
        stored.raise_for_status()
        yield sandbox, created.json()["id"]


def _call(sandbox: RunningSandbox, component_id: str, case: Case) -> requests.Response:
    with session(sandbox, case.auth) as http:
        return http.request(
            case.method,
            sandbox.url + case.url.format(component=component_id),
            json=case.body,
        )


def _conforms(openapi_dir: Path, sandbox: RunningSandbox, component_id: str, case: Case) -> None:
    response = _call(sandbox, component_id, case)
    assert response.status_code == case.status, response.text
    spec = OpenApi(openapi_dir / case.spec)
    body = response.json()
    if case.schema is not None:
        problems = spec.check_component(body, case.schema)
    elif case.status >= 400 and case.spec == JSM:
        problems = spec.check_component(body, "ErrorResponse")
    else:
        problems = spec.check(body, case.spec_path, case.method, case.status)
    assert problems == [], f"{case.name}: {body}"


@pytest.mark.parametrize("conformance_sandbox", ["cloud"], indirect=True)
@pytest.mark.parametrize("case", CLOUD_CASES, ids=lambda c: c.name)
def test_cloud_answers_conform(
    openapi_dir: Path, conformance_sandbox: tuple[RunningSandbox, str], case: Case
) -> None:
    _conforms(openapi_dir, *conformance_sandbox, case)


@pytest.mark.parametrize("conformance_sandbox", ["dc"], indirect=True)
@pytest.mark.parametrize("case", DC_CASES, ids=lambda c: c.name)
def test_dc_answers_conform(
    openapi_dir: Path, conformance_sandbox: tuple[RunningSandbox, str], case: Case
) -> None:
    _conforms(openapi_dir, *conformance_sandbox, case)


def test_the_checker_catches_a_wrong_shape(openapi_dir: Path) -> None:
    spec = OpenApi(openapi_dir / PLATFORM)
    page = {"startAt": 0, "maxResults": 50, "total": 1, "isLast": True, "values": [{"bogus": 1}]}
    assert spec.check(page, f"{P}/group/member", "GET", 200)
    assert spec.check_component({"errorMessages": "not a list"}, "ErrorCollection")
