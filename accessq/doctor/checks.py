"""The checks of `accessq doctor`, against docs/site-setup.md (its anchors are in the fixes).

Every requirement gives one `Finding`: pass (with how it is met), fail (with the missing grant
and how to add it), or unchecked (the part of the site could not be read by this account).
"""

from __future__ import annotations

from collections.abc import Iterator

from accessq.config.models import AwardeeQueue, Config, Queue, Role
from accessq.config.naming import group_name
from accessq.config.people import lookup_key
from accessq.doctor.findings import Finding, Report
from accessq.model.access import Holder, RoleGroups, SiteAccess
from accessq.model.observed import Account, Observed

SETUP = "docs/site-setup.md"
AGENT_LICENCE = "jira-servicedesk"  # the application role of Jira Service Management
LABELS = {
    "BROWSE_PROJECTS": "Browse Projects",
    "EDIT_ISSUES": "Edit Issues",
    "ASSIGN_ISSUES": "Assign Issues",
    "TRANSITION_ISSUES": "Transition Issues",
    "ASSIGNABLE_USER": "Assignable User",
    "USER_PICKER": "Browse users and groups",
    "ADMINISTER_PROJECTS": "Administer Projects",
    "ADMINISTER": "Administer Jira",
    "SYSTEM_ADMIN": "Jira System Administrators",
}
# What each role's group must be granted: (check, permission).
NEEDS: dict[Role, tuple[tuple[str, str], ...]] = {
    "agents": (("browse", "BROWSE_PROJECTS"),),
    "watchers": (("browse", "BROWSE_PROJECTS"),),
    "updaters": (
        ("browse", "BROWSE_PROJECTS"),
        ("update", "EDIT_ISSUES"),
        ("update", "ASSIGN_ISSUES"),
        ("update", "TRANSITION_ISSUES"),
        ("update", "ASSIGNABLE_USER"),
    ),
}
# The events a watchers' group must be told of: (Jira's event id, its name).
WATCHER_EVENTS = ((1, "Issue Created"), (6, "Issue Commented"))
# The apply account's needs; the read-only account must hold the reads and none of the writes.
READS = ("BROWSE_PROJECTS", "USER_PICKER")
WRITES = ("ADMINISTER_PROJECTS", "ADMINISTER")
READ_ONLY_FORBIDS = ("ADMINISTER_PROJECTS", "ADMINISTER", "SYSTEM_ADMIN")


def diagnose(
    config: Config, observed: Observed, access: SiteAccess, *, read_only: bool = False
) -> Report:
    """Every finding for the configured queues and the account the run signed in as."""
    checker = _Checker(config, observed, access)
    findings = [f for queue in config.queues for f in checker.queue(queue)]
    findings += checker.runner(read_only=read_only)
    return Report(
        findings=tuple(findings),
        project=config.jira.project,
        runner=_who(access.runner),
        read_only=read_only,
    )


def _who(account: Account) -> str:
    return account.display_name or account.key


class _Checker:
    def __init__(self, config: Config, observed: Observed, access: SiteAccess) -> None:
        self.config = config
        self.observed = observed
        self.access = access
        self.project = config.jira.project
        roles = access.roles or ()
        self.roles: dict[str, RoleGroups] = {r.id: r for r in roles}

    # -- one queue ---------------------------------------------------------------------------

    def queue(self, queue: Queue) -> Iterator[Finding]:
        for role in queue.ROLES:
            group = group_name(self.config.jira.group_prefix, queue.name, role)
            if self.observed.group(group) is None:
                yield Finding(
                    _first_check(role),
                    queue.name,
                    group,
                    "fail",
                    f"{group} does not exist in Jira: run accessq apply to create it",
                )
                continue
            for check, permission in NEEDS[role]:
                yield self.grant(queue, group, check, permission)
            if role == "watchers":
                for event_id, event in WATCHER_EVENTS:
                    yield self.notice(queue, group, event_id, event)
            if role == "agents" and self.config.jira.require_agent_licence:
                yield from self.licences(queue, group)
        if isinstance(queue, AwardeeQueue) and queue.default_assignee:
            yield self.assignee(queue)

    def _via(self, holder: Holder, group: str) -> str | None:
        """How the holder includes the group's members, or None when it does not."""
        kind = holder.type.casefold()
        if (
            kind == "group"
            and (holder.name or holder.parameter or "").casefold() == group.casefold()
        ):
            return f"group {group}"
        if kind == "projectrole":
            role = self.roles.get(holder.parameter or "")
            if role and any(g.casefold() == group.casefold() for g in role.groups):
                return f"project role {role.name}"
        if kind == "groupcustomfield":
            field = holder.name or holder.parameter
            return f"group field {field} (filled by the automation rule: assumed, not checked)"
        if kind == "anyone":
            return "anyone (every signed-in user)"
        return None

    def _unknown_roles(self, holders: list[Holder]) -> bool:
        """A role holder whose actors could not be read might include the group."""
        return self.access.roles is None and any(
            h.type.casefold() == "projectrole" for h in holders
        )

    def grant(self, queue: Queue, group: str, check: str, permission: str) -> Finding:
        label = LABELS[permission]
        if self.access.grants is None:
            return Finding(
                check,
                queue.name,
                group,
                "unchecked",
                f"{self.access.grants_error}",
            )
        holders = [g.holder for g in self.access.grants if g.permission == permission]
        for holder in holders:
            via = self._via(holder, group)
            if via:
                return Finding(check, queue.name, group, "pass", f"{group} has {label} via {via}")
        if self._unknown_roles(holders):
            return Finding(
                check,
                queue.name,
                group,
                "unchecked",
                f"{self.access.roles_error}",
            )
        return Finding(
            check,
            queue.name,
            group,
            "fail",
            f"{group} lacks {label} in {self.project}: in the project's permission scheme, grant "
            f"{label} to the group field the automation rule fills (or to group {group}); "
            f"{SETUP}#the-permission-scheme",
        )

    def notice(self, queue: Queue, group: str, event_id: int, event: str) -> Finding:
        if self.access.notices is None:
            return Finding(
                "notify",
                queue.name,
                group,
                "unchecked",
                f"{self.access.notices_error}",
            )
        holders = [n.recipient for n in self.access.notices if n.event_id == event_id]
        for holder in holders:
            via = self._via(holder, group)
            if via:
                return Finding(
                    "notify", queue.name, group, "pass", f"{group} is told of {event} via {via}"
                )
        if self._unknown_roles(holders):
            return Finding(
                "notify",
                queue.name,
                group,
                "unchecked",
                f"{self.access.roles_error}",
            )
        return Finding(
            "notify",
            queue.name,
            group,
            "fail",
            f"{group} is not told of {event} in {self.project}: in the project's notification "
            f"scheme, add the recipient Group custom field value (the watchers field) or Group "
            f"{group} to {event}; {SETUP}#the-notification-scheme",
        )

    def licences(self, queue: Queue, group: str) -> Iterator[Finding]:
        observed = self.observed.group(group)
        members = observed.members if observed else ()
        licences = self.access.licences
        for member in members:
            who = f"{_who(member)} ({group})"
            if licences is None or member.key not in licences:
                reason = self.access.licences_error or "product access not read"
                yield Finding("licence", queue.name, who, "unchecked", reason)
            elif AGENT_LICENCE in licences[member.key]:
                yield Finding(
                    "licence", queue.name, who, "pass", f"{who} has a Service Management licence"
                )
            else:
                yield Finding(
                    "licence",
                    queue.name,
                    who,
                    "fail",
                    f"{who} has no Jira Service Management licence (jira.require_agent_licence): "
                    f"give them agent product access; {SETUP}#service-desk-agent-licences",
                )

    def assignee(self, queue: AwardeeQueue) -> Finding:
        name = queue.default_assignee or ""
        account = default_assignee_account(self.config, self.observed, queue)
        if account is None:
            return Finding(
                "assignee",
                queue.name,
                name,
                "fail",
                f"default assignee {name} of {queue.name} has no Jira account accessq can find: "
                "check the updater's username or account_id (accessq plan says more)",
            )
        who = f"{_who(account)} (default assignee)"
        if not account.active:
            return Finding(
                "assignee",
                queue.name,
                who,
                "fail",
                f"{who} of {queue.name} is deactivated in Jira: reactivate the account or "
                "choose another default_assignee",
            )
        if self.access.assignable_error or account.key not in self.access.assignable:
            reason = self.access.assignable_error or "not read"
            return Finding("assignee", queue.name, who, "unchecked", reason)
        if self.access.assignable[account.key]:
            return Finding(
                "assignee", queue.name, who, "pass", f"{who} can be assigned new tickets"
            )
        return Finding(
            "assignee",
            queue.name,
            who,
            "fail",
            f"{who} of {queue.name} cannot be assigned new tickets of {self.project}: Jira would "
            f"refuse every ticket of the queue; grant Assignable User to the updaters and give "
            f"them a Service Management licence; {SETUP}#the-permission-scheme",
        )

    # -- the account accessq runs as ---------------------------------------------------------

    def runner(self, *, read_only: bool) -> list[Finding]:
        held = self.access.runner_permissions
        who = _who(self.access.runner)
        out: list[Finding] = []
        needs = READS if read_only else READS + WRITES
        for permission in needs:
            label = LABELS[permission]
            if held.get(permission) or (permission == "USER_PICKER" and held.get("ADMINISTER")):
                out.append(Finding("runner", None, who, "pass", f"{who} has {label}"))
            else:
                out.append(
                    Finding(
                        "runner",
                        None,
                        who,
                        "fail",
                        f"{who} lacks {label}, which accessq {'plan' if read_only else 'apply'} "
                        f"needs; {SETUP}#the-accessq-accounts",
                    )
                )
        if read_only:
            for permission in READ_ONLY_FORBIDS:
                if held.get(permission):
                    out.append(
                        Finding(
                            "runner",
                            None,
                            who,
                            "fail",
                            f"{who} is meant to be read-only but holds {LABELS[permission]}: "
                            f"take it away (the plan account must not be able to write); "
                            f"{SETUP}#the-accessq-accounts",
                        )
                    )
        return out


def _first_check(role: Role) -> str:
    return NEEDS[role][0][0]


def licence_keys(config: Config, observed: Observed) -> list[str] | None:
    """The accounts whose product access the doctor needs (None: require_agent_licence off)."""
    if not config.jira.require_agent_licence:
        return None
    keys: list[str] = []
    for queue in config.queues:
        if "agents" in queue.ROLES:
            group = observed.group(group_name(config.jira.group_prefix, queue.name, "agents"))
            keys += [m.key for m in group.members] if group else []
    return keys


def default_assignee_account(
    config: Config, observed: Observed, queue: AwardeeQueue
) -> Account | None:
    """The Jira account of the queue's default assignee, as the plan resolves it."""
    wanted = (queue.default_assignee or "").casefold()
    updater = next(
        (u for u in queue.updaters if (u.username or "").casefold() == wanted), None
    ) or next((u for u in queue.updaters if (u.account_id or "").casefold() == wanted), None)
    if updater is None:
        return None
    return observed.directory.get(lookup_key(updater, config.jira))


def assignee_keys(config: Config, observed: Observed) -> list[str]:
    """The accounts of the default assignees, to ask Jira whether each can be assigned."""
    accounts = (
        default_assignee_account(config, observed, q)
        for q in config.awardee_queues
        if q.default_assignee
    )
    return [a.key for a in accounts if a is not None and a.active]
