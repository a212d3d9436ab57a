"""Mistakes a user makes at the command line: each is one `error:` line and exit code 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_support import run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "queues.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "q.yaml", "--detailed-exitcod"], "error: No such option: --detailed-exitcod"),
        (["plan"], "error: Missing argument 'PATHS'."),
        (["plan", "q.yaml", "--format", "xml"], "error: Invalid value for '--format'"),
        (["apply", "q.yaml", "--concurrency", "0"], "error: Invalid value for '--concurrency'"),
        (["bogus"], "error: No such command 'bogus'."),
    ],
)
def test_usage_errors_are_one_line_and_never_exit_2(args: list[str], message: str) -> None:
    """Exit code 2 means 'changes present' to CI; a typo must not read as a green plan."""
    result = run(args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_credentials_without_a_url_never_fall_back_to_the_sandbox() -> None:
    result = run(
        ["apply", str(EXAMPLE), "--yes"],
        {"ACCESSQ_JIRA_USER": "bot@example.org", "ACCESSQ_JIRA_TOKEN": "tok"},
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: ACCESSQ_JIRA_USER, ACCESSQ_JIRA_TOKEN set but no Jira URL: set ACCESSQ_JIRA_URL"
    )
    assert not Path(".accessq/sandbox.sqlite").exists()  # no sandbox started, nothing applied


def test_plan_out_never_overwrites_a_queue_file(tmp_path: Path) -> None:
    queues = tmp_path / "queues.yaml"
    shutil.copy(EXAMPLE, queues)
    result = run(["plan", str(queues), "--out", str(queues)])
    assert result.exit_code == 1
    assert "is one of the queue files being planned" in result.stderr
    assert queues.read_text() == EXAMPLE.read_text()


def test_an_unwritable_journal_stops_apply_before_anything_happens() -> None:
    Path(".accessq").mkdir()
    Path(".accessq/journal").write_text("not a folder")
    result = run(["apply", str(EXAMPLE), "--yes"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: cannot write the journal folder .accessq/journal: File exists; "
        "nothing was changed: make it a writable folder, then run the same apply again"
    )
    assert result.stdout == ""  # stopped before reading or planning


def test_a_file_that_is_not_yaml_is_not_echoed_whole(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ACCESSQ_JIRA_TOKEN=supersecret-value-that-must-not-be-printed\n")
    result = run(["validate", str(env_file)])
    assert result.exit_code == 1
    assert "must-not-be-printed" not in result.stdout + result.stderr
    assert "the single value 'ACCESSQ_JIRA_TOKEN=supersecret-value..." in result.stdout


# -- one definition of "queue file": what the loader reads, no command writes over -----------------

NAMES = ["Delta.YAML", "anvil.Yml", "bridges.yml", ".draft.yaml", "notes.json", "delta.yaml.bak"]


@pytest.fixture
def queues(tmp_path: Path) -> Path:
    """A configuration folder whose files have every kind of name a folder may hold."""
    folder = tmp_path / "queues"
    folder.mkdir()
    for index, name in enumerate(NAMES):
        (folder / name).write_text(
            f"version: 1\nrp_queues:\n  - name: Q{index}\n"
            f"    agents: [{{name: A, email: a{index}@rp.example.edu}}]\n"
        )
    return folder


def test_plan_out_never_overwrites_a_queue_file_whatever_the_case_of_its_suffix(
    queues: Path,
) -> None:
    target = queues / "Delta.YAML"
    before = target.read_text()
    result = run(["plan", str(queues), "--out", str(target)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: --out {target} is a queue file of the folder {queues} being planned "
        "(*.yaml and *.yml, in any case); choose another name"
    )
    assert target.read_text() == before


def test_plan_out_refuses_a_new_file_the_next_plan_of_the_folder_would_read(queues: Path) -> None:
    result = run(["plan", str(queues), "--out", str(queues / "plan.YML")])
    assert result.exit_code == 1
    assert "is a queue file of the folder" in result.stderr
    assert not (queues / "plan.YML").exists()


@pytest.mark.parametrize("name", NAMES)
def test_what_plan_out_refuses_is_exactly_what_the_loader_reads(queues: Path, name: str) -> None:
    from accessq.config.loader import load_config

    read = {p.name for p in load_config([queues]).files}
    assert read == {"Delta.YAML", "anvil.Yml", "bridges.yml"}
    # A broken extra file makes a plan that passed the --out check stop at loading instead.
    (queues / "zz-broken.yaml").write_text("version: 2\n")
    result = run(["plan", str(queues), "--out", str(queues / name)])
    assert result.exit_code == 1
    refused = "choose another name" in result.stderr
    assert refused == (name in read), result.stderr


def test_export_out_never_overwrites_the_configuration_it_reads(queues: Path) -> None:
    target = queues / "bridges.yml"
    before = target.read_text()
    for config, message in [
        (target, f"error: --out {target} is one of the queue files read with --config"),
        (queues, f"error: --out {target} is a queue file of the folder {queues} read with"),
    ]:
        result = run(["export", "--config", str(config), "-o", str(target)])
        assert result.exit_code == 1
        assert result.stderr.startswith(message), result.stderr
        assert target.read_text() == before


def test_export_split_never_writes_into_the_configuration_it_reads(queues: Path) -> None:
    given = queues / "bridges.yml"
    before = sorted(p.name for p in queues.iterdir())
    for config in (queues, given):
        result = run(["export", "--config", str(config), "--split", str(queues)])
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            f"error: --split {queues} holds queue files read with --config ({config}); "
            "export into another folder"
        )
    assert sorted(p.name for p in queues.iterdir()) == before


def test_in_ci_the_implicit_sandbox_is_refused_and_the_named_one_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE, tmp_path / "queues.yaml")
    refused = run(["apply", "queues.yaml", "--yes"], {"CI": "true"})
    assert refused.exit_code == 1
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("error:") and "ACCESSQ_JIRA_URL" in line
    assert not (tmp_path / ".accessq" / "sandbox.sqlite").exists()  # nothing started, nothing done

    named = run(["plan", "queues.yaml"], {"CI": "true", "ACCESSQ_JIRA_URL": "sandbox"})
    assert named.exit_code == 0, named.stderr
    assert "local sandbox" in named.stdout + named.stderr
    flagged = run(["plan", "queues.yaml", "--jira-url", "sandbox"], {"CI": "true"})
    assert flagged.exit_code == 0, flagged.stderr
