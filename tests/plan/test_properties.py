"""Properties of the plan core over generated configurations and live states (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    JiraSettings,
    Role,
    RPQueue,
    SafetyOverrides,
    SafetySettings,
    Updater,
)
from accessq.config.naming import group_name
from accessq.config.people import lookup_key
from accessq.model.naming import ROLES, encode_description, jsm_queue_jql
from accessq.model.observed import Observed, ObservedComponent, ObservedGroup, ObservedJsmQueue
from accessq.plan.diff import diff
from accessq.plan.safety import evaluate
from accessq.plan.serialize import plan_from_json, plan_to_json
from accessq.plan.simulate import simulate
from tests.plan.builders import TARGET, USERS, account, contact, directory, updater

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["Delta", "Anvil", "Expanse", "Bridges-2", "ACCESS-ACO-Support", "ACCESS-CSSN-Support"]
OLD_NAMES = ["NCSA-Delta", "IU-Jetstream", "Retired"]
# Staff of the demo directory (bcarter is inactive); not its portal customer nor app account.
PEOPLE = sorted(
    u
    for u, user in USERS.items()
    if u not in ("accessq-bot", "viewer") and user.get("account_type", "atlassian") == "atlassian"
)
DESCRIPTIONS = [
    "",
    "NCSA Delta",
    "Line one\nline two",
    "Keywords: not really",
    "Managed by accessq.",
]
KEYWORDS = ["cssn", "wiki", "ood", "community forum"]

people = st.lists(st.sampled_from(PEOPLE), unique=True, max_size=5)


@st.composite
def configs(draw: st.DrawFn, jsm: bool | None = None) -> Config:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4))
    old = draw(st.permutations(OLD_NAMES))
    keywords = draw(st.permutations(KEYWORDS))
    rp, awardee = [], []
    for index, name in enumerate(names):
        previously = [old[index]] if index < len(old) and draw(st.booleans()) else []
        common: dict[str, Any] = {
            "name": name,
            "description": draw(st.sampled_from(DESCRIPTIONS)),
            "previously": previously,
        }
        if draw(st.booleans()):
            agents = [contact(u, by_id=u == "pnair") for u in draw(people)]
            watchers = draw(st.none() | people)
            rp.append(
                RPQueue(
                    **common,
                    agents=agents,
                    watchers=None
                    if watchers is None
                    else [contact(u, by_id=u == "pnair") for u in watchers],
                )
            )
        else:
            members = draw(people)
            default = draw(st.none() | st.sampled_from(members)) if members else None
            awardee.append(
                AwardeeQueue(
                    **common,
                    updaters=[updater(u) for u in members],
                    default_assignee=default,
                    keywords=keywords[index::4][:1] if draw(st.booleans()) else [],
                )
            )
    return Config(
        version=1,
        jira=JiraSettings(
            username_email="{username}@access.example.org",
            jsm_queues=draw(st.booleans()) if jsm is None else jsm,
        ),
        rp_queues=rp,
        awardee_queues=awardee,
    )


@st.composite
def observed_for(draw: st.DrawFn, config: Config, *, clean: bool = False) -> Observed:
    """Live state around `config`: managed, unmanaged, renamed, stray and case-shifted objects."""
    names = [*NAMES, *OLD_NAMES, "Stray"]
    components = []
    for index, name in enumerate(draw(st.lists(st.sampled_from(names), unique=True, max_size=6))):
        shown = name.lower() if draw(st.booleans()) else name
        kind = draw(
            st.sampled_from(["managed", "managed", "unmanaged"] if not clean else ["managed"])
        )
        description = draw(st.sampled_from(DESCRIPTIONS))
        lead = draw(st.none() | st.sampled_from(PEOPLE))
        components.append(
            ObservedComponent(
                id=str(10000 + index),
                name=shown,
                description=(
                    encode_description(
                        description,
                        draw(st.lists(st.sampled_from(KEYWORDS), unique=True, max_size=2)),
                    )
                    if kind == "managed"
                    else description
                ),
                lead=account(lead) if lead else None,
                assignee_type=draw(st.sampled_from(["PROJECT_DEFAULT", "COMPONENT_LEAD"])),
            )
        )
    groups = []
    for name, role in draw(
        st.lists(st.tuples(st.sampled_from(names), st.sampled_from(ROLES)), unique=True, max_size=8)
    ):
        members = sorted((account(u) for u in draw(people)), key=lambda a: a.key)
        groups.append(ObservedGroup(name=group_name("ats-", name, role), members=tuple(members)))
    views = None
    if config.jira.jsm_queues:
        views = tuple(
            ObservedJsmQueue(
                id=str(20 + index),
                name=name,
                jql=jsm_queue_jql(name) if draw(st.booleans()) else "resolution = Unresolved",
            )
            for index, name in enumerate(
                draw(st.lists(st.sampled_from([*names, "All open"]), max_size=5))
            )
        )
    missing = [] if clean else draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=3))
    known = [u for u in PEOPLE if u not in missing]
    return Observed(
        target=TARGET,
        components=tuple(components),
        groups=tuple(groups),
        jsm_queues=views,
        directory=directory(config, [u for u in known if not clean or u != "bcarter"]),
        runner=account("accessq-bot"),
    )


@st.composite
def scenarios(draw: st.DrawFn, *, clean: bool = False) -> tuple[Config, Observed]:
    config = draw(configs())
    return config, draw(observed_for(config, clean=clean))


@PROPERTIES
@given(configs())
def test_a_snapshot_built_from_a_config_plans_empty_against_it(config: Config) -> None:
    empty = Observed(
        target=TARGET,
        jsm_queues=() if config.jira.jsm_queues else None,
        directory=directory(config),
    )
    built = simulate(empty, diff(config, empty))
    again = diff(config, built)
    assert again.is_empty, [c.id for c in again.changes]


@PROPERTIES
@given(scenarios())
def test_applying_a_plan_in_memory_converges(scenario: tuple[Config, Observed]) -> None:
    config, observed = scenario
    after = simulate(observed, diff(config, observed))
    again = diff(config, after)
    assert again.is_empty, [c.id for c in again.changes]


@PROPERTIES
@given(scenarios(clean=True))
def test_applying_a_plan_in_memory_yields_the_desired_groups(
    scenario: tuple[Config, Observed],
) -> None:
    config, observed = scenario
    plan = diff(config, observed)
    after = simulate(observed, plan)
    for queue in config.queues:
        if queue.name in plan.skipped:  # left out whole for its errors
            continue
        wanted: dict[Role, list[Contact] | list[Updater]]
        if isinstance(queue, RPQueue):
            wanted = {"agents": queue.agents, "watchers": queue.effective_watchers}
        else:
            wanted = {"updaters": queue.updaters}
        for role, members in wanted.items():
            group = after.group(group_name("ats-", queue.name, role))
            assert group is not None
            keys = [lookup_key(p, config.jira) for p in members]
            wanted_keys = {observed.directory[k].key for k in keys if k in observed.directory}
            assert {m.key for m in group.members} == wanted_keys
        assert after.component(queue.name) is not None


@PROPERTIES
@given(scenarios())
def test_plan_is_deterministic_and_ignores_read_order(scenario: tuple[Config, Observed]) -> None:
    config, observed = scenario
    first = plan_to_json(diff(config, observed))
    assert plan_to_json(diff(config, observed)) == first
    shuffled = observed.model_copy(
        update={
            "components": tuple(reversed(observed.components)),
            "groups": tuple(reversed(observed.groups)),
            "jsm_queues": None
            if observed.jsm_queues is None
            else tuple(reversed(observed.jsm_queues)),
        }
    )
    assert plan_to_json(diff(config, shuffled)) == first


@PROPERTIES
@given(scenarios())
def test_changes_are_ordered_and_depend_only_on_earlier_changes(
    scenario: tuple[Config, Observed],
) -> None:
    config, observed = scenario
    plan = diff(config, observed)
    ids = [c.id for c in plan.changes]
    assert len(ids) == len(set(ids))
    phases = ["create", "add", "update", "remove", "delete"]
    assert [phases.index(c.phase) for c in plan.changes] == sorted(
        phases.index(c.phase) for c in plan.changes
    )
    for position, change in enumerate(plan.changes):
        for dependency in change.depends_on:
            assert dependency in ids[:position], (change.id, dependency)


@PROPERTIES
@given(scenarios())
def test_json_round_trip(scenario: tuple[Config, Observed]) -> None:
    config, observed = scenario
    plan = diff(config, observed)
    assert plan_from_json(plan_to_json(plan)) == plan


@PROPERTIES
@given(scenarios())
def test_only_never_deletes_outside_the_selection(scenario: tuple[Config, Observed]) -> None:
    config, observed = scenario
    plan = diff(config, observed, only={"Delta"})
    assert {c.queue.casefold() for c in plan.changes} <= {"delta"}


# -- safety: more removals never pass a rule that fewer removals failed ---------------------------


@st.composite
def removal_pairs(draw: st.DrawFn) -> tuple[Config, Config, Observed]:
    current = draw(st.lists(st.sampled_from([*PEOPLE, "accessq-bot"]), unique=True, max_size=8))
    kept = draw(st.lists(st.sampled_from(current), unique=True)) if current else []
    kept_fewer = draw(st.lists(st.sampled_from(kept), unique=True)) if kept else []
    added = draw(st.lists(st.sampled_from(PEOPLE), unique=True, max_size=2))
    safety = SafetySettings(
        max_removal_fraction=draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
        min_agents=draw(st.integers(0, 3)),
    )
    override = draw(
        st.none()
        | st.builds(
            SafetyOverrides,
            max_removal_fraction=st.none() | st.sampled_from([0.1, 0.75]),
            min_agents=st.none() | st.integers(0, 3),
        )
    )

    def config(members: list[str]) -> Config:
        agents = [contact(u) for u in dict.fromkeys([*members, *added])]
        queue = RPQueue(name="Delta", agents=agents, safety=override)
        return Config(version=1, safety=safety, rp_queues=[queue])

    more, fewer = config(kept_fewer), config(kept)  # `more` removes more people
    observed = Observed(
        target=TARGET,
        components=(
            ObservedComponent(id="1", name="Delta", description=encode_description("", ())),
        ),
        groups=tuple(
            ObservedGroup(
                name=f"ats-delta-{role}",
                members=tuple(sorted((account(u) for u in current), key=lambda a: a.key)),
            )
            for role in ("agents", "watchers")
        ),
        directory={**directory(more), **directory(fewer)},
        runner=account("accessq-bot"),
    )
    return more, fewer, observed


@PROPERTIES
@given(removal_pairs())
def test_more_removals_never_pass_a_rule_that_fewer_failed(
    pair: tuple[Config, Config, Observed],
) -> None:
    more, fewer, observed = pair
    failed_fewer = {(v.rule, v.queue) for v in evaluate(diff(fewer, observed), fewer, observed)}
    failed_more = {(v.rule, v.queue) for v in evaluate(diff(more, observed), more, observed)}
    assert failed_fewer <= failed_more
