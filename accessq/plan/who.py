"""`accessq who`: every queue and role one person has, in the configuration and in Jira.

Pure: the configuration and (unless `--no-jira`) one `Observed` snapshot in, a `WhoReport` out.

Who the person is, is decided as the rest of accessq decides it, never more generously:

- in the configuration, the entries `accessq offboard` would take out (`config.edit.matches`:
  an email, an ACCESS username, an account id or a name, as the file writes it);
- in Jira, the accounts the plan gives those entries (`plan.identify`, a deactivated account
  included), and the accounts of managed groups and component leads that show exactly the email
  asked for (or the one an ACCESS username maps to), or whose key is the account id asked for.
  A display name is never taken for a person (anyone with a portal account picks their own), nor
  is an account that hides its email (Jira's answer to a search would be needed to take it);
- an entry naming someone else whose account the plan resolves to one of those accounts is the
  same person, and is reported too (with match `account`).

Roles in Jira are read from the queues' own objects (`plan.ownership.partition`): the managed
groups of each queue (a former name's included) and the lead of its managed component.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from accessq.config import text
from accessq.config.edit import EditError, check_one_person, matches
from accessq.config.models import AwardeeQueue, Config, Location, Queue, Role, Updater
from accessq.config.origins import Origins
from accessq.config.people import Person, people
from accessq.model.naming import LEAD_ASSIGNEE, parse_group_name
from accessq.model.observed import Account, Observed, Target
from accessq.plan.identify import Refusal, identify
from accessq.plan.ownership import Slot, partition

FORMAT_VERSION = 1
WhoRole = Literal["agents", "watchers", "updaters", "default_assignee"]
Status = Literal["applied", "not_applied", "unresolved", "unchecked"]


class WhoError(Exception):
    """The person cannot be looked up as asked; one printable line."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WhoAccount(_Frozen):
    key: str  # accountId on Cloud, username on Data Center
    display_name: str
    email: str | None
    active: bool


class ConfiguredRole(_Frozen):
    """One role the configuration gives the person."""

    queue: str
    role: WhoRole
    where: str | None  # file:line of the entry (of `default_assignee:` for that role)
    match: str  # how the entry names the person: email, username, account_id, name, account
    implied: bool = False  # watchers omitted: the agents are the watchers
    account: str | None = None  # the key of the account the plan gives the entry
    # applied: Jira has it; not_applied: apply would add it; unresolved: the plan gives the
    # entry no account (`detail` says why); unchecked: Jira not read (--no-jira).
    status: Status
    detail: str | None = None


class LiveRole(_Frozen):
    """One role the person has in Jira, in a queue accessq manages."""

    queue: str
    role: WhoRole
    group: str | None  # None for a component lead (the default assignee)
    account: str
    configured: bool  # False: in Jira, not in the configuration
    queue_configured: bool  # False: the queue itself is no longer configured


class Difference(_Frozen):
    queue: str
    role: WhoRole
    kind: Literal["not_applied", "unresolved", "not_configured"]
    message: str
    where: str | None = None


class WhoReport(_Frozen):
    format_version: int = FORMAT_VERSION
    query: str
    target: Target | None  # None: Jira was not read (--no-jira)
    accounts: list[WhoAccount]
    configured: list[ConfiguredRole]
    live: list[LiveRole] | None  # None: Jira was not read
    differences: list[Difference]

    @property
    def found(self) -> bool:
        return bool(self.configured or self.live)


@dataclass(frozen=True)
class _Entry:
    queue: Queue
    role: Role
    person: Person
    implied: bool


def _entries(config: Config) -> Iterator[_Entry]:
    for queue, role, person in people(config.queues):
        implied = role == "watchers" and person not in queue.listed(role)
        yield _Entry(queue, role, person, implied)


def _assignee_of(queue: Queue) -> Updater | None:
    """The updater `default_assignee` names, as the plan finds them."""
    if not isinstance(queue, AwardeeQueue) or not queue.default_assignee:
        return None
    wanted = queue.default_assignee
    return next(
        (u for u in queue.updaters if (u.username or "").casefold() == wanted.casefold()), None
    ) or next((u for u in queue.updaters if u.account_id == wanted), None)


def _by_query(query: str, accounts: list[Account], config: Config) -> list[Account]:
    """Accounts of managed groups and leads the query names as the plan would: exact key, or
    exactly the email shown (the query's, or the one an ACCESS username maps to)."""
    given = text.normal(query)
    emails = {given.casefold()} if "@" in given else {config.jira.email_of(given).casefold()}
    return [
        a
        for a in accounts
        if a.key == query.strip() or (a.email is not None and a.email.casefold() in emails)
    ]


def who(
    config: Config,
    query: str,
    observed: Observed | None,
    origins: Origins | None = None,
) -> WhoReport:
    """Every role of the person `query` names; `observed` None: the configuration only."""
    try:
        check_one_person(config, query)
    except EditError as exc:
        raise WhoError(str(exc)) from None
    entries = list(_entries(config))
    named = [e for e in entries if matches(e.person, query, config) is not None]
    if observed is None:
        return WhoReport(
            query=query,
            target=None,
            accounts=[],
            configured=_configured(config, named, query, None, set(), origins),
            live=None,
            differences=[],
        )
    slots = partition(config, observed).slots
    seen = {m.key: m for s in slots for g in s.groups for m in g.members}
    for slot in slots:
        if slot.component is not None and slot.component.lead is not None:
            seen.setdefault(slot.component.lead.key, slot.component.lead)
    seen.update({a.key: a for a in observed.directory.values()})
    keys = {a.key for a in _by_query(query, list(seen.values()), config)}
    keys |= {k for e in named if (k := _account_of(e, config, observed)) is not None}
    # Entries naming the same accounts another way are the same person to the plan.
    chosen = [
        e for e in entries if e in named or (_account_of(e, config, observed) or "\0") in keys
    ]
    configured = _configured(config, chosen, query, observed, keys, origins)
    live = _live(slots, keys, configured, config.jira.group_prefix)
    accounts = [
        WhoAccount(key=a.key, display_name=a.display_name, email=a.email, active=a.active)
        for a in sorted((seen[k] for k in keys if k in seen), key=lambda a: a.key)
    ]
    return WhoReport(
        query=query,
        target=observed.target,
        accounts=accounts,
        configured=configured,
        live=live,
        differences=_differences(configured, live),
    )


