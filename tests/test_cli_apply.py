"""`accessq plan` and `accessq apply` end to end: the real CLI, the real jira client, real HTTP,
the sandbox in both flavours."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jira import JIRA
from typer.testing import CliRunner

from accessq.cli.app import app
from accessq.jira.retry import Pacer
from tests.cli_support import env_for
from tests.cli_support import run_on as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "queues.yaml"


def write_counts(sandbox: Any) -> int:
    """Writes to queues (components, groups, members, JSM), not to the apply lock."""
    stats = sandbox.control.stats()
    return sum(
        n
        for key, n in stats["by_route"].items()
        if not key.startswith("GET ") and "/properties/" not in key
    )


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals and saved plans stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    return make_sandbox(request.param)


def test_apply_then_plan_shows_no_changes(sandbox: Any) -> None:
    first = run(sandbox, "plan", str(EXAMPLE), "--detailed-exitcode")
    assert first.exit_code == 2, first.stderr
    assert first.stdout.startswith(f"Target: {sandbox.url} (")
    assert "Plan: 10 queues to create, 0 to change, 0 to delete" in first.stdout

    applied = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "0 failed, 0 skipped" in applied.stderr
    journal = list(Path(".accessq/journal").glob("apply-*.jsonl"))
    assert len(journal) == 1
    steps = [json.loads(x) for x in journal[0].read_text().splitlines()]
    assert all(step["result"] == "done" for step in steps)
    # Jira's request id of each step's last call, distinct per write.
    ids = [step["request_id"] for step in steps]
    assert all(ids) and len(set(ids)) == len(ids)

    again = run(sandbox, "plan", str(EXAMPLE), "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout
    assert "No changes. Jira matches the configuration." in again.stdout

    # What Jira now holds, seen through the jira library itself.
    client = _client(sandbox)
    names = {c.name for c in client.project_components("ATS")}
    assert {"Delta", "Jetstream-2", "ACCESS-ACO-Support", "General Support"} <= names


def _client(sandbox: Any) -> JIRA:
    if sandbox.flavor == "dc":
        return JIRA(sandbox.url, token_auth=sandbox.pat, max_retries=0)
    return JIRA(sandbox.url, basic_auth=("admin", "admin"), max_retries=0)


def test_read_only_account_gets_one_clear_error_and_nothing_changes(sandbox: Any) -> None:
    sandbox.control.reset_stats()
    result = run(sandbox, "apply", str(EXAMPLE), "--yes", "--concurrency", "4", login="viewer")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    # Its first write is the apply lock's, and that is where it stops.
    assert errors[0].startswith("error: cannot take the apply lock on ATS: permission denied ")
    assert errors[0].endswith(
        "it is a project property, so apply needs an account that administers project ATS "
        "(docs/site-setup.md); nothing was changed"
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""  # not even a plan: it stopped before reading
    assert write_counts(sandbox) == 0
    # Nothing changed: a plan still wants to create every queue.
    after = run(sandbox, "plan", str(EXAMPLE))
    assert "Plan: 10 queues to create" in after.stdout


def test_saved_plan_applies_when_fresh_and_is_refused_when_stale(
    sandbox: Any, tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    made = run(sandbox, "plan", str(EXAMPLE), "--out", str(saved), "--queue", "Delta")
    assert made.exit_code == 0, made.stderr
    data = json.loads(saved.read_text())
    assert data["format_version"] == 1 and data["only"] == ["Delta"]
    assert "ACCESSQ" not in saved.read_text() and "admin" not in json.dumps(data["target"])

    # Someone creates Delta's agents group by hand after the plan was made: the plan is stale.
    _client(sandbox).add_group("ats-delta-agents")
    refused = run(sandbox, "apply", "--plan", str(saved), "--yes")
    assert refused.exit_code == 1
    assert "stale" in refused.stderr
    assert "Delta" in refused.stderr

    fresh = tmp_path / "fresh.json"
    assert (
        run(sandbox, "plan", str(EXAMPLE), "--out", str(fresh), "--queue", "Delta").exit_code == 0
    )
    applied = run(sandbox, "apply", "--plan", str(fresh), "--yes")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    done = run(sandbox, "plan", str(EXAMPLE), "--queue", "Delta", "--detailed-exitcode")
    assert done.exit_code == 0, done.stdout


def test_deleting_a_queue_needs_allow_delete(sandbox: Any, tmp_path: Path) -> None:
    assert run(sandbox, "apply", str(EXAMPLE), "--yes").exit_code == 0
    smaller = tmp_path / "queues.yaml"
    text = EXAMPLE.read_text()
    start = text.index("  - name: Expanse")
    end = text.index("  - name: Stampede-3")
    smaller.write_text(text[:start] + text[end:])

    planned = run(sandbox, "plan", str(smaller))
    assert planned.exit_code == 3
    assert "--allow-delete" in planned.stdout
    blocked = run(sandbox, "apply", str(smaller), "--yes")
    assert blocked.exit_code == 3
    assert "Expanse" in {c.name for c in _client(sandbox).project_components("ATS")}

    deleted = run(sandbox, "apply", str(smaller), "--yes", "--allow-delete")
    assert deleted.exit_code == 0, deleted.stdout + deleted.stderr
    client = _client(sandbox)
    assert "Expanse" not in {c.name for c in client.project_components("ATS")}
    assert not [g for g in client.groups("ats-expanse") if g.startswith("ats-expanse")]


def test_a_429_storm_is_ridden_out_in_one_run(
    make_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real time: after a 429 the whole client waits and slows down, so Jira's burst limit
    costs seconds, not a failed run. The one seam hides the rate-limit headers (a budget other
    clients share): read, they make the pacer wait for Reset and the storm may never come."""
    monkeypatch.setattr(Pacer, "observe", lambda self, headers: None)
    sandbox = make_sandbox("cloud")
    # 32 requests/s in windows of 8: wide enough that a loaded machine still bursts past it.
    sandbox.control.set_faults(rate_limit=8, rate_window_s=0.25)
    result = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert result.exit_code == 0, result.stderr
    assert sandbox.control.stats()["by_status"].get("429", 0) > 0  # the storm did happen
    sandbox.control.clear_faults()
    assert "No changes." in run(sandbox, "plan", str(EXAMPLE)).stdout


