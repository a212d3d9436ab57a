"""Who is who: every configured person resolved to a Jira `Account`.

The cheapest source first: accounts already seen in managed groups (and component leads, and the
runner) answer most lookups without a request. The rest are searched once each (deduplicated),
with bounded concurrency: an email by exact, case-insensitive match (`user/search`), an
`account_id:` override by direct lookup (`user?accountId=` on Cloud, `user?username=` on DC).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from accessq.config.diagnostics import Diagnostic
from accessq.config.models import Config, Queue, Updater
from accessq.config.people import Person, lookup_key, people
from accessq.model.observed import Account


class Directory(Protocol):
    """The two gateway reads identity resolution needs (a `Gateway` satisfies it)."""

    def search_users(self, text: str) -> list[Account]: ...

    def user(self, key: str) -> Account | None: ...


def pick_by_email(email: str, found: Iterable[Account]) -> Account | None:
    """The account an exact-email search means, or None.

    An exact (case-insensitive) email match wins; when several match, the one active account. A
    user whose profile hides the email is still found by an exact-email search, but without
    `emailAddress`: a single hit with a hidden email is accepted.
    """
    wanted = email.casefold()
    candidates = list(found)
    exact = [a for a in candidates if a.email and a.email.casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        active = [a for a in exact if a.active]
        return active[0] if len(active) == 1 else None
    if len(candidates) == 1 and candidates[0].email is None:
        return candidates[0]
    return None


def resolve_directory(
    gateway: Directory,
    config: Config,
    *,
    seen: Iterable[Account] = (),
    queues: Iterable[Queue] | None = None,
    concurrency: int = 8,
) -> dict[str, Account]:
    """`Observed.directory`: lookup key -> account for each person Jira knows (inactive included).

    People nobody can find are simply absent; `unresolved` turns that into diagnostics.
    """
    jira = config.jira
    keys = sorted(
        {lookup_key(p, jira) for _, _, p in people(config.queues if queues is None else queues)}
    )
    by_email: dict[str, Account] = {}
    by_key: dict[str, Account] = {}
    for account in seen:
        by_key.setdefault(account.key, account)
        if account.email:
            by_email.setdefault(account.email.casefold(), account)

    directory: dict[str, Account] = {}
    pending: list[str] = []
    for key in keys:
        kind, value = key.split(":", 1)
        known = by_email.get(value) if kind == "email" else by_key.get(value)
        if known is not None:
            directory[key] = known
        else:
            pending.append(key)

    def look_up(key: str) -> Account | None:
        kind, value = key.split(":", 1)
        if kind == "account":
            return gateway.user(value)
        return pick_by_email(value, gateway.search_users(value))

    if pending:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            for key, found in zip(pending, pool.map(look_up, pending), strict=True):
                if found is not None:
                    directory[key] = found
    return directory


def unresolved(
    config: Config, directory: dict[str, Account], queues: Iterable[Queue] | None = None
) -> list[Diagnostic]:
    """One diagnostic per place a person is named who has no Jira account or an inactive one."""
    found: list[Diagnostic] = []
    for queue, role, person in people(config.queues if queues is None else queues):
        key = lookup_key(person, config.jira)
        account = directory.get(key)
        who = f"{person.name} ({_identity(person, key)})"
        if account is None:
            found.append(
                Diagnostic(
                    f"queue {queue.name}, {role}: no Jira account for {who}", person.location
                )
            )
        elif not account.active:
            found.append(
                Diagnostic(
                    f"queue {queue.name}, {role}: the Jira account of {who} is deactivated",
                    person.location,
                )
            )
    return sorted(found, key=Diagnostic.sort_key)


def _identity(person: Person, key: str) -> str:
    if person.account_id:
        return f"account_id {person.account_id}"
    email = key.split(":", 1)[1]
    if isinstance(person, Updater):
        return f"username {person.username} -> {email}"
    return email