def _account_of(entry: _Entry, config: Config, observed: Observed) -> str | None:
    found = identify(entry.person, config, observed, f"{entry.queue.name} {entry.role}")
    if isinstance(found, Refusal):
        return found.keep  # a deactivated account is still theirs (and still in the groups)
    return found.account.key


def _short(location: Location | None) -> str | None:
    return location.short if location else None


def _configured(
    config: Config,
    chosen: list[_Entry],
    query: str,
    observed: Observed | None,
    keys: set[str],
    origins: Origins | None,
) -> list[ConfiguredRole]:
    slots = {s.name: s for s in partition(config, observed).slots} if observed else {}
    rows: list[ConfiguredRole] = []
    for entry in chosen:
        at = _short(entry.person.location)
        rows.append(_row(entry, entry.role, at, config, query, observed, slots))
        if entry.role == "updaters" and _assignee_of(entry.queue) is entry.person:
            found = origins.locate(entry.queue, "default_assignee")[0] if origins else None
            at = _short(found or entry.queue.location)
            rows.append(_row(entry, "default_assignee", at, config, query, observed, slots))
    return rows


def _row(
    entry: _Entry,
    role: WhoRole,
    where: str | None,
    config: Config,
    query: str,
    observed: Observed | None,
    slots: dict[str, Slot],
) -> ConfiguredRole:
    account: str | None = None
    detail: str | None = None
    status: Status = "unchecked"
    if observed is not None:
        found = identify(entry.person, config, observed, f"{entry.queue.name} {entry.role}")
        if isinstance(found, Refusal):
            account, detail, status = found.keep, found.message, "unresolved"
        else:
            account = found.account.key
            held = _has(slots.get(entry.queue.name), role, account, config.jira.group_prefix)
            status = "applied" if held else "not_applied"
    return ConfiguredRole(
        queue=entry.queue.name,
        role=role,
        where=where,
        match=matches(entry.person, query, config) or "account",
        implied=entry.implied,
        account=account,
        status=status,
        detail=detail,
    )


def _has(slot: Slot | None, role: WhoRole, key: str, prefix: str) -> bool:
    if slot is None:
        return False
    if role == "default_assignee":
        return _lead(slot) == key
    return any(
        _group_role(prefix, g.name) == role and any(m.key == key for m in g.members)
        for g in slot.groups
    )


def _lead(slot: Slot) -> str | None:
    """The key of the account Jira routes the queue's tickets to, if it routes to a lead."""
    component = slot.component
    if component is None or component.lead is None or component.assignee_type != LEAD_ASSIGNEE:
        return None  # a lead under the project default routes nothing
    return component.lead.key


def _group_role(prefix: str, group: str) -> Role | None:
    parsed = parse_group_name(prefix, group)
    return parsed[1] if parsed is not None else None


def _live(
    slots: list[Slot], keys: set[str], configured: list[ConfiguredRole], prefix: str
) -> list[LiveRole]:
    wanted = {(c.queue, c.role, c.account) for c in configured if c.account is not None}
    rows: list[LiveRole] = []
    for slot in slots:
        held: list[tuple[WhoRole, str | None, str]] = []
        for group in slot.groups:
            group_role = _group_role(prefix, group.name)
            if group_role is not None:
                held += [(group_role, group.name, k) for k in sorted(keys & group.keys())]
        lead = _lead(slot)
        if lead is not None and lead in keys:
            held.append(("default_assignee", None, lead))
        for role, group_name, key in held:
            rows.append(
                LiveRole(
                    queue=slot.name,
                    role=role,
                    group=group_name,
                    account=key,
                    configured=(slot.name, role, key) in wanted,
                    queue_configured=slot.desired is not None,
                )
            )
    return rows


def _differences(configured: list[ConfiguredRole], live: list[LiveRole]) -> list[Difference]:
    out: list[Difference] = []
    for c in configured:
        if c.status == "not_applied":
            out.append(
                Difference(
                    queue=c.queue,
                    role=c.role,
                    kind="not_applied",
                    message="in the configuration, not in Jira yet: apply adds it",
                    where=c.where,
                )
            )
        elif c.status == "unresolved":
            out.append(
                Difference(
                    queue=c.queue,
                    role=c.role,
                    kind="unresolved",
                    message=c.detail or "the plan gives this entry no Jira account",
                    where=c.where,
                )
            )
    for r in live:
        if r.configured:
            continue
        if not r.queue_configured:
            message = (
                "in Jira, and its queue is no longer configured: apply --allow-delete deletes it"
            )
        elif r.role == "default_assignee":
            message = (
                "in Jira (the component lead tickets go to), not in the configuration: apply "
                "routes the queue as configured"
            )
        else:
            message = "in Jira, not in the configuration (added by hand?): apply removes it"
        out.append(Difference(queue=r.queue, role=r.role, kind="not_configured", message=message))
    return out
