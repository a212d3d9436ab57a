"""Sign-in and permissions: 401 for missing or wrong credentials, 403 for a read-only account."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira import JIRAError

from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, jira_client, session


def test_no_credentials_is_401_except_for_server_info(sandbox: RunningSandbox) -> None:
    with session(sandbox, auth=None) as http:
        assert http.get(api(sandbox, "serverInfo")).status_code == 200
        response = http.get(api(sandbox, "myself"))
        assert response.status_code == 401
        body = response.json()
        assert body["errors"] == {} and "authenticat" in body["errorMessages"][0]
        assert response.headers["WWW-Authenticate"].startswith("Basic")
        jsm = http.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk")
        assert jsm.status_code == 401 and "errorMessage" in jsm.json()


@pytest.mark.parametrize("auth", [("admin", "wrong"), ("nobody", "admin"), ("admin", "")])
def test_wrong_credentials_are_401_everywhere(
    sandbox: RunningSandbox, auth: tuple[str, str]
) -> None:
    with session(sandbox, auth=auth) as http:
        assert http.get(api(sandbox, "serverInfo")).status_code == 401
        assert http.get(api(sandbox, "project/ATS")).status_code == 401


def test_the_jira_client_reports_bad_credentials(sandbox: RunningSandbox) -> None:
    with pytest.raises(JIRAError) as caught:
        jira_client(sandbox, auth=("admin", "wrong"))
    assert caught.value.status_code == 401


def test_cloud_signs_in_by_email_too(sandbox_cloud: RunningSandbox) -> None:
    with session(sandbox_cloud, auth=("accessq-bot@access.example.org", "admin")) as http:
        assert http.get(api(sandbox_cloud, "myself")).json()["displayName"] == "accessq automation"


def test_personal_access_tokens_work_on_dc_only(sandbox: RunningSandbox) -> None:
    assert sandbox.pat == "admin-pat"
    with session(sandbox, auth=None) as http:
        response = http.get(api(sandbox, "myself"), headers={"Authorization": "Bearer admin-pat"})
        if sandbox.flavor == "dc":
            assert response.json()["name"] == "accessq-bot"
        else:
            assert response.status_code == 401
        wrong = http.get(api(sandbox, "myself"), headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401


def test_a_pat_is_not_a_password_nor_a_password_a_pat(sandbox_dc: RunningSandbox) -> None:
    with session(sandbox_dc, auth=None) as http:
        me = api(sandbox_dc, "myself")
        assert http.get(me, auth=("admin", "admin")).status_code == 200
        assert http.get(me, headers={"Authorization": "Bearer admin-pat"}).status_code == 200
        assert http.get(me, auth=("admin", "admin-pat")).status_code == 401  # PAT in basic auth
        assert http.get(me, headers={"Authorization": "Bearer admin"}).status_code == 401
        viewer = http.get(me, headers={"Authorization": "Bearer viewer-pat"}).json()
        assert viewer["name"] == "viewer"
    info = sandbox_dc.control.info()["accounts"]
    assert {(a["login"], a["token"], a["pat"]) for a in info} == {
        ("admin", "admin", "admin-pat"),
        ("viewer", "viewer", "viewer-pat"),
    }


def test_an_account_without_a_pat_has_no_bearer_sign_in(make_sandbox: MakeSandbox) -> None:
    seed = {
        "users": [{"name": "Robo", "email": "robo@example.org", "username": "robo"}],
        "accounts": [{"login": "robo", "token": "s3cret"}],
    }
    sandbox = make_sandbox("dc", seed)
    assert sandbox.pat is None
    with session(sandbox, auth=None) as http:
        for token in ("s3cret", "None", ""):
            bearer = {"Authorization": f"Bearer {token}"}
            assert http.get(api(sandbox, "myself"), headers=bearer).status_code == 401
        assert http.get(api(sandbox, "myself"), auth=("robo", "s3cret")).status_code == 200


def test_read_only_account_reads_but_every_write_is_403(sandbox: RunningSandbox) -> None:
    who = {"accountId": "712020:d3551473-22d8"} if sandbox.flavor == "cloud" else {"name": "jdoe"}
    gone = "accountId=712020:d3551473-22d8" if sandbox.flavor == "cloud" else "username=jdoe"
    base = f"{sandbox.url}/rest"
    writes: list[tuple[str, str, dict[str, Any] | None]] = [
        ("POST", f"{base}/api/2/component", {"name": "X", "project": "ATS"}),
        ("PUT", f"{base}/api/2/component/10000", {"description": "mine now"}),
        ("DELETE", f"{base}/api/2/component/10000", None),
        ("POST", f"{base}/api/2/group", {"name": "ats-x-agents"}),
        ("DELETE", f"{base}/api/2/group?groupname=g", None),
        ("POST", f"{base}/api/2/group/user?groupname=g", who),
        ("DELETE", f"{base}/api/2/group/user?groupname=g&{gone}", None),
        ("POST", f"{base}/servicedesk/1/servicedesk/ATS/queues", {"name": "Q", "jql": "x"}),
        ("PUT", f"{base}/servicedesk/1/servicedesk/ATS/queues/1", {"name": "Q"}),
        ("PUT", f"{base}/servicedesk/1/servicedesk/ATS/queues", {"deleted": [1]}),
    ]
    with session(sandbox) as admin:
        admin.post(f"{base}/api/2/group", json={"name": "g"}).raise_for_status()
        admin.post(f"{base}/api/2/group/user?groupname=g", json=who).raise_for_status()
    with session(sandbox, auth=("viewer", "viewer")) as viewer:
        assert viewer.get(api(sandbox, "project/ATS/components")).status_code == 200
        assert viewer.get(api(sandbox, "group/member?groupname=g")).status_code == 200
        for method, url, body in writes:
            response = viewer.request(method, url, json=body)
            assert response.status_code == 403, (method, url)
            message = response.json().get("errorMessages", [response.json().get("errorMessage")])
            assert message[0], (method, url)
    with session(sandbox) as admin:
        assert admin.get(api(sandbox, "component/10000")).json()["description"] != "mine now"
        members = admin.get(api(sandbox, "group/member?groupname=g")).json()
        assert members["total"] == 1


def test_read_only_jira_client_sees_jiras_words(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox, auth=("viewer", "viewer"))
    with pytest.raises(JIRAError) as caught:
        client.create_component("Delta", "ATS")
    assert caught.value.status_code == 403
    assert "You cannot edit the configuration of this project." in (caught.value.text or "")


def test_seeded_accounts_can_be_anything(make_sandbox: object) -> None:
    seed = {
        "users": [{"name": "Robo", "email": "robo@example.org", "username": "robo"}],
        "accounts": [{"login": "robo", "token": "s3cret", "role": "read-only"}],
    }
    sandbox = make_sandbox("dc", seed)  # type: ignore[operator]
    with requests.Session() as http:
        http.trust_env = False
        assert http.get(api(sandbox, "myself"), auth=("robo", "s3cret")).json()["name"] == "robo"
        assert http.get(api(sandbox, "myself"), auth=("admin", "admin")).status_code == 401
        denied = http.post(api(sandbox, "group"), json={"name": "x"}, auth=("robo", "s3cret"))
        assert denied.status_code == 403
