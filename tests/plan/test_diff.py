"""The diff, case by case: what a reviewer would see change, and what must never be touched."""

from __future__ import annotations

from accessq.config.models import AwardeeQueue, Contact, RPQueue
from accessq.model.naming import encode_description
from accessq.model.observed import Account, Observed, ObservedComponent
from accessq.plan.diff import diff
from accessq.plan.model import Plan
from accessq.render.blocks import describe
from tests.plan.builders import (
    JIRA,
    TARGET,
    account,
    at,
    contact,
    group,
    managed,
    updater,
    view,
)
from tests.plan.builders import config_of as _config
from tests.plan.builders import observed_of as _observed

REAL = TARGET.model_copy(update={"sandbox": False})  # not the sandbox: the hints for a real Jira


def _actions(plan: Plan) -> list[tuple[str, str]]:
    return [(c.action, c.target) for c in plan.changes]


DELTA = RPQueue(name="Delta", description="NCSA Delta", agents=[contact("jdoe", 3)]).at(at(1))


def test_a_live_site_that_matches_plans_no_changes() -> None:
    config = _config(DELTA)
    observed = _observed(
        config,
        # Jira may hand back the text with Windows line ends and trailing blanks: same meaning.
        ObservedComponent(
            id="1", name="Delta", description="NCSA Delta  \r\n\r\nManaged by accessq.\r\n"
        ),
        groups=[group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")],
    )
    plan = diff(config, observed)
    assert plan.is_empty and not plan.has_errors
    assert plan.notes == ["JSM queue views are not managed (jsm_queues: false)."]


def test_a_new_rp_queue_is_a_component_two_groups_and_members_with_their_lines() -> None:
    config = _config(DELTA)
    plan = diff(config, _observed(config))
    assert _actions(plan) == [
        ("create_component", "Delta"),
        ("create_group", "ats-delta-agents"),
        ("create_group", "ats-delta-watchers"),
        ("add_member", "ats-delta-agents"),
        ("add_member", "ats-delta-watchers"),  # watchers omitted: the same as agents
    ]
    create = plan.changes[0]
    assert create.after == {
        "name": "Delta",
        "description": "NCSA Delta",
        "keywords": [],
        "assignee_type": "PROJECT_DEFAULT",
    }
    assert create.source == "queues.yaml:1"
    add = plan.changes[3]
    assert add.source == "queues.yaml:3" and add.after == account("jdoe").key
    assert add.depends_on == ["create_group:ats-delta-agents"]
    assert plan.summary.closing_line() == (
        "Plan: 1 queue to create, 0 to change, 0 to delete; 2 membership changes."
    )


def test_an_unmanaged_component_is_an_error_that_says_how_to_adopt_it_and_is_never_touched() -> (
    None
):
    config = _config(DELTA)
    observed = _observed(
        config,
        ObservedComponent(id="1", name="delta", description="Hand-made"),
        groups=[group("ats-delta-agents", "mgarcia")],
    )
    plan = diff(config, observed)
    assert plan.is_empty
    [error] = plan.errors
    assert error.kind == "conflict"
    assert str(error) == (
        'queues.yaml:1:7: error: Delta: the component "delta" exists in Jira but is not managed '
        "by accessq, so this queue is left alone; to adopt the component, add `adopt: true` to "
        "this queue (the plan then marks it), or end its description in Jira with the line "
        '"Managed by accessq."'
    )


def test_people_missing_from_the_directory_or_deactivated_are_errors_at_their_line() -> None:
    queue = RPQueue(
        name="Delta",
        agents=[
            Contact(name="Jane Roe", email="jroe@x.edu").at(at(5)),
            contact("bcarter", 6),
            contact("jdoe", 7),
        ],
    ).at(at(4))
    config = _config(queue)
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=[group("ats-delta-agents", "bcarter"), group("ats-delta-watchers", "bcarter")],
    )
    plan = diff(config, observed.model_copy(update={"target": REAL}))  # a real Jira's words
    assert [str(e) for e in plan.errors] == [
        "queues.yaml:5:7: error: no Jira account found for Jane Roe <jroe@x.edu> (Delta agents): "
        "check the email, or give the person's account_id: if Jira hides their email",
        "queues.yaml:6:7: error: the Jira account of Ben Carter <bcarter@purdue.example.edu> is "
        "deactivated (Delta agents): if they have left, `accessq offboard <queue files> "
        "bcarter@purdue.example.edu` deletes them from every queue, and apply then takes the "
        "account out of the groups",
    ]
    # The queue is left out whole: not even Jane Doe is added until its people all resolve.
    assert plan.changes == []
    assert plan.skipped == ["Delta"]


