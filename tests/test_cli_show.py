"""`accessq show`: a saved plan shown exactly as `plan` showed it; a bad file is one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import run, run_on

EXAMPLE = Path(__file__).parent.parent / "examples" / "queues.yaml"


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_show_renders_a_saved_plan_as_plan_did(
    make_sandbox: Any, flavor: str, tmp_path: Path
) -> None:
    sandbox = make_sandbox(flavor)
    saved = tmp_path / "plan.json"
    text = run_on(sandbox, "plan", str(EXAMPLE), "-o", str(saved))
    assert text.exit_code == 0, text.stderr
    markdown = run_on(sandbox, "plan", str(EXAMPLE), "--format", "markdown")
    shown = {
        fmt: run(["show", str(saved), "--format", fmt]) for fmt in ("text", "markdown", "json")
    }
    assert all(r.exit_code == 0 for r in shown.values()), {f: r.stderr for f, r in shown.items()}
    assert "Plan: " in text.stdout
    assert shown["text"].stdout == text.stdout
    assert run(["show", str(saved)]).stdout == text.stdout  # text is the default
    assert shown["markdown"].stdout == markdown.stdout
    assert shown["json"].stdout.encode() == saved.read_bytes()  # byte for byte


def _saved_plan(sandbox: Any, folder: Path) -> Path:
    saved = folder / "plan.json"
    assert run_on(sandbox, "plan", str(EXAMPLE), "--out", str(saved)).exit_code == 0
    return saved


def _tampered(saved: Path) -> str:
    data = json.loads(saved.read_text())
    part = next(iter(data["fingerprint_parts"]))
    data["fingerprint_parts"][part] = "0" * 16
    return json.dumps(data)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (lambda saved: "{not json", "not a JSON plan file"),
        (lambda saved: '{"queues": []}', "not an accessq plan file"),
        (
            lambda saved: saved.read_text().replace('"format_version": 1', '"format_version": 9'),
            "format_version 9 is not supported",
        ),
        (_tampered, "altered after it was saved"),
        (None, "cannot read plan file"),
    ],
    ids=["not-json", "foreign", "future-version", "tampered", "missing"],
)
def test_a_bad_plan_file_is_one_line(
    sandbox_cloud: Any, tmp_path: Path, content: Any, says: str
) -> None:
    saved = _saved_plan(sandbox_cloud, tmp_path)
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content(saved))
    result = run(["show", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr
