"""The component lead keeps the queue's access until the component routes away from them."""

from __future__ import annotations

from typing import Any

from accessq.apply.engine import execute
from accessq.config.models import AwardeeQueue, Config, JiraSettings
from accessq.model.observed import Observed, ObservedComponent
from accessq.plan.diff import diff
from tests.plan.builders import TARGET, account, at, directory, group, managed, updater

JIRA = JiraSettings(username_email="{username}@access.example.org")
ADA, ALAN = account("alovelace"), account("aturing")
MOVE = "update_component:ACCESS-X"


def _plan(queue: AwardeeQueue, component: ObservedComponent, *groups: Any) -> Any:
    config = Config(version=1, jira=JIRA, awardee_queues=[queue])
    observed = Observed(
        target=TARGET,
        components=(component,),
        groups=groups,
        directory=directory(config),
        runner=account("accessq-bot"),
    )
    return diff(config, observed)


def _ada_leads(name: str = "ACCESS-X") -> ObservedComponent:
    return managed("5", name, lead=ADA, assignee_type="COMPONENT_LEAD")


def _to_alan(**kw: Any) -> AwardeeQueue:
    queue = AwardeeQueue(name="ACCESS-X", updaters=[updater("aturing", 2)], **kw).at(at(1))
    return queue  # type: ignore[return-value]


def test_the_old_lead_is_removed_only_after_the_lead_moves_to_the_new_one() -> None:
    plan = _plan(
        _to_alan(default_assignee="aturing"),
        _ada_leads(),
        group("ats-access-x-updaters", "alovelace"),
    )
    remove = plan.change(f"remove_member:ats-access-x-updaters:{ADA.key}")
    assert remove is not None
    assert remove.depends_on == [f"add_member:ats-access-x-updaters:{ALAN.key}", MOVE]


def test_dropping_the_default_assignee_routes_away_before_the_lead_loses_access() -> None:
    plan = _plan(_to_alan(), _ada_leads(), group("ats-access-x-updaters", "alovelace"))
    move = plan.change(MOVE)
    assert move is not None and move.after == {"assignee_type": "PROJECT_DEFAULT"}
    remove = plan.change(f"remove_member:ats-access-x-updaters:{ADA.key}")
    assert remove is not None and MOVE in remove.depends_on


def test_a_renamed_queues_old_group_holding_the_lead_goes_after_the_lead_moves() -> None:
    plan = _plan(
        _to_alan(default_assignee="aturing", previously=["ACCESS-Y"]),
        _ada_leads("ACCESS-Y"),
        group("ats-access-y-updaters", "alovelace"),
    )
    delete = plan.change("delete_group:ats-access-y-updaters")
    assert delete is not None and MOVE in delete.depends_on


def test_other_removals_do_not_wait_for_the_component() -> None:
    plan = _plan(
        AwardeeQueue(
            name="ACCESS-X",
            description="new text",
            updaters=[updater("alovelace", 2)],
            default_assignee="alovelace",
        ).at(at(1)),
        _ada_leads(),
        group("ats-access-x-updaters", "alovelace", "aturing"),
    )
    assert plan.change(MOVE) is not None  # the description changes, the lead stays
    remove = plan.change(f"remove_member:ats-access-x-updaters:{ALAN.key}")
    assert remove is not None and remove.depends_on == []


class _LeadStuck:
    """A Jira that refuses to change the component: the lead stays where it is."""

    def __init__(self) -> None:
        self.removed: list[str] = []

    def add_member(self, group: str, key: str) -> None:
        pass

    def update_component(self, component_id: str, **fields: Any) -> None:
        raise RuntimeError("Jira said no")

    def remove_member(self, group: str, key: str) -> None:
        self.removed.append(key)


def test_when_the_lead_cannot_be_moved_apply_keeps_them_in_the_group() -> None:
    plan = _plan(
        _to_alan(default_assignee="aturing"),
        _ada_leads(),
        group("ats-access-x-updaters", "alovelace"),
    )
    jira = _LeadStuck()
    result = execute(plan, jira, concurrency=1)  # type: ignore[arg-type]
    assert jira.removed == []
    [skipped] = [s for s in result.steps if s.status == "skipped"]
    assert skipped.error == "skipped: update component ACCESS-X did not succeed"
