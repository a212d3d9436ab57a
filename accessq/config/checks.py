"""Rules across values of a configuration, which one field's validator cannot see.

Unique queue names (compared by `text.fold`: Unicode-normalised and case-insensitive, `previously`
names included) and Jira group names, a default assignee among the updaters (by username or
account_id), a routing term (keyword, alias, RP queue name) claimed once, nobody twice in one
list; a retired queue that is not configured, listed once, whose tickets go to a queue by its
current name and not to a retired one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from accessq.config.diagnostics import Diagnostic
from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    Location,
    Queue,
    RetiredQueue,
    RPQueue,
    Updater,
)
from accessq.config.naming import group_name, slug
from accessq.config.origins import Origins
from accessq.config.text import fold, has_letter_or_digit, route_tokens

MAX_GROUP_NAME = 255  # Jira's limit on a group name


def check_config(config: Config, origins: Origins | None = None) -> list[Diagnostic]:
    """Every cross-value error of `config`; positions from `origins` (else `.location`)."""
    where = origins or Origins()
    return [
        *_names(config, where),
        *_keywords(config, where),
        *_assignees(config, where),
        *_people(config, where),
        *_retired(config, where),
    ]


@dataclass(frozen=True)
class _Name:
    queue: RPQueue | AwardeeQueue
    text: str
    field: tuple[str | int, ...]  # ('name',) or ('previously', i)
    location: Location | None
    key_path: str | None

    @property
    def former(self) -> bool:
        return self.field[0] == "previously"

    @property
    def what(self) -> str:
        return "former name" if self.former else "queue name"


def _where(loc: Location | None) -> str:
    return f" at {loc.short}" if loc else ""


def _reading_order(loc: Location | None) -> tuple[bool, Location]:
    # "First" means first in reading order, whatever order the queues were merged in; values
    # without a position (a Config built in code) come after, in their own order.
    return (loc is None, loc or Location("", 0, 0))


def _sorted(names: list[_Name]) -> list[_Name]:
    return sorted(names, key=lambda n: _reading_order(n.location))


def _all_names(config: Config, where: Origins) -> list[_Name]:
    names: list[_Name] = []
    for queue in config.queues:
        fields: list[tuple[tuple[str | int, ...], str]] = [(("name",), queue.name)]
        fields += [(("previously", i), old) for i, old in enumerate(queue.previously)]
        for field, text in fields:
            loc, key_path = where.locate(queue, *field)
            names.append(_Name(queue, text, field, loc, key_path))
    return _sorted(names)


def _names(config: Config, where: Origins) -> Iterator[Diagnostic]:
    by_fold: dict[str, _Name] = {}
    by_slug: dict[str, _Name] = {}
    for name in _all_names(config, where):
        if not has_letter_or_digit(name.text):
            yield Diagnostic(
                f"{name.what} '{name.text}' has no letters or digits, "
                "so it gives no Jira group name",
                name.location,
                name.key_path,
            )
            continue
        longest = group_name(config.jira.group_prefix, name.text, "watchers")
        if len(longest) > MAX_GROUP_NAME:
            yield Diagnostic(
                f"{name.what} '{name.text[:40]}...' is too long: its group {longest[:30]}... "
                f"would have {len(longest)} characters, and Jira allows {MAX_GROUP_NAME}",
                name.location,
                name.key_path,
            )
            continue
        first = by_fold.setdefault(fold(name.text), name)
        if first is not name:
            yield Diagnostic(_same_name(name, first), name.location, name.key_path)
            continue
        group_slug = slug(name.text)
        other = by_slug.setdefault(group_slug, name)
        if other is not name and other.queue is not name.queue:
            groups = f"{config.jira.group_prefix}{group_slug}-*"
            yield Diagnostic(
                f"{name.what} '{name.text}' gives the same Jira groups ({groups}) as "
                f"'{other.text}'{_where(other.location)}",
                name.location,
                name.key_path,
            )


def _same_name(name: _Name, first: _Name) -> str:
    if first.queue is name.queue:
        if name.former and first.former:
            return f"'{name.text}' is listed twice in 'previously'"
        return f"'{name.text}' in 'previously' is this queue's own name"
    used = "as a former name (previously)" if first.former else "by another queue"
    case = "" if first.text == name.text else f" as '{first.text}'; names ignore case"
    return f"{name.what} '{name.text}' is already used {used}{_where(first.location)}{case}"


_Term = tuple[Queue, str, str, int, Location | None, str | None]


def _vocabulary(config: Config, where: Origins) -> list[_Term]:
    """Every routing term (RP queue names, aliases, keywords) in reading order."""
    entries = []
    for queue in config.queues:
        fields: list[tuple[str, tuple[str | int, ...], str]] = []
        if isinstance(queue, RPQueue):
            fields.append(("queue name", ("name",), queue.name))
        fields += [("alias", ("aliases", i), a) for i, a in enumerate(queue.aliases)]
        if isinstance(queue, AwardeeQueue):
            fields += [("keyword", ("keywords", i), k) for i, k in enumerate(queue.keywords)]
        for order, (what, field, term) in enumerate(fields):
            loc, key_path = where.locate(queue, *field)
            entries.append((_reading_order(loc), order, queue, what, term, loc, key_path))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [(q, what, term, n, loc, path) for _, n, q, what, term, loc, path in entries]


def _keywords(config: Config, where: Origins) -> Iterator[Diagnostic]:
    """A term routes to one queue: no keyword, alias or RP queue name claimed twice, compared as
    the matcher compares them (`text.route_tokens`: case, accents and Unicode form ignored)."""
    claimed: dict[tuple[str, ...], tuple[Queue, str, str, int, Location | None]] = {}
    for queue, what, term, n, loc, key_path in _vocabulary(config, where):
        tokens = route_tokens(term)
        if not tokens:
            continue  # a name without letters or digits: _names reports it
        owner, first_what, first_term, first_n, first_loc = claimed.setdefault(
            tokens, (queue, what, term, n, loc)
        )
        if owner is queue and first_n == n:  # the term itself (equal words are different n)
            continue
        if what == first_what == "queue name":
            continue  # two queue names: _names reports it
        if owner is queue and what == first_what:
            message = f"{what} '{term}' is listed twice in this queue"
        elif owner is queue:
            message = f"{what} '{term}' repeats the {first_what} '{first_term}' of this queue"
        else:
            kind = "" if what == first_what else f" (as {first_what} '{first_term}')"
            article = "an" if what[0] in "aeiou" else "a"
            message = (
                f"{what} '{term}' is already claimed by queue '{owner.name}'{_where(first_loc)}"
                f"{kind}; {article} {what} routes to one queue only"
            )
        yield Diagnostic(message, loc, key_path)


def _assignees(config: Config, where: Origins) -> Iterator[Diagnostic]:
    for queue in config.awardee_queues:
        assignee = queue.default_assignee
        if assignee is None:
            continue
        if any(_names_updater(assignee, u) for u in queue.updaters):
            continue
        usernames = [u.handle for u in queue.updaters]
        loc, key_path = where.locate(queue, "default_assignee")
        among = f"({', '.join(usernames)})" if usernames else "(this queue has none)"
        if any(ch.isspace() for ch in assignee):
            yield Diagnostic(_a_name(assignee, queue.updaters, among), loc, key_path)
            continue
        yield Diagnostic(
            f"default assignee '{assignee}' is not one of the updaters {among}", loc, key_path
        )


def _a_name(assignee: str, updaters: list[Updater], among: str) -> str:
    """`default_assignee: Alan Turing`: a person's name where the ACCESS username goes."""
    named = [u for u in updaters if fold(u.name) == fold(assignee) and u.handle]
    wanted = (
        f"'{named[0].handle}', the username of updater {named[0].name}"
        if named
        else f"the username of one of the updaters {among}"
    )
    return (
        f"default assignee '{assignee}' looks like a person's name; default_assignee wants "
        f"an ACCESS username: {wanted}"
    )