@pytest.mark.parametrize(
    "faults",
    [
        {"rate_limit": 15, "rate_window_s": 0.5},  # a 429 storm with Retry-After
        {"error_status": 503, "error_rate": 0.25, "error_retry_after_s": 0, "random_seed": 7},
        {"error_status": 502, "error_rate": 0.2, "random_seed": 3},
        {"drop_rate": 0.15, "random_seed": 11},
    ],
    ids=["429-storm", "503-burst", "502-burst", "dropped-connections"],
)
def test_apply_converges_under_faults(make_sandbox: Any, faults: dict[str, Any]) -> None:
    sandbox = make_sandbox("cloud")
    sandbox.control.set_faults(**faults)
    # Under faults a step (or a read) may still fail after its retries; reruns, still under
    # the same faults, must finish the job.
    for _attempt in range(3):
        result = run(sandbox, "apply", str(EXAMPLE), "--yes")
        assert "Traceback" not in result.stdout + result.stderr
        if result.exit_code == 0:
            break
        assert result.exit_code == 1
        assert result.stderr.rstrip().splitlines()[-1].startswith(("error: ", "Nothing else"))
    assert result.exit_code == 0, result.stdout + result.stderr
    sandbox.control.clear_faults()
    final = run(sandbox, "plan", str(EXAMPLE), "--detailed-exitcode")
    assert final.exit_code == 0, final.stdout
    # No duplicates, and nothing outside the plan touched.
    names = [c.name for c in _client(sandbox).project_components("ATS")]
    assert len(names) == len(set(n.casefold() for n in names)) == 11
    assert "General Support" in names


def test_apply_needs_yes_without_a_terminal(sandbox: Any) -> None:
    result = run(sandbox, "apply", str(EXAMPLE))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: not a terminal: re-run with --yes to apply without confirmation"
    )


