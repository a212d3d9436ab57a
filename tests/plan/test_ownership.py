"""What a queue owns in Jira: hand-made JSM views, former names and `--queue` by a former name."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from accessq.config.models import Config, RPQueue
from accessq.model.naming import jsm_queue_jql, parse_group_name
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


def _delta(**kw: Any) -> RPQueue:
    return RPQueue(name="Delta", agents=[contact("jdoe", 3)], **kw).at(at(1))


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


def test_groups_of_a_former_name_come_with_the_queue_once_its_component_was_renamed() -> None:
    # A rename interrupted after the component was renamed: the rerun finishes it as part of the
    # queue, not as a deleted queue of its own behind --allow-delete.
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=[*DELTA_GROUPS, group("ats-ncsa-delta-agents", "jdoe")],
    )
    plan = diff(config, observed)
    assert [(c.id, c.queue) for c in plan.changes] == [
        ("delete_group:ats-ncsa-delta-agents", "Delta")
    ]
    assert evaluate(plan, config, observed) == []  # jdoe is in ats-delta-agents already


def test_a_former_names_group_holding_someone_who_does_not_move_needs_allow_delete() -> None:
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(
        config,
        managed("1", "NCSA-Delta"),
        groups=[*DELTA_GROUPS, group("ats-ncsa-delta-agents", "jdoe", "ohaddad")],
    )
    plan = diff(config, observed)
    assert [c.id for c in plan.changes] == [
        "update_component:Delta",
        "delete_group:ats-ncsa-delta-agents",
    ]
    [violation] = evaluate(plan, config, observed)
    assert (violation.rule, violation.queue, violation.flag) == (
        "delete",
        "Delta",
        "--allow-delete",
    )
    assert "1 of its 2 members would not be in ats-delta-agents after it (Omar Haddad" in (
        violation.message
    )


def test_a_former_names_component_that_still_exists_keeps_its_groups() -> None:
    # Delta has its own component and NCSA-Delta's is still there: two queues, not a rename.
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(
        config,
        managed("1", "Delta"),
        managed("2", "NCSA-Delta"),
        groups=[*DELTA_GROUPS, group("ats-ncsa-delta-agents", "jdoe")],
    )
    plan = diff(config, observed)
    assert {(c.id, c.queue) for c in plan.changes} == {
        ("delete_group:ats-ncsa-delta-agents", "NCSA-Delta"),
        ("delete_component:NCSA-Delta", "NCSA-Delta"),
    }
    assert [(v.rule, v.queue) for v in evaluate(plan, config, observed)] == [
        ("delete", "NCSA-Delta")
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


# -- groups: only the exact names accessq writes ---------------------------------------------------


def test_a_group_is_accessqs_only_under_the_exact_name_it_writes() -> None:
    owned = {
        "ats-delta-agents": ("delta", "agents"),
        "ATS-Delta-Agents": ("delta", "agents"),  # Jira compares group names ignoring case
        "ats-jetstream-2-watchers": ("jetstream-2", "watchers"),
        "ats-access-aco-support-updaters": ("access-aco-support", "updaters"),
        "ats-delta--agents": ("delta-", "agents"),  # the groups of a queue named "Delta!"
        "ats-x-watchers-agents": ("x-watchers", "agents"),
    }
    for name, parsed in owned.items():
        assert parse_group_name("ats-", name) == parsed, name
    for name in (
        "ats-jetstream.2-watchers",
        "ats-Bridges 2-agents",
        "ats-a--b-agents",
        "ats-delta_x-agents",
        "ats---agents",  # no letter or digit: no queue name gives it
        "ats-\u212aelvin-agents",  # a Kelvin sign lower-cases to "k": still not a name we write
        "ats-legacy-admins",
        "delta-agents",
        "ats-delta-agents ",
    ):
        assert parse_group_name("ats-", name) is None, name


def test_look_alike_groups_are_nobodys_and_a_plan_leaves_them_alone() -> None:
    jetstream = RPQueue(name="Jetstream-2", agents=[contact("mgarcia", 5)]).at(at(4))
    bridges = RPQueue(name="Bridges 2", agents=[contact("lwei", 9)]).at(at(8))
    config = _config(jetstream, bridges)
    look_alikes = [
        group("ats-jetstream.2-watchers", "jdoe"),
        group("ats-Bridges 2-agents", "ohaddad"),
        group("ats-jetstream--2-agents", "rpatel"),
    ]
    observed = _observed(
        config,
        managed("1", "Jetstream-2"),
        managed("2", "Bridges 2"),
        groups=[
            group("ats-jetstream-2-agents", "mgarcia"),
            group("ats-jetstream-2-watchers", "mgarcia"),
            group("ats-bridges-2-agents", "lwei"),
            group("ats-bridges-2-watchers", "lwei"),
            *look_alikes,
        ],
    ).model_copy(update={"unowned_groups": tuple(g.name for g in look_alikes)})
    plan = diff(config, observed)
    assert plan.errors == [] and plan.changes == []
    assert evaluate(plan, config, observed) == []
    assert plan.notes[-1] == (
        "Groups not named as accessq names its groups are not accessq's and are left alone: "
        '"ats-Bridges 2-agents", "ats-jetstream--2-agents", "ats-jetstream.2-watchers".'
    )
    # Nor does a look-alike with no queue of its slug become a queue to delete.
    alone = diff(_config(), observed)
    assert not [c for c in alone.changes if c.target in {g.name for g in look_alikes}]


def test_a_group_in_another_case_is_the_queues_own() -> None:
    config = _config(_delta())
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=[group("ATS-Delta-Agents", "jdoe"), group("ats-delta-watchers", "jdoe")],
    )
    assert diff(config, observed).changes == []


# -- the summary counts deleted groups and the memberships they end ------------------------------


def test_the_summary_counts_deleted_groups_and_their_memberships() -> None:
    config = _config(_delta(previously=["NCSA-Delta"]))
    observed = _observed(
        config,
        managed("1", "NCSA-Delta"),
        managed("2", "Old"),
        groups=[
            group("ats-ncsa-delta-agents", "jdoe"),
            group("ats-ncsa-delta-watchers", "jdoe"),
            group("ats-old-agents", "lwei", "sokafor"),
        ],
    )
    plan = diff(config, observed)
    summary = plan.summary
    assert (summary.groups_deleted, summary.memberships_deleted) == (3, 4)
    assert (summary.members_added, summary.members_removed) == (2, 0)
    assert summary.closing_line() == (
        "Plan: 0 queues to create, 1 to change, 1 to delete; 2 membership changes; "
        "3 groups to delete with 4 memberships."
    )


def test_a_plan_deleting_no_group_keeps_its_closing_line() -> None:
    config = _config(_delta())
    plan = diff(config, _observed(config))
    assert plan.summary.closing_line() == (
        "Plan: 1 queue to create, 0 to change, 0 to delete; 2 membership changes."
    )


# -- an interrupted rename is finished by the same plan --------------------------------------------


def test_a_view_left_under_the_former_name_is_renamed_not_recreated() -> None:
    # Interrupted after the groups moved, before the view was renamed: finish the rename.
    config = _config(_delta(previously=["NCSA-Delta"]), jira=JIRA)
    observed = _observed(
        config, managed("1", "Delta"), groups=DELTA_GROUPS, views=(view("7", "NCSA-Delta"),)
    )
    plan = diff(config, observed)
    assert plan.errors == []
    assert _ids(plan) == ["update_jsm_queue:Delta"]
    update = plan.change("update_jsm_queue:Delta")
    assert update is not None and update.target_id == "7"
    assert update.after == {"name": "Delta", "jql": jsm_queue_jql("Delta")}
    assert evaluate(plan, config, observed) == []


def test_a_view_left_under_the_former_name_next_to_a_new_one_is_deleted() -> None:
    # What an earlier rerun left: a second view made under the new name, the old one forgotten.
    config = _config(_delta(previously=["NCSA-Delta"]), jira=JIRA)
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=DELTA_GROUPS,
        views=(view("7", "NCSA-Delta"), view("8", "Delta")),
    )
    plan = diff(config, observed)
    assert plan.errors == []
    assert [(c.id, c.target_id) for c in plan.changes] == [("delete_jsm_queue:7", "7")]
