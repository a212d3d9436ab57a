"""`plan` and `apply` with the record of what apply last applied (accessq.plan.drift): label a
plan's changes drift or configuration, and record an apply's outcome."""

from __future__ import annotations

from accessq.apply.applied import Recorded, read_applied, write_applied
from accessq.apply.engine import ApplyResult
from accessq.config.models import Config
from accessq.config.selection import is_selected
from accessq.jira.gateway import Gateway
from accessq.plan.drift import merged, origins
from accessq.plan.model import Plan


def labelled(plan: Plan, config: Config, gateway: Gateway) -> tuple[Plan, Recorded]:
    """The plan with each queue's changes labelled; unchanged when Jira holds no usable record
    (a site never applied says nothing; an unusable record adds one note)."""
    recorded = read_applied(gateway)
    if recorded.note is not None:
        return plan.model_copy(update={"notes": [*plan.notes, recorded.note]}), recorded
    if recorded.queues is None:
        return plan, recorded
    return plan.model_copy(update={"origins": origins(plan, config, recorded.queues)}), recorded


def record_applied(
    plan: Plan, config: Config, gateway: Gateway, recorded: Recorded, result: ApplyResult | None
) -> str | None:
    """Record the queues this apply made match (or found matching); a warning line or None."""
    done = {s.change.id for s in (result.steps if result else []) if s.status == "done"}
    confirmed = {
        q.name
        for q in config.queues
        if is_selected(q, plan.only)
        and q.name not in plan.skipped
        and all(c.id in done for c in plan.changes if c.queue == q.name)
    }
    record = merged(recorded.queues, config, plan, confirmed)
    if record == recorded.queues:
        return None  # nothing new to say: no write
    return write_applied(gateway, record, before=recorded.parts)
