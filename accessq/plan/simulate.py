"""Apply a plan to an observed snapshot in memory: what Jira would look like after `apply`.

Used by the property tests (planning the simulated result again must give no changes) and by the
safety rules (who is in each group after the plan). Ids of created objects are `new:<name>`. A
change whose object is missing is skipped, as apply would report that step failed.
"""

from __future__ import annotations

from typing import Any, assert_never

from accessq.model.naming import encode_description
from accessq.model.observed import (
    Account,
    Observed,
    ObservedComponent,
    ObservedGroup,
    ObservedJsmQueue,
)
from accessq.plan.model import Change, Plan
from accessq.plan.payload import (
    AddMember,
    CreateComponent,
    CreateGroup,
    CreateJsmQueue,
    DeleteComponent,
    DeleteGroup,
    DeleteJsmQueue,
    Lead,
    RemoveMember,
    UpdateComponent,
    UpdateJsmQueue,
)


def _lead(value: Lead | None) -> Account | None:
    if value is None:
        return None
    return Account(key=value.key, display_name=value.name or "", email=value.email)


class _State:
    def __init__(self, observed: Observed) -> None:
        self.components = {c.id: c for c in observed.components}
        self.groups = {g.name.casefold(): g for g in observed.groups}
        self.jsm = (
            {v.id: v for v in observed.jsm_queues} if observed.jsm_queues is not None else None
        )

    def component_id(self, change: Change) -> str | None:
        if change.target_id is not None:
            return change.target_id if change.target_id in self.components else None
        folded = change.target.casefold()
        return next((i for i, c in self.components.items() if c.name.casefold() == folded), None)

    def jsm_views(self) -> dict[str, ObservedJsmQueue]:
        if self.jsm is None:
            self.jsm = {}
        return self.jsm

    def apply(self, change: Change) -> None:
        match change.payload:
            case CreateComponent() as made:
                self.components[f"new:{made.name}"] = ObservedComponent(
                    id=f"new:{made.name}",
                    name=made.name,
                    description=encode_description(made.description, made.keywords, made.aliases),
                    assignee_type=made.assignee_type,
                )
            case UpdateComponent(after=after):
                cid = self.component_id(change)
                if cid is None:
                    return
                fields: dict[str, Any] = {}
                if after.name is not None:
                    fields["name"] = after.name
                if after.description is not None:
                    fields["description"] = encode_description(
                        after.description, after.keywords or [], after.aliases or []
                    )
                if after.sets_lead:
                    fields["lead"] = _lead(after.lead)
                if after.assignee_type is not None:
                    fields["assignee_type"] = after.assignee_type
                self.components[cid] = self.components[cid].model_copy(update=fields)
            case DeleteComponent():
                self.components.pop(self.component_id(change) or "", None)
            case CreateGroup():
                self.groups[change.target.casefold()] = ObservedGroup(name=change.target)
            case DeleteGroup():
                self.groups.pop(change.target.casefold(), None)
            case AddMember() | RemoveMember() as member:
                group = self.groups.get(change.target.casefold())
                if group is None or change.person is None:
                    return
                key = change.person.account.key
                members = {m.key: m for m in group.members}
                if isinstance(member, AddMember):
                    members[key] = change.person.account
                else:
                    members.pop(key, None)
                ordered = tuple(members[k] for k in sorted(members))
                self.groups[change.target.casefold()] = group.model_copy(
                    update={"members": ordered}
                )
            case CreateJsmQueue() as view:
                view_id = f"new:{view.name}"
                self.jsm_views()[view_id] = ObservedJsmQueue(
                    id=view_id, name=view.name, jql=view.jql
                )
            case UpdateJsmQueue(after=after_view):
                view_id = change.target_id or f"new:{change.target}"
                self.jsm_views()[view_id] = ObservedJsmQueue(
                    id=view_id, name=after_view.name, jql=after_view.jql
                )
            case DeleteJsmQueue():
                self.jsm_views().pop(change.target_id or f"new:{change.target}", None)
            case unknown:
                assert_never(unknown)


def simulate(observed: Observed, plan: Plan) -> Observed:
    """`observed` with every change of `plan` applied, in plan order."""
    state = _State(observed)
    for change in plan.changes:
        state.apply(change)
    return observed.model_copy(
        update={
            "components": tuple(sorted(state.components.values(), key=lambda c: c.id)),
            "groups": tuple(sorted(state.groups.values(), key=lambda g: g.name.casefold())),
            "jsm_queues": (
                tuple(sorted(state.jsm.values(), key=lambda v: v.id))
                if state.jsm is not None
                else None
            ),
        }
    )
