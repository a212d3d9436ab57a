"""`accessq who`: finding one person in the queue files (each way of naming them), and the JSON
schema; the live side is in tests/test_cli_who.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accessq.config.models import Config
from accessq.model.observed import Account, Observed, ObservedGroup, Target
from accessq.plan.who import who
from tests.cli_support import run

HEAD = "version: 1\njira:\n  username_email: '{username}@access.example.org'\n"


def _rp(index: int) -> str:
    return (
        f"  - name: RP {index}\n"
        f"    agents:\n"
        f"      - {{name: Keeper {index}, email: keeper{index}@x.edu}}\n"
        f"      - name: Leaver\n"
        f"        email: leaver@access.example.org\n"
    )


def _awardee(index: int) -> str:
    return (
        f"  - name: Team {index}\n"
        f"    updaters:\n"
        f"      - {{name: Keeper {index}, username: keeper{index}}}\n"
        f"      - {{name: Leaver, username: leaver}}\n"
        f"    default_assignee: leaver\n"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """10 files, each with 2 RP queues and 1 awardee queue naming Leaver: 30 queues."""
    queues = tmp_path / "queues"
    queues.mkdir()
    for f in range(10):
        text = (HEAD if f == 0 else "version: 1\n") + f"# team {f}\n"
        text += "rp_queues:\n" + _rp(f * 2) + _rp(f * 2 + 1)
        text += "awardee_queues:\n" + _awardee(f)
        (queues / f"team-{f}.yaml").write_text(text)
    return queues


def _json(*args: str) -> dict[str, Any]:
    result = run(["who", *args, "--no-jira", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize(
    ("query", "match"),
    [("leaver", "username"), ("LEAVER@access.example.org", "email"), ("LEAVER", "username")],
)
def test_a_person_in_30_queues_across_10_files(folder: Path, query: str, match: str) -> None:
    data = _json(str(folder), query)
    rows = data["configured"]
    # Per RP queue: agents + watchers (omitted: the agents); per awardee queue: updaters + lead.
    assert len(rows) == 20 * 2 + 10 * 2
    assert len({r["queue"] for r in rows}) == 30
    team0 = f"{folder}/team-0.yaml"
    assert [(r["queue"], r["role"], r["where"], r["implied"]) for r in rows[:2]] == [
        ("RP 0", "agents", f"{team0}:9", False),
        ("RP 0", "watchers", f"{team0}:9", True),
    ]
    leads = [r for r in rows if r["role"] == "default_assignee"]
    assert [r["where"] for r in leads][:2] == [f"{team0}:21", f"{folder}/team-1.yaml:19"]
    assert {r["status"] for r in rows} == {"unchecked"}
    # The RP contact's email is the one the ACCESS username maps to: one person.
    assert {r["match"] for r in rows} == {match}


def test_text_names_each_file_line(folder: Path) -> None:
    result = run(["who", str(folder), "leaver", "--no-jira"])
    assert result.exit_code == 0, result.stderr
    assert "In the configuration: 60 roles in 30 queues" in result.stdout
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert f"Team 9 default_assignee {folder}/team-9.yaml:19 username" in lines
    assert f"RP 0 watchers (= agents) {folder}/team-0.yaml:9 username" in lines
    assert "In Jira" not in result.stdout  # --no-jira: nothing claimed about Jira


ACCOUNTS = """\
version: 1
rp_queues:
  - name: Delta
    agents:
      - {name: José Núñez, email: jnunez@x.edu}
      - {name: Hidden One, account_id: "712020:abc"}
      - {name: Sam Lee, email: slee@x.edu}
  - name: Anvil
    agents:
      - {name: Sam Lee, email: sam.lee@other.edu}
"""


def test_each_way_of_naming_a_person(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(ACCOUNTS)
    by_id = _json(str(path), "712020:abc")["configured"]
    assert [(r["role"], r["match"]) for r in by_id] == [
        ("agents", "account_id"),
        ("watchers", "account_id"),
    ]
    # A name: any case, any Unicode form (NFC), as the files compare names.
    decomposed = "jose\u0301 nu\u0301n\u0303ez"
    by_name = _json(str(path), decomposed.upper())["configured"]
    assert [r["match"] for r in by_name] == ["name", "name"]
    by_email = _json(str(path), "SLEE@x.edu")["configured"]
    assert [r["queue"] for r in by_email] == ["Delta", "Delta"]


def test_a_shared_name_and_nobody_are_one_line_errors(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(ACCOUNTS)
    shared = run(["who", str(path), "sam lee", "--no-jira"])
    assert (shared.exit_code, shared.stdout) == (1, "")
    assert shared.stderr == (
        "error: 'sam lee' is the name of 2 different people (sam.lee@other.edu, slee@x.edu); "
        "give their email, ACCESS username or account id\n"
    )
    nobody = run(["who", str(path), "nobody@x.edu", "--no-jira"])
    assert (nobody.exit_code, nobody.stdout) == (1, "")
    assert nobody.stderr == f"error: nobody@x.edu has no role in the configuration ({path})\n"
    alone = run(["who", "nobody@x.edu"])
    assert alone.exit_code == 1
    assert alone.stderr == "error: give the queue files or folders, then the person\n"


def test_json_schema_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_text(ACCOUNTS)
    data = _json(str(path), "jnunez@x.edu")
    assert data == {
        "format_version": 1,
        "query": "jnunez@x.edu",
        "target": None,
        "accounts": [],
        "configured": [
            {
                "queue": "Delta",
                "role": role,
                "where": f"{path}:5",
                "match": "email",
                "implied": role == "watchers",
                "account": None,
                "status": "unchecked",
                "detail": None,
            }
            for role in ("agents", "watchers")
        ],
        "live": None,
        "differences": [],
    }


def test_an_account_hiding_its_email_is_never_taken_for_an_email() -> None:
    """Jira's answer to a search would be needed for that; a group member alone is not proof."""
    config = Config(version=1)
    hidden = Account(key="712020:f00", display_name="Priya Nair", account_type="atlassian")
    shown = Account(key="712020:b00", display_name="P N", email="pnair@x.edu")
    observed = Observed(
        target=Target(url="http://127.0.0.1:1", flavor="cloud", project="ATS"),
        groups=(ObservedGroup(name="ats-delta-agents", members=(hidden, shown)),),
    )
    report = who(config, "pnair@x.edu", observed)
    assert [(r.queue, r.role, r.account) for r in report.live or []] == [
        ("delta", "agents", "712020:b00")
    ]
    assert who(config, "Priya Nair", observed).found is False
    assert who(config, "712020:f00", observed).live[0].account == "712020:f00"  # type: ignore[index]


def test_an_entry_naming_the_same_account_another_way_is_the_same_person() -> None:
    """Asked by email, the entry that names her by account_id is hers when the plan says so."""
    config = Config.model_validate(
        {
            "version": 1,
            "rp_queues": [
                {"name": "Delta", "agents": [{"name": "P. Nair", "account_id": "712020:b00"}]}
            ],
        }
    )
    her = Account(
        key="712020:b00", display_name="Priya", email="pnair@x.edu", account_type="atlassian"
    )
    observed = Observed(
        target=Target(url="http://127.0.0.1:1", flavor="cloud", project="ATS"),
        groups=(ObservedGroup(name="ats-delta-agents", members=(her,)),),
        directory={"account:712020:b00": her},
    )
    report = who(config, "pnair@x.edu", observed)
    assert [(r.role, r.match, r.status) for r in report.configured] == [
        ("agents", "account", "applied"),
        ("watchers", "account", "not_applied"),
    ]
    assert [d.kind for d in report.differences] == ["not_applied"]
