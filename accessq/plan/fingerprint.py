"""Fingerprints of what a plan was made from, so a saved plan is refused once it is stale.

A plan records one hash per part (each queue's configuration, component, groups with their member
keys, JSM view, resolved people; the settings; the runner; the target) and one hash over all of
them. `apply --plan` recomputes the parts from a fresh read: any difference makes the plan stale,
and `describe_drift` says which parts differ, in words (`Delta: agents group ats-delta-agents
changed`). Only what accessq manages and the configuration count: an unrelated component or group
changing in Jira does not stale a plan.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from accessq.config.models import Config, Queue
from accessq.config.people import lookup_key
from accessq.model.naming import parse_group_name
from accessq.model.observed import Observed, ObservedComponent
from accessq.plan.ownership import Slot, partition, selected

_GLOBAL_PARTS = {
    "target": "the Jira site or project",
    "settings": "the jira: and safety: settings",
    "runner": "the account accessq runs as",
}


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def combine(parts: Mapping[str, str]) -> str:
    """The one fingerprint over all parts."""
    return "sha256:" + _digest(sorted(parts.items()))


def _component(component: ObservedComponent, managed: bool) -> dict[str, Any]:
    return {
        "id": component.id,
        "name": component.name,
        "description": component.description,
        "lead": component.lead.key if component.lead else None,
        "assignee_type": component.assignee_type,
        "managed": managed,
    }


def _slot_parts(slot: Slot, config: Config, observed: Observed) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    queue = slot.desired
    if queue is not None:
        # Aliases only when there are some, so fingerprints of queues without them stay as before.
        dumped = queue.model_dump(mode="json", exclude=None if queue.aliases else {"aliases"})
        parts["config"] = {"kind": type(queue).__name__, **dumped}
        people = [p for role in queue.ROLES for p in queue.listed(role)]
        resolved = {}
        for person in people:
            key = lookup_key(person, config.jira)
            account = observed.directory.get(key)
            resolved[key] = [account.key, account.active] if account else None
        parts["people"] = resolved
    if slot.component is not None:
        parts["component"] = _component(slot.component, managed=True)
    if slot.conflict is not None:
        parts["unmanaged component"] = _component(slot.conflict, managed=False)
    for group in slot.groups:
        parsed = parse_group_name(config.jira.group_prefix, group.name)
        label = f"{parsed[1]} group {group.name}" if parsed else f"group {group.name}"
        parts[label] = sorted(m.key for m in group.members)
    for view in slot.jsm:
        parts[f"JSM queue view {view.name} ({view.id})"] = [view.name, view.jql]
    for view in slot.jsm_conflicts:
        parts[f"unmanaged JSM queue view {view.name} ({view.id})"] = [view.name, view.jql]
    return parts


def parts_of(config: Config, observed: Observed, slots: list[Slot]) -> dict[str, str]:
    """Hash per part for these slots; keys are `queue/part` (or a global part name)."""
    raw: dict[str, Any] = {
        "target": observed.target.model_dump(mode="json"),
        "settings": {
            "jira": config.jira.model_dump(mode="json"),
            "safety": config.safety.model_dump(mode="json"),
        },
        "runner": observed.runner.key if observed.runner else None,
    }
    for slot in slots:
        for part, value in _slot_parts(slot, config, observed).items():
            raw[f"{slot.name}/{part}"] = value
    return {key: _digest(value)[:16] for key, value in sorted(raw.items())}


def fingerprint_parts(
    observed: Observed, config: Config, *, only: set[str] | None = None
) -> dict[str, str]:
    slots = [s for s in partition(config, observed).slots if selected(s, only)]
    return parts_of(config, observed, slots)


def observed_fingerprint(
    observed: Observed, config: Config, *, only: set[str] | None = None
) -> str:
    """The fingerprint `diff` records in a plan for the same inputs."""
    return combine(fingerprint_parts(observed, config, only=only))


def describe_drift(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """One line per part that differs between a saved plan's parts and fresh ones."""
    lines = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k.casefold(), k)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in _GLOBAL_PARTS:
            lines.append(f"{_GLOBAL_PARTS[key]} changed")
            continue
        queue, _, part = key.rpartition("/")
        if part == "config":
            if old is None:
                lines.append(f"{queue}: added to the configuration")
            elif new is None:
                lines.append(f"{queue}: removed from the configuration")
            else:
                lines.append(f"{queue}: configuration changed")
        elif part == "people":
            # A queue that came or went says so once, through its configuration part.
            if old is not None and new is not None:
                lines.append(f"{queue}: Jira accounts of its people changed")
        else:
            if old is None:
                lines.append(f"{queue}: {part} appeared in Jira")
            elif new is None:
                lines.append(f"{queue}: {part} disappeared from Jira")
            else:
                lines.append(f"{queue}: {part} changed")
    return lines


def desired_fingerprint(queue: Queue, config: Config) -> str:
    """12 hex digits over what the configuration asks of one queue (its entry and the `jira:`
    settings that shape its groups and people): equal while neither changes. `apply` records it
    per queue in Jira (accessq.plan.drift) so a later plan can tell hand edits from new config."""
    dumped = queue.model_dump(mode="json", exclude=None if queue.aliases else {"aliases"})
    value = {"kind": type(queue).__name__, **dumped, "jira": config.jira.model_dump(mode="json")}
    return _digest(value)[:12]
