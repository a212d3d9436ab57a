"""The diff: desired configuration + observed Jira -> the plan. Pure and deterministic, no I/O.

Each queue is planned from its `ownership.Slot`: a configured queue is created, updated or
renamed; an unconfigured managed queue is deleted; a queue whose component is not accessq's is
reported and left alone, and so is a JSM view carrying a queue's name that accessq did not
write. People are matched to Jira accounts through `Observed.directory`; groups are compared by
account key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    Location,
    Queue,
    Role,
    Updater,
)
from accessq.config.naming import group_name, slug
from accessq.config.people import lookup_key
from accessq.config.selection import is_selected
from accessq.model.naming import (
    DEFAULT_ASSIGNEE,
    LEAD_ASSIGNEE,
    MARKER,
    decode_description,
    encode_description,
    jsm_queue_jql,
    parse_group_name,
)
from accessq.model.observed import (
    Account,
    Observed,
    ObservedComponent,
    ObservedGroup,
    ObservedJsmQueue,
)
from accessq.plan.fingerprint import combine, parts_of
from accessq.plan.identify import Refusal, identify
from accessq.plan.model import (
    PHASE_OF,
    Action,
    Change,
    ErrorKind,
    Plan,
    PlanError,
    PlanPerson,
    Summary,
    TicketNote,
    lead_value,
)
from accessq.plan.ownership import Slot, is_managed, manages_jsm, partition, selected
from accessq.plan.payload import (
    AddMember,
    ComponentFields,
    CreateComponent,
    CreateGroup,
    CreateJsmQueue,
    DeleteComponent,
    DeleteGroup,
    DeleteJsmQueue,
    JsmView,
    Payload,
    RemoveMember,
    UpdateComponent,
    UpdateJsmQueue,
)

JSM_OFF_NOTE = "JSM queue views are not managed (jsm_queues: false)."


def diff(
    config: Config,
    observed: Observed,
    *,
    only: set[str] | None = None,
    scope: Sequence[str] | None = None,
) -> Plan:
    """The plan that makes `observed` match `config`; with `only`, just those queues.

    `scope`: the files `only` comes from (`config.selection.FileScope`), not `--queue`.
    """
    return _Planner(config, observed).plan(only, scope)


@dataclass(frozen=True)
class _Member:
    person: PlanPerson
    source: str | None


@dataclass
class _Roster:
    """The resolved people of one role: who should be in the group, and who may stay."""

    members: dict[str, _Member]
    # Deactivated accounts: reported as errors, never added, but not removed either.
    keep: set[str]


def _short(location: Location | None) -> str | None:
    return location.short if location else None


_Text = tuple[str, list[str], list[str]]  # a component's description, keywords, aliases


def _normalized(description: str, keywords: list[str], aliases: list[str]) -> _Text:
    """What a component holding this text reads back as (so equal meaning is never a change)."""
    text = decode_description(encode_description(description, keywords, aliases))
    return text.description, list(text.keywords), list(text.aliases)


def _removed_person(account: Account) -> PlanPerson:
    return PlanPerson(
        account=account, name=account.display_name or account.key, email=account.email
    )


class _Planner:
    def __init__(self, config: Config, observed: Observed) -> None:
        self.config = config
        self.observed = observed
        self.prefix = config.jira.group_prefix
        self.jsm = manages_jsm(config, observed)
        self.changes: list[Change] = []
        self.errors: list[PlanError] = []
        self.notes: list[str] = []
        self.deleted_queues: set[str] = set()
        self._reported: set[int] = set()  # people already reported (watchers omitted = agents)

    # -- the whole plan -------------------------------------------------------------------------

    def plan(self, only: set[str] | None, scope: Sequence[str] | None = None) -> Plan:
        part = partition(self.config, self.observed)
        slots = [s for s in part.slots if selected(s, only)]
        if only is not None and scope is None:  # a file's names need no check: it defines them
            self._unknown_names(only, slots)
        if not self.config.jira.jsm_queues:
            self.notes.append(JSM_OFF_NOTE)
        elif self.observed.jsm_queues is None:
            self.error(
                "unread", "jsm_queues is on, but the JSM queue views were not read from Jira"
            )
        clashing = self._slug_clashes()
        for slot in slots:
            if slot.desired is None:
                self.plan_delete(slot)
            elif id(slot.desired) in clashing:
                continue
            else:
                for view in slot.jsm_conflicts:
                    self.jsm_conflict(slot.desired, view)
                if slot.conflict is not None:
                    self.conflict(slot.desired, slot.conflict)
                else:
                    self.plan_queue(slot.desired, slot)
                    self.adoption_note(slot.desired, slot)
            for name in slot.unmanaged_previous:
                self.notes.append(
                    f'{slot.name}: the component "{name}" named in previously: is not managed '
                    "by accessq and is left alone."
                )
        if part.unmanaged and only is None:
            names = ", ".join(c.name for c in part.unmanaged)
            self.notes.append(f"Components not managed by accessq are left alone: {names}.")
        if self.observed.unowned_groups and only is None:
            # JSON-quoted, non-ASCII escaped: a hand-made name may hold spaces, a look-alike
            # letter, or a line break that would forge a plan line.
            names = ", ".join(
                json.dumps(n) for n in sorted(self.observed.unowned_groups, key=str.casefold)
            )
            self.notes.append(
                f"Groups not named as accessq names its groups are not accessq's and are left "
                f"alone: {names}."
            )
        if only is not None and scope is not None:
            self.notes.append(_scope_note(scope, self.config, only))
        elif only is not None:
            self.notes.append(
                "Planned only the queues selected with --queue: "
                + ", ".join(sorted(only, key=str.casefold))
                + "."
            )
        parts = parts_of(self.config, self.observed, slots)
        skipped = self.skip_queues_with_errors()
        return Plan(
            target=self.observed.target,
            fingerprint=combine(parts),
            changes=sorted(self.changes, key=Change.sort_key),
            skipped=skipped,
            summary=self.summary(),
            errors=sorted(self.errors, key=PlanError.sort_key),
            notes=self.notes,
            only=sorted(only, key=str.casefold) if only is not None else None,
            scope=list(scope) if scope is not None else None,
            fingerprint_parts=parts,
        )

    def skip_queues_with_errors(self) -> list[str]:
        """Leave every queue with an error of its own out of the plan, whole; return their names.

        A queue is planned from all of its people or not at all: planned without a colleague
        who could not be resolved, its group could lose members nobody meant to remove.
        """
        skipped = {e.queue for e in self.errors if e.queue is not None}
        self.changes = [c for c in self.changes if c.queue not in skipped]
        self.deleted_queues -= skipped
        return sorted(skipped, key=lambda n: (n.casefold(), n))

    def summary(self) -> Summary:
        queues: dict[str, set[Action]] = {}
        for change in self.changes:
            queues.setdefault(change.queue, set()).add(change.action)
        order = sorted(queues, key=lambda n: (n.casefold(), n))
        deleted_groups = [c for c in self.changes if c.action == "delete_group"]
        return Summary(
            create=[q for q in order if "create_component" in queues[q]],
            change=[
                q
                for q in order
                if "create_component" not in queues[q] and q not in self.deleted_queues
            ],
            delete=[q for q in order if q in self.deleted_queues],
            members_added=sum(c.action == "add_member" for c in self.changes),
            members_removed=sum(c.action == "remove_member" for c in self.changes),
            groups_deleted=len(deleted_groups),
            memberships_deleted=sum(
                len(c.payload.members) for c in deleted_groups if isinstance(c.payload, DeleteGroup)
            ),
        )

    # -- findings -------------------------------------------------------------------------------

    def error(
        self,
        kind: ErrorKind,
        message: str,
        queue: str | None = None,
        location: Location | None = None,
    ) -> None:
        self.errors.append(PlanError(kind=kind, message=message, queue=queue, location=location))

    def _unknown_names(self, only: set[str], slots: list[Slot]) -> None:
        for name in sorted(only, key=str.casefold):
            if not any(selected(s, {name}) for s in slots):
                self.error(
                    "unknown_queue",
                    f"--queue {name}: no configured or managed queue has that name",
                )

    def _slug_clashes(self) -> set[int]:
        """Queues after the first whose names give the same groups (`Delta 2`, `delta-2`)."""
        first: dict[str, Queue] = {}
        clashing: set[int] = set()
        for queue in sorted(
            self.config.queues, key=lambda q: (q.location or Location("", 0), q.name)
        ):
            owner = first.setdefault(slug(queue.name), queue)
            if owner is not queue:
                clashing.add(id(queue))
                self.error(
                    "name_clash",
                    f'queues "{owner.name}" and "{queue.name}" map to the same Jira groups '
                    f"({self.prefix}{slug(queue.name)}-...); rename one of them",
                    queue.name,
                    queue.location,
                )
        return clashing

    def conflict(self, queue: Queue, component: ObservedComponent) -> None:
        self.error(
            "conflict",
            f'{queue.name}: the component "{component.name}" exists in Jira but is not managed by '
            "accessq, so this queue is left alone; to adopt the component, add `adopt: true` to "
            f'this queue (the plan then marks it), or end its description in Jira with the line "'
            f'{MARKER}"',
            queue.name,
            queue.location,
        )

    def jsm_conflict(self, queue: Queue, view: ObservedJsmQueue) -> None:
        self.error(
            "conflict",
            f'{queue.name}: the JSM queue view "{view.name}" (id {view.id}) exists in Jira with a '
            f"JQL accessq does not write ({view.jql}), so it is left alone; rename or delete it in "
            f"Jira, or set its JQL to {jsm_queue_jql(queue.name)} to let accessq manage it",
            queue.name,
            queue.location,
        )

    def adoption_note(self, queue: Queue, slot: Slot) -> None:
        """Say what `adopt: true` does here: adopt now, nothing (already managed), or create."""
        if slot.adopting and slot.component is not None:
            self.notes.append(
                f'{queue.name}: adopts the component "{slot.component.name}", which accessq does '
                f"not manage yet (adopt: true): its description becomes the configured one, "
                f'ending with the line "{MARKER}"'
            )
        elif queue.adopt and slot.component is not None:
            self.notes.append(
                f"{queue.name}: the component is already managed by accessq; "
                "`adopt: true` can be removed."
            )
        elif queue.adopt:
            self.notes.append(
                f"{queue.name}: adopt: true, but there is no component to adopt; it is created."
            )

    # -- one change -----------------------------------------------------------------------------

    def add(
        self,
        payload: Payload,
        key: str,
        queue: str,
        target: str,
        *,
        target_id: str | None = None,
        role: Role | None = None,
        person: PlanPerson | None = None,
        depends_on: list[str] | None = None,
        source: str | None = None,
        tickets: TicketNote | None = None,
    ) -> Change:
        change = Change.of(
            payload,
            id=f"{payload.action}:{key}",
            queue=queue,
            phase=PHASE_OF[payload.action],
            target=target,
            target_id=target_id,
            role=role,
            person=person,
            depends_on=sorted(depends_on or []),
            source=source,
            tickets=tickets,
        )
        self.changes.append(change)
        return change

    # -- a configured queue ---------------------------------------------------------------------

    def resolve(self, queue: Queue, role: Role, people: list[Contact] | list[Updater]) -> _Roster:
        roster = _Roster(members={}, keep=set())
        # Watchers omitted are the agents: the same objects, reported once, under agents (the
        # roles are resolved in `queue.ROLES` order).
        for person in people:
            found = identify(person, self.config, self.observed, f"{queue.name} {role}")
            first_report = id(person) not in self._reported
            self._reported.add(id(person))
            if isinstance(found, Refusal):
                if first_report:
                    self.error(found.kind, found.message, queue.name, person.location)
                if found.keep is not None:
                    roster.keep.add(found.keep)
                continue
            roster.members.setdefault(found.account.key, _Member(found, _short(person.location)))
        return roster

    def rosters(self, queue: Queue) -> dict[Role, _Roster]:
        return {role: self.resolve(queue, role, queue.members(role)) for role in queue.ROLES}

    def plan_queue(self, queue: Queue, slot: Slot) -> None:
        source = _short(queue.location)
        rosters = self.rosters(queue)
        keywords = queue.keywords if isinstance(queue, AwardeeQueue) else []
        text = _normalized(queue.description, keywords, queue.aliases)

        created: str | None = None
        if slot.component is None:
            created = self.add(
                CreateComponent(
                    name=queue.name,
                    description=text[0],
                    keywords=text[1],
                    aliases=text[2],
                    assignee_type=DEFAULT_ASSIGNEE,
                ),
                queue.name,
                queue.name,
                queue.name,
                source=source,
            ).id

        granted = self.plan_groups(queue, slot, rosters, source)
        component_update = self.plan_component(
            queue,
            slot.component,
            text,
            rosters,
            granted,
            created,
            source,
            adopting=slot.adopting,
        )
        if slot.component is not None and component_update is not None:
            self.keep_lead_until_moved(queue.name, slot.component, rosters, component_update)
        # A view in the way (an error) would clash with ours by name: the queue's views wait.
        if self.jsm and not slot.jsm_conflicts:
            renamed = (
                component_update if slot.component and slot.component.name != queue.name else None
            )
            self.plan_jsm(queue, slot, created or renamed, source)

    def keep_lead_until_moved(
        self,
        queue: str,
        component: ObservedComponent,
        rosters: dict[Role, _Roster],
        update_id: str,
    ) -> None:
        """The current lead keeps the queue's access until the update that routes away from them.

        Jira would still route tickets to a lead whose update failed; without access they could
        not work them. So removing the lead from a group, or deleting a group of a renamed queue
        that still holds them, waits for the `update_component` that moves the lead or the
        assignee type.
        """
        update = next(c.payload for c in self.changes if c.id == update_id)
        lead = component.lead
        if not isinstance(update, UpdateComponent) or lead is None:
            return
        if not update.after.sets_lead and update.after.assignee_type is None:
            return
        staying = any(lead.key in r.members or lead.key in r.keep for r in rosters.values())
        for index, change in enumerate(self.changes):
            if change.queue != queue:
                continue
            match change.payload:
                case RemoveMember(key=key):
                    waits = key == lead.key
                case DeleteGroup(members=members):
                    waits = not staying and lead.key in members
                case _:
                    waits = False
            if waits:
                depends = sorted({*change.depends_on, update_id})
                self.changes[index] = change.model_copy(update={"depends_on": depends})

    def plan_groups(
        self, queue: Queue, slot: Slot, rosters: dict[Role, _Roster], source: str | None
    ) -> dict[Role, tuple[str, list[str]]]:
        """Group and membership changes; per role: the group and the ids that grant access."""
        granted: dict[Role, tuple[str, list[str]]] = {}
        wanted = {group_name(self.prefix, queue.name, role).casefold(): role for role in rosters}
        by_name = {g.name.casefold(): g for g in slot.groups}
        for folded, role in wanted.items():
            existing = by_name.get(folded)
            name = existing.name if existing else group_name(self.prefix, queue.name, role)
            ids: list[str] = []
            if existing is None:
                ids.append(
                    self.add(
                        CreateGroup(name=name),
                        name,
                        queue.name,
                        name,
                        role=role,
                        source=source,
                    ).id
                )
            roster = rosters[role]
            current = {m.key: m for m in existing.members} if existing else {}
            creates = list(ids)
            for key in sorted(roster.members.keys() - current.keys()):
                member = roster.members[key]
                ids.append(
                    self.add(
                        AddMember(key=key),
                        f"{name}:{key}",
                        queue.name,
                        name,
                        role=role,
                        person=member.person,
                        depends_on=creates,
                        source=member.source,
                    ).id
                )
            # Removals wait for the adds of the same group: a role moving from one person to
            # another is never left empty by a failed add.
            adds = [i for i in ids if i not in creates]
            for key in sorted(current.keys() - roster.members.keys() - roster.keep):
                self.add(
                    RemoveMember(key=key),
                    f"{name}:{key}",
                    queue.name,
                    name,
                    role=role,
                    person=_removed_person(current[key]),
                    depends_on=adds,
                    source=source,
                )
            granted[role] = (name, ids)
        for group in slot.groups:
            if group.name.casefold() in wanted:
                continue
            parsed = parse_group_name(self.prefix, group.name)
            old_role = parsed[1] if parsed else None
            # An old group of a renamed queue goes only once the new one holds its people.
            depends = granted[old_role][1] if old_role in granted else []
            self.delete_group(queue.name, group, old_role, depends, source)
        return granted

    def plan_component(
        self,
        queue: Queue,
        component: ObservedComponent | None,
        text: _Text,
        rosters: dict[Role, _Roster],
        granted: dict[Role, tuple[str, list[str]]],
        created: str | None,
        source: str | None,
        *,
        adopting: bool = False,
    ) -> str | None:
        """The component update (rename, text, default assignee); returns its id, if any.

        Adopting an unmanaged component always writes its text: that is what adds the marker.
        `managed` in before/after says so to reviewers; apply ignores it.
        """
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        depends: list[str] = [created] if created else []
        if component is not None:
            if component.name != queue.name:
                before["name"], after["name"] = component.name, queue.name
            decoded = decode_description(component.description)
            have = (decoded.description, list(decoded.keywords), list(decoded.aliases))
            if adopting or have != text:
                # Aliases on both sides when either has some (zip stops at the shorter).
                fields = ["description", "keywords"] + (["aliases"] if have[2] or text[2] else [])
                before.update(zip(fields, have, strict=False))
                after.update(zip(fields, text, strict=False))
            if adopting:
                before["managed"], after["managed"] = False, True
        have_lead = component.lead if component else None
        have_type = component.assignee_type if component else DEFAULT_ASSIGNEE
        wanted, lead = self.desired_lead(queue, rosters)
        if wanted and lead is not None:
            if lead.person.account.key != (have_lead.key if have_lead else None):
                before.update(lead=lead_value(have_lead), assignee_type=have_type)
                after.update(lead=lead_value(lead.person), assignee_type=LEAD_ASSIGNEE)
                # Jira routes to a lead only if they can be assigned: after they join the group.
                group, ids = granted.get("updaters", ("", []))
                lead_add = f"add_member:{group}:{lead.person.account.key}"
                if lead_add in ids:
                    depends.append(lead_add)
            elif have_type != LEAD_ASSIGNEE:
                before["assignee_type"], after["assignee_type"] = have_type, LEAD_ASSIGNEE
        elif not wanted and have_type != DEFAULT_ASSIGNEE:
            # Without a default assignee the project default routes; a stale lead is harmless.
            before["assignee_type"], after["assignee_type"] = have_type, DEFAULT_ASSIGNEE
        if not after:
            return None
        target = component.name if component else queue.name
        renamed = component is not None and "name" in after
        return self.add(
            UpdateComponent(
                before=ComponentFields.model_validate(before),
                after=ComponentFields.model_validate(after),
            ),
            queue.name,
            queue.name,
            target,
            target_id=component.id if component else None,
            depends_on=depends,
            source=source,
            tickets=_open_note(component) if renamed and component else None,
        ).id

    def desired_lead(
        self, queue: Queue, rosters: dict[Role, _Roster]
    ) -> tuple[bool, _Member | None]:
        """(a default assignee is configured, their resolved member or None when unknown)."""
        if not isinstance(queue, AwardeeQueue) or not queue.default_assignee:
            return False, None
        wanted = queue.default_assignee
        updater = next(
            (u for u in queue.updaters if (u.username or "").casefold() == wanted.casefold()),
            None,
        ) or next((u for u in queue.updaters if u.account_id == wanted), None)
        if updater is None:
            self.error(
                "default_assignee",
                f"default_assignee {queue.default_assignee} is not one of the updaters of "
                f"{queue.name}",
                queue.name,
                queue.location,
            )
            return True, None
        # Unresolved or deactivated: already an error; the lead is then left as it is.
        account = self.observed.directory.get(lookup_key(updater, self.config.jira))
        return True, rosters["updaters"].members.get(account.key) if account else None

    def plan_jsm(
        self, queue: Queue, slot: Slot, component_change: str | None, source: str | None
    ) -> None:
        want = JsmView(name=queue.name, jql=jsm_queue_jql(queue.name))
        depends = [component_change] if component_change else []
        current = next((v for v in slot.jsm if v.name.casefold() == queue.name.casefold()), None)
        if current is None and slot.jsm:
            current = slot.jsm[0]  # a view under a former name: renamed, not recreated
        if current is None:
            self.add(
                CreateJsmQueue(name=want.name, jql=want.jql),
                queue.name,
                queue.name,
                queue.name,
                depends_on=depends,
                source=source,
            )
        elif (current.name, current.jql) != (want.name, want.jql):
            self.add(
                UpdateJsmQueue(before=JsmView(name=current.name, jql=current.jql), after=want),
                queue.name,
                queue.name,
                current.name,
                target_id=current.id,
                depends_on=depends,
                source=source,
            )
        for view in slot.jsm:
            if view is not current:
                self.add(
                    DeleteJsmQueue(name=view.name, jql=view.jql),
                    view.id,
                    queue.name,
                    view.name,
                    target_id=view.id,
                    source=source,
                )

    # -- a managed queue no longer configured ---------------------------------------------------

    def delete_group(
        self,
        queue: str,
        group: ObservedGroup,
        role: Role | None,
        depends: list[str],
        source: str | None,
    ) -> None:
        self.add(
            DeleteGroup(name=group.name, members=sorted(m.key for m in group.members)),
            group.name,
            queue,
            group.name,
            role=role,
            depends_on=depends,
            source=source,
        )

    def plan_delete(self, slot: Slot) -> None:
        self.deleted_queues.add(slot.name)
        views = [
            self.add(
                DeleteJsmQueue(name=view.name, jql=view.jql),
                view.id,
                slot.name,
                view.name,
                target_id=view.id,
            ).id
            for view in slot.jsm
        ]
        for group in slot.groups:
            parsed = parse_group_name(self.prefix, group.name)
            self.delete_group(slot.name, group, parsed[1] if parsed else None, [], None)
        component = slot.component
        if component is not None:
            text = decode_description(component.description)
            note, move_depends = self.ticket_move(slot.name, component)
            self.add(
                DeleteComponent(
                    name=component.name,
                    description=text.description,
                    keywords=list(text.keywords),
                    aliases=list(text.aliases),
                    lead=lead_value(component.lead),
                    assignee_type=component.assignee_type,
                ),
                slot.name,
                slot.name,
                component.name,
                target_id=component.id,
                # The view's JQL names the component: it goes first; a queue this plan makes
                # to take its tickets is made before.
                depends_on=views + move_depends,
                tickets=note,
            )

    def ticket_move(self, queue: str, component: ObservedComponent) -> tuple[TicketNote, list[str]]:
        """Where a deleted component's tickets go (`retired_queues`), and what that waits for.

        The target is a configured queue (its component, live or made by this plan) or another
        existing component that accessq does not manage (one it manages and is not configured
        is being deleted too).
        """
        note = _open_note(component)
        retired = self.config.retired(component.name) or self.config.retired(queue)
        if retired is None:
            return note, []
        wanted = retired.move_tickets_to
        for slot in partition(self.config, self.observed).slots:
            if slot.desired is None or slot.desired.name.casefold() != wanted.casefold():
                continue
            live = slot.component or slot.conflict
            if live is not None:
                return note.model_copy(update={"move_to": live.name, "move_to_id": live.id}), []
            made = f"create_component:{slot.desired.name}"
            return note.model_copy(update={"move_to": slot.desired.name}), [made]
        target = self.observed.component(wanted)
        if target is None or is_managed(target) or target.id == component.id:
            why = (
                "is neither a configured queue nor a component in Jira"
                if target is None
                else "is a queue accessq manages that is no longer configured"
                if target.id != component.id
                else "is this queue itself"
            )
            self.error(
                "unknown_queue",
                f"retired queue {queue}: move_tickets_to '{wanted}' {why}",
                queue,
                retired.location,
            )
            return note, []
        return note.model_copy(update={"move_to": target.name, "move_to_id": target.id}), []


def _open_note(component: ObservedComponent) -> TicketNote:
    return TicketNote(open=component.tickets.open if component.tickets else None)


def _scope_note(scope: Sequence[str], config: Config, only: set[str]) -> str:
    """What a plan of some files of a folder configuration leaves out, and how to see it."""
    mine = sum(1 for q in config.queues if is_selected(q, only))
    others = len(config.queues) - mine
    return (
        f"Planned {_count(mine, 'queue')} of {', '.join(scope)} only; the other "
        f"{_count(others, 'configured queue')} of the folder were not compared, and no queue "
        "outside these files is deleted (plan the folder to see everything)."
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
