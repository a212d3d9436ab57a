"""`accessq offboard`: the person leaves every queue file; every other byte stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessq.config.loader import load_config_or_raise
from accessq.config.people import people
from tests.cli_support import run

DELTA = """\
version: 1
# Queues of the NCSA team.   keep this spacing
jira:
  username_email: "{username}@access.example.org"
safety: {min_agents: 1}
rp_queues:
  - name: Delta   # NCSA Delta
    agents:
      - name: Jane Doe
        email: jdoe@illinois.example.edu  # the lead
      # Raj is backup
      - name: Raj Patel
        email: RPatel@illinois.example.edu
    watchers:
      - {name: Raj Patel, email: rpatel@illinois.example.edu}

awardee_queues:
  - name: ACCESS-ACO-Support
    updaters:
      - name: Ada Lovelace
        username: alovelace
      - name: Alan Turing
        username: aturing
      - name: Raj Patel
        username: rpatel
    default_assignee: 'alovelace'   # on call
    keywords: [wiki]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_removal_keeps_every_other_byte(tmp_path: Path) -> None:
    path = _write(tmp_path / "q", "delta.yaml", DELTA.replace("\n", "\r\n"))
    result = run(["offboard", str(path), "rpatel@illinois.example.edu"])
    assert result.exit_code == 0, result.stderr
    expected = DELTA.replace(
        "      - name: Raj Patel\n        email: RPatel@illinois.example.edu\n", ""
    ).replace(
        "    watchers:\n      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n",
        "    watchers: []\n",
    )
    # The updater rpatel is the same account (his username maps to another email): kept.
    assert path.read_bytes().decode() == expected.replace("\n", "\r\n")
    assert "-      - name: Raj Patel" in result.stdout  # the diff
    assert "from 2 entries in 1 queue (Delta)" in result.stderr


def test_username_finds_the_updater_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, "delta.yaml", DELTA)
    result = run(["offboard", str(path), "rpatel", "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "-      - name: Raj Patel\n-        username: rpatel\n" in result.stdout
    assert "Would remove rpatel from 1 entry in 1 queue (ACCESS-ACO-Support)" in result.stderr
    assert path.read_text() == DELTA


def test_a_default_assignee_needs_a_successor_among_the_updaters(tmp_path: Path) -> None:
    path = _write(tmp_path, "delta.yaml", DELTA)
    refused = run(["offboard", str(path), "alovelace"])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f"{path}:18: error: ACCESS-ACO-Support: they are its default assignee; name the "
        "successor with --assignee USERNAME (candidates: aturing, rpatel)"
    )
    assert path.read_text() == DELTA
    wrong = run(["offboard", str(path), "alovelace", "--assignee", "jdoe"])
    assert wrong.exit_code == 1
    assert "--assignee jdoe is not one of its other updaters (candidates: aturing, rpatel)" in (
        wrong.stderr
    )
    assert path.read_text() == DELTA
    done = run(["offboard", str(path), "Ada Lovelace", "--assignee", "ATuring"])
    assert done.exit_code == 0, done.stderr
    assert path.read_text() == DELTA.replace(
        "      - name: Ada Lovelace\n        username: alovelace\n", ""
    ).replace(
        "default_assignee: 'alovelace'   # on call", "default_assignee: 'aturing'   # on call"
    )


def test_never_below_min_agents(tmp_path: Path) -> None:
    path = _write(tmp_path, "delta.yaml", DELTA.replace("{min_agents: 1}", "{min_agents: 2}"))
    before = path.read_text()
    result = run(["offboard", str(path), "jdoe@illinois.example.edu"])
    assert result.exit_code == 1
    assert "Delta: removing them would leave 1 agents, below min_agents 2" in result.stderr
    assert path.read_text() == before


def test_unknown_person_and_shared_names_are_one_line_errors(tmp_path: Path) -> None:
    path = _write(tmp_path, "delta.yaml", DELTA)
    missing = run(["offboard", str(path), "nobody@x.edu"])
    assert (missing.exit_code, missing.stderr.strip()) == (
        1,
        f"error: nobody@x.edu is in no queue of {path}",
    )
    # "Raj Patel" names his RP email and his ACCESS account: two people to accessq.
    shared = run(["offboard", str(path), "raj patel"])
    assert shared.exit_code == 1
    assert "is the name of 2 different people" in shared.stderr
    assert path.read_text() == DELTA


def _queue(index: int) -> str:
    return (
        f"  - name: Queue {index}  # q{index}\n"
        f"    agents:\n"
        f"      - name: Keeper {index}\n"
        f"        email: keeper{index}@x.edu\n"
        f"      - name: Leaver\n"
        f"        email: leaver@x.edu   # leaves in May\n"
    )


def test_a_person_in_30_queues_across_10_files(tmp_path: Path) -> None:
    folder = tmp_path / "queues"
    texts = {}
    for f in range(10):
        body = "".join(_queue(f * 3 + i) for i in range(3))
        texts[f"team-{f}.yaml"] = f"version: 1\n# team {f}\nrp_queues:\n{body}"
        _write(folder, f"team-{f}.yaml", texts[f"team-{f}.yaml"])
    result = run(["offboard", str(folder), "leaver@x.edu"])
    assert result.exit_code == 0, result.stderr
    assert "from 30 entries in 30 queues" in result.stderr
    for name, text in texts.items():
        want = text.replace(
            "      - name: Leaver\n        email: leaver@x.edu   # leaves in May\n", ""
        )
        assert (folder / name).read_text() == want
    config = load_config_or_raise([folder])
    assert len(config.queues) == 30
    assert all(getattr(p, "email", None) != "leaver@x.edu" for _, _, p in people(config.queues))
    assert not list(folder.glob(".*"))  # no temporary files left


@pytest.mark.parametrize(
    "flow", ["agents: [{name: Jo, email: jo@x.edu}, {name: Al, email: al@x.edu}]"]
)
def test_a_flow_list_is_refused_not_rewritten(tmp_path: Path, flow: str) -> None:
    text = f"version: 1\nrp_queues:\n  - name: Delta\n    {flow}\n"
    path = _write(tmp_path, "delta.yaml", text)
    result = run(["offboard", str(path), "jo@x.edu"])
    assert result.exit_code == 1
    assert "written as a [...] list" in result.stderr
    assert path.read_text() == text
