"""The apply engine on its own: order, dependencies, failure isolation, journal.

A small in-memory fake stands in for the gateway (a unit seam); the end-to-end behaviour against
the sandbox is in tests/test_cli_apply.py.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from accessq.apply.engine import Journal, execute, summarize
from accessq.config.models import AwardeeQueue, Config, Contact, JiraSettings, RPQueue, Updater
from accessq.model.observed import Account, Observed, ObservedComponent, ObservedGroup, Target
from accessq.plan.diff import diff

TARGET = Target(url="http://127.0.0.1:1", flavor="cloud", project="ATS", sandbox=True)
JANE = Account(
    key="a-jane", display_name="Jane Doe", email="jdoe@example.edu", account_type="atlassian"
)
RAJ = Account(
    key="a-raj", display_name="Raj Patel", email="rpatel@example.edu", account_type="atlassian"
)
ADA = Account(
    key="a-ada",
    display_name="Ada Lovelace",
    email="alovelace@access.example.org",
    account_type="atlassian",
)
DIRECTORY = {
    "email:jdoe@example.edu": JANE,
    "email:rpatel@example.edu": RAJ,
    "email:alovelace@access.example.org": ADA,
}


class FakeJira:
    """Records calls; fails the calls named in `fail`."""

    def __init__(self, fail: set[tuple[str, str]] | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.fail = fail or set()
        self.lock = threading.Lock()
        self.comps: dict[str, ObservedComponent] = {}

    def _call(self, name: str, arg: Any) -> None:
        with self.lock:
            self.calls.append((name, arg))
        if (name, str(arg)) in self.fail:
            raise RuntimeError(f"Jira said no to {name} {arg}\n(second line)")

    def components(self) -> list[ObservedComponent]:
        return list(self.comps.values())

    def create_component(self, name: str, **kw: Any) -> ObservedComponent:
        self._call("create_component", name)
        made = ObservedComponent(
            id=str(100 + len(self.comps)),
            name=name,
            **{"description": kw["description"], "assignee_type": kw["assignee_type"]},
        )
        self.comps[name] = made
        return made

    def update_component(self, component_id: str, **fields: Any) -> ObservedComponent:
        self._call("update_component", (component_id, tuple(sorted(fields))))
        return next(c for c in self.comps.values() if c.id == component_id)

    def delete_component(self, component_id: str, *, move_issues_to: str | None = None) -> None:
        self._call("delete_component", component_id)

    def create_group(self, name: str) -> None:
        self._call("create_group", name)

    def delete_group(self, name: str) -> None:
        self._call("delete_group", name)

    def add_member(self, group: str, key: str) -> None:
        self._call("add_member", f"{group}/{key}")

    def remove_member(self, group: str, key: str) -> None:
        self._call("remove_member", f"{group}/{key}")

    def jsm_queues(self) -> list[Any]:
        return []

    def create_jsm_queue(self, name: str, jql: str) -> Any:
        self._call("create_jsm_queue", name)

    def update_jsm_queue(self, queue_id: str, *, name: str, jql: str) -> Any:
        self._call("update_jsm_queue", queue_id)

    def delete_jsm_queue(self, queue_id: str) -> None:
        self._call("delete_jsm_queue", queue_id)


def _config(*queues: RPQueue | AwardeeQueue) -> Config:
    jira = JiraSettings(username_email="{username}@access.example.org")
    return Config(
        version=1,
        jira=jira,
        rp_queues=[q for q in queues if isinstance(q, RPQueue)],
        awardee_queues=[q for q in queues if isinstance(q, AwardeeQueue)],
    )


def _observed(**kw: Any) -> Observed:
    return Observed(target=TARGET, directory=DIRECTORY, **kw)


def test_new_awardee_queue_runs_in_dependency_order() -> None:
    config = _config(
        AwardeeQueue(
            name="ACCESS-ACO-Support",
            updaters=[Updater(name="Ada Lovelace", username="alovelace")],
            default_assignee="alovelace",
        )
    )
    plan = diff(config, _observed())
    jira = FakeJira()
    result = execute(plan, jira, concurrency=4)
    assert result.ok, result.problems()
    names = [name for name, _ in jira.calls]
    # The lead is set only once the person is in the updaters group.
    assert names.index("add_member") < names.index("update_component")
    assert names.index("create_group") < names.index("add_member")
    assert names.index("create_component") < names.index("update_component")
    assert summarize(result.steps) == f"Apply: {len(plan.changes)} done, 0 failed, 0 skipped."


def test_failed_group_create_skips_only_its_dependents() -> None:
    config = _config(
        RPQueue(name="Delta", agents=[Contact(name="Jane Doe", email="jdoe@example.edu")]),
        RPQueue(name="Expanse", agents=[Contact(name="Raj Patel", email="rpatel@example.edu")]),
    )
    plan = diff(config, _observed())
    jira = FakeJira(fail={("create_group", "ats-delta-agents")})
    result = execute(plan, jira, concurrency=2)
    by_target = {(s.change.action, s.change.target): s for s in result.steps}
    failed = by_target[("create_group", "ats-delta-agents")]
    assert failed.status == "failed"
    assert failed.error == "Jira said no to create_group ats-delta-agents (second line)"
    skipped = by_target[("add_member", "ats-delta-agents")]
    assert skipped.status == "skipped"
    assert "create group ats-delta-agents did not succeed" in (skipped.error or "")
    # Independent work went ahead: Expanse is complete, Delta's watchers too.
    assert by_target[("add_member", "ats-expanse-agents")].status == "done"
    assert by_target[("add_member", "ats-delta-watchers")].status == "done"
    assert not result.ok


def test_removal_waits_for_a_successful_add_in_the_same_role() -> None:
    """Replacing Jane by Raj: if Raj cannot be added, Jane keeps her access."""
    config = _config(
        RPQueue(
            name="Delta",
            agents=[Contact(name="Raj Patel", email="rpatel@example.edu")],
            watchers=[],
        )
    )
    from accessq.model.naming import encode_description

    observed = _observed(
        components=(ObservedComponent(id="7", name="Delta", description=encode_description("")),),
        groups=(
            ObservedGroup(name="ats-delta-agents", members=(JANE,)),
            ObservedGroup(name="ats-delta-watchers", members=()),
        ),
    )
    plan = diff(config, observed)
    assert {c.action for c in plan.changes} == {"add_member", "remove_member"}
    jira = FakeJira(fail={("add_member", "ats-delta-agents/a-raj")})
    result = execute(plan, jira)
    removal = next(s for s in result.steps if s.change.action == "remove_member")
    assert removal.status == "skipped"
    assert ("remove_member", "ats-delta-agents/a-jane") not in jira.calls


def test_journal_records_every_step_as_json_lines(tmp_path: Path) -> None:
    config = _config(
        RPQueue(name="Delta", agents=[Contact(name="Jane Doe", email="jdoe@example.edu")])
    )
    plan = diff(config, _observed())
    journal = Journal(tmp_path / "journal")
    result = execute(plan, FakeJira(), journal=journal, request_id=lambda: "req-1")
    journal.close()
    lines = [json.loads(line) for line in journal.path.read_text().splitlines()]
    assert len(lines) == len(plan.changes) == len(result.steps)
    assert {line["result"] for line in lines} == {"done"}
    assert {line["request_id"] for line in lines} == {"req-1"}
    assert {line["change"] for line in lines} == {c.id for c in plan.changes}
    assert all(line["time"] and line["action"] and line["target"] for line in lines)


class SlowJira(FakeJira):
    """Each group create takes a moment; records how many ran at once."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most = 0
        self.gate = threading.Lock()

    def create_group(self, name: str) -> None:
        with self.gate:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
        threading.Event().wait(0.02)
        with self.gate:
            self.in_flight -= 1
        super().create_group(name)


