"""A distinctive token in ACCESSQ_JIRA_TOKEN / ACCESSQ_JIRA_PAT must never come back out: not on
stdout or stderr, not in a log record, not in any file accessq writes (journals, saved plans,
exports, the CI step summary), not in an exception's repr; on success and on every failure.

The sandbox's accounts are seeded with canary tokens, so the successful runs really sign in
with them. The base64 form is checked too: that is how basic auth carries the token.
"""

from __future__ import annotations

import base64
import logging
import pickle
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from accessq.jira.connection import ConnectionSettings
from accessq.jira.errors import GatewayError
from accessq.jira.gateway import Gateway
from accessq.jira.secret import Secret
from accessq.sandbox import DEMO_SEED, RunningSandbox
from tests.conftest import MakeSandbox
from tests.reliability.helpers import EXAMPLE, assert_no_crash, output, run

TOKEN = "tok-CANARY-7f3a9c1e5b"  # the admin account's
VIEWER_TOKEN = "tok-CANARY-viewer-42d8"  # the read-only account's
WRONG_TOKEN = "tok-CANARY-wrong-0b6e"  # no account's


def canary_seed() -> dict[str, Any]:
    seed: dict[str, Any] = yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8"))
    seed["accounts"] = [
        {"login": "admin", "token": TOKEN, "user": "accessq-bot", "role": "admin"},
        {"login": "viewer", "token": VIEWER_TOKEN, "user": "viewer", "role": "read-only"},
    ]
    return seed


def forms(token: str) -> list[str]:
    """The token as written and as basic auth would carry it (for each login we use)."""
    found = [token]
    for login in ("admin", "viewer"):
        found.append(base64.b64encode(f"{login}:{token}".encode()).decode())
    return found


FORBIDDEN = [f for t in (TOKEN, VIEWER_TOKEN, WRONG_TOKEN) for f in forms(t)]


def signed_in(sandbox: RunningSandbox, token: str, login: str = "admin") -> dict[str, str]:
    env = {"ACCESSQ_JIRA_URL": sandbox.url, "GITHUB_STEP_SUMMARY": "summary.md"}
    if sandbox.flavor == "dc":
        env["ACCESSQ_JIRA_PAT"] = token
    else:
        env.update(ACCESSQ_JIRA_USER=login, ACCESSQ_JIRA_TOKEN=token)
    return env


