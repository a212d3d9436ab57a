"""What a queue owns in Jira: hand-made JSM views, former names and `--queue` by a former name."""

from __future__ import annotations

from hypothesis import given

from accessq.config.models import Config, RPQueue
from accessq.model.naming import jsm_queue_jql
from accessq.model.observed import Observed
from accessq.plan.diff import diff
from accessq.plan.model import Plan
from accessq.plan.safety import evaluate
from tests.plan.builders import (
    JIRA,
    account,
    at,
    contact,
    group,
    managed,
    view,
)
from tests.plan.builders import config_of as _config
from tests.plan.builders import observed_of as _observed
from tests.plan.test_properties import PROPERTIES, scenarios


def _ids(plan: Plan) -> list[str]:
    return [c.id for c in plan.changes]


def _delta(**kw: object) -> RPQueue:
    return RPQueue(name="Delta", agents=[contact("jdoe", 3)], **kw).at(at(1))  # type: ignore[return-value]


DELTA_GROUPS = [group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")]


# -- JSM views: ours only when their JQL is the one accessq writes ---------------------------------


def test_hand_made_jsm_views_named_like_the_queue_are_conflicts_and_never_touched() -> None:
    config = _config(_delta(), jira=JIRA)
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=DELTA_GROUPS,
        views=(
            view("6", "Delta", "project = ATS AND priority = High"),
            view("7", "delta", "project = ATS"),
        ),
    )
    plan = diff(config, observed)
    assert plan.changes == []  # no update, no delete, no second "Delta" view created
    assert [(e.kind, str(e)) for e in plan.errors] == [
        (
            "conflict",
            'queues.yaml:1:7: error: Delta: the JSM queue view "Delta" (id 6) exists in Jira with '
            "a JQL accessq does not write (project = ATS AND priority = High), so it is left "
            'alone; rename or delete it in Jira, or set its JQL to component = "Delta" AND '
            "resolution = Unresolved to let accessq manage it",
        ),
        (
            "conflict",
            'queues.yaml:1:7: error: Delta: the JSM queue view "delta" (id 7) exists in Jira with '
            "a JQL accessq does not write (project = ATS), so it is left alone; rename or delete "
            'it in Jira, or set its JQL to component = "Delta" AND resolution = Unresolved to let '
            "accessq manage it",
        ),
    ]


def test_a_view_with_accessqs_jql_in_another_case_is_still_ours() -> None:
    # A case-only rename: the view accessq wrote for "delta" follows the queue to "Delta".
    config = _config(_delta(), jira=JIRA)
    observed = _observed(
        config,
        managed("1", "delta"),
        groups=DELTA_GROUPS,
        views=(view("6", "delta"), view("8", "DELTA", jsm_queue_jql("Delta").upper())),
    )
    plan = diff(config, observed)
    assert plan.errors == []
    assert _ids(plan) == [
        "update_component:Delta",
        "update_jsm_queue:Delta",
        "delete_jsm_queue:8",  # a duplicate accessq wrote: still its own to remove
    ]
    update = plan.change("update_jsm_queue:Delta")
    assert update is not None and update.target_id == "6"


def test_hand_made_views_under_a_former_name_are_left_alone_silently() -> None:
    config = _config(_delta(previously=["NCSA-Delta"]), jira=JIRA)
    observed = _observed(
        config,
        managed("1", "NCSA-Delta"),
        groups=DELTA_GROUPS,
        views=(view("6", "NCSA-Delta", "project = ATS"), view("7", "NCSA-Delta")),
    )
    plan = diff(config, observed)
    assert plan.errors == []
    [update] = [c for c in plan.changes if c.action.endswith("jsm_queue")]
    assert (update.id, update.target_id) == ("update_jsm_queue:Delta", "7")


# -- previously: old names come with their component ----------------------------------------------


def test_a_former_name_whose_component_is_another_live_queue_keeps_its_groups() -> None:
    config = _config(_delta(previously=["Expanse"]), jira=JIRA)
    observed = _observed(
        config,
        managed("1", "Delta"),
        managed("2", "Expanse"),
        groups=[*DELTA_GROUPS, group("ats-expanse-agents", "enovak", "ohaddad")],
        views=(view("6", "Delta"), view("7", "Expanse")),
    )
    plan = diff(config, observed)
    delta = [c.id for c in plan.changes if c.queue == "Delta"]
    assert delta == []  # Delta is in sync; Expanse's objects are not Delta's
    # Expanse is an unconfigured queue: deleted as a whole, behind --allow-delete.
    assert _ids(plan) == [
        "delete_jsm_queue:7",
        "delete_group:ats-expanse-agents",
        "delete_component:Expanse",
    ]
    assert {c.queue for c in plan.changes} == {"Expanse"}
    assert [(v.rule, v.queue) for v in evaluate(plan, config, observed)] == [("delete", "Expanse")]


def test_groups_of_a_former_name_go_with_the_queue_when_no_component_has_either_name() -> None:
    # Both components are gone: the old groups are this queue's leftovers, moved into new ones.
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(config, groups=[group("ats-ncsa-delta-agents", "jdoe")])
    plan = diff(config, observed)
    delete = plan.change("delete_group:ats-ncsa-delta-agents")
    assert delete is not None and delete.queue == "Delta"
    assert f"add_member:ats-delta-agents:{account('jdoe').key}" in delete.depends_on
    assert evaluate(plan, config, observed) == []


def test_groups_of_a_former_name_are_not_taken_while_the_queue_has_its_own_component() -> None:
    # Whose they are is not clear: deleting them is a deletion, behind --allow-delete.
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=[*DELTA_GROUPS, group("ats-ncsa-delta-agents", "jdoe")],
    )
    plan = diff(config, observed)
    assert [(c.id, c.queue) for c in plan.changes] == [
        ("delete_group:ats-ncsa-delta-agents", "ncsa-delta")
    ]
    assert [(v.rule, v.queue) for v in evaluate(plan, config, observed)] == [
        ("delete", "ncsa-delta")
    ]


def test_a_rename_takes_the_old_components_groups() -> None:
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(
        config,
        managed("1", "NCSA-Delta"),
        groups=[group("ats-ncsa-delta-agents", "jdoe")],
    )
    plan = diff(config, observed)
    assert "delete_group:ats-ncsa-delta-agents" in _ids(plan)
    assert {c.queue for c in plan.changes} == {"Delta"}
    assert evaluate(plan, config, observed) == []


# -- --queue by a former name ---------------------------------------------------------------------


def test_queue_selected_by_a_former_name_plans_the_rename() -> None:
    config = _config(_delta(previously=["NCSA-Delta"]), RPQueue(name="Anvil").at(at(9)))
    observed = _observed(
        config,
        managed("1", "NCSA-Delta"),
        groups=[group("ats-ncsa-delta-agents", "jdoe")],
    )
    plan = diff(config, observed, only={"ncsa-delta"})
    assert plan.errors == []
    assert {c.queue for c in plan.changes} == {"Delta"}
    rename = plan.change("update_component:Delta")
    assert rename is not None and rename.after == {"name": "Delta"}
    assert plan.fingerprint == diff(config, observed, only={"Delta"}).fingerprint


@PROPERTIES
@given(scenarios())
def test_no_plan_touches_a_view_whose_jql_accessq_did_not_write(
    scenario: tuple[Config, Observed],
) -> None:
    config, observed = scenario
    foreign = {v.id for v in observed.jsm_queues or () if v.jql == "resolution = Unresolved"}
    plan = diff(config, observed)
    assert not [c.id for c in plan.changes if c.target_id in foreign]
