"""Safety rules: each violation names the rule, the counts, the setting and the overriding flag."""

from __future__ import annotations

from accessq.config.models import (
    AwardeeQueue,
    Config,
    JiraSettings,
    RPQueue,
    SafetyOverrides,
    SafetySettings,
)
from accessq.model.observed import Observed
from accessq.plan.diff import diff
from accessq.plan.safety import check, evaluate, with_overrides
from tests.plan.builders import TARGET, account, contact, directory, group, managed, updater

FIVE = ["jdoe", "rpatel", "mgarcia", "tbecker", "lwei"]


def _run(
    queue: RPQueue | AwardeeQueue,
    current: list[str],
    *,
    safety: SafetySettings | None = None,
    extra: tuple = (),
    runner: str = "accessq-bot",
):
    config = Config(
        version=1,
        jira=JiraSettings(username_email="{username}@access.example.org"),
        safety=safety or SafetySettings(),
        rp_queues=[queue] if isinstance(queue, RPQueue) else [],
        awardee_queues=[queue] if isinstance(queue, AwardeeQueue) else [],
    )
    roles = ("agents", "watchers") if isinstance(queue, RPQueue) else ("updaters",)
    slug = queue.name.lower()
    observed = Observed(
        target=TARGET,
        components=(managed("1", queue.name, queue.description), *extra),
        groups=tuple(group(f"ats-{slug}-{role}", *current) for role in roles),
        directory=directory(config),
        runner=account(runner),
    )
    plan = diff(config, observed)
    return plan, config, observed


def _delta(keep: list[str], **kw) -> RPQueue:
    return RPQueue(name="Delta", agents=[contact(u) for u in keep], **kw)


def test_removing_more_than_the_fraction_is_blocked_with_the_counts_and_the_flag() -> None:
    plan, config, observed = _run(_delta(["jdoe", "rpatel"]), FIVE)
    messages = [v.message for v in evaluate(plan, config, observed)]
    assert messages == [
        "Delta: removing 3 of 5 agents (60%) exceeds max_removal_fraction 0.25; "
        "re-run with --force to override",
        "Delta: removing 3 of 5 watchers (60%) exceeds max_removal_fraction 0.25; "
        "re-run with --force to override",
    ]
    [first, _] = evaluate(plan, config, observed)
    assert (first.rule, first.setting, first.value, first.flag) == (
        "max_removal_fraction",
        "max_removal_fraction",
        0.25,
        "--force",
    )
    assert check(plan, config, observed, force=True) == []


def test_the_fraction_is_a_limit_not_a_target_and_small_groups_are_not_counted() -> None:
    four = FIVE[:4]
    plan, config, observed = _run(_delta(four[1:]), four)  # 1 of 4 = 25%: allowed
    assert evaluate(plan, config, observed) == []
    plan, config, observed = _run(_delta(["jdoe"]), FIVE[:3])  # 2 of 3, but only 3 members
    assert evaluate(plan, config, observed) == []


def test_a_queue_override_beats_the_top_level_setting() -> None:
    queue = _delta(["jdoe", "rpatel"], safety=SafetyOverrides(max_removal_fraction=0.6))
    plan, config, observed = _run(queue, FIVE)
    assert evaluate(plan, config, observed) == []
    strict = _delta(["jdoe", "rpatel"], safety=SafetyOverrides(max_removal_fraction=0.5))
    plan, config, observed = _run(strict, FIVE, safety=SafetySettings(max_removal_fraction=0.9))
    assert {v.value for v in evaluate(plan, config, observed)} == {0.5}


def test_a_queue_left_with_too_few_agents_or_updaters_is_blocked() -> None:
    plan, config, observed = _run(_delta([]), ["jdoe"])
    [violation] = [v for v in evaluate(plan, config, observed) if v.rule == "min_agents"]
    assert violation.message == (
        "Delta: would be left with 0 agents, fewer than min_agents 1; "
        "re-run with --force to override"
    )
    queue = AwardeeQueue(name="ACCESS-X", updaters=[updater("alovelace")])
    plan, config, observed = _run(
        queue, ["alovelace", "aturing"], safety=SafetySettings(min_agents=2)
    )
    assert [v.message for v in evaluate(plan, config, observed)] == [
        "ACCESS-X: would be left with 1 updater, fewer than min_agents 2; "
        "re-run with --force to override"
    ]


def test_removing_the_account_accessq_runs_as_is_blocked() -> None:
    plan, config, observed = _run(_delta(["jdoe"]), ["jdoe", "accessq-bot"])
    assert [v.message for v in evaluate(plan, config, observed) if v.rule == "runner"] == [
        "Delta: removes accessq automation <accessq-bot@access.example.org>, the account "
        "accessq runs as, from the agents; re-run with --force to override",
        "Delta: removes accessq automation <accessq-bot@access.example.org>, the account "
        "accessq runs as, from the watchers; re-run with --force to override",
    ]


def test_deleting_a_queue_needs_allow_delete_and_force_does_not_do() -> None:
    old = managed("2", "Old", "gone")
    plan, config, observed = _run(_delta(["jdoe"]), ["jdoe"], extra=(old,))
    [violation] = check(plan, config, observed, force=True)
    assert violation.message == (
        "Old: the plan deletes this queue (the component); re-run with --allow-delete to allow it"
    )
    assert check(plan, config, observed, allow_delete=True) == []
    [marked] = with_overrides(evaluate(plan, config, observed), allow_delete=True)
    assert marked.overridden


def test_a_rename_that_moves_everyone_removes_nobody() -> None:
    queue = RPQueue(name="Delta", previously=["NCSA-Delta"], agents=[contact(u) for u in FIVE])
    config = Config(version=1, rp_queues=[queue])
    observed = Observed(
        target=TARGET,
        components=(managed("1", "NCSA-Delta"),),
        groups=(
            group("ats-ncsa-delta-agents", *FIVE, "accessq-bot"),
            group("ats-ncsa-delta-watchers", *FIVE),
        ),
        directory=directory(config),
        runner=account("accessq-bot"),
    )
    plan = diff(config, observed)
    assert {c.action for c in plan.changes} >= {"delete_group", "create_group"}
    # Only the runner, who is not configured, leaves, with the old agents group: deleting that
    # group takes their access (--allow-delete), and it is the runner (--force). The watchers
    # moved to the new group, all of them: deleting the old one needs no flag.
    violations = evaluate(plan, config, observed)
    assert [(v.rule, v.flag) for v in violations] == [
        ("delete", "--allow-delete"),
        ("runner", "--force"),
    ]
    assert violations[0].message == (
        "Delta: the plan deletes group ats-ncsa-delta-agents, and 1 of its 6 members would not "
        "be in ats-delta-agents after it (accessq automation <accessq-bot@access.example.org>); "
        "re-run with --allow-delete to allow it"
    )
