"""Which observed Jira objects belong to which queue: the one place that decides ownership.

accessq owns only what it marked or named (DESIGN.md section 2):

- components whose description ends with the marker (and one a queue with `adopt: true` takes
  over);
- groups named exactly as `config.naming.group_name` names them, `<prefix><slug>-<role>` with
  the slug of some queue name, compared as Jira compares group names (ignoring case; see
  `model.naming.parse_group_name`). A look-alike accessq never writes (`ats-jetstream.2-watchers`,
  `ats-Bridges 2-agents`) is not read, changed or deleted; the plan names it in a note;
- JSM queue views whose JQL is the one accessq writes for the queue (`naming.jsm_queue_jql`); a
  view carrying the queue's name with any other JQL is someone else's, a conflict.

Every owned object is claimed by exactly one `Slot`: a configured queue (under its name or a
`previously:` name), or an unconfigured managed queue that the plan deletes (its component, and
the groups named after the component's name, or leftover groups known only by their slug). The
diff and the fingerprint both read this partition, so a saved plan's fingerprint covers exactly
what the plan looked at, and `export` reads it too, so what it exports as managed is what a plan
sees as managed.

Former names: the groups and views of a `previously:` name come with the queue unless a
component still holds that name without this queue taking it (another queue, managed or not).
So they come with it when the queue takes the former name's component (a rename), and when no
component holds the former name any more: the queue's leftovers, e.g. a rename interrupted after
its component was renamed, which a rerun then finishes. A former name's component that is not
taken (the queue has its own component, or the former name's component is not accessq's) keeps
its groups and views: they stay with that component or, if nothing claims them, are planned for
deletion as an unconfigured queue, which needs `--allow-delete`.

Deleting groups (`plan.safety`): a group of a deleted queue, or of a role a queue no longer has,
needs `--allow-delete`; a former name's group needs it unless everyone in it is in the queue's
own group for that role after the plan (a rename moves its people; nobody loses the role).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from accessq.config.models import Config, Queue
from accessq.config.naming import slug
from accessq.config.selection import is_selected
from accessq.config.text import fold
from accessq.model.naming import decode_description, jsm_queue_jql, parse_group_name
from accessq.model.observed import Observed, ObservedComponent, ObservedGroup, ObservedJsmQueue


@dataclass
class Slot:
    """One queue and the live objects it owns."""

    name: str  # the configured name; for an unconfigured queue, its component name or group slug
    desired: Queue | None = None
    component: ObservedComponent | None = None  # managed, under the name or a previous name
    conflict: ObservedComponent | None = None  # an unmanaged component holding the desired name
    # The unmanaged component holding the desired name is taken over (`adopt: true`): it is
    # `component` too, and the plan writes the marker into it.
    adopting: bool = False
    groups: list[ObservedGroup] = field(default_factory=list)
    jsm: list[ObservedJsmQueue] = field(default_factory=list)
    # JSM views named like the queue whose JQL accessq does not write: errors, never touched.
    jsm_conflicts: list[ObservedJsmQueue] = field(default_factory=list)
    # Components with a `previously:` name that exist but are not accessq's (left alone, noted).
    unmanaged_previous: list[str] = field(default_factory=list)


@dataclass
class Partition:
    slots: list[Slot]  # configured queues by name, then unconfigured ones by name
    unmanaged: list[ObservedComponent]  # components nobody claimed and accessq does not own


def is_managed(component: ObservedComponent) -> bool:
    return decode_description(component.description).managed


def manages_jsm(config: Config, observed: Observed) -> bool:
    return config.jira.jsm_queues and observed.jsm_queues is not None


def _fold(name: str) -> str:
    # As the queue files compare names: a component named in another Unicode form (NFD, made by
    # hand in Jira) is still the queue's, and the plan renames it, never duplicates it.
    return fold(name)


Views = list[ObservedJsmQueue]


def _by_name(views: Views) -> Views:
    return sorted(views, key=lambda v: (_fold(v.name), v.id))


def partition(config: Config, observed: Observed) -> Partition:
    prefix = config.jira.group_prefix
    desired = sorted(config.queues, key=lambda q: (_fold(q.name), q.name))
    desired_names = {_fold(q.name) for q in desired}
    desired_slugs = {slug(q.name) for q in desired}
    views_by_name: dict[str, list[ObservedJsmQueue]] = {}
    if manages_jsm(config, observed):
        for view in sorted(observed.jsm_queues or (), key=lambda v: (_fold(v.name), v.id)):
            views_by_name.setdefault(_fold(view.name), []).append(view)

    # Owned groups by slug; a look-alike (`ats-a--b-agents`) is nobody's, not `a-b`'s.
    groups_by_slug: dict[str, list[ObservedGroup]] = {}
    for group in sorted(observed.groups, key=lambda g: _fold(g.name)):
        parsed = parse_group_name(prefix, group.name)
        if parsed is not None:
            groups_by_slug.setdefault(parsed[0], []).append(group)

    # Jira compares component names case-insensitively; the first by id wins a (rare) tie.
    components: dict[str, ObservedComponent] = {}
    for component in sorted(observed.components, key=lambda c: c.id):
        components.setdefault(_fold(component.name), component)
    claimed_components: set[str] = set()
    claimed_jsm: set[str] = set()

    def take_groups(slugs: Iterable[str]) -> list[ObservedGroup]:
        taken: list[ObservedGroup] = []
        for s in slugs:
            taken.extend(groups_by_slug.pop(s, []))
        return sorted(taken, key=lambda g: _fold(g.name))

    def take_jsm(names: list[str], *, conflicts: bool) -> tuple[Views, Views]:
        """(views ours, views in the way) among those named one of `names` (current name first).

        A view is ours when its JQL is the one accessq writes for one of `names`; compared
        case-insensitively, as Jira compares component names, so a case-only rename keeps it.
        With `conflicts`, other views named like `names[0]` are returned as in the way.
        """
        written = {jsm_queue_jql(n).casefold() for n in names}
        taken: Views = []
        foreign: Views = []
        for index, name in enumerate(dict.fromkeys(_fold(n) for n in names)):
            for view in views_by_name.get(name, []):
                if view.id in claimed_jsm:
                    continue
                if view.jql.casefold() in written:
                    taken.append(view)
                elif conflicts and index == 0:
                    foreign.append(view)
                else:
                    continue
                claimed_jsm.add(view.id)
        return _by_name(taken), _by_name(foreign)

    slots: list[Slot] = []
    for queue in desired:
        slot = Slot(name=queue.name, desired=queue)
        current = components.get(_fold(queue.name))
        if current is not None:
            claimed_components.add(current.id)
            if is_managed(current):
                slot.component = current
            elif queue.adopt:
                slot.component = current
                slot.adopting = True
            else:
                slot.conflict = current
        # A former name that is now another queue's name belongs to that queue, not to this one.
        previous = [p for p in queue.previously if _fold(p) not in desired_names]
        # Former names whose groups and views come with this queue (see the module docstring).
        inherited: list[str] = []
        for name in previous:
            old = components.get(_fold(name))
            if old is None:
                inherited.append(name)  # leftovers, or an interrupted rename to finish
                continue
            if old.id in claimed_components:
                continue
            if not is_managed(old):
                claimed_components.add(old.id)  # reported with this queue, never touched
                slot.unmanaged_previous.append(old.name)
            elif slot.component is None:
                # Claimed even behind a conflict: a blocked rename must not read as a deletion.
                slot.component = old
                claimed_components.add(old.id)
                inherited.append(name)
        old_slugs = [slug(p) for p in inherited if slug(p) not in desired_slugs]
        slot.groups = take_groups([slug(queue.name), *old_slugs])
        slot.jsm, slot.jsm_conflicts = take_jsm([queue.name, *inherited], conflicts=True)
        slots.append(slot)

    orphans: list[Slot] = []
    for component in sorted(observed.components, key=lambda c: (_fold(c.name), c.id)):
        if component.id in claimed_components or not is_managed(component):
            continue
        claimed_components.add(component.id)
        orphans.append(
            Slot(
                name=component.name,
                component=component,
                groups=take_groups([slug(component.name)]),
                jsm=take_jsm([component.name], conflicts=False)[0],
            )
        )
    for group_slug in sorted(groups_by_slug):
        orphans.append(Slot(name=group_slug, groups=take_groups([group_slug])))
    orphans.sort(key=lambda s: (_fold(s.name), s.name))

    unmanaged = sorted(
        (c for c in observed.components if c.id not in claimed_components),
        key=lambda c: (_fold(c.name), c.id),
    )
    return Partition(slots=[*slots, *orphans], unmanaged=unmanaged)


def selected(slot: Slot, only: set[str] | None) -> bool:
    """Whether `--queue` names this slot: a configured queue by its current or a former name
    (`config.selection`, as the reader), another by its name or, known only by groups, its slug."""
    if only is None:
        return True
    if slot.desired is not None:
        return is_selected(slot.desired, only)
    folded = {_fold(n) for n in only}
    return _fold(slot.name) in folded or (
        slot.component is None and slot.name in {slug(n) for n in only}
    )
