"""`accessq route`, `triage` and `vocabulary` against the sandbox's tickets, in both flavours.

The demo seed's tickets: ATS-1 (Delta, in General Support), ATS-2 (Expanse and Bridges-2: a
tie), ATS-3 (Jetstream2, no queue), ATS-5 (Delta), ATS-7 (Expanse), ATS-8 (Bridges-2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jira import JIRA

from accessq.cli.routing_steps import comment_for
from accessq.routing.matcher import Match
from tests.cli_support import run, run_on

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "queues.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the apply journal stays in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def site(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    """A sandbox where the example's queues exist (applied)."""
    sandbox = make_sandbox(request.param)
    applied = run_on(sandbox, "apply", str(EXAMPLE), "--yes", "--quiet")
    assert applied.exit_code == 0, applied.stderr
    return sandbox


def _client(sandbox: Any) -> JIRA:
    if sandbox.flavor == "dc":
        return JIRA(sandbox.url, token_auth=sandbox.pat, max_retries=0)
    return JIRA(sandbox.url, basic_auth=("admin", "admin"), max_retries=0)


def _state(sandbox: Any, key: str) -> tuple[list[str], str | None, list[str]]:
    issue = _client(sandbox).issue(key)
    assignee = issue.fields.assignee.displayName if issue.fields.assignee else None
    comments = [c.body for c in _client(sandbox).comments(key)]
    return [c.name for c in issue.fields.components], assignee, comments


def test_route_text_ranks_the_queues_offline() -> None:
    result = run(["route", str(EXAMPLE), "--text", "My JETSTREAM2 VM and Open OnDemand"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ACCESS-OpenOnDemand-Support  score 2  matched: open ondemand")
    assert lines[1].split() == ["Jetstream-2", "score", "1", "matched:", "Jetstream2"]


def test_route_text_with_no_match_says_so_and_exits_1() -> None:
    result = run(["route", str(EXAMPLE), "--text", "food for thought", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["matches"] == []


def test_route_apply_moves_an_rp_ticket_and_leaves_it_for_the_agents(site: Any) -> None:
    before = _state(site, "ATS-3")
    assert before[0] == [] and before[1] is None
    result = run_on(site, "route", str(EXAMPLE), "--ticket", "ATS-3", "--apply")
    assert result.exit_code == 0, result.stderr
    assert "ATS-3: moved to Jetstream-2, assigned to nobody" in result.stderr
    components, assignee, comments = _state(site, "ATS-3")
    assert (components, assignee) == (["Jetstream-2"], None)
    assert comments == [
        # Wiki markup: Jira shows `\-` as `-`.
        'accessq routed this ticket to the Jetstream\\-2 queue: its text matched "Jetstream2".'
    ]
    again = run_on(site, "route", str(EXAMPLE), "--ticket", "ATS-3", "--apply")
    assert again.exit_code == 0, again.stderr
    assert "ATS-3 is already in Jetstream-2; nothing to do" in again.stderr
    assert len(_state(site, "ATS-3")[2]) == 1  # no second comment


def test_route_apply_assigns_an_awardee_ticket_to_the_default_assignee(site: Any) -> None:
    key = (
        _client(site)
        .create_issue(
            project="ATS",
            summary="The ACCESS wiki is out of date",
            issuetype={"name": "Service Request"},
            components=[{"name": "General Support"}],
        )
        .key
    )
    result = run_on(site, "route", str(EXAMPLE), "--ticket", key, "--apply")
    assert result.exit_code == 0, result.stderr
    components, assignee, comments = _state(site, key)
    assert (components, assignee) == (["ACCESS-ACO-Support"], "Ada Lovelace")
    assert '"access wiki"' in comments[0]


def test_route_apply_refuses_a_tie_and_changes_nothing(site: Any) -> None:
    before = _state(site, "ATS-2")
    result = run_on(site, "route", str(EXAMPLE), "--ticket", "ATS-2", "--apply")
    assert result.exit_code == 1
    assert "the best queues tie ('Bridges-2' and 'Expanse', score 1)" in result.stderr
    assert _state(site, "ATS-2") == before


def test_route_apply_before_the_queues_exist_changes_nothing(make_sandbox: Any) -> None:
    sandbox = make_sandbox("cloud")
    result = run_on(sandbox, "route", str(EXAMPLE), "--ticket", "ATS-3", "--apply")
    assert result.exit_code == 1
    assert "queue 'Jetstream-2' has no component managed by accessq in ATS" in result.stderr
    assert _state(sandbox, "ATS-3") == ([], None, [])


def test_triage_lists_then_applies_the_unambiguous_ones(site: Any) -> None:
    listed = run_on(site, "triage", str(EXAMPLE), "--format", "json", "--quiet")
    assert listed.exit_code == 0, listed.stderr
    rows = {r["ticket"]: r for r in json.loads(listed.stdout)["tickets"]}
    assert {k: (r["verdict"], r["suggested"]) for k, r in rows.items()} == {
        "ATS-1": ("reassign", "Delta"),
        "ATS-2": ("tie", None),
        "ATS-3": ("reassign", "Jetstream-2"),
        "ATS-5": ("reassign", "Delta"),
        "ATS-7": ("reassign", "Expanse"),
        "ATS-8": ("reassign", "Bridges-2"),
    }
    assert rows["ATS-2"]["tied"] == ["Bridges-2", "Expanse"]

    applied = run_on(site, "triage", str(EXAMPLE), "--apply", "--format", "markdown")
    assert applied.exit_code == 0, applied.stderr
    assert "| ATS-2 | - | - | tie: " in applied.stdout
    assert "| ATS-3 | - | Jetstream-2 (reassigned) | matched Jetstream2 |" in applied.stdout
    assert _state(site, "ATS-1")[0] == ["Delta"]
    assert _state(site, "ATS-2")[0] == []

    again = run_on(site, "triage", str(EXAMPLE), "--format", "json", "--quiet")
    assert [r["ticket"] for r in json.loads(again.stdout)["tickets"]] == ["ATS-2"]


def test_vocabulary_gives_every_queue_in_a_stable_shape() -> None:
    result = run(["vocabulary", str(EXAMPLE)])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 1 and document["project"] == "ATS"
    jetstream = next(q for q in document["queues"] if q["name"] == "Jetstream-2")
    assert jetstream == {
        "name": "Jetstream-2",
        "kind": "rp",
        "keywords": [],
        "aliases": ["Jetstream2", "JS2"],
        "default_assignee": None,
    }
    aco = next(q for q in document["queues"] if q["name"] == "ACCESS-ACO-Support")
    assert aco["keywords"] == ["confluence", "access wiki"]
    assert aco["default_assignee"] == "alovelace"


def test_the_routing_comment_shows_markup_in_names_as_text() -> None:
    """A queue name or keyword from a pull request cannot turn into a link or macro."""
    match = Match(
        queue="x|[click|https://evil.example]{html}", kind="rp", score=1, terms=("[a|http://b]",)
    )
    text = comment_for(match)
    assert "[click|https" not in text and "{html}" not in text and "[a|http" not in text
    assert "\\[click\\|" in text
