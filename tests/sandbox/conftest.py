"""Helpers for the sandbox's own tests: a sandbox per flavour, HTTP sessions, the jira client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import requests
from jira import JIRA

if TYPE_CHECKING:
    from accessq.sandbox import RunningSandbox
    from tests.conftest import MakeSandbox


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: MakeSandbox) -> RunningSandbox:
    """A demo sandbox, once per flavour."""
    return make_sandbox(request.param)


def session(
    sandbox: RunningSandbox, auth: tuple[str, str] | None = ("admin", "admin")
) -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # no proxies for loopback
    if auth is not None:
        http.auth = auth
    return http


@pytest.fixture
def admin(sandbox: RunningSandbox) -> Iterator[requests.Session]:
    with session(sandbox) as http:
        yield http


def jira_client(sandbox: RunningSandbox, auth: tuple[str, str] = ("admin", "admin")) -> JIRA:
    return JIRA(server=sandbox.url, basic_auth=auth, max_retries=0, timeout=10)


def api(sandbox: RunningSandbox, path: str, version: str = "2") -> str:
    return f"{sandbox.url}/rest/api/{version}/{path}"
