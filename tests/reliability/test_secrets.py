"""A distinctive token in ACCESSQ_JIRA_TOKEN / ACCESSQ_JIRA_PAT must never come back out: not on
stdout or stderr, not in a log record, not in any file accessq writes (journals, saved plans,
exports, the CI step summary), not in an exception's repr; on success and on every failure.

The sandbox's accounts are seeded with canary tokens, so the successful runs really sign in
with them. The base64 form is checked too: that is how basic auth carries the token.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from accessq.jira.connection import ConnectionSettings
from accessq.jira.errors import GatewayError
from accessq.jira.gateway import Gateway
from accessq.jira.secret import Secret
from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.people import demo_seed
from tests.reliability.helpers import EXAMPLE, assert_no_crash, output, run

TOKEN = "tok-CANARY-7f3a9c1e5b"  # the admin account's
VIEWER_TOKEN = "tok-CANARY-viewer-42d8"  # the read-only account's
WRONG_TOKEN = "tok-CANARY-wrong-0b6e"  # no account's
# Data Center signs in with personal access tokens, which are not the accounts' passwords.
PATS = {TOKEN: "pat-CANARY-3e81d0a7c2", VIEWER_TOKEN: "pat-CANARY-viewer-9b15"}


def canary_seed() -> dict[str, Any]:
    seed = demo_seed()
    seed["accounts"] = [
        {"login": "admin", "token": TOKEN, "pat": PATS[TOKEN], "user": "accessq-bot"},
        {
            "login": "viewer",
            "token": VIEWER_TOKEN,
            "pat": PATS[VIEWER_TOKEN],
            "user": "viewer",
            "role": "read-only",
        },
    ]
    return seed


def forms(token: str) -> list[str]:
    """The token as written and as basic auth would carry it (for each login we use)."""
    found = [token]
    for login in ("admin", "viewer"):
        found.append(base64.b64encode(f"{login}:{token}".encode()).decode())
    return found


FORBIDDEN = [f for t in (TOKEN, VIEWER_TOKEN, WRONG_TOKEN, *PATS.values()) for f in forms(t)]


def signed_in(sandbox: RunningSandbox, token: str, login: str = "admin") -> dict[str, str]:
    """Signed in as login with token (on Data Center: that account's PAT; WRONG_TOKEN as is)."""
    env = {"ACCESSQ_JIRA_URL": sandbox.url, "GITHUB_STEP_SUMMARY": "summary.md"}
    if sandbox.flavor == "dc":
        env["ACCESSQ_JIRA_PAT"] = PATS.get(token, token)
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


# A token as it arrives from a secret file saved on Windows, a copy from a web page, a paste.
MANGLED = {
    "windows-line-ending": f"{TOKEN}\r",
    "newline": f"{TOKEN}\n",
    "space-inside": f"{TOKEN[:9]} {TOKEN[9:]}",
    "tab-inside": f"{TOKEN[:9]}\t{TOKEN[9:]}",
    "escape": f"{TOKEN[:9]}\x1b{TOKEN[9:]}",  # the environment cannot hold a NUL
    "byte-order-mark": f"\ufeff{TOKEN}",
    "typographic-quote": f"{TOKEN}\u2019",
    "snowman": f"{TOKEN}\u2603",
}


@pytest.mark.parametrize("token", MANGLED.values(), ids=MANGLED.keys())
def test_a_token_headers_cannot_carry_is_one_line_naming_the_variable(
    token: str, sandbox: RunningSandbox, leaks: LeakCheck
) -> None:
    env = signed_in(sandbox, token)
    variable = "ACCESSQ_JIRA_PAT" if sandbox.flavor == "dc" else "ACCESSQ_JIRA_TOKEN"
    sandbox.control.reset_stats()
    for args in (["plan", str(EXAMPLE)], ["apply", str(EXAMPLE), "--yes"], ["list-queues"]):
        result = leaks.cli(args, env, (1,))
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {variable} ") and line.endswith("nothing was sent")
    assert sandbox.control.count() == 0  # refused before connecting
    leaks.assert_clean()


def test_a_user_name_with_a_windows_line_ending_is_one_line(sandbox_cloud: RunningSandbox) -> None:
    env = {**signed_in(sandbox_cloud, TOKEN), "ACCESSQ_JIRA_USER": "admin\r"}
    result = run(["list-queues"], env)
    assert result.exit_code == 1 and "Traceback" not in output(result)
    assert result.stderr.startswith("error: ACCESSQ_JIRA_USER ends with a line break")


def hostile_seed(flavor: str) -> dict[str, Any]:
    """A Jira (or a proxy before it) that hands the token back as data: a display name, an
    email-hidden user's name in the Authorization header's own form, a component's name and
    description. Such text reaches plans, lists, exports, saved plans and the journal."""
    seed = canary_seed()
    header = (
        f"Basic {base64.b64encode(f'admin:{TOKEN}'.encode()).decode()}"
        if flavor == "cloud"
        else f"Bearer {TOKEN}"
    )
    seed["users"] += [
        {
            "name": f"Mallory {TOKEN}",
            "email": "mallory@evil.example.org",
            "account_id": "712020:aa11bb22-cc33",
            "username": "mallory",
        },
        {
            "name": header,
            "email": "header@evil.example.org",
            "account_id": "712020:dd44ee55-ff66",
            "username": "header",
        },
    ]
    name = f"Echo {TOKEN}"
    seed["components"].append(
        {
            "name": name,
            "description": f"Sent {TOKEN} back.\nManaged by accessq.",
            "assignee_type": "PROJECT_DEFAULT",
        }
    )
    slug = "echo-" + TOKEN.lower()
    seed["groups"] = [
        {"name": f"ats-{slug}-agents", "members": ["mallory", "header"]},
        {"name": f"ats-{slug}-watchers", "members": ["header"]},
    ]
    return seed


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_token_jira_hands_back_as_data_is_masked_everywhere(
    flavor: str, make_sandbox: MakeSandbox, leaks: LeakCheck
) -> None:
    sandbox = make_sandbox(flavor, hostile_seed(flavor))
    env = signed_in(sandbox, TOKEN)
    example = str(EXAMPLE)
    for fmt in ("table", "json", "yaml"):
        listed = leaks.cli(["list-queues", "--members", "--format", fmt], env, (0,))
        assert "Echo ***" in listed.stdout and "Mallory ***" in listed.stdout
    leaks.cli(["export", "-o", "exported/queues.yaml"], env, (0,))
    leaks.cli(["export", "--split", "split"], env, (0,))
    leaks.cli(["export"], env, (0,))
    for fmt in ("text", "json", "markdown"):
        leaks.cli(["plan", example, "--format", fmt], env, (3,))  # the Echo queue would go
    leaks.cli(["plan", example, "--out", "saved/plan.json"], env, (3,))
    applied = leaks.cli(["apply", example, "--allow-delete", "--yes"], env, (0,))
    assert "Echo ***" in applied.stdout
    assert Path("exported/queues.yaml").read_text().count("Echo ***") == 1
    assert "Echo ***" in Path("saved/plan.json").read_text()
    [journal] = Path(".accessq/journal").glob("apply-*.jsonl")
    assert "Echo ***" in journal.read_text()
    leaks.assert_clean()


WRITES = ["POST", "PUT", "DELETE"]
# What an echoing server (or proxy) does wrong, and the commands that meet it.
ECHOES = {
    "refused": ({}, WRONG_TOKEN),  # 401 with the credentials in body and header
    # Not on the apply lock's property: the failed writes must reach the journal.
    "500-on-writes": (
        {
            "error_status": 500,
            "error_rate": 1.0,
            "methods": WRITES,
            "paths": ["*/group*", "*/component*"],
        },
        TOKEN,
    ),
    "503-on-reads": (
        {"error_status": 503, "error_rate": 1.0, "methods": ["GET"], "error_retry_after_s": 0},
        TOKEN,
    ),
}
STEP_KEYS = {
    "time", "event", "change", "queue", "action", "target", "person", "result", "error",
    "seconds", "request_id", "note",
}  # fmt: skip


@pytest.mark.parametrize("echo_format", ["json", "html"])
@pytest.mark.parametrize("case", ECHOES, ids=ECHOES.keys())
@pytest.mark.usefixtures("asked_waits")
def test_a_server_echoing_the_credentials_never_gets_them_shown(
    case: str, echo_format: str, sandbox: RunningSandbox, leaks: LeakCheck
) -> None:
    faults, token = ECHOES[case]
    env = signed_in(sandbox, token)
    sandbox.control.set_faults(echo_credentials=True, echo_format=echo_format, **faults)
    example = str(EXAMPLE)
    reads_fail = case != "500-on-writes"
    code = (1,) if reads_fail else (0, 3)
    planned = leaks.cli(["plan", example, "--out", "saved/plan.json"], env, code)
    leaks.cli(["plan", example, "--format", "json"], env, code)
    applied = leaks.cli(["apply", example, "--yes"], env, (1,))
    leaks.cli(["list-queues", "--members"], env, (1,) if reads_fail else (0,))
    leaks.cli(["export", "-o", "exported/queues.yaml"], env, (1,) if reads_fail else (0,))
    echoed = planned.stderr if reads_fail else applied.stderr
    assert "***" in echoed, echoed  # the echo reached the output, masked
    if not reads_fail:
        assert Path("saved/plan.json").is_file() and Path("exported/queues.yaml").is_file()
        [journal] = Path(".accessq/journal").glob("apply-*.jsonl")
        records = [json.loads(line) for line in journal.read_text().splitlines()]
        steps = [r for r in records if r["event"] == "step"]
        assert steps and all(set(r) == STEP_KEYS for r in steps)  # no headers, no bodies
        assert all(r["result"] != "done" for r in steps)
        assert any("***" in (r["error"] or "") for r in steps)
    leaks.assert_clean()


@pytest.mark.parametrize("echo_format", ["json", "html"])
def test_errors_from_an_echoing_server_never_carry_the_token(
    echo_format: str, sandbox: RunningSandbox, leaks: LeakCheck
) -> None:
    sandbox.control.set_faults(echo_credentials=True, echo_format=echo_format)
    errors: list[BaseException] = []
    wrong = ConnectionSettings.resolve(env=signed_in(sandbox, WRONG_TOKEN))
    basic, pat = wrong.credentials()
    with pytest.raises(GatewayError) as refused:  # 401
        Gateway.connect(sandbox.url, project="ATS", basic_auth=basic, pat=pat)
    errors.append(refused.value)
    right = ConnectionSettings.resolve(env=signed_in(sandbox, TOKEN))
    basic, pat = right.credentials()
    with Gateway.connect(sandbox.url, project="ATS", basic_auth=basic, pat=pat) as gateway:
        gateway.create_group("ats-echo-agents")
        with pytest.raises(GatewayError) as rejected:  # 400: the group exists
            gateway.create_group("ats-echo-agents")
        errors.append(rejected.value)
        sandbox.control.set_faults(error_status=500, error_next=1, methods=WRITES)
        with pytest.raises(GatewayError) as failed:  # 500
            gateway.delete_group("ats-echo-agents")
        errors.append(failed.value)
    shown = []
    for error in errors:
        shown += [repr(error), str(error), repr(error.args)]
        shown.append("".join(traceback.format_exception(error)))
    # The 401 and the 500 carry Jira's echoed words, masked; the 400 (a group that exists) is
    # accessq's own line, which repeats no server text at all.
    assert all("***" in str(error) for error in (errors[0], errors[2])), [str(e) for e in errors]
    leaks.seen += [("errors", text) for text in shown]
    leaks.assert_clean()


def test_the_real_command_masks_an_echo_on_its_own_streams(
    sandbox: RunningSandbox, leaks: LeakCheck
) -> None:
    """`python -m accessq` in its own process: real pipes, the console entry's net."""
    sandbox.control.set_faults(echo_credentials=True, echo_format="html")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ACCESSQ_")},
        **signed_in(sandbox, WRONG_TOKEN),
        "LANG": "C",  # an ASCII locale, where click would rewrap the streams
        "LC_ALL": "C",
    }
    done = subprocess.run(
        [sys.executable, "-m", "accessq", "list-queues"],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 1 and "***" in stderr, stderr
    leaks.seen.append(("python -m accessq list-queues", stdout + stderr))
    leaks.assert_clean()
