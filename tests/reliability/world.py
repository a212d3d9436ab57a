"""A sandbox world for the fault and kill tests: the demo directory plus things accessq must never
touch, and checks that a run converged, created nothing twice and wrote only what it manages."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from accessq.model.naming import parse_group_name
from accessq.sandbox import RunningSandbox
from tests.people import demo_seed
from tests.reliability.helpers import EXAMPLE, JiraState, assert_no_crash, env_for, run

PREFIX = "ats-"
COMPONENT = "/rest/api/{version}/component"
COMPONENT_ID = "/rest/api/{version}/component/{id}"
GROUP = "/rest/api/{version}/group"
GROUP_USER = "/rest/api/{version}/group/user"
PROPERTY = "/rest/api/{version}/project/{key}/properties/{property_key}"  # the apply lock
# All accessq may write (no JSM views here): users, projects and schemes are never written; of
# the project's properties only `accessq.lock` and `accessq.applied*` (the apply record).
WRITABLE = {COMPONENT, COMPONENT_ID, GROUP, GROUP_USER, PROPERTY}


def decoy_seed() -> dict[str, Any]:
    """The demo seed, plus unmanaged groups and components that look a little like ours."""
    seed = demo_seed()
    seed["groups"] = [
        {"name": "jira-servicedesk-users", "members": ["jdoe", "aturing", "gkim"]},
        {"name": "ats-legacy-admins", "members": ["accessq-bot", "bliskov"]},  # prefix, no role
        {"name": "delta-agents", "members": ["rpatel"]},  # role, no prefix
    ]
    seed["components"] = [
        *seed["components"],
        {
            "name": "Delta Legacy",
            "description": "The old Delta queue, kept by hand.",
            "lead": "jdoe",
            "assignee_type": "COMPONENT_LEAD",
        },
    ]
    return seed


def apply_until_converged(
    sandbox: RunningSandbox, config: Path = EXAMPLE, *, max_runs: int, extra: Sequence[str] = ()
) -> tuple[int, list[dict[str, Any]]]:
    """Rerun `apply` (faults still on) until it succeeds; (runs it took, sandbox request log)."""
    log: list[dict[str, Any]] = []
    for attempt in range(1, max_runs + 1):
        sandbox.control.reset_stats()
        result = run(["apply", str(config), "--yes", *extra], env_for(sandbox))
        log += sandbox.control.stats()["log"]
        assert_no_crash(result)
        if result.exit_code == 0:
            return attempt, log
        last = result.stderr.rstrip().splitlines()[-1]
        assert last.startswith(("error: ", "Nothing else was touched")), result.stderr
    raise AssertionError(f"apply did not converge in {max_runs} runs: {result.stderr[-1500:]}")


def assert_converged(sandbox: RunningSandbox, config: Path = EXAMPLE) -> None:
    sandbox.control.clear_faults()
    result = run(["plan", str(config), "--detailed-exitcode"], env_for(sandbox))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "No changes. Jira matches the configuration." in result.stdout


def managed_groups(state: JiraState) -> dict[str, frozenset[str]]:
    return {g: m for g, m in state.groups.items() if parse_group_name(PREFIX, g) is not None}


def assert_no_duplicates(state: JiraState) -> None:
    names = [n.casefold() for n in state.components]
    assert len(names) == len(set(names)), sorted(names)
    groups = [g.casefold() for g in state.groups]
    assert len(groups) == len(set(groups)), sorted(groups)


def successful_writes(log: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Writes the sandbox carried out (2xx); faulted and refused ones changed nothing."""
    return [
        e
        for e in log
        if e["method"] != "GET" and isinstance(e["status"], int) and 200 <= e["status"] < 300
    ]


def assert_writes_only_managed(
    log: Sequence[Mapping[str, Any]], before: JiraState, after: JiraState
) -> None:
    """Each write went to one of accessq's objects, and each object was created exactly once."""
    writes = successful_writes(log)
    touched_ids = set()
    for entry in writes:
        route, query = entry["route"], parse_qs(entry["query"])
        assert route in WRITABLE, entry
        if route in (GROUP, GROUP_USER) and "groupname" in query:
            (group,) = query["groupname"]
            assert parse_group_name(PREFIX, group) is not None, entry
        if route == COMPONENT_ID:
            touched_ids.add(entry["path"].rsplit("/", 1)[-1])
        if route == PROPERTY:
            # The apply lock, and the record of what was applied (accessq.plan.drift).
            name = entry["path"].rsplit("/", 1)[-1]
            assert re.fullmatch(r"accessq\.lock|accessq\.applied(\.\d+)?", name), entry
    unmanaged_ids = {c[0] for c in after.unmanaged(PREFIX).components.values()}
    assert not touched_ids & unmanaged_ids
    creates = Counter(e["route"] for e in writes if e["method"] == "POST")
    # Components by id (a rename keeps its id); groups by name (Jira cannot rename a group).
    new_components = {c[0] for c in after.components.values()} - {
        c[0] for c in before.components.values()
    }
    new_groups = set(managed_groups(after)) - set(managed_groups(before))
    assert creates[COMPONENT] == len(new_components)  # a second create would count twice
    assert creates[GROUP] == len(new_groups)


def assert_journals_readable(folder: Path = Path(".accessq/journal")) -> int:
    """Every finished line of every journal is a JSON step (or interruption) record; returns how
    many runs."""
    journals = sorted(folder.glob("apply-*.jsonl"))
    for journal in journals:
        text = journal.read_text(encoding="utf-8")
        complete = text if text.endswith("\n") else text[: text.rfind("\n") + 1]
        for line in complete.splitlines():
            record = json.loads(line)
            if record["event"] == "interrupted":  # the last line of a Ctrl-C'd run
                assert record["done"] < record["of"], record
                continue
            assert record["event"] == "step", record
            assert record["result"] in ("done", "failed", "skipped"), record
            if record["error"] is not None:
                assert "\n" not in record["error"]
    return len(journals)
