"""Names beyond ASCII against a live Jira (the sandbox, both flavours): a Greek queue and one
written in decomposed Unicode are created once, under stable group names, and plan, export and
plan again agree with Jira."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jira import JIRA

from accessq.config.naming import slug
from tests.cli_support import run_on as run

QUEUES = """\
version: 1
rp_queues:
  - name: Δέλτα
    description: "Cafe\\u0301 cluster"
    agents:
      - {name: Jane Doe, email: jdoe@illinois.example.edu}
  - name: "Cafe\\u0301"
    agents:
      - {name: Raj Patel, email: rpatel@illinois.example.edu}
"""


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    return make_sandbox(request.param)


def _client(sandbox: Any) -> JIRA:
    if sandbox.flavor == "dc":
        return JIRA(sandbox.url, token_auth="admin-pat", max_retries=0)
    return JIRA(sandbox.url, basic_auth=("admin", "admin"), max_retries=0)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_greek_and_a_decomposed_name_apply_once_and_round_trip(sandbox: Any) -> None:
    Path("queues.yaml").write_text(QUEUES, encoding="utf-8")
    planned = run(sandbox, "plan", "queues.yaml")
    assert planned.exit_code == 0, planned.stderr
    greek = slug("Δέλτα")
    assert f"ats-{greek}-agents" in planned.stdout
    assert "ats-cafe-agents" in planned.stdout

    applied = run(sandbox, "apply", "queues.yaml", "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    again = run(sandbox, "plan", "queues.yaml", "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout

    # What Jira holds, through the jira library: each name once, composed (NFC).
    names = [c.name for c in _client(sandbox).project_components("ATS")]
    assert names.count("Δέλτα") == 1 and names.count("Caf\u00e9") == 1
    assert "Cafe\u0301" not in names
    groups = _client(sandbox).groups(f"ats-{greek}")
    assert sorted(groups) == [f"ats-{greek}-agents", f"ats-{greek}-watchers"]

    exported = run(sandbox, "export", "-o", "exported.yaml")
    assert exported.exit_code == 0, exported.stderr
    text = Path("exported.yaml").read_text(encoding="utf-8")
    assert "- name: Δέλτα\n" in text and "- name: Caf\u00e9\n" in text
    replanned = run(sandbox, "plan", "exported.yaml", "--detailed-exitcode")
    assert replanned.exit_code == 0, replanned.stdout + replanned.stderr