def test_an_updater_without_an_account_is_named_by_the_email_their_username_maps_to() -> None:
    queue = AwardeeQueue(name="ACCESS-X", updaters=[updater("alovelace", 9)]).at(at(8))
    config = _config(queue)
    plan = diff(config, Observed(target=REAL))
    assert [e.message for e in plan.errors] == [
        "no Jira account found for Ada Lovelace <alovelace@access.example.org> "
        "(ACCESS username alovelace) (ACCESS-X updaters): check the username and "
        "jira.username_email, or give the person's account_id: if Jira hides their email"
    ]


def test_a_hidden_email_shows_the_account_key() -> None:
    queue = RPQueue(name="Anvil", agents=[contact("pnair", 2, by_id=True)]).at(at(1))
    config = _config(queue)
    plan = diff(config, _observed(config))
    [add, _] = [c for c in plan.changes if c.action == "add_member"]
    assert add.person is not None
    assert add.person.label() == (
        'Priya Nair as Jira account "Priya Nair" (email hidden) [712020:ac5c6aa8-0aec], '
        "by account_id"
    )


def test_rename_updates_the_component_and_moves_people_into_new_groups_before_old_ones_go() -> None:
    queue = RPQueue(
        name="Delta",
        description="NCSA Delta",
        previously=["NCSA-Delta"],
        agents=[contact("jdoe", 3)],
    ).at(at(1))
    config = _config(queue)
    observed = _observed(
        config,
        managed("7", "NCSA-Delta", "NCSA Delta"),
        groups=[group("ats-ncsa-delta-agents", "jdoe"), group("ats-ncsa-delta-watchers", "jdoe")],
    )
    plan = diff(config, observed)
    assert ("delete_component", "NCSA-Delta") not in _actions(plan)
    [rename] = [c for c in plan.changes if c.action == "update_component"]
    assert (rename.target_id, rename.before, rename.after) == (
        "7",
        {"name": "NCSA-Delta"},
        {"name": "Delta"},
    )
    delete = plan.change("delete_group:ats-ncsa-delta-agents")
    assert delete is not None
    assert delete.depends_on == [
        f"add_member:ats-delta-agents:{account('jdoe').key}",
        "create_group:ats-delta-agents",
    ]
    assert plan.summary.change == ["Delta"] and not plan.summary.delete


def test_a_former_name_held_by_an_unmanaged_component_is_noted_and_left_alone() -> None:
    queue = RPQueue(name="Delta", previously=["NCSA-Delta"], agents=[]).at(at(1))
    config = _config(queue)
    observed = _observed(config, ObservedComponent(id="7", name="NCSA-Delta", description="x"))
    plan = diff(config, observed)
    assert all(c.target != "NCSA-Delta" for c in plan.changes)
    assert (
        'Delta: the component "NCSA-Delta" named in previously: is not managed by accessq '
        "and is left alone." in plan.notes
    )


