"""Driving the CLI the way a user does, and reading back everything the sandbox Jira holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jira import JIRA
from typer.testing import Result

from accessq.model.naming import decode_description, parse_group_name
from accessq.sandbox import RunningSandbox
from tests.cli_support import env_for, run
from tests.conftest import sign_in_secret

__all__ = ["env_for", "run"]  # shared with the other CLI tests; re-exported for this package

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "queues.yaml"
PROJECT = "ATS"


def output(result: Result) -> str:
    return result.stdout + result.stderr


def assert_no_crash(result: Result, codes: Sequence[int] = (0, 1)) -> None:
    """The command ended by itself with an expected exit code: no traceback, no stray exception."""
    text = output(result)
    assert "Traceback" not in text, text
    assert result.exit_code in codes, f"exit {result.exit_code}: {text[-2000:]}"
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


def jira_client(sandbox: RunningSandbox, token: str | None = None) -> JIRA:
    """The jira library signed in as admin (token None: the account's own API token or PAT)."""
    token = token if token is not None else sign_in_secret(sandbox)
    if sandbox.flavor == "dc":
        return JIRA(sandbox.url, token_auth=token, max_retries=0)
    return JIRA(sandbox.url, basic_auth=("admin", token), max_retries=0)


Component = tuple[str, str, str | None, str]  # (id, description, lead key, assignee type)


@dataclass(frozen=True)
class JiraState:
    """Everything accessq could touch: components (by name) and groups with their members."""

    components: dict[str, Component]
    groups: dict[str, frozenset[str]]  # name -> member keys

    def unmanaged(self, prefix: str = "ats-") -> JiraState:
        """The part accessq must never change: unmarked components, groups not its own."""
        return JiraState(
            components={
                n: c for n, c in self.components.items() if not decode_description(c[1]).managed
            },
            groups={g: m for g, m in self.groups.items() if parse_group_name(prefix, g) is None},
        )


def jira_state(sandbox: RunningSandbox, token: str | None = None) -> JiraState:
    """Read through the `jira` library itself, independently of accessq's own reader."""
    client = jira_client(sandbox, token)
    try:
        components: dict[str, Component] = {}
        for c in client.project_components(PROJECT):
            lead = getattr(c, "lead", None)
            lead_key = None
            if lead is not None:
                lead_key = getattr(lead, "accountId", None) or getattr(lead, "name", None)
            components[c.name] = (
                str(c.id),
                getattr(c, "description", "") or "",
                lead_key,
                getattr(c, "assigneeType", ""),
            )
        names = client.groups(maxResults=1000)
        groups = {g: frozenset(client.group_members(g)) for g in names}  # keys: member ids
    finally:
        client.close()
    return JiraState(components=components, groups=groups)
