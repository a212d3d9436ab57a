"""Identity lookups started while groups are still being read (used by `reader`).

A person whose own queues' groups do not show them will be looked up whatever the other groups
show, almost always: so the lookup starts as soon as every queue naming them has its groups read,
on the reader's pool, overlapping the reads still running. Which keys start early depends only on
the site's data (the queue's own groups, the runner, the component leads), never on which read
finished first, so request counts do not vary between runs; each key is looked up at most once.
`identity.resolve_directory` then decides on everything seen, exactly as without a head start,
and looks up any key that still needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from accessq.config.models import Config, Queue
from accessq.config.naming import slug
from accessq.jira.identity import Ambiguous, Directory, known_from, look_up, wanted_keys
from accessq.model.naming import parse_group_name
from accessq.model.observed import Account

Answer = Future[Account | Ambiguous | None]


class Lookahead:
    """Tracks which queues have all their groups read and starts their people's lookups."""

    def __init__(
        self,
        gateway: Directory,
        config: Config,
        queues: Sequence[Queue],
        group_names: Iterable[str],
        pool: ThreadPoolExecutor,
    ) -> None:
        self._gateway, self._pool = gateway, pool
        prefix = config.jira.group_prefix
        by_slug: dict[str, set[str]] = {}  # indexed: 3,000 queues x 5,000 groups add up
        for name in group_names:
            if parsed := parse_group_name(prefix, name):
                by_slug.setdefault(parsed[0], set()).add(name)
        self._keys = [wanted_keys(config, [q]) for q in queues]
        self._unread: list[set[str]] = []  # per queue: its groups not read yet
        for queue in queues:
            mine = {slug(queue.name), *(slug(p) for p in queue.previously)}
            self._unread.append({n for s in mine for n in by_slug.get(s, ())})
        self._groups = [frozenset(unread) for unread in self._unread]  # per queue: all of them
        self._queues_of: dict[str, list[int]] = {}  # group -> the queues it belongs to
        for index, unread in enumerate(self._unread):
            for name in unread:
                self._queues_of.setdefault(name, []).append(index)
        self._waiting: dict[str, int] = {}  # key -> queues naming it not yet ready
        for keys in self._keys:
            for key in keys:
                self._waiting[key] = self._waiting.get(key, 0) + 1
        self._shown: set[str] = set()  # keys some queue's own view answers: no head start
        self._members: dict[str, tuple[Account, ...]] = {}
        self._base: list[Account] = []
        self.started: dict[str, Answer] = {}

    def begin(self, runner: Account, leads: Iterable[Account]) -> None:
        """The accounts every queue's view holds; queues with no group on the site are ready
        at once."""
        self._base = [runner, *leads]
        for index, unread in enumerate(self._unread):
            if not unread:
                self._ready(index)

    def group_read(self, name: str, members: tuple[Account, ...] | None) -> None:
        """Group `name` has been read (None: it vanished); start what became due."""
        self._members[name] = members or ()
        for index in self._queues_of.get(name, ()):
            unread = self._unread[index]
            unread.discard(name)
            if not unread:
                self._ready(index)

    def _ready(self, index: int) -> None:
        # In the order `read_observed` sees them (the first of one account's copies counts):
        # the runner, the groups, then the leads, whose copies may carry fewer details.
        view = self._base[:1]
        for name in sorted(self._groups[index]):
            view.extend(self._members[name])
        view.extend(self._base[1:])
        known, _ = known_from(self._keys[index], view, self._gateway.flavor)
        self._shown.update(known)
        for key in sorted(self._keys[index]):
            self._waiting[key] -= 1
            if self._waiting[key] == 0 and key not in self._shown and key not in self.started:
                self.started[key] = self._pool.submit(look_up, self._gateway, key)
