"""Who is who: every configured person resolved to a Jira `Account`.

The cheapest source first: accounts already seen in managed groups (and component leads, and the
runner) answer most lookups without a request. The rest are searched once each (deduplicated),
with bounded concurrency: an email by exact, case-insensitive match (`user/search`), an
`account_id:` override by direct lookup (`user?accountId=` on Cloud, `user?username=` on DC).

Cloud's `user/search` matches the prefix of display names as well as emails, and anyone with a
JSM portal account picks their own display name. So an account is taken for an email only when
it shows exactly that email, or, when Jira hides emails, when it is the only account in the
answer that hides its email and whose display name does not look like an email (`pick_by_email`).
Cloud's search also leaves out deactivated users: when someone is still missing, one pass over
every account (`users/search`, which lists inactive ones) tells a deactivated person from one who
never had an account. Whether an account may be granted (staff, active, agreeing with the
configuration) is the plan's decision, made on what is found here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from accessq.config.models import Config, Queue
from accessq.config.people import lookup_key, people
from accessq.model.observed import Account, Flavor, looks_like_email


class Directory(Protocol):
    """The gateway reads identity resolution needs (a `Gateway` satisfies it)."""

    @property
    def flavor(self) -> Flavor: ...

    def search_users(self, text: str) -> list[Account]: ...

    def user(self, key: str) -> Account | None: ...

    def all_users(self) -> Iterator[Account]: ...


@dataclass(frozen=True)
class Ambiguous:
    """Accounts Jira answered with for an email, none of which can be taken for the person."""

    candidates: tuple[Account, ...]


@dataclass
class Identities:
    """What `Observed.directory` and `Observed.ambiguous` hold."""

    directory: dict[str, Account] = field(default_factory=dict)
    ambiguous: dict[str, tuple[Account, ...]] = field(default_factory=dict)


def pick_by_email(
    email: str, found: Iterable[Account], flavor: Flavor
) -> Account | Ambiguous | None:
    """The account an exact-email search means; `Ambiguous` when no single one can be taken.

    An account showing exactly this email (case-insensitive) wins; when several do, the one
    active staff account. Only on Cloud, where profiles may hide emails: with no such account,
    the one account in the answer that hides its email and whose display name does not look like
    an email. Search matches only display names and emails, so such an account is there for its
    email; one named like an email may be there for its name, and cannot be told from the person
    (nor make them ambiguous). Accounts showing another email are prefix matches of somebody else.
    """
    wanted = email.casefold()
    candidates = list({a.key: a for a in found}.values())  # each account once
    exact = [a for a in candidates if a.email and a.email.casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact:
        preferred = [a for a in exact if a.active and a.is_staff(flavor)]
        return preferred[0] if len(preferred) == 1 else Ambiguous(tuple(exact))
    if flavor != "cloud":
        return None  # Data Center shows every email: no account shows this one
    hidden = [a for a in candidates if a.email is None]
    plain = [a for a in hidden if not looks_like_email(a.display_name)]
    if len(plain) == 1:
        return plain[0]
    return Ambiguous(tuple(plain or hidden)) if hidden else None


def resolve_directory(
    gateway: Directory,
    config: Config,
    *,
    seen: Iterable[Account] = (),
    queues: Iterable[Queue] | None = None,
    concurrency: int = 8,
    started: Mapping[str, Future[Account | Ambiguous | None]] | None = None,
) -> Identities:
    """Lookup key -> account for each person Jira knows (inactive included), and the ambiguous.

    `started`: lookups already under way (`look_up`, the reader starts them while it still reads
    groups); a key they hold is not looked up again, and its answer is used only when no seen
    account answers it, so the result is the same as without them. People nobody can find are
    simply absent; the plan turns that into errors.
    """
    flavor = gateway.flavor
    keys = wanted_keys(config, queues)
    result = Identities()
    result.directory, pending = known_from(keys, seen, flavor)
    started = started or {}
    late = [key for key in pending if key not in started]
    missing: list[str] = []
    answers: dict[str, Account | Ambiguous | None] = {}
    if late:
        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            answers = dict(zip(late, pool.map(lambda k: look_up(gateway, k), late), strict=True))
    for key in pending:
        found = answers[key] if key in answers else started[key].result()
        _record(result, key, found)
        if found is None and key.startswith("email:"):
            missing.append(key)
    if missing and flavor == "cloud":
        _find_deactivated(gateway, missing, result)
    return result


def wanted_keys(config: Config, queues: Iterable[Queue] | None = None) -> list[str]:
    """The lookup keys of everyone `queues` (default: all) name, sorted, each once."""
    chosen = config.queues if queues is None else queues
    return sorted({lookup_key(p, config.jira) for _, _, p in people(chosen)})


def known_from(
    keys: Iterable[str], seen: Iterable[Account], flavor: Flavor
) -> tuple[dict[str, Account], list[str]]:
    """The keys `seen` accounts answer without a request, and the keys left to look up."""
    by_email: dict[str, list[Account]] = {}
    by_key: dict[str, Account] = {}
    for account in seen:
        if account.key in by_key or (flavor == "cloud" and account.account_type is None):
            # The same member of several groups; or a Cloud bean without its type, which the
            # plan could not tell to be staff: a lookup gets the whole account.
            continue
        by_key[account.key] = account
        # Only a staff account answers an email without a search: for a customer or app account
        # showing the email, the search may still find the staff account that is the person.
        if account.email and account.is_staff(flavor):
            by_email.setdefault(account.email.casefold(), []).append(account)
    directory: dict[str, Account] = {}
    pending: list[str] = []
    for key in keys:
        kind, value = key.split(":", 1)
        known: Account | Ambiguous | None
        if kind == "email":
            known = pick_by_email(value, by_email.get(value, ()), flavor)
        else:
            known = by_key.get(value)
        if isinstance(known, Account):
            directory[key] = known
        else:
            pending.append(key)
    return directory, pending


def look_up(gateway: Directory, key: str) -> Account | Ambiguous | None:
    """One request: an `account:` key by direct lookup, an `email:` key by exact-email search."""
    kind, value = key.split(":", 1)
    if kind == "account":
        return gateway.user(value)
    return pick_by_email(value, gateway.search_users(value), gateway.flavor)


def _record(result: Identities, key: str, found: Account | Ambiguous | None) -> None:
    if isinstance(found, Account):
        result.directory[key] = found
    elif isinstance(found, Ambiguous):
        result.ambiguous[key] = found.candidates


def _find_deactivated(gateway: Directory, missing: list[str], result: Identities) -> None:
    """Cloud's `user/search` skips deactivated users: look for the missing emails among all.

    One pass, stopped once every missing email has shown up; only accounts that show the email
    can be recognised (a deactivated person who hides it stays "not found").
    """
    emails = {key.split(":", 1)[1]: key for key in missing}
    found: dict[str, list[Account]] = {}
    for account in gateway.all_users():
        email = account.email.casefold() if account.email else None
        if email in emails:
            found.setdefault(email, []).append(account)
            if found.keys() == emails.keys():
                break
    for email, accounts in found.items():
        _record(result, emails[email], pick_by_email(email, accounts, "cloud"))
