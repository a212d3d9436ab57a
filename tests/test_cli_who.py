"""`accessq who` against the sandbox, both flavours: the files, the live Jira, and the differences;
and `offboard` -> `plan` -> `apply` -> `who` end to end."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import run_on as run
from tests.jira.conftest import connect

QUEUES = """\
version: 1
jira:
  username_email: '{username}@access.example.org'
rp_queues:
  - name: Delta
    agents:
      - {name: Jane Doe, email: jdoe@illinois.example.edu}
      - {name: Raj Patel, email: rpatel@illinois.example.edu}
  - name: Anvil
    agents:
      - {name: Li Wei, email: lwei@psc.example.edu}
      - {name: Ada Lovelace, email: alovelace@access.example.org}
awardee_queues:
  - name: ACO
    updaters:
      - {name: Ada Lovelace, username: alovelace}
      - {name: Alan Turing, username: aturing}
    default_assignee: alovelace
"""
ADA = "Ada Lovelace, email: alovelace@access.example.org}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    return make_sandbox(request.param)


def _applied(sandbox: Any, tmp_path: Path, text: str = QUEUES) -> Path:
    queues = Path("queues.yaml")
    queues.write_text(text)
    done = run(sandbox, "apply", str(queues), "--yes")
    assert done.exit_code == 0, done.stdout + done.stderr
    return queues


def _key(sandbox: Any, username: str) -> str:
    """The account's key: its accountId on Cloud, its username on Data Center."""
    with connect(sandbox) as gateway:
        found = gateway.search_users(f"{username}@")
    return next(a.key for a in found if a.email and a.email.startswith(f"{username}@"))


def _who(sandbox: Any, *args: str) -> dict[str, Any]:
    result = run(sandbox, "who", *args, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_role_in_the_files_and_in_jira_with_the_differences(
    sandbox: Any, tmp_path: Path
) -> None:
    queues = _applied(sandbox, tmp_path)
    ada = _key(sandbox, "alovelace")
    with connect(sandbox) as gateway:
        gateway.add_member("ats-delta-agents", ada)  # by hand, behind accessq's back
    # ... and a new entry nobody applied yet.
    queues.write_text(
        QUEUES.replace(
            "      - {name: Raj Patel", "      - {name: " + ADA + "      - {name: Raj Patel", 1
        )
    )

    data = _who(sandbox, str(queues), "alovelace")
    assert [a["key"] for a in data["accounts"]] == [ada]
    assert [
        (c["queue"], c["role"], c["where"], c["match"], c["status"]) for c in data["configured"]
    ] == [
        ("Delta", "agents", "queues.yaml:8", "username", "applied"),  # added by hand first
        ("Delta", "watchers", "queues.yaml:8", "username", "not_applied"),
        ("Anvil", "agents", "queues.yaml:13", "username", "applied"),
        ("Anvil", "watchers", "queues.yaml:13", "username", "applied"),
        ("ACO", "updaters", "queues.yaml:17", "username", "applied"),
        ("ACO", "default_assignee", "queues.yaml:19", "username", "applied"),
    ]
    assert [(r["queue"], r["role"], r["group"], r["configured"]) for r in data["live"]] == [
        ("ACO", "updaters", "ats-aco-updaters", True),
        ("ACO", "default_assignee", None, True),
        ("Anvil", "agents", "ats-anvil-agents", True),
        ("Anvil", "watchers", "ats-anvil-watchers", True),
        ("Delta", "agents", "ats-delta-agents", True),
    ]
    assert [(d["queue"], d["role"], d["kind"]) for d in data["differences"]] == [
        ("Delta", "watchers", "not_applied"),
    ]

    # Someone only Jira has: found by their email, never by a display name.
    with connect(sandbox) as gateway:
        gateway.add_member("ats-anvil-agents", _key(sandbox, "gkim"))
    grace = _who(sandbox, str(queues), "gkim@tacc.example.edu")
    assert grace["configured"] == []
    assert [(r["queue"], r["role"], r["configured"]) for r in grace["live"]] == [
        ("Anvil", "agents", False)
    ]
    assert grace["differences"][0]["message"] == (
        "in Jira, not in the configuration (added by hand?): apply removes it"
    )
    by_name = run(sandbox, "who", str(queues), "Grace Kim")
    assert by_name.exit_code == 1
    assert by_name.stderr.strip().splitlines()[-1] == (
        f"error: Grace Kim has no role in the configuration nor in Jira ({queues})"
    )

    text = run(sandbox, "who", str(queues), "Ada Lovelace")
    assert text.exit_code == 0, text.stderr
    assert "ACO    default_assignee" in text.stdout
    assert "Differences: 1" in text.stdout
    assert "Delta watchers (queues.yaml:8): in the configuration, not in Jira yet" in text.stdout


def test_offboard_then_plan_shows_only_their_removals_then_who_finds_nobody(
    sandbox: Any, tmp_path: Path
) -> None:
    queues = _applied(sandbox, tmp_path)
    ada, alan = _key(sandbox, "alovelace"), _key(sandbox, "aturing")
    before = _who(sandbox, str(queues), "alovelace")
    assert len(before["live"]) == 4 and before["differences"] == []

    done = run(sandbox, "offboard", str(queues), "alovelace", "--assignee", "aturing")
    assert done.exit_code == 0, done.stderr
    planned = run(sandbox, "plan", str(queues), "--format", "json")
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    changes = json.loads(planned.stdout)["changes"]
    assert sorted(c["id"] for c in changes) == sorted(
        [
            f"remove_member:ats-anvil-agents:{ada}",
            f"remove_member:ats-anvil-watchers:{ada}",
            f"remove_member:ats-aco-updaters:{ada}",
            "update_component:ACO",
        ]
    )
    lead = next(c for c in changes if c["action"] == "update_component")
    assert lead["after"]["lead"]["key"] == alan

    applied = run(sandbox, "apply", str(queues), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    gone = run(sandbox, "who", str(queues), "alovelace")
    assert gone.exit_code == 1
    assert gone.stdout == ""
    assert gone.stderr.strip().splitlines()[-1] == (
        f"error: alovelace has no role in the configuration nor in Jira ({queues})"
    )
    assert _who(sandbox, str(queues), "aturing")["differences"] == []


BEN = """\
version: 1
rp_queues:
  - name: Delta
    agents:
      - {name: Jane Doe, email: jdoe@illinois.example.edu}
      - {name: Ben Carter, email: bcarter@purdue.example.edu}
"""


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_deactivated_person_comes_with_the_offboard_command(
    sandbox: Any, tmp_path: Path, fmt: str
) -> None:
    queues = Path("queues.yaml")
    queues.write_text(BEN)
    planned = run(sandbox, "plan", str(queues), "--format", fmt)
    assert planned.exit_code == 1
    # As a reader sees it: markdown escapes (`\``, `&lt;`) undone, lines joined.
    shown = " ".join(html.unescape(planned.stdout.replace("\\", "")).split())
    assert (
        "the Jira account of Ben Carter <bcarter@purdue.example.edu> is deactivated (Delta "
        "agents): if they have left, `accessq offboard <queue files> bcarter@purdue.example.edu` "
        "deletes them from every queue"
    ) in shown