def _names_updater(assignee: str, updater: Updater) -> bool:
    """A default assignee names an updater by username (any case) or by exact account_id."""
    if updater.username and assignee.casefold() == updater.username.casefold():
        return True
    return updater.account_id is not None and assignee == updater.account_id


def _people(config: Config, where: Origins) -> Iterator[Diagnostic]:
    lists: list[tuple[object, str, list[Contact] | list[Updater]]] = []
    for rp in config.rp_queues:
        lists.append((rp, "agents", rp.agents))
        if rp.watchers is not None:
            lists.append((rp, "watchers", rp.watchers))
    for aw in config.awardee_queues:
        lists.append((aw, "updaters", aw.updaters))
    for _, role, people in lists:
        seen: dict[tuple[str, str], Contact | Updater] = {}
        for person in people:
            for identity in _identities(person):
                first = seen.setdefault(identity, person)
                if first is not person:
                    loc, key_path = where.locate(person)
                    first_loc, _ = where.locate(first)
                    at = f" at line {first_loc.line}" if first_loc else ""
                    yield Diagnostic(
                        f"{person.name} is listed twice in '{role}' "
                        f"(same {identity[0]} as {first.name}{at})",
                        loc,
                        key_path,
                    )
                    break


def _identities(person: Contact | Updater) -> Iterator[tuple[str, str]]:
    if isinstance(person, Contact) and person.email:
        yield "email", person.email.casefold()
    if isinstance(person, Updater) and person.username:
        yield "username", person.username.casefold()
    if person.account_id:
        yield "account_id", person.account_id


def _retired(config: Config, where: Origins) -> Iterator[Diagnostic]:
    """`retired_queues`: the target of a move is checked here when it is a queue of this
    configuration; any other name must be an existing component, which only `plan` can see."""
    current = {fold(q.name): q for q in config.queues}
    former = {fold(old): q for q in config.queues for old in q.previously}
    seen: dict[str, RetiredQueue] = {}
    for retired in config.retired_queues:
        loc, key_path = where.locate(retired, "name")
        name = fold(retired.name)
        still = current.get(name) or former.get(name)
        if still is not None:
            yield Diagnostic(
                f"retired queue '{retired.name}' is still configured as queue "
                f"'{still.name}'{_where(still.location)}; remove one of them",
                loc,
                key_path,
            )
            continue
        first = seen.setdefault(name, retired)
        if first is not retired:
            yield Diagnostic(
                f"retired queue '{retired.name}' is already listed{_where(first.location)}",
                loc,
                key_path,
            )
            continue
        loc, key_path = where.locate(retired, "move_tickets_to")
        target = fold(retired.move_tickets_to)
        if target == name:
            yield Diagnostic(
                f"retired queue '{retired.name}' cannot move its tickets to itself", loc, key_path
            )
        elif target not in current and target in former:
            queue = former[target]
            yield Diagnostic(
                f"move_tickets_to '{retired.move_tickets_to}' is a former name of queue "
                f"'{queue.name}'{_where(queue.location)}; name the queue as it is now",
                loc,
                key_path,
            )
        elif any(fold(r.name) == target for r in config.retired_queues):
            yield Diagnostic(
                f"move_tickets_to '{retired.move_tickets_to}' is itself a retired queue; name "
                "where its tickets go instead",
                loc,
                key_path,
            )
