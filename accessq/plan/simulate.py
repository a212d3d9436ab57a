"""Apply a plan to an observed snapshot in memory: what Jira would look like after `apply`.

Used by the property tests (planning the simulated result again must give no changes) and by the
safety rules (who is in each group after the plan). Ids of created objects are `new:<name>`. A
change whose object is missing is skipped, as apply would report that step failed.
"""

from __future__ import annotations

from typing import Any

from accessq.model.naming import encode_description
from accessq.model.observed import (
    Account,
    Observed,
    ObservedComponent,
    ObservedGroup,
    ObservedJsmQueue,
)
from accessq.plan.model import Change, Plan


def _lead(value: Any) -> Account | None:
    if not isinstance(value, dict):
        return None
    return Account(key=value["key"], display_name=value.get("name") or "", email=value.get("email"))


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
        action, after = change.action, change.after
        if action == "create_component":
            self.components[f"new:{after['name']}"] = ObservedComponent(
                id=f"new:{after['name']}",
                name=after["name"],
                description=encode_description(after["description"], after["keywords"]),
                assignee_type=after["assignee_type"],
            )
        elif action == "update_component":
            cid = self.component_id(change)
            if cid is None:
                return
            fields: dict[str, Any] = {}
            if "name" in after:
                fields["name"] = after["name"]
            if "description" in after:
                fields["description"] = encode_description(after["description"], after["keywords"])
            if "lead" in after:
                fields["lead"] = _lead(after["lead"])
            if "assignee_type" in after:
                fields["assignee_type"] = after["assignee_type"]
            self.components[cid] = self.components[cid].model_copy(update=fields)
        elif action == "delete_component":
            self.components.pop(self.component_id(change) or "", None)
        elif action == "create_group":
            self.groups[change.target.casefold()] = ObservedGroup(name=change.target)
        elif action == "delete_group":
            self.groups.pop(change.target.casefold(), None)
        elif action in ("add_member", "remove_member"):
            group = self.groups.get(change.target.casefold())
            if group is None or change.person is None:
                return
            key = change.person.account.key
            members = {m.key: m for m in group.members}
            if action == "add_member":
                members[key] = change.person.account
            else:
                members.pop(key, None)
            ordered = tuple(members[k] for k in sorted(members))
            self.groups[change.target.casefold()] = group.model_copy(update={"members": ordered})
        elif action == "create_jsm_queue":
            view_id = f"new:{after['name']}"
            self.jsm_views()[view_id] = ObservedJsmQueue(
                id=view_id, name=after["name"], jql=after["jql"]
            )
        elif action == "update_jsm_queue":
            view_id = change.target_id or f"new:{change.target}"
            self.jsm_views()[view_id] = ObservedJsmQueue(
                id=view_id, name=after["name"], jql=after["jql"]
            )
        elif action == "delete_jsm_queue":
            self.jsm_views().pop(change.target_id or f"new:{change.target}", None)


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