def test_a_component_renamed_only_in_case_keeps_its_groups() -> None:
    config = _config(DELTA)
    observed = _observed(
        config,
        managed("1", "delta", "NCSA Delta"),
        groups=[group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")],
    )
    plan = diff(config, observed)
    assert _actions(plan) == [("update_component", "delta")]
    assert plan.changes[0].after == {"name": "Delta"}


def test_the_default_assignee_becomes_lead_only_after_joining_the_updaters() -> None:
    queue = AwardeeQueue(
        name="ACCESS-X",
        updaters=[updater("alovelace", 2), updater("aturing", 3)],
        default_assignee="aturing",
        keywords=["wiki"],
    ).at(at(1))
    config = _config(queue)
    observed = _observed(
        config,
        managed(
            "5",
            "ACCESS-X",
            "",
            ("wiki",),
            lead=account("alovelace"),
            assignee_type="COMPONENT_LEAD",
        ),
        groups=[group("ats-access-x-updaters", "alovelace")],
    )
    plan = diff(config, observed)
    add = f"add_member:ats-access-x-updaters:{account('aturing').key}"
    update = plan.change("update_component:ACCESS-X")
    assert update is not None and update.depends_on == [add]
    assert update.after["lead"]["key"] == account("aturing").key
    assert update.after["assignee_type"] == "COMPONENT_LEAD"


def test_dropping_the_default_assignee_routes_to_the_project_default_and_leaves_the_lead() -> None:
    queue = AwardeeQueue(name="ACCESS-X", updaters=[updater("alovelace", 2)]).at(at(1))
    config = _config(queue)
    observed = _observed(
        config,
        managed("5", "ACCESS-X", lead=account("alovelace"), assignee_type="COMPONENT_LEAD"),
        groups=[group("ats-access-x-updaters", "alovelace")],
    )
    [update] = diff(config, observed).changes
    assert (update.before, update.after) == (
        {"assignee_type": "COMPONENT_LEAD"},
        {"assignee_type": "PROJECT_DEFAULT"},
    )


def test_removals_wait_for_the_adds_of_the_same_group() -> None:
    queue = RPQueue(name="Delta", agents=[contact("rpatel", 2)], watchers=[]).at(at(1))
    config = _config(queue)
    observed = _observed(
        config,
        managed("1", "Delta"),
        groups=[group("ats-delta-agents", "jdoe"), group("ats-delta-watchers")],
    )
    plan = diff(config, observed)
    remove = plan.change(f"remove_member:ats-delta-agents:{account('jdoe').key}")
    assert remove is not None
    assert remove.depends_on == [f"add_member:ats-delta-agents:{account('rpatel').key}"]
    # A removal reads as the account Jira lists: its chosen name quoted, email and key.
    assert remove.person is not None and remove.person.label() == (
        f'"Jane Doe" <jdoe@illinois.example.edu> [{account("jdoe").key}]'
    )


def test_a_group_of_a_role_the_queue_no_longer_has_is_deleted_with_it() -> None:
    config = _config(DELTA)
    observed = _observed(
        config,
        managed("1", "Delta", "NCSA Delta"),
        groups=[
            group("ats-delta-agents", "jdoe"),
            group("ats-delta-watchers", "jdoe"),
            group("ats-delta-updaters", "alovelace"),
        ],
    )
    assert _actions(diff(config, observed)) == [("delete_group", "ats-delta-updaters")]


def test_unconfigured_managed_queues_are_deleted_and_unmanaged_objects_are_not() -> None:
    config = _config(DELTA)
    observed = _observed(
        config,
        managed("1", "Delta", "NCSA Delta"),
        managed("2", "Old", "gone"),
        ObservedComponent(id="3", name="General Support"),
        groups=[
            group("ats-delta-agents", "jdoe"),
            group("ats-delta-watchers", "jdoe"),
            group("ats-old-agents", "lwei"),
            group("other-old-agents", "lwei"),  # not our prefix
        ],
    )
    plan = diff(config, observed)
    assert _actions(plan) == [("delete_group", "ats-old-agents"), ("delete_component", "Old")]
    assert plan.summary.delete == ["Old"]
    assert "Components not managed by accessq are left alone: General Support." in plan.notes


def test_only_plans_the_named_queues_and_deletes_nothing_else() -> None:
    anvil = RPQueue(name="Anvil", agents=[contact("pnair", 9, by_id=True)]).at(at(8))
    config = _config(DELTA, anvil)
    observed = _observed(config, managed("2", "Old"), groups=[group("ats-stray-agents", "lwei")])
    plan = diff(config, observed, only={"anvil", "Nope"})
    assert {c.queue for c in plan.changes} == {"Anvil"}
    assert [e.message for e in plan.errors] == [
        "--queue Nope: no configured or managed queue has that name"
    ]
    assert plan.only == ["anvil", "Nope"]
    # A managed queue can be deleted on its own, and stray groups are found by their slug.
    assert _actions(diff(config, observed, only={"stray"})) == [
        ("delete_group", "ats-stray-agents")
    ]


def test_queues_whose_names_give_the_same_groups_are_an_error() -> None:
    second = RPQueue(name="delta", agents=[]).at(at(20))
    config = _config(DELTA.model_copy(), second)
    plan = diff(config, _observed(config))
    assert any(e.kind == "name_clash" and e.location == at(20) for e in plan.errors)


def test_jsm_views_follow_the_queue_when_enabled() -> None:
    config = _config(DELTA, jira=JIRA)
    observed = _observed(
        config,
        managed("1", "Delta", "NCSA Delta"),
        managed("2", "Old"),
        groups=[group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")],
        # Ours by their JQL (accessq's, for "delta" and "Old"); a hand-made view is a conflict
        # (tests/plan/test_ownership.py).
        views=(view("30", "delta"), view("31", "Old"), view("32", "All open")),
    )
    plan = diff(config, observed)
    assert _actions(plan) == [
        ("update_jsm_queue", "delta"),
        ("delete_jsm_queue", "Old"),
        ("delete_component", "Old"),
    ]
    assert plan.changes[2].depends_on == ["delete_jsm_queue:31"]
    assert not any("JSM" in note for note in plan.notes)


def test_jsm_on_but_views_not_read_is_an_error_not_a_guess() -> None:
    config = _config(DELTA, jira=JIRA)
    plan = diff(config, _observed(config, views=None))
    assert [e.kind for e in plan.errors] == ["unread"]
    assert not any(c.action.endswith("jsm_queue") for c in plan.changes)


def test_an_account_in_a_group_is_matched_by_key_not_by_name_or_email() -> None:
    config = _config(DELTA)
    renamed = Account(key=account("jdoe").key, display_name="J. Doe (new name)", email=None)
    observed = _observed(config, managed("1", "Delta", "NCSA Delta"))
    observed = observed.model_copy(
        update={
            "groups": (
                group("ats-delta-agents").model_copy(update={"members": (renamed,)}),
                group("ats-delta-watchers").model_copy(update={"members": (renamed,)}),
            ),
            "components": (
                ObservedComponent(
                    id="1", name="Delta", description=encode_description("NCSA Delta")
                ),
            ),
        }
    )
    assert diff(config, observed).is_empty


def test_aliases_are_created_with_the_component_and_reported_when_it_is_deleted() -> None:
    config = _config(DELTA.model_copy(update={"aliases": ["DeltaAI", "C, C++"]}))
    create = diff(config, _observed(config)).changes[0]
    assert create.after is not None and create.after["aliases"] == ["DeltaAI", "C, C++"]
    assert 'aliases: DeltaAI, "C, C++"' in describe(create).details

    text = encode_description("NCSA Delta", aliases=["DeltaAI"])
    gone = ObservedComponent(id="1", name="Delta", description=text)
    empty = _config()
    delete = next(c for c in diff(empty, _observed(empty, gone)).changes)
    assert delete.action == "delete_component"
    assert delete.before is not None and delete.before["aliases"] == ["DeltaAI"]


def test_an_alias_update_shows_what_is_added_and_removed_with_hidden_characters_visible() -> None:
    config = _config(DELTA.model_copy(update={"aliases": ["DeltaAI", "JS-2"]}))
    live = encode_description("NCSA Delta", aliases=["DeltaAI", "x\u202ey"])  # hand-made in Jira
    observed = _observed(
        config,
        ObservedComponent(id="1", name="Delta", description=live),
        groups=[group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")],
    )
    (update,) = diff(config, observed).changes
    assert update.action == "update_component"
    assert describe(update).details == ['aliases: + JS-2, - "x<U+202E>y"']
