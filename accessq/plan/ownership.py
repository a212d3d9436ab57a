"""Which observed Jira objects belong to which queue: the one place that decides ownership.

accessq owns only what it marked (DESIGN.md section 2): components whose description ends with
the marker (and one a queue with `adopt: true` takes over), groups named `<prefix><slug>-<role>`,
and the JSM queue views of those queues. Every such object is claimed by exactly one `Slot`: a
configured queue (under its name or a `previously:` name), or an unconfigured managed queue that
the plan will delete. The diff and the fingerprint both read this partition, so a saved plan's
fingerprint covers exactly what the plan looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from accessq.config.models import Config, Queue
from accessq.jira.mapping import decode_description, jsm_queue_jql, parse_group_name, slug
from accessq.snapshot import Observed, ObservedComponent, ObservedGroup, ObservedJsmQueue


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
    return name.casefold()


def partition(config: Config, observed: Observed) -> Partition:
    prefix = config.jira.group_prefix
    desired = sorted(config.queues, key=lambda q: (_fold(q.name), q.name))
    desired_names = {_fold(q.name) for q in desired}
    desired_slugs = {slug(q.name) for q in desired}
    views_by_name: dict[str, list[ObservedJsmQueue]] = {}
    if manages_jsm(config, observed):
        for view in sorted(observed.jsm_queues or (), key=lambda v: (_fold(v.name), v.id)):
            views_by_name.setdefault(_fold(view.name), []).append(view)

    # Managed groups by normalised slug (a hand-made `ats-a--b-agents` still belongs to `a-b`).
    groups_by_slug: dict[str, list[ObservedGroup]] = {}
    for group in sorted(observed.groups, key=lambda g: _fold(g.name)):
        parsed = parse_group_name(prefix, group.name)
        if parsed is not None:
            groups_by_slug.setdefault(slug(parsed[0]), []).append(group)

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

    def take_jsm(names: dict[str, set[str] | None]) -> list[ObservedJsmQueue]:
        """JSM views named one of `names`; a set of JQLs restricts which views count as ours."""
        taken = []
        for name in sorted(names):
            jqls = names[name]
            for view in views_by_name.get(name, []):
                if view.id not in claimed_jsm and (jqls is None or view.jql in jqls):
                    claimed_jsm.add(view.id)
                    taken.append(view)
        return sorted(taken, key=lambda v: (_fold(v.name), v.id))

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
        for name in previous:
            old = components.get(_fold(name))
            if old is None or old.id in claimed_components:
                continue
            if not is_managed(old):
                claimed_components.add(old.id)  # reported with this queue, never touched
                slot.unmanaged_previous.append(old.name)
            elif slot.component is None:
                # Claimed even behind a conflict: a blocked rename must not read as a deletion.
                slot.component = old
                claimed_components.add(old.id)
        old_slugs = [slug(p) for p in previous if slug(p) not in desired_slugs]
        slot.groups = take_groups([slug(queue.name), *old_slugs])
        # The view under the queue's name is ours; one under a former name only if it still
        # shows that queue (its JQL names the old or the new component).
        views: dict[str, set[str] | None] = {_fold(queue.name): None}
        for name in previous:
            views.setdefault(_fold(name), {jsm_queue_jql(name), jsm_queue_jql(queue.name)})
        slot.jsm = take_jsm(views)
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
                jsm=take_jsm({_fold(component.name): {jsm_queue_jql(component.name)}}),
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
    """Whether `--queue` names this slot (by name, or by slug for a queue known only by groups)."""
    if only is None:
        return True
    folded = {_fold(n) for n in only}
    return _fold(slot.name) in folded or (
        slot.desired is None and slot.component is None and slot.name in {slug(n) for n in only}
    )
