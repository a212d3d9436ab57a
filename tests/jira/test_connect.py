"""Connecting to a (sandbox) Jira: flavour, precedence, the in-process sandbox, clear errors."""

from __future__ import annotations

import logging
import socket
import traceback
from pathlib import Path

import pytest

from accessq.config.models import JiraSettings
from accessq.jira.connection import ConnectionSettings, open_gateway
from accessq.jira.errors import AuthenticationError, ConnectError, GatewayError, NotFound
from accessq.jira.gateway import Gateway
from accessq.jira.secret import Secret
from accessq.jira.session import PolicySession
from accessq.sandbox import RunningSandbox
from tests.jira.conftest import SleepRecorder, connect

BAD_TOKEN = "wrong-token-0123456789"


def test_flavour_comes_from_server_info(sandbox: RunningSandbox) -> None:
    with connect(sandbox) as gateway:
        assert gateway.flavor == sandbox.flavor
        assert gateway.target.url == sandbox.url and gateway.target.sandbox is False
        me = gateway.myself()
        assert me.display_name == "accessq automation"
        assert me.key == ("712020:0c015822-3ee5" if sandbox.flavor == "cloud" else "accessq-bot")


def test_environment_overrides_the_config_and_signs_in(
    sandbox_cloud: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCESSQ_JIRA_URL", sandbox_cloud.url)
    monkeypatch.setenv("ACCESSQ_JIRA_USER", "admin")
    monkeypatch.setenv("ACCESSQ_JIRA_TOKEN", "admin")
    settings = ConnectionSettings.resolve(JiraSettings(url="https://never.example.org"))
    with open_gateway(settings) as gateway:
        assert gateway.target.url == sandbox_cloud.url
        assert [c.name for c in gateway.components()] == ["General Support"]


def test_data_center_signs_in_with_a_personal_access_token(sandbox_dc: RunningSandbox) -> None:
    pat = sandbox_dc.pat
    assert pat == "admin-pat"  # the demo seed's, distinct from the password "admin"
    settings = ConnectionSettings.resolve(url=sandbox_dc.url, env={"ACCESSQ_JIRA_PAT": pat})
    with open_gateway(settings) as gateway:
        assert gateway.flavor == "dc" and gateway.myself().key == "accessq-bot"


def test_nothing_configured_starts_the_sandbox_in_process(tmp_path: Path) -> None:
    db = tmp_path / ".accessq" / "sandbox.sqlite"
    settings = ConnectionSettings.resolve(JiraSettings(), env={}, sandbox_db=db)
    with open_gateway(settings) as gateway:
        assert gateway.target.sandbox is True
        assert "local sandbox" in gateway.target.describe()
        assert gateway.myself().display_name == "accessq automation"
        gateway.create_group("ats-demo-agents")
    assert db.is_file()  # created on first use, with the demo seed
    with open_gateway(settings) as again:  # the state persists between runs
        assert "ats-demo-agents" in again.find_groups("ats-")


def test_connection_refused_is_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectError) as caught:
        Gateway.connect(f"http://127.0.0.1:{port}", project="ATS", pat=Secret("x"))
    assert str(caught.value).startswith(f"cannot connect to Jira at http://127.0.0.1:{port}:")


def test_bad_credentials_are_one_line_without_the_token(
    sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthenticationError) as caught:
        connect(sandbox, token=BAD_TOKEN)
    message = str(caught.value)
    assert message.startswith(f"Jira at {sandbox.url} rejected the credentials (HTTP 401)")
    assert "\n" not in message
    hint = "ACCESSQ_JIRA_TOKEN" if sandbox.flavor == "cloud" else "ACCESSQ_JIRA_PAT"
    assert hint in message
    shown = "".join(traceback.format_exception(caught.value)) + caplog.text
    assert BAD_TOKEN not in shown


def test_missing_project_is_one_line(sandbox: RunningSandbox) -> None:
    with connect(sandbox) as gateway:
        assert gateway.project_info()["key"] == "ATS"
    with connect(sandbox, project="NOPE") as gateway:
        with pytest.raises(NotFound):
            gateway.project_info()
        with pytest.raises(NotFound) as caught:
            gateway.components()
    assert str(caught.value) == (
        f"project NOPE not found at {sandbox.url} (or this account cannot browse it): "
        "check jira.project"
    )


def test_missing_permission_is_reported_in_jiras_words(sandbox: RunningSandbox) -> None:
    with connect(sandbox, login="viewer") as gateway:
        assert gateway.components()  # reading is allowed
        with pytest.raises(GatewayError) as caught:
            gateway.create_group("ats-x-agents")
    message = str(caught.value)
    assert message.startswith("permission denied (HTTP 403) for POST /rest/api/2/group: ")
    assert len(message) > len("permission denied (HTTP 403) for POST /rest/api/2/group: ") + 10


def test_a_non_jira_url_is_one_line(sandbox_cloud: RunningSandbox) -> None:
    with pytest.raises(GatewayError) as caught:
        Gateway.connect(
            f"{sandbox_cloud.url}/not-jira", project="ATS", basic_auth=("admin", Secret("admin"))
        )
    assert str(caught.value) == (
        f"{sandbox_cloud.url}/not-jira does not look like a Jira site (check --jira-url): "
        "it has no /rest/api/2/serverInfo"
    )


def test_secrets_stay_out_of_the_gateway_and_the_logs(
    sandbox_cloud: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    token = "admin"  # the sandbox's; check the exact Secret object's text never leaks either
    caplog.set_level(logging.DEBUG)
    secret = Secret(token)
    with Gateway.connect(sandbox_cloud.url, project="ATS", basic_auth=("admin", secret)) as gateway:
        gateway.components()
        text = repr(gateway) + str(gateway.target) + caplog.text
    assert "Authorization" not in text and "Basic " not in text
    assert repr(secret) == "***"


def test_library_calls_go_through_our_retry_policy_only(sandbox: RunningSandbox) -> None:
    sleep = SleepRecorder()
    with connect(sandbox, sleep=sleep) as gateway:
        assert isinstance(gateway.client._session, PolicySession)
        sandbox.control.reset_stats()
        sandbox.control.set_faults(error_next=1, error_status=503, error_retry_after_s=7)
        assert gateway.myself().display_name == "accessq automation"  # jira.JIRA.myself()
    # One retry, after exactly the Retry-After, slept through our injected sleep (the library
    # would have slept 2 x 7 s x jitter on its own).
    assert sleep.calls == [7.0]
    assert sandbox.control.count() == 2
