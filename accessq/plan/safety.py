"""Safety rules (DESIGN.md section 4): what a plan may not do without an explicit flag.

Evaluated on a plan, at plan time and again at apply time; a violation blocks with exit code 3.
Membership rules compare, per queue and role, who holds the role before the plan and after it (so a
rename that moves everyone into a new group removes nobody). A queue that the plan deletes is
governed by the delete rule alone. Each rule is monotone: removing more never passes a rule that
removing less failed.

The open-tickets rule: a deleted component that holds open tickets (as read now, so apply
checks again) must say where they go (`retired_queues`); no flag overrides it, since deleting it
would take the component off those tickets and out of every queue.

The delete rule covers every group the plan deletes: those of a deleted queue, a group of a role
its queue no longer has, and a former name's group (a rename) unless every one of its members is
in the queue's own group for that role after the plan. A rename that moves everyone is what the
reviewer approved with the new name; one that would also take someone's access with the old
group says who, and waits for `--allow-delete`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from accessq.config.models import Config, Queue
from accessq.config.naming import group_name
from accessq.model.observed import Observed, ObservedGroup
from accessq.plan.model import Change, Plan
from accessq.plan.simulate import simulate

Rule = Literal["delete", "open_tickets", "max_removal_fraction", "min_agents", "runner"]
Flag = Literal["--force", "--allow-delete"]
_RULE_ORDER: tuple[Rule, ...] = (
    "delete",
    "open_tickets",
    "max_removal_fraction",
    "min_agents",
    "runner",
)
FRACTION_MIN_GROUP = 4  # smaller groups change by whole people: a fraction says little there
MAX_NAMED = 3  # people a delete violation names before `and N more`


class Violation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: Rule
    queue: str
    message: str  # one line, names the counts, the setting and the flag
    setting: str | None = None  # e.g. max_removal_fraction
    value: float | int | None = None  # the setting's value for this queue
    # The command-line flag that overrides this rule; None: no flag does (open_tickets).
    flag: Flag | None
    overridden: bool = False  # the flag was given: reported, not blocking


def _fold(name: str) -> str:
    return name.casefold()


def _limits(queue: Queue, config: Config) -> tuple[float, int]:
    override = queue.safety
    fraction = config.safety.max_removal_fraction
    minimum = config.safety.min_agents
    if override is not None and override.max_removal_fraction is not None:
        fraction = override.max_removal_fraction
    if override is not None and override.min_agents is not None:
        minimum = override.min_agents
    return fraction, minimum


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count != 1 else f"1 {word.rstrip('s')}"


def evaluate(plan: Plan, config: Config, observed: Observed) -> list[Violation]:
    """Every rule the plan breaks, whether or not a flag overrides it."""
    desired = {_fold(q.name): q for q in config.queues}
    after = simulate(observed, plan)
    violations: list[Violation] = []

    deleted: dict[str, list[str]] = {}
    roles: dict[tuple[str, str], set[str]] = {}  # (queue, role) -> groups the plan touches
    dropped_roles: list[tuple[str, str, str]] = []  # (queue, role, group) of a role a queue lost
    former: list[tuple[Queue, Change]] = []  # group deletions of a kept role (renames)
    for change in plan.changes:
        if change.role is not None:
            roles.setdefault((change.queue, change.role), set()).add(change.target)
        queue = desired.get(_fold(change.queue))
        if queue is None:
            deleted.setdefault(change.queue, []).append(change.action)
        elif change.action == "delete_group" and change.role not in queue.ROLES:
            dropped_roles.append((change.queue, change.role or "", change.target))
        elif change.action == "delete_group":
            former.append((queue, change))

    for gone, actions in deleted.items():
        what = ["the component"] if "delete_component" in actions else []
        for action, noun in (("delete_group", "groups"), ("delete_jsm_queue", "JSM queue views")):
            if action in actions:
                what.append(_plural(actions.count(action), noun))
        violations.append(
            Violation(
                rule="delete",
                queue=gone,
                message=f"{gone}: the plan deletes this queue ({', '.join(what)}); "
                "re-run with --allow-delete to allow it",
                flag="--allow-delete",
            )
        )

    violations += _open_tickets(plan, observed)

    for queue_name, role, group in dropped_roles:
        violations.append(
            Violation(
                rule="delete",
                queue=queue_name,
                message=f"{queue_name}: the plan deletes group {group}, whose {role} role this "
                "queue no longer has; re-run with --allow-delete to allow it",
                flag="--allow-delete",
            )
        )

    runner = observed.runner
    groups_before, groups_after = _by_name(observed), _by_name(after)
    for queue, change in former:
        violation = _unmoved(queue, change, config, groups_before, groups_after)
        if violation is not None:
            violations.append(violation)
    for (queue_name, role), groups in roles.items():
        before_keys = _members(groups_before, groups)
        after_keys = _members(groups_after, groups)
        removed = before_keys - after_keys
        if runner is not None and runner.key in removed:
            # Checked for deleted queues too: losing the runner locks accessq out either way.
            violations.append(
                Violation(
                    rule="runner",
                    queue=queue_name,
                    message=f"{queue_name}: removes {runner.label()}, the account accessq runs as, "
                    f"from the {role}; re-run with --force to override",
                    flag="--force",
                )
            )
        queue = desired.get(_fold(queue_name))
        if queue is None:  # a deleted queue is governed by the delete rule
            continue
        # Count the queue's own group for the role too, touched or not: after an interrupted
        # rename the new group may already hold everyone while only the old one is deleted.
        own = group_name(config.jira.group_prefix, queue.name, role)  # type: ignore[arg-type]
        groups = groups | {own}
        before_keys = _members(groups_before, groups)
        after_keys = _members(groups_after, groups)
        removed = before_keys - after_keys
        fraction, minimum = _limits(queue, config)
        total = len(before_keys)
        if total >= FRACTION_MIN_GROUP and removed and len(removed) / total > fraction:
            percent = round(100 * len(removed) / total)
            violations.append(
                Violation(
                    rule="max_removal_fraction",
                    queue=queue_name,
                    message=f"{queue_name}: removing {len(removed)} of {total} {role} ({percent}%) "
                    f"exceeds max_removal_fraction {fraction:g}; re-run with --force to override",
                    setting="max_removal_fraction",
                    value=fraction,
                    flag="--force",
                )
            )
        primary = queue.ROLES[0]
        if role == primary and len(after_keys) < minimum:
            violations.append(
                Violation(
                    rule="min_agents",
                    queue=queue_name,
                    message=f"{queue_name}: would be left with {_plural(len(after_keys), role)}, "
                    f"fewer than min_agents {minimum}; re-run with --force to override",
                    setting="min_agents",
                    value=minimum,
                    flag="--force",
                )
            )
    return sorted(
        violations, key=lambda v: (_fold(v.queue), v.queue, _RULE_ORDER.index(v.rule), v.message)
    )


def _open_tickets(plan: Plan, observed: Observed) -> list[Violation]:
    """Deletions that would strip the component from open tickets (or that could not tell)."""
    found = []
    for change in plan.changes:
        if change.action != "delete_component":
            continue
        if change.tickets is not None and change.tickets.move_to is not None:
            continue
        live = next((c for c in observed.components if c.id == change.target_id), None)
        if live is None:
            continue  # already gone: deleting it takes nothing
        held = live.tickets.open if live.tickets is not None else None
        if held == 0:
            continue
        counted = (
            "open tickets that were not counted"
            if held is None
            else (_plural(held, "open tickets"))
        )
        found.append(
            Violation(
                rule="open_tickets",
                queue=change.queue,
                message=f"{change.queue}: the plan deletes this queue, whose component holds "
                f"{counted}; say where they go in retired_queues "
                f"(- {{name: {change.target}, move_tickets_to: ...}}); --allow-delete does not "
                "override this",
                flag=None,
            )
        )
    return found


def _unmoved(
    queue: Queue,
    change: Change,
    config: Config,
    before: dict[str, ObservedGroup],
    after: dict[str, ObservedGroup],
) -> Violation | None:
    """The delete rule for a kept role's group: it may go when its people all moved."""
    own = group_name(config.jira.group_prefix, queue.name, change.role)  # type: ignore[arg-type]
    deleted = before.get(change.target.casefold())
    if deleted is None:
        return None  # not there: deleting it takes nothing
    staying = after.get(own.casefold())
    kept = staying.keys() if staying is not None else frozenset()
    left = [m for m in deleted.members if m.key not in kept]
    if not left:
        return None
    total = len(deleted.members)
    shown = ", ".join(m.label() for m in left[:MAX_NAMED])
    if len(left) > MAX_NAMED:
        shown += f" and {len(left) - MAX_NAMED} more"
    return Violation(
        rule="delete",
        queue=queue.name,
        message=f"{queue.name}: the plan deletes group {change.target}, and {len(left)} of its "
        f"{total} members would not be in {own} after it ({shown}); re-run with --allow-delete "
        "to allow it",
        flag="--allow-delete",
    )


def _members(groups: dict[str, ObservedGroup], names: set[str]) -> frozenset[str]:
    keys: set[str] = set()
    for name in names:
        group = groups.get(name.casefold())
        if group is not None:
            keys |= group.keys()
    return frozenset(keys)


def _by_name(observed: Observed) -> dict[str, ObservedGroup]:
    return {g.name.casefold(): g for g in observed.groups}


def check(
    plan: Plan,
    config: Config,
    observed: Observed,
    *,
    force: bool = False,
    allow_delete: bool = False,
) -> list[Violation]:
    """The violations that still block the plan with these flags (empty: the plan may run)."""
    return [v for v in evaluate(plan, config, observed) if not _overridden(v, force, allow_delete)]


def _overridden(violation: Violation, force: bool, allow_delete: bool) -> bool:
    if violation.flag is None:
        return False
    return force if violation.flag == "--force" else allow_delete


def with_overrides(
    violations: list[Violation], *, force: bool = False, allow_delete: bool = False
) -> list[Violation]:
    """All violations, each marked `overridden` when its flag was given (for reporting)."""
    return [
        v.model_copy(update={"overridden": _overridden(v, force, allow_delete)}) for v in violations
    ]
