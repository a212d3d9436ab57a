"""`accessq validate` and `accessq schema` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accessq.cli.app import app
from tests.config.helpers import Write

EXAMPLE = Path(__file__).parents[2] / "examples" / "queues.yaml"
runner = CliRunner()


def test_validate_the_example_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.output == (f"{EXAMPLE}: valid — 6 RP queues, 4 awardee queues, 19 people\n")


def test_validate_invalid_exits_1_with_every_error(write: Write) -> None:
    write("q.yaml", "version: 2\nrp_queues:\n  - name: NCSA Delta\n    agnets: []\n")
    result = runner.invoke(app, ["validate", "q.yaml"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "q.yaml:1:10: error: 'version' must be 1 (version)",
        "q.yaml:4:5: error: unknown key 'agnets' (did you mean 'agents'?) (rp_queues[0].agnets)",
        "q.yaml:3:11: warning: RP queue name 'NCSA Delta' does not follow the naming guideline: "
        "the RP's short name, no spaces, at most 20 characters (e.g. Delta, Jetstream-2) "
        "(rp_queues[0].name)",
        "q.yaml:3:11: warning: queue 'NCSA Delta' has 0 agents, fewer than min_agents (1); "
        "a plan that leaves it so is blocked (exit 3) (rp_queues[0].name)",
        "q.yaml: invalid — 2 errors, 2 warnings",
    ]


def test_validate_warnings_do_not_fail(write: Write) -> None:
    write("q.yaml", "version: 1\nrp_queues:\n  - name: NCSA Delta\n    agents: []\n")
    result = runner.invoke(app, ["validate", "q.yaml"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "q.yaml: valid — 1 RP queue, 0 awardee queues, 0 people (2 warnings)"
    )


def test_validate_missing_path_is_one_line_not_a_traceback(write: Write) -> None:
    result = runner.invoke(app, ["validate", "nope.yaml"])
    assert result.exit_code == 1
    assert (
        result.output == "error: nope.yaml: no such file or folder\nnope.yaml: invalid — 1 error\n"
    )


def test_validate_json(write: Write) -> None:
    write("queues/a.yaml", "version: 1\nrp_queues:\n  - name: Delta\n    agents: []\n")
    write("queues/b.yaml", "version: 1\nrp_queues:\n  - name: delta\n")
    result = runner.invoke(app, ["validate", "queues", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert report["files"] == ["queues/a.yaml", "queues/b.yaml"]
    assert report["errors"] == [
        {
            "file": "queues/b.yaml",
            "line": 3,
            "column": 11,
            "key_path": "rp_queues[0].name",
            "message": "queue name 'delta' is already used by another queue at queues/a.yaml:3 "
            "as 'Delta'; names ignore case",
        }
    ]
    assert report["summary"]["errors"] == 1


def test_validate_json_valid() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["valid"] is True
    assert report["errors"] == [] and report["warnings"] == []
    assert report["summary"] == {
        "files": 1,
        "rp_queues": 6,
        "awardee_queues": 4,
        "people": 19,
        "errors": 0,
        "warnings": 0,
    }


def test_schema_prints_the_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "rp_queues" in schema["properties"]
