"""Naming guidelines and thin queues are warnings: reported, but the configuration is valid."""

from __future__ import annotations

import pytest

from tests.config.helpers import Load, lines

AGENT = "    agents: [{name: A, email: a@rp.example.edu}]\n"
UPDATER = "    updaters: [{name: Ada Lovelace, username: alovelace}]\n"


@pytest.mark.parametrize("name", ["Delta", "Jetstream-2", "Bridges-2", "Stampede-3", "Anvil"])
def test_rp_short_names_pass(load: Load, name: str) -> None:
    result = load(f"version: 1\nrp_queues:\n  - name: {name}\n{AGENT}")
    assert result.ok and result.warnings == []


@pytest.mark.parametrize("name", ["NCSA Delta", "Delta-", "Purdue-Anvil-Composable-Subsystem"])
def test_rp_names_off_the_guideline_warn(load: Load, name: str) -> None:
    result = load(f"version: 1\nrp_queues:\n  - name: {name}\n{AGENT}")
    assert result.ok
    assert lines(result.warnings) == [
        f"q.yaml:3:11: warning: RP queue name '{name}' does not follow the naming guideline: "
        "the RP's short name, no spaces, at most 20 characters (e.g. Delta, Jetstream-2) "
        "(rp_queues[0].name)"
    ]


@pytest.mark.parametrize("name", ["ACCESS-ACO-Support", "ACCESS-OpenOnDemand-Support"])
def test_awardee_names_pass(load: Load, name: str) -> None:
    result = load(f"version: 1\nawardee_queues:\n  - name: {name}\n{UPDATER}")
    assert result.ok and result.warnings == []


@pytest.mark.parametrize("name", ["ACO Support", "ACCESS-Support", "access-aco-support"])
def test_awardee_names_off_the_guideline_warn(load: Load, name: str) -> None:
    result = load(f"version: 1\nawardee_queues:\n  - name: {name}\n{UPDATER}")
    assert result.ok
    assert lines(result.warnings) == [
        f"q.yaml:3:11: warning: awardee queue name '{name}' does not follow the naming "
        "guideline ACCESS-<Track>-<Topic> (e.g. ACCESS-ACO-Support) (awardee_queues[0].name)"
    ]


def test_queue_with_fewer_agents_than_min_agents_warns(load: Load) -> None:
    text = "version: 1\nrp_queues:\n  - name: Delta\n    safety: {min_agents: 2}\n" + AGENT
    result = load(text)
    assert result.ok
    assert lines(result.warnings) == [
        "q.yaml:3:11: warning: queue 'Delta' has 1 agents, fewer than min_agents (2); "
        "a plan that leaves it so is blocked (exit 3) (rp_queues[0].name)"
    ]


def test_min_agents_zero_allows_an_empty_queue(load: Load) -> None:
    result = load("version: 1\nsafety: {min_agents: 0}\nawardee_queues:\n  - name: ACCESS-X-Y\n")
    assert result.ok and result.warnings == []
