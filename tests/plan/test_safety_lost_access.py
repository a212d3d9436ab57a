"""Safety rules for access lost outside the usual member removals: a role a queue no longer has,
and the runner's own membership in a queue being deleted."""

from __future__ import annotations

from accessq.config.models import AwardeeQueue, RPQueue
from accessq.model.observed import Observed
from accessq.plan.diff import diff
from accessq.plan.safety import check
from tests.plan.builders import TARGET, account, contact, directory, group, managed, updater
from tests.plan.builders import config_of as _config


def test_turning_an_rp_queue_into_an_awardee_queue_needs_allow_delete() -> None:
    config = _config(AwardeeQueue(name="Delta", updaters=[updater("alovelace")]))
    observed = Observed(
        target=TARGET,
        components=(managed("1", "Delta"),),
        groups=(
            group("ats-delta-agents", "jdoe", "rpatel", "mgarcia"),
            group("ats-delta-watchers", "jdoe"),
        ),
        directory=directory(config),
    )
    plan = diff(config, observed)
    assert {"delete_group"} <= {c.action for c in plan.changes}
    blocking = check(plan, config, observed)
    assert [v.rule for v in blocking] == ["delete", "delete"]
    assert "ats-delta-agents, whose agents role this queue no longer has" in blocking[0].message
    assert check(plan, config, observed, allow_delete=True) == []


def test_deleting_a_queue_that_holds_the_runner_needs_force_too() -> None:
    config = _config(RPQueue(name="Expanse", agents=[contact("enovak")]))
    runner = account("accessq-bot")
    observed = Observed(
        target=TARGET,
        components=(managed("1", "Expanse"), managed("2", "Delta")),
        groups=(
            group("ats-expanse-agents", "enovak"),
            group("ats-expanse-watchers", "enovak"),
            group("ats-delta-agents", "jdoe", "accessq-bot"),
            group("ats-delta-watchers", "jdoe"),
        ),
        directory=directory(config),
        runner=runner,
    )
    plan = diff(config, observed)
    rules = {v.rule for v in check(plan, config, observed, allow_delete=True)}
    assert rules == {"runner"}
    assert check(plan, config, observed, allow_delete=True, force=True) == []
