"""Running the real CLI in-process against a sandbox, with no ambient ACCESSQ_* settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from typer.testing import CliRunner, Result

from accessq.cli.app import app
from accessq.sandbox import RunningSandbox
from tests.conftest import sign_in_secret


def run(args: Sequence[str], env: Mapping[str, str] | None = None) -> Result:
    """`accessq ARGS` in-process, with only the given ACCESSQ_* settings (no ambient ones)."""
    clean = {
        "ACCESSQ_JIRA_URL": "",
        "ACCESSQ_JIRA_USER": "",
        "ACCESSQ_JIRA_TOKEN": "",
        "ACCESSQ_JIRA_PAT": "",
        "ACCESSQ_TICKET": "",
        "GITHUB_STEP_SUMMARY": "",
        "NO_COLOR": "1",
        "CI": "",  # not CI (where the implicit sandbox is refused) unless a test says so
    }
    return CliRunner().invoke(app, list(args), env={**clean, **(env or {})})


def env_for(
    sandbox: RunningSandbox, login: str = "admin", token: str | None = None
) -> dict[str, str]:
    """Sign-in settings: Cloud uses user + API token, Data Center a personal access token.

    token None: the account's own (its API token on Cloud, its personal access token on DC).
    """
    secret = token if token is not None else sign_in_secret(sandbox, login)
    env = {"ACCESSQ_JIRA_URL": sandbox.url}
    if sandbox.flavor == "dc":
        env["ACCESSQ_JIRA_PAT"] = secret
    else:
        env.update(ACCESSQ_JIRA_USER=login, ACCESSQ_JIRA_TOKEN=secret)
    return env


def run_on(sandbox: RunningSandbox, *args: str, login: str = "admin") -> Result:
    """`accessq ARGS` signed in to `sandbox` as `login`."""
    return run(args, env_for(sandbox, login))
