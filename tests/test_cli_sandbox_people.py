"""An RP team's first real edit on the sandbox: a real colleague is not one of its demo people."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessq.sandbox import RunningSandbox
from tests.cli_support import run, run_on

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "queues.yaml"
DEMO = "      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n"
COLLEAGUE = "      - {name: Real Colleague, email: real.colleague@ncsa.example.edu}\n"


@pytest.fixture
def edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    queues = tmp_path / "queues.yaml"
    text = EXAMPLE.read_text()
    assert DEMO in text
    queues.write_text(text.replace(DEMO, COLLEAGUE, 1))
    return queues


def test_the_sandbox_says_it_knows_only_its_demo_people(edited: Path) -> None:
    result = run(["plan", str(edited)])
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if "Real Colleague" in x)
    assert "no Jira account found for Real Colleague" in line
    assert "the local sandbox knows only its demo people" in line
    assert "users: in a seed file" in line and "accessq sandbox reset --seed FILE" in line
    # Hints that send the team after a mistake they did not make: none of them here.
    assert "check the email" not in line and "account_id" not in line
    assert "--force" not in result.stdout + result.stderr


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_real_jira_still_says_check_the_email(
    edited: Path, flavor: str, request: pytest.FixtureRequest
) -> None:
    sandbox: RunningSandbox = request.getfixturevalue(f"sandbox_{flavor}")
    result = run_on(sandbox, "plan", str(edited))
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if "Real Colleague" in x)
    assert "(Delta agents): check the email" in line
    assert "demo people" not in result.stdout
