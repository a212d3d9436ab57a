"""`adopt: true`: a queue takes over the unmanaged component of its name, visibly and once."""

from __future__ import annotations

from accessq.config.models import AwardeeQueue, Config, RPQueue, Updater
from accessq.model.naming import MARKER, decode_description
from accessq.model.observed import Observed, ObservedComponent
from accessq.plan.diff import diff
from accessq.plan.simulate import simulate
from accessq.render.plan_markdown import render_markdown
from accessq.render.plan_text import render_text
from tests.plan.builders import (
    TARGET,
    USERS,
    account,
    at,
    contact,
    directory,
    group,
    managed,
)
from tests.plan.builders import config_of as _config

HAND_MADE = ObservedComponent(id="7", name="Delta", description="Hand-made\r\n")


def _observed(config: Config, *components: ObservedComponent) -> Observed:
    return Observed(
        target=TARGET,
        components=components,
        groups=(group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")),
        directory=directory(config),
        runner=account("accessq-bot"),
    )


def _delta(*, adopt: bool, description: str = "Hand-made") -> RPQueue:
    queue = RPQueue(name="Delta", description=description, adopt=adopt, agents=[contact("jdoe", 3)])
    return queue.at(at(1))  # type: ignore[return-value]


def test_adopt_updates_the_component_with_the_marker_instead_of_a_conflict() -> None:
    config = _config(_delta(adopt=True))
    observed = _observed(config, HAND_MADE)
    plan = diff(config, observed)
    assert plan.errors == []
    [change] = plan.changes
    assert (change.action, change.target_id, change.source) == (
        "update_component",
        "7",
        "queues.yaml:1",
    )
    assert change.before == {"description": "Hand-made", "keywords": [], "managed": False}
    assert change.after == {"description": "Hand-made", "keywords": [], "managed": True}
    assert plan.summary.change == ["Delta"]
    assert plan.notes[1] == (
        'Delta: adopts the component "Delta", which accessq does not manage yet (adopt: true): '
        'its description becomes the configured one, ending with the line "Managed by accessq."'
    )

    after = simulate(observed, plan)
    [component] = after.components
    assert decode_description(component.description).managed
    again = diff(config, after)
    assert again.is_empty and again.errors == []
    assert "`adopt: true` can be removed" in " ".join(again.notes)


def test_the_plan_shows_the_adoption_to_reviewers() -> None:
    config = _config(_delta(adopt=True, description="NCSA Delta"))
    plan = diff(config, _observed(config, HAND_MADE))
    text = render_text(plan, color=False)
    assert "~ Delta (adopting an existing component)" in text
    assert "adopted: accessq marks the component as its own (adopt: true)" in text
    assert 'description: "Hand-made" -> "NCSA Delta"' in text
    markdown = render_markdown(plan)
    assert "<strong>Delta (adopting an existing component)</strong>" in markdown
    assert "    adopted: accessq marks the component as its own (adopt: true)" in markdown


def test_without_adopt_the_conflict_stays_and_names_both_ways_to_adopt() -> None:
    config = _config(_delta(adopt=False))
    plan = diff(config, _observed(config, HAND_MADE))
    assert plan.is_empty
    [error] = plan.errors
    assert error.kind == "conflict"
    assert "add `adopt: true` to this queue" in error.message
    assert f'end its description in Jira with the line "{MARKER}"' in error.message


def test_adopt_without_a_component_creates_it_and_says_there_was_nothing_to_adopt() -> None:
    config = _config(_delta(adopt=True))
    plan = diff(config, _observed(config))
    assert plan.summary.create == ["Delta"]
    assert "Delta: adopt: true, but there is no component to adopt; it is created." in plan.notes


def test_an_awardee_queue_adopts_and_takes_its_lead_by_account_id() -> None:
    ada = USERS["alovelace"]
    queue = AwardeeQueue(
        name="ACCESS-ACO-Support",
        adopt=True,
        updaters=[Updater(name="Ada Lovelace", account_id=str(ada["account_id"]))],
        default_assignee=str(ada["account_id"]),
        keywords=["wiki"],
    ).at(at(1))
    config = _config(queue)  # type: ignore[arg-type]
    observed = Observed(
        target=TARGET,
        components=(ObservedComponent(id="9", name="ACCESS-ACO-Support"),),
        groups=(group("ats-access-aco-support-updaters", "alovelace"),),
        directory=directory(config),
        runner=account("accessq-bot"),
    )
    plan = diff(config, observed)
    assert plan.errors == []
    [change] = plan.changes
    assert change.after["managed"] is True and change.after["keywords"] == ["wiki"]
    assert change.after["lead"]["key"] == ada["account_id"]
    assert diff(config, simulate(observed, plan)).is_empty


def test_a_managed_component_is_not_adopted_twice() -> None:
    config = _config(_delta(adopt=True))
    plan = diff(config, _observed(config, managed("7", "Delta", "Hand-made")))
    assert plan.is_empty and plan.errors == []
