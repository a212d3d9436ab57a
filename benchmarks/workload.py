"""The workloads the benchmark runs: a generated configuration per size, written as files, with
the sandbox seeds it is measured against, and the small (5%) change applied on top of it.

Built on `generate.py`: `Workload.build(queues)` scales memberships with the queue count (the
generator's default ratio, 2,000 memberships per 300 queues) so every size has the same shape.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from generate import PREFIX, Generated, generate  # a sibling script, not a package

from accessq.config.naming import group_name

MEMBERSHIPS_PER_QUEUE = 2000 / 300  # generate.py's defaults
QUEUES_PER_FILE = 300  # a single file is capped at 100,000 YAML values; RPs own their files anyway
CHANGE_FRACTION = 0.05


@dataclass(frozen=True)
class Workload:
    queues: int
    generated: Generated

    @classmethod
    def build(cls, queues: int, *, random_seed: int = 7) -> Workload:
        memberships = max(1, round(queues * MEMBERSHIPS_PER_QUEUE))
        return cls(queues, generate(queues, memberships, random_seed=random_seed))

    @property
    def config(self) -> dict[str, Any]:
        return self.generated.config

    @property
    def groups(self) -> dict[str, int]:
        """Managed group name -> member count, as the matching seed has them."""
        return self.generated.groups

    @property
    def memberships(self) -> int:
        return self.generated.memberships

    def full_seed(self) -> dict[str, Any]:
        """The site already matching the configuration: a plan of it shows no change."""
        return self.generated.seed

    def new_queues(self, every: int = 1) -> NewQueues:
        """The site before a first apply: every `every`-th queue is not there yet (1: none is).

        The people are all there (Jira knows them); the missing queues have no component and no
        group. With `every` 10, a tenth of the queues join a site that has the rest.
        """
        seed = copy.deepcopy(self.generated.seed)
        queues = [*self.config["rp_queues"], *self.config["awardee_queues"]]
        new = queues[:: max(1, every)]
        names = {q["name"] for q in new}
        new_groups = {
            group_name(PREFIX, q["name"], role)
            for q in new
            for role in (("agents", "watchers") if "agents" in q else ("updaters",))
        }
        seed["components"] = [c for c in seed["components"] if c["name"] not in names]
        seed["groups"] = [g for g in seed["groups"] if g["name"] not in new_groups]
        # A person is looked up only when no remaining group shows them already.
        seen = {member for group in seed["groups"] for member in group["members"]}
        by_email = {u["email"].casefold(): u["username"] for u in seed["users"]}
        wanted: set[str] = set()
        for queue in new:
            for person in [*queue.get("agents", []), *queue.get("watchers", [])]:
                wanted.add(by_email[person["email"].casefold()])
            wanted.update(p["username"] for p in queue.get("updaters", []))
        return NewQueues(
            seed=seed,
            queues=len(new),
            groups={g: n for g, n in self.groups.items() if g in new_groups},
            existing={g: n for g, n in self.groups.items() if g not in new_groups},
            awardees=sum(1 for q in new if "updaters" in q),
            lookups=len(wanted - seen),
        )

    def changed(self) -> SmallChange:
        """The configuration with 5% of its queues changed (see `small_change`)."""
        seed = self.generated.seed
        grouped = {name for group in seed["groups"] for name in group["members"]}
        return small_change(self.config, [u for u in seed["users"] if u["username"] in grouped])


@dataclass(frozen=True)
class NewQueues:
    """A site some queues have yet to be created on, and what creating them takes."""

    seed: dict[str, Any]
    queues: int  # queues to create
    groups: dict[str, int]  # groups to create -> members to add
    existing: dict[str, int]  # managed groups already there -> members (read by the plan)
    awardees: int  # awardee queues among them (each gets its lead set)
    lookups: int  # their people whom no existing group shows

    @property
    def memberships(self) -> int:
        return sum(self.groups.values())


@dataclass(frozen=True)
class SmallChange:
    config: dict[str, Any]
    writes: int  # memberships and components it changes: one write each
    queues: int


def small_change(config: dict[str, Any], users: list[dict[str, Any]]) -> SmallChange:
    """Every 20th queue changed, in turn: one person added, one removed, the description edited.

    `users`: people the site already has in some managed group, so the newcomers need no lookup
    (someone unknown to Jira would be an error). A person is removed only where the safety rules
    allow it (at least 2 people, so min_agents holds; one in four at most).
    """
    changed = copy.deepcopy(config)
    staff = [u for u in users if u["username"].startswith("staff")]
    awardees = [u for u in users if u["username"].startswith("awardee")]
    queues = [*changed["rp_queues"], *changed["awardee_queues"]]
    step = max(1, round(1 / CHANGE_FRACTION))
    chosen = queues[::step][: max(1, math.ceil(len(queues) * CHANGE_FRACTION))]
    writes = 0
    for turn, queue in enumerate(chosen):
        role = "agents" if "agents" in queue else "updaters"
        people = queue[role]
        # Omitted watchers are the agents: a change of agents changes both groups.
        both = role == "agents" and "watchers" not in queue
        kind = turn % 3
        newcomer = _newcomer(people, staff if role == "agents" else awardees, role)
        if (kind == 0 and newcomer is None) or (kind == 1 and len(people) < 2):
            kind = 2
        if kind == 0 and newcomer is not None:
            people.append(newcomer)
            writes += 2 if both else 1
        elif kind == 1:
            gone = people.pop()
            writes += 2 if both else 1
            watchers = queue.get("watchers") if role == "agents" else None
            if watchers and gone in watchers and len(watchers) > 1:
                watchers.remove(gone)
                writes += 1
        else:
            queue["description"] = f"{queue['description']} (updated)"
            writes += 1
    return SmallChange(changed, writes, len(chosen))


def _newcomer(
    people: list[dict[str, Any]], pool: list[dict[str, Any]], role: str
) -> dict[str, str] | None:
    """Someone from `pool` not yet in `people`, as the role names people; None if all are."""
    if role == "agents":
        taken = {p["email"] for p in people}
        user = next((u for u in pool if u["email"] not in taken), None)
        return None if user is None else {"name": user["name"], "email": user["email"]}
    taken = {p["username"] for p in people}
    user = next((u for u in pool if u["username"] not in taken), None)
    return None if user is None else {"name": user["name"], "username": user["username"]}


def write_config(folder: Path, config: dict[str, Any]) -> Path:
    """The configuration as a folder of files of at most 300 queues (`jira:` in the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    queues = [("rp_queues", q) for q in config["rp_queues"]]
    queues += [("awardee_queues", q) for q in config["awardee_queues"]]
    for part, start in enumerate(range(0, max(1, len(queues)), QUEUES_PER_FILE)):
        doc: dict[str, Any] = {"version": config["version"]}
        if part == 0:
            doc["jira"] = config["jira"]
        for key, queue in queues[start : start + QUEUES_PER_FILE]:
            doc.setdefault(key, []).append(queue)
        text = yaml.safe_dump(doc, sort_keys=False)
        (folder / f"queues-{part:02d}.yaml").write_text(text, encoding="utf-8")
    return folder


def write_seed(path: Path, seed: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(seed, sort_keys=False), encoding="utf-8")
    return path