def test_independent_steps_overlap_but_never_beyond_the_concurrency() -> None:
    queues = [
        RPQueue(name=f"RP-{i}", agents=[Contact(name="Jane Doe", email="jdoe@example.edu")])
        for i in range(6)
    ]
    plan = diff(_config(*queues), _observed())
    jira = SlowJira()
    result = execute(plan, jira, concurrency=3)
    assert result.ok
    assert jira.most == 3  # 12 group creates, three at a time


def test_a_fatal_refusal_stops_the_run() -> None:
    config = _config(
        RPQueue(name="Delta", agents=[Contact(name="Jane Doe", email="jdoe@example.edu")]),
        RPQueue(name="Expanse", agents=[Contact(name="Raj Patel", email="rpatel@example.edu")]),
    )
    plan = diff(config, _observed())

    class Refused(Exception):
        pass

    class RefusingJira(FakeJira):
        def create_group(self, name: str) -> None:
            self._call("create_group", name)
            raise Refused("HTTP 403: You do not have permission to create groups")

    jira = RefusingJira()
    result = execute(plan, jira, concurrency=1, fatal=(Refused,))
    assert result.stopped_by == "HTTP 403: You do not have permission to create groups"
    refused_at = jira.calls.index(("create_group", "ats-delta-agents"))
    assert refused_at == len(jira.calls) - 1  # nothing attempted after the refusal
    assert result.count("failed") == 1
    assert result.count("done") == refused_at
    assert result.count("skipped") == len(plan.changes) - refused_at - 1


def test_a_halt_stops_the_run_before_its_next_step() -> None:
    """`halt` (the apply lock was lost) is asked before each step starts."""
    config = _config(
        RPQueue(name="Delta", agents=[Contact(name="Jane Doe", email="jdoe@example.edu")]),
        RPQueue(name="Expanse", agents=[Contact(name="Raj Patel", email="rpatel@example.edu")]),
    )
    plan = diff(config, _observed())
    jira = FakeJira()
    reason = "the apply lock on ATS was taken over by bob@laptop"
    result = execute(plan, jira, concurrency=1, halt=lambda: reason if jira.calls else None)
    assert result.halted_by == reason
    assert len(jira.calls) == 1 and result.count("done") == 1
    skipped = [s for s in result.steps if s.status == "skipped"]
    assert len(skipped) == len(plan.changes) - 1
    assert {s.error for s in skipped} == {f"skipped: the run stopped: {reason}"}
