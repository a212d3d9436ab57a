"""One set of URL rules: what `accessq validate` accepts in `jira.url` is what accessq connects to.

Userinfo, however it is spelled, is refused without repeating any of it; plain http is for the
one definition of loopback only; and a refused URL is never looked up or connected to.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from accessq.config.models import JiraSettings
from accessq.jira.connection import ConnectionSettings
from accessq.jira.errors import ConfigurationError
from accessq.sandbox.server import start_background
from tests.cli_support import run

SECRET = "SeCrEt-7d1f"
ENV = {"ACCESSQ_JIRA_USER": "bot@access-ci.org", "ACCESSQ_JIRA_TOKEN": "tok-0123456789"}

# Every way a user name or token can ride in a URL, and URLs that parse as something else.
CREDENTIALS = [
    f"https://bob:{SECRET}@jira.example.org",
    f"https://bob:{SECRET}/part@jira.example.org",  # urlsplit: host "bob", port "SeCrEt..."
    f"https://{SECRET}/x@jira.example.org",  # urlsplit: host SECRET, sent to DNS
    f"https://jira.example.org/{SECRET}@evil.example.org",
    f"https://bob%40x:{SECRET}@jira.example.org",
    f"https://jira.example.org/%40{SECRET}",
    f"https://bob:{SECRET}\\@jira.example.org",
    f"https:\\\\{SECRET}@jira.example.org",
    f"https://bob:{SECRET}\uff20jira.example.org",  # fullwidth commercial at
    f"http://{SECRET}@127.0.0.1:9",
    f"https://{SECRET}:@jira.example.org:99999",
]
MALFORMED = [
    f"https://jira.example.org/?token={SECRET}",
    f"https://jira.example.org/jira#{SECRET}",
    f"https://jira.exa\tmple.org/{SECRET}",  # urlsplit drops the tab silently
    f"https://jira.example.org\r\n/{SECRET}",
    "https://jira.example.org:notaport",
    "https://jira.example.org:0",
    "https://[::1",
    "https://[not-v6]",
    "ftp://jira.example.org",
    "jira.example.org",
    "https://jïra.example.org",
    "https://jira.example.org/a%2Fb",
]
NOT_LOOPBACK = [
    "http://localhost.localdomain",
    "http://localhost.localdomain:8080/jira",
    "http://jira.localhost",
    "http://127.1",  # a resolver's shorthand, not an address literal
    "http://jira.example.org",
    "http://10.0.0.1:8080",
]
GOOD = [
    "https://access-ci.atlassian.net",
    "https://jira.example.org:8443/jira/",
    "HTTPS://Jira.Example.org",
    "http://localhost:8080",
    "http://LOCALHOST/jira",
    "http://127.0.0.1:9000",
    "http://127.8.9.10",
    "http://[::1]:8080",
    "http://[::ffff:127.0.0.1]:8080",
    "https://[2001:db8::1]",
]


def _validate_error(url: str) -> str | None:
    try:
        JiraSettings(url=url)
    except ValidationError as exc:
        return str(exc.errors()[0]["msg"])
    return None


def _connect_error(url: str) -> str | None:
    try:
        ConnectionSettings.resolve(env={**ENV, "ACCESSQ_JIRA_URL": url})
    except ConfigurationError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("url", CREDENTIALS)
def test_userinfo_however_spelled_is_refused_alike_and_never_echoed(url: str) -> None:
    from_validate, from_connect = _validate_error(url), _connect_error(url)
    assert from_validate is not None and from_connect is not None
    for message in (from_validate, from_connect):
        assert "no user name or password" in message, message
        assert SECRET not in message and "bob" not in message and "\n" not in message


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_urls_are_refused_alike_and_never_show_what_follows_the_host(url: str) -> None:
    from_validate, from_connect = _validate_error(url), _connect_error(url)
    assert from_validate is not None and from_connect is not None
    assert SECRET not in from_validate + from_connect


@pytest.mark.parametrize("url", NOT_LOOPBACK)
def test_plain_http_is_refused_alike_unless_loopback(url: str) -> None:
    from_validate, from_connect = _validate_error(url), _connect_error(url)
    assert from_validate is not None and "must use https" in from_validate
    assert from_connect is not None and "must use https" in from_connect


@pytest.mark.parametrize("url", GOOD)
def test_site_addresses_pass_both(url: str) -> None:
    assert _validate_error(url) is None
    assert _connect_error(url) is None


def test_the_messages_name_the_setting_they_are_about() -> None:
    url = f"https://{SECRET}/x@jira.example.org"
    assert _validate_error(url) == (
        "Value error, jira.url must be the bare site address, e.g. "
        "https://access-ci.atlassian.net: no user name or password; credentials come from the "
        "environment (ACCESSQ_JIRA_USER and ACCESSQ_JIRA_TOKEN, or ACCESSQ_JIRA_PAT)"
    )
    assert _connect_error(url) == (
        "ACCESSQ_JIRA_URL must be the bare site address, e.g. https://access-ci.atlassian.net: "
        "no user name or password; credentials come from the environment "
        "(ACCESSQ_JIRA_USER and ACCESSQ_JIRA_TOKEN, or ACCESSQ_JIRA_PAT)"
    )


@pytest.mark.parametrize("where", ["env", "flag", "config"])
def test_a_url_with_userinfo_is_never_looked_up_or_connected_to(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[Any] = []

    def record(host: Any, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "not in this test")

    monkeypatch.setattr(socket, "getaddrinfo", record)
    url = f"https://{SECRET}/x@jira.example.org"
    config = tmp_path / "q.yaml"
    config.write_text(f"version: 1\njira:\n  url: {url}\n" if where == "config" else "version: 1\n")
    env = {**ENV, "ACCESSQ_JIRA_URL": url} if where == "env" else ENV
    flags = ["--jira-url", url] if where == "flag" else []
    result = run(["list-queues", "--config", str(config), *flags], env)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert looked_up == []
    validated = run(["validate", str(config)])
    assert SECRET not in validated.stdout + validated.stderr
    assert validated.exit_code == (1 if where == "config" else 0)


@pytest.mark.parametrize("host", ["localhost.localdomain", "0.0.0.0", "10.1.2.3"])
def test_the_sandbox_listens_only_where_plain_http_is_allowed(host: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback only"):
        start_background(db=tmp_path / "s.sqlite", host=host)
    assert _connect_error(f"http://{host}:8080") is not None


def test_a_token_with_a_trailing_newline_from_the_url_variable_is_not_kept() -> None:
    # A URL read from a file edited on Windows: the line ending is not part of the address.
    settings = ConnectionSettings.resolve(env={**ENV, "ACCESSQ_JIRA_URL": "https://x.org/\r\n"})
    assert settings.url == "https://x.org"
