"""Faults of a hostile or misconfigured server: error answers that echo the caller's credentials,
and writes answered with a redirect instead of being performed."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import requests

from accessq.sandbox import FaultConfig, RunningSandbox
from accessq.sandbox.faults import FaultInjector
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, session

SECRET = "tok-ECHO-5d1c"
HEADER = "X-Authentication-Denied-Reason"


# -- decisions (no HTTP) -----------------------------------------------------------------------


def test_redirects_only_writes_and_respect_the_filters() -> None:
    injector = FaultInjector(FaultConfig.build(redirect_writes=True, paths=["*/group*"]))
    assert injector.decide("GET", "/rest/api/2/group").status is None
    for method in ("POST", "PUT", "DELETE"):
        verdict = injector.decide(method, "/rest/api/2/group/user")
        assert (verdict.status, verdict.reason) == (307, "redirected")
    assert injector.decide("POST", "/rest/api/2/component").status is None


def test_echo_is_marked_only_where_the_filters_match() -> None:
    injector = FaultInjector(FaultConfig.build(echo_credentials=True, methods=["POST"]))
    assert injector.decide("POST", "/x").echo == "json"
    assert injector.decide("GET", "/x").echo == ""


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("redirect_status", 303),
        ("redirect_to", "ftp://elsewhere"),
        ("redirect_to", "http://host/with/path"),
        ("echo_format", "xml"),
        ("echo_credentials", "yes"),
    ],
)
def test_bad_settings_are_refused(setting: str, value: Any) -> None:
    with pytest.raises(ValueError, match=setting):
        FaultConfig.build(**{setting: value})


# -- echoed credentials ------------------------------------------------------------------------


def _basic(login: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{secret}".encode()).decode()


def test_a_401_echoes_the_header_and_the_password(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", echo_credentials=True)
    header = _basic("admin", SECRET)
    with session(sandbox, None) as http:
        response = http.get(api(sandbox, "myself"), headers={"Authorization": header})
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"errorMessages", "errors"}
    echoed = body["errorMessages"][-1]
    assert header in echoed and SECRET in echoed and "'admin'" in echoed
    assert header in response.headers[HEADER] and SECRET in response.headers[HEADER]
    assert response.headers["WWW-Authenticate"].startswith("Basic")  # Jira's own headers stay


def test_dc_bearer_tokens_and_jsm_errors_are_echoed_in_their_shape(
    make_sandbox: MakeSandbox,
) -> None:
    sandbox = make_sandbox("dc", echo_credentials=True)
    with session(sandbox, None) as http:
        response = http.get(
            f"{sandbox.url}/rest/servicedeskapi/servicedesk",
            headers={"Authorization": f"Bearer {SECRET}"},
        )
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"errorMessage", "i18nErrorMessage"}
    assert f"Bearer {SECRET}" in body["errorMessage"]
    assert SECRET in response.headers[HEADER]


def test_400s_and_injected_5xx_echo_too_but_not_other_answers(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", echo_credentials=True)
    with session(sandbox) as http:
        bad = http.post(api(sandbox, "group"), json={"name": ""})
        assert bad.status_code == 400 and "password 'admin'" in bad.json()["errorMessages"][-1]
        assert http.get(api(sandbox, "component/99999")).status_code == 404
        assert HEADER not in http.get(api(sandbox, "component/99999")).headers
        assert HEADER not in http.get(api(sandbox, "myself")).headers
        sandbox.control.set_faults(error_next=1, error_status=502)
        proxy = http.get(api(sandbox, "myself"))
    assert proxy.status_code == 502
    assert proxy.headers["Content-Type"].startswith("application/json")  # json: Jira's shape
    assert "password 'admin'" in proxy.json()["errorMessages"][-1]


def test_the_html_format_is_an_error_page(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", echo_credentials=True, echo_format="html")
    with session(sandbox, ("admin", SECRET)) as http:
        response = http.get(api(sandbox, "project/ATS"))
    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>HTTP Status 401" in response.text
    assert _basic("admin", SECRET) in response.text and SECRET in response.text
    assert "Client must be authenticated" in response.text


def test_the_filters_limit_the_echo(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", echo_credentials=True, paths=["*/group"])
    with session(sandbox, ("admin", SECRET)) as http:
        assert HEADER not in http.get(api(sandbox, "myself")).headers
        assert SECRET in http.get(api(sandbox, "group?groupname=x")).headers[HEADER]


# -- redirected writes -------------------------------------------------------------------------


def test_writes_are_redirected_and_not_performed(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", redirect_writes=True)
    port = sandbox.url.rsplit(":", 1)[1]
    with session(sandbox) as http:
        moved = http.post(
            api(sandbox, "group?x=1"), json={"name": "ats-new-agents"}, allow_redirects=False
        )
        assert moved.status_code == 307
        assert moved.headers["Location"] == f"http://127.0.0.2:{port}/rest/api/2/group?x=1"
        assert http.get(api(sandbox, "group/member?groupname=ats-new-agents")).status_code == 404
        deleted = http.delete(api(sandbox, "component/10000"), allow_redirects=False)
        assert deleted.status_code == 307
        assert http.get(api(sandbox, "component/10000")).status_code == 200  # still there
    log = sandbox.control.stats()["log"]
    assert [e["fault"] for e in log if e["method"] != "GET"] == ["redirected", "redirected"]


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_the_redirect_status_and_target_are_settings(sandbox: RunningSandbox, status: int) -> None:
    sandbox.control.set_faults(
        redirect_writes=True, redirect_status=status, redirect_to="https://jira.example.org"
    )
    with session(sandbox) as http:
        moved = http.put(api(sandbox, "component/10000"), json={}, allow_redirects=False)
    assert moved.status_code == status
    assert moved.headers["Location"] == "https://jira.example.org/rest/api/2/component/10000"


def test_following_a_redirected_write_never_reaches_the_sandbox(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", redirect_writes=True)
    with session(sandbox) as http, pytest.raises(requests.ConnectionError):
        http.post(api(sandbox, "group"), json={"name": "ats-new-agents"}, timeout=5)
    with session(sandbox) as http:
        assert http.get(api(sandbox, "group/member?groupname=ats-new-agents")).status_code == 404