class LeakCheck:
    """Collects what a user or a CI log could see, then looks for the canaries in all of it."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.seen: list[tuple[str, str]] = []

    def cli(self, args: list[str], env: dict[str, str], codes: tuple[int, ...]) -> Result:
        result = run(args, env)
        assert_no_crash(result, codes)
        self.seen.append((f"accessq {' '.join(args)}", output(result)))
        return result

    def assert_clean(self, folder: Path = Path(".")) -> None:
        places = list(self.seen)
        places += [(f"log {r.name}", r.getMessage()) for r in self.caplog.records]
        # Every file of the test's folder but the sandbox's own state (which holds the tokens).
        files = [p for p in folder.rglob("*") if p.is_file() and "sandbox-" not in p.name]
        places += [(str(p), p.read_bytes().decode("utf-8", "replace")) for p in files]
        for where, text in places:
            for secret in FORBIDDEN:
                assert secret not in text, f"a token leaked into {where}"


@pytest.fixture
def leaks(caplog: pytest.LogCaptureFixture) -> Iterator[LeakCheck]:
    caplog.set_level(logging.DEBUG)  # whatever any library logs, at any level
    yield LeakCheck(caplog)


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: MakeSandbox) -> RunningSandbox:
    return make_sandbox(request.param, canary_seed())


def test_successful_runs_never_show_the_token(sandbox: RunningSandbox, leaks: LeakCheck) -> None:
    env = signed_in(sandbox, TOKEN)
    example = str(EXAMPLE)
    leaks.cli(["plan", example, "--out", "saved/plan.json"], env, (0,))
    leaks.cli(["plan", example, "--format", "json"], env, (0,))
    leaks.cli(["plan", example, "--format", "markdown"], env, (0,))
    leaks.cli(["apply", "--plan", "saved/plan.json", "--yes"], env, (0,))
    leaks.cli(["apply", example, "--yes"], env, (0,))
    for fmt in ("table", "json", "yaml"):
        leaks.cli(["list-queues", "--members", "--format", fmt], env, (0,))
    leaks.cli(["export", "-o", "exported/queues.yaml"], env, (0,))
    leaks.cli(["export"], env, (0,))
    assert Path("saved/plan.json").is_file() and Path("exported/queues.yaml").is_file()
    assert list(Path(".accessq/journal").glob("apply-*.jsonl"))
    leaks.assert_clean()


def test_refused_credentials_never_show_the_token(
    sandbox: RunningSandbox, leaks: LeakCheck
) -> None:
    env = signed_in(sandbox, WRONG_TOKEN)
    for args in (
        ["plan", str(EXAMPLE)],
        ["apply", str(EXAMPLE), "--yes"],
        ["list-queues"],
        ["export"],
    ):
        result = leaks.cli(args, env, (1,))
        assert "401" in result.stderr
    leaks.assert_clean()


def test_permission_denied_never_shows_the_token(sandbox: RunningSandbox, leaks: LeakCheck) -> None:
    env = signed_in(sandbox, VIEWER_TOKEN, login="viewer")
    leaks.cli(["plan", str(EXAMPLE), "--out", "plan.json"], env, (0,))
    applied = leaks.cli(["apply", "--plan", "plan.json", "--yes"], env, (1,))
    assert "403" in applied.stderr
    assert "cannot take the apply lock on ATS" in applied.stderr  # its first write
    leaks.assert_clean()


@pytest.mark.parametrize(
    "faults",
    [
        {"error_status": 500, "error_rate": 1.0},
        # Not on the apply lock: the failed writes reach the journal.
        {
            "error_status": 500,
            "error_rate": 1.0,
            "methods": ["POST", "PUT", "DELETE"],
            "paths": ["*/group*", "*/component*"],
        },
        {"error_status": 503, "error_rate": 1.0, "error_retry_after_s": 0},
        {"drop_rate": 1.0},
    ],
    ids=["500-everywhere", "500-on-writes", "503-until-retries-run-out", "dropped"],
)
@pytest.mark.usefixtures("asked_waits")
def test_server_failures_never_show_the_token(
    faults: dict[str, Any], sandbox: RunningSandbox, leaks: LeakCheck
) -> None:
    env = signed_in(sandbox, TOKEN)
    sandbox.control.set_faults(**faults)
    leaks.cli(["plan", str(EXAMPLE)], env, (0, 1))
    leaks.cli(["apply", str(EXAMPLE), "--yes"], env, (1,))
    if "paths" in faults:
        assert list(Path(".accessq/journal").glob("apply-*.jsonl"))  # failures were journaled
    leaks.cli(["list-queues"], env, (0, 1))
    leaks.assert_clean()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9",  # nothing listens there
        "https://jira.invalid",  # no such host
        f"http://admin:{TOKEN}@127.0.0.1:9",  # the token pasted into the URL too
        f"https://admin:{TOKEN}@jira.example.org/jira?x=1",
        "ftp://jira.example.org",
    ],
)
def test_bad_urls_never_show_the_token(url: str, leaks: LeakCheck) -> None:
    env = {"ACCESSQ_JIRA_URL": url, "ACCESSQ_JIRA_USER": "admin", "ACCESSQ_JIRA_TOKEN": TOKEN}
    for args in (["plan", str(EXAMPLE)], ["apply", str(EXAMPLE), "--yes"], ["list-queues"]):
        result = leaks.cli(args, env, (1,))
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    dc = {"ACCESSQ_JIRA_URL": url, "ACCESSQ_JIRA_PAT": TOKEN}
    leaks.cli(["plan", str(EXAMPLE)], dc, (1,))
    leaks.assert_clean()


@pytest.mark.parametrize(
    "url", [f"https://admin:{TOKEN}@jira.example.org:99999", f"https://admin:{TOKEN}@[::1"]
)
def test_unparsable_urls_never_show_the_token(url: str, leaks: LeakCheck) -> None:
    env = {"ACCESSQ_JIRA_URL": url, "ACCESSQ_JIRA_USER": "admin", "ACCESSQ_JIRA_TOKEN": TOKEN}
    leaks.cli(["plan", str(EXAMPLE)], env, (1,))
    leaks.assert_clean()


@pytest.mark.parametrize("scheme", ["https", "http"])
def test_validate_refuses_a_token_in_jira_url_without_repeating_it(
    scheme: str, tmp_path: Path, leaks: LeakCheck
) -> None:
    config = tmp_path / "queues.yaml"
    config.write_text(f"version: 1\njira:\n  url: {scheme}://admin:{TOKEN}@jira.example.org\n")
    leaks.cli(["validate", str(config)], {}, (1,))
    config.unlink()  # the file itself holds the token, of course
    leaks.assert_clean()


def test_objects_holding_the_token_never_show_it(sandbox: RunningSandbox, leaks: LeakCheck) -> None:
    env = signed_in(sandbox, TOKEN)
    settings = ConnectionSettings.resolve(env=env)
    shown = [repr(settings), str(settings), repr(settings.credentials()), f"{Secret(TOKEN)}"]
    with pytest.raises(TypeError):
        pickle.dumps(settings)  # nor into a pickle (caches, multiprocessing)
    errors: list[BaseException] = []
    wrong = ConnectionSettings.resolve(env=signed_in(sandbox, WRONG_TOKEN))
    basic, pat = wrong.credentials()
    with pytest.raises(GatewayError) as refused:
        Gateway.connect(sandbox.url, project="ATS", basic_auth=basic, pat=pat)
    errors.append(refused.value)
    viewer = ConnectionSettings.resolve(env=signed_in(sandbox, VIEWER_TOKEN, login="viewer"))
    basic, pat = viewer.credentials()
    with Gateway.connect(sandbox.url, project="ATS", basic_auth=basic, pat=pat) as gateway:
        shown.append(repr(gateway))
        with pytest.raises(GatewayError) as denied:
            gateway.create_group("ats-delta-agents")
        errors.append(denied.value)
    for error in errors:
        shown += [repr(error), str(error), repr(error.args)]
        shown.append("".join(traceback.format_exception(error)))
    leaks.seen += [("objects", text) for text in shown]
    leaks.assert_clean()