def test_plan_formats_and_step_summary(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    env = env_for(sandbox) | {"GITHUB_STEP_SUMMARY": str(summary)}
    md = CliRunner().invoke(app, ["plan", str(EXAMPLE), "--format", "markdown"], env=env)
    assert md.exit_code == 0, md.stderr
    assert md.stdout.startswith("<!-- accessq-plan -->")
    assert summary.read_text().startswith("<!-- accessq-plan -->")
    js = run(sandbox, "plan", str(EXAMPLE), "--format", "json")
    data = json.loads(js.stdout)
    assert data["format_version"] == 1
    assert data["summary"]["create"] and data["fingerprint"].startswith("sha256:")


def test_bad_configuration_is_reported_before_any_connection(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nrp_queues:\n  - name: Delta\n    agnets: []\n")
    result = CliRunner().invoke(app, ["plan", str(bad)], env={"ACCESSQ_JIRA_URL": ""})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:4:5: error: unknown key 'agnets'")
    assert not Path(".accessq").exists()  # no sandbox was started


def test_unreachable_jira_is_one_line(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "q.yaml")
    env = {
        "ACCESSQ_JIRA_URL": "http://127.0.0.1:9",
        "ACCESSQ_JIRA_USER": "admin",
        "ACCESSQ_JIRA_TOKEN": "s3cret-token",
    }
    result = CliRunner().invoke(app, ["plan", str(tmp_path / "q.yaml")], env=env)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")
    assert "s3cret-token" not in result.stderr + result.stdout


def test_edited_saved_plan_is_refused(sandbox: Any, tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    assert run(sandbox, "plan", str(EXAMPLE), "--out", str(saved)).exit_code == 0
    data = json.loads(saved.read_text())
    data["changes"] = data["changes"][:1]  # what a reviewer saw is no longer what would run
    saved.write_text(json.dumps(data))
    refused = run(sandbox, "apply", "--plan", str(saved), "--yes")
    assert refused.exit_code == 1
    assert "changes differ" in refused.stderr
    assert "Plan: 10 queues to create" in run(sandbox, "plan", str(EXAMPLE)).stdout


def test_saved_plan_against_the_builtin_sandbox_survives_a_restart(tmp_path: Path) -> None:
    """The in-process sandbox gets a new port each run; a saved plan must still apply."""
    env = {"ACCESSQ_JIRA_URL": "", "NO_COLOR": "1"}
    saved = tmp_path / "plan.json"
    made = CliRunner().invoke(app, ["plan", str(EXAMPLE), "--out", str(saved)], env=env)
    assert made.exit_code == 0, made.stderr
    assert json.loads(saved.read_text())["target"]["url"] == "sandbox:.accessq/sandbox.sqlite"
    applied = CliRunner().invoke(app, ["apply", "--plan", str(saved), "--yes"], env=env)
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    after = CliRunner().invoke(app, ["plan", str(EXAMPLE)], env=env)
    assert "No changes." in after.stdout


def test_list_queues_shows_managed_and_unmanaged_queues(sandbox: Any) -> None:
    assert run(sandbox, "apply", str(EXAMPLE), "--yes").exit_code == 0
    listed = run(sandbox, "list-queues", "--format", "json", "--members")
    assert listed.exit_code == 0, listed.stderr
    rows = {row["name"]: row for row in json.loads(listed.stdout)["queues"]}
    assert rows["General Support"]["kind"] == "unmanaged"
    assert rows["Delta"]["kind"] == "RP"
    aco = rows["ACCESS-ACO-Support"]
    assert aco["kind"] == "awardee"
    assert aco["keywords"] == ["confluence", "access wiki"]
    assert aco["aliases"] == []
    assert rows["Jetstream-2"]["aliases"] == ["Jetstream2", "JS2"]  # read back from Jira
    assert "Ada Lovelace" in json.dumps(aco)
    table = run(sandbox, "list-queues")
    assert "ACCESS-ACO-Support" in table.stdout and "General Support" in table.stdout


def test_version_and_help_work_without_jira() -> None:
    assert CliRunner().invoke(app, ["--version"]).stdout.startswith("accessq ")
    assert "plan" in CliRunner().invoke(app, ["--help"]).stdout


def test_on_a_terminal_apply_asks_and_no_changes_nothing(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("accessq.cli.app._stdin_is_terminal", lambda: True)
    sandbox.control.reset_stats()
    declined = CliRunner().invoke(app, ["apply", str(EXAMPLE)], input="n\n", env=env_for(sandbox))
    assert declined.exit_code == 1
    # The prompt (stderr) names the target and the counts: with stdout redirected, all one sees.
    prompt = f"Apply to {sandbox.url} ("
    assert prompt in declined.stderr and "10 queues to create" in declined.stderr
    assert prompt not in declined.stdout
    assert "Cancelled; nothing was changed." in declined.stderr
    assert write_counts(sandbox) == 0
    accepted = CliRunner().invoke(app, ["apply", str(EXAMPLE)], input="y\n", env=env_for(sandbox))
    assert accepted.exit_code == 0, accepted.stderr
    assert "No changes." in run(sandbox, "plan", str(EXAMPLE)).stdout
    again = CliRunner().invoke(app, ["apply", str(EXAMPLE)], input="", env=env_for(sandbox))
    assert again.exit_code == 0 and "Apply to" not in again.stderr  # nothing to change: no question


def test_force_overrides_the_removal_fraction_end_to_end(sandbox: Any, tmp_path: Path) -> None:
    """Removing 2 of Delta's 4 agents (50% > 25%) is blocked; --force lets it through."""
    text = EXAMPLE.read_text()
    four = text.replace(
        "      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n",
        "      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n"
        "      - {name: Li Wei, email: lwei@psc.example.edu}\n"
        "      - {name: Emma Novak, email: enovak@sdsc.example.edu}\n",
        1,
    )
    assert four != text
    big = tmp_path / "big.yaml"
    big.write_text(four)
    assert run(sandbox, "apply", str(big), "--yes").exit_code == 0
    blocked = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert blocked.exit_code == 3
    assert "exceeds max_removal_fraction 0.25; re-run with --force" in blocked.stdout
    assert "Delta: removing 2 of 4 agents (50%)" in blocked.stdout
    forced = run(sandbox, "apply", str(EXAMPLE), "--yes", "--force")
    assert forced.exit_code == 0, forced.stdout + forced.stderr
    assert "No changes." in run(sandbox, "plan", str(EXAMPLE)).stdout
