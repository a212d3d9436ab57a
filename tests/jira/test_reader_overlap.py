"""The snapshot read looks people up while it still reads other queues' groups (proved by the order
of a recorded request log against the sandbox, not by timing), each person once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from accessq.jira.reader import read_observed
from accessq.model.observed import Account
from tests.conftest import MakeSandbox
from tests.jira import scenario
from tests.jira.conftest import connect

GATED = "ats-big-agents"  # Big's 120 agents, three pages: not a group Delta's people are in
GATE_TIMEOUT = 20.0  # seconds: only reached when nothing is looked up before Big is read


def test_lookups_start_before_the_last_group_read_finishes(
    flavor: str, make_sandbox: MakeSandbox
) -> None:
    world = make_sandbox(flavor, scenario.seed())
    config = scenario.config(flavor)
    log: list[tuple[str, str]] = []
    lock = threading.Lock()
    looked_up = threading.Event()

    def record(what: str, name: str) -> None:
        with lock:
            log.append((what, name))

    with connect(world) as gateway:
        members: Callable[[str], tuple[Account, ...]] = gateway.group_members
        search: Callable[[str], list[Account]] = gateway.search_users
        user: Callable[[str], Account | None] = gateway.user

        def group_members(name: str) -> tuple[Account, ...]:
            if name == GATED:
                # Big's read holds until someone is looked up. Read first, looked up later
                # (the old order), and the gate opens only on its timeout: the log shows it.
                looked_up.wait(GATE_TIMEOUT)
            found = members(name)
            record("group read", name)
            return found

        def lookup(real: Callable[[str], Any]) -> Callable[[str], Any]:
            def look(text: str) -> Any:
                record("lookup", text)
                looked_up.set()
                return real(text)

            return look

        gateway.group_members = group_members  # type: ignore[method-assign]
        gateway.search_users = lookup(search)  # type: ignore[method-assign,assignment]
        gateway.user = lookup(user)  # type: ignore[method-assign,assignment]
        observed = read_observed(gateway, config)

    kinds = [what for what, _ in log]
    first_lookup = kinds.index("lookup")
    last_read = max(i for i, what in enumerate(kinds) if what == "group read")
    assert first_lookup < last_read == log.index(("group read", GATED))
    looked = [name for what, name in log if what == "lookup"]
    assert len(looked) == len(set(looked))  # each person once
    # The same snapshot as ever: Delta's people found, Big's 120 from the group pages.
    assert "email:mgarcia@iu.example.edu" in observed.directory
    assert len(observed.directory) == 4 + 2 + 120 + 3 - 1


@pytest.mark.parametrize("concurrency", [1, 8])
def test_the_request_count_does_not_depend_on_the_order_reads_finish(
    flavor: str, make_sandbox: MakeSandbox, concurrency: int
) -> None:
    world = make_sandbox(flavor, scenario.seed())
    world.control.reset_stats()
    with connect(world) as gateway:
        read_observed(gateway, scenario.config(flavor), concurrency=concurrency)
    searched = 4 if flavor == "cloud" else 3  # as test_reader counts them, one thread or eight
    assert world.control.stats()["by_route"]["GET /rest/api/{version}/user/search"] == searched
