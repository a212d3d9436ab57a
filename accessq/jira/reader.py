"""The observed snapshot: everything the plan needs from Jira, read in one pass.

Requests grow with queues and pages, never with people: components come in one request, managed
groups are found with `groups/picker`, each group's members in pages of 50, and people already seen
in those groups need no lookup at all (`identity`; on Cloud, a person found nowhere costs one pass
over the site's accounts, whoever else is missing). Independent reads run on a bounded thread pool,
and a person their own queue's groups do not show is looked up as soon as those groups are read,
while the other reads still run (`lookahead`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from accessq.config.models import Config, Queue
from accessq.config.naming import slug
from accessq.config.selection import is_selected
from accessq.jira.errors import NotFound
from accessq.jira.gateway import Gateway, OpenTicket
from accessq.jira.identity import resolve_directory
from accessq.jira.lookahead import Lookahead
from accessq.model.naming import looks_like_group_name, parse_group_name
from accessq.model.observed import (
    Account,
    Observed,
    ObservedComponent,
    ObservedGroup,
    TicketCounts,
)

Progress = Callable[[int, int], None]  # (groups read, groups to read)


def read_observed(
    gateway: Gateway,
    config: Config,
    *,
    concurrency: int = 8,
    only: set[str] | None = None,
    progress: Progress | None = None,
    totals: bool = False,
) -> Observed:
    """Read the live state the configuration is planned against (read-only calls only).

    `only`: names of the queues to look at (current or `previously` names, any case); their
    groups and people are read, every component still is (one request). Orphan groups, of
    queues no longer configured, are read only when `only` is None. Each component gets its
    open-ticket counts (one paged search of the project's open tickets); with `totals`, also
    its count of every ticket (`relatedIssueCounts`, one request per component).
    """
    jira = config.jira
    queues = _selected(config.queues, only)
    slugs = None if only is None else _slugs(queues, only)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="accessq-read")
    try:
        runner_f = pool.submit(gateway.myself)
        components_f = pool.submit(gateway.components)
        open_f = pool.submit(lambda: list(gateway.open_tickets()))
        jsm_f = pool.submit(gateway.jsm_queues) if jira.jsm_queues else None
        found = gateway.find_groups(jira.group_prefix)
        # Only the names accessq writes are read: a look-alike's members never reach a plan.
        names = [
            name
            for name in found
            if (parsed := parse_group_name(jira.group_prefix, name))
            and (slugs is None or parsed[0] in slugs)
        ]
        unowned = tuple(n for n in found if looks_like_group_name(jira.group_prefix, n))
        member_fs = {name: pool.submit(_members, gateway, name) for name in sorted(names)}
        # People their own queue's groups do not show are looked up while other groups are
        # still read (`lookahead`), on this pool: never more than `concurrency` at once.
        lookahead = Lookahead(gateway, config, queues, names, pool)
        runner, raw_components = runner_f.result(), components_f.result()
        leads = [c.lead for c in raw_components if c.lead is not None]
        lookahead.begin(runner, leads)
        groups = _collect_groups(member_fs, progress, lookahead.group_read)
        components = _with_tickets(pool, gateway, raw_components, open_f.result(), totals)
        jsm = tuple(jsm_f.result()) if jsm_f is not None else None
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)

    seen: list[Account] = [runner]
    seen += [m for g in groups for m in g.members]
    seen += leads
    identities = resolve_directory(
        gateway,
        config,
        seen=seen,
        queues=queues,
        concurrency=concurrency,
        started=lookahead.started,
    )
    return Observed(
        target=gateway.target,
        components=tuple(sorted(components, key=lambda c: c.name.casefold())),
        groups=tuple(groups),
        jsm_queues=jsm,
        directory=identities.directory,
        ambiguous=identities.ambiguous,
        runner=runner,
        unowned_groups=unowned,
    )


def _with_tickets(
    pool: ThreadPoolExecutor,
    gateway: Gateway,
    components: list[ObservedComponent],
    tickets: list[OpenTicket],
    totals: bool,
) -> list[ObservedComponent]:
    """The components with their ticket counts (a ticket with two components counts in both)."""
    found: dict[str, list[OpenTicket]] = {}
    for ticket in tickets:
        for component_id in set(ticket.components):
            found.setdefault(component_id, []).append(ticket)
    total_fs = (
        {c.id: pool.submit(gateway.related_issue_count, c.id) for c in components} if totals else {}
    )
    counted = []
    for component in components:
        mine = found.get(component.id, [])
        created = [t.created for t in mine if t.created is not None]
        counts = TicketCounts(
            open=len(mine),
            open_unassigned=sum(not t.assigned for t in mine),
            oldest_open=min(created) if created else None,
            total=total_fs[component.id].result() if totals else None,
        )
        counted.append(component.model_copy(update={"tickets": counts}))
    return counted


def _members(gateway: Gateway, name: str) -> tuple[Account, ...] | None:
    try:
        return gateway.group_members(name)
    except NotFound:  # deleted between discovery and read: it is simply not there
        return None


def _collect_groups(
    futures: dict[str, Future[tuple[Account, ...] | None]],
    progress: Progress | None,
    read: Callable[[str, tuple[Account, ...] | None], None],
) -> list[ObservedGroup]:
    """Each group as its read finishes (`read` is told at once), listed in name order."""
    name_of = {future: name for name, future in futures.items()}
    total = len(futures)
    for done, future in enumerate(as_completed(name_of), start=1):
        read(name_of[future], future.result())
        if progress is not None:
            progress(done, total)
    return [
        ObservedGroup(name=name, members=members)
        for name, future in sorted(futures.items())
        if (members := future.result()) is not None
    ]


def _selected(queues: Iterable[Queue], only: set[str] | None) -> list[Queue]:
    return [q for q in queues if is_selected(q, only)]


def _slugs(queues: Iterable[Queue], only: set[str]) -> set[str]:
    """Group slugs of the selected queues: current and former names, plus names given directly."""
    found = {slug(name) for name in only}
    for queue in queues:
        found.add(slug(queue.name))
        found.update(slug(p) for p in queue.previously)
    return found
