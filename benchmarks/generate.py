"""Generate a large queue configuration and the sandbox seed that already matches it.

    python benchmarks/generate.py OUT_DIR [--queues 300] [--memberships 2000] [--big-groups 4]

writes OUT_DIR/queues.yaml and OUT_DIR/seed.yaml. Against a sandbox seeded with the seed, a plan of
the configuration shows no change, so a benchmark measures reading, not diffing. Deterministic for
a given `--random-seed`. A few groups get more than 50 members, so member paging is exercised.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from accessq.config.models import Role
from accessq.config.naming import group_name
from accessq.model.naming import encode_description

PREFIX = "ats-"
USERNAME_EMAIL = "{username}@access.example.org"
SITES = ("ncsa", "iu", "psc", "sdsc", "tacc", "purdue", "osc", "ku", "uky", "stanford")


@dataclass
class Generated:
    config: dict[str, Any]
    seed: dict[str, Any]
    groups: dict[str, int] = field(default_factory=dict)  # group name -> member count

    @property
    def memberships(self) -> int:
        return sum(self.groups.values())


def generate(
    queues: int = 300,
    memberships: int = 2000,
    *,
    big_groups: int = 4,
    random_seed: int = 7,
    project: str = "ATS",
) -> Generated:
    """Two thirds RP queues (agents + watchers groups), one third awardee queues (updaters)."""
    rng = random.Random(random_seed)
    n_rp = queues * 2 // 3
    n_awardee = queues - n_rp
    n_groups = 2 * n_rp + n_awardee
    per_group = max(1, memberships // max(1, n_groups))

    staff = [_person(rng, i, SITES[i % len(SITES)]) for i in range(max(50, memberships // 3))]
    awardees = [_awardee(i) for i in range(max(30, memberships // 6))]
    admin = {
        "name": "accessq automation",
        "email": "accessq-bot@access.example.org",
        "account_id": "712020:0c015822-3ee5",
        "username": "accessq-bot",
    }
    viewer = {
        "name": "Read-only Viewer",
        "email": "viewer@access.example.org",
        "account_id": "712020:40b4f25b-d4d8",
        "username": "viewer",
    }

    config: dict[str, Any] = {
        "version": 1,
        "jira": {"project": project, "group_prefix": PREFIX, "username_email": USERNAME_EMAIL},
        "rp_queues": [],
        "awardee_queues": [],
    }
    seed_groups: list[dict[str, Any]] = []
    components: list[dict[str, Any]] = []
    sizes: dict[str, int] = {}
    budget = memberships

    def size(index: int, groups_left: int) -> int:
        if index < big_groups:
            return 51 + index * 13  # past one page of group/member
        return max(1, min(budget - groups_left + 1, per_group + rng.randint(-1, 1)))

    for i in range(n_rp):
        name = f"RP-{SITES[i % len(SITES)].upper()}-{i:03d}"
        agents = rng.sample(staff, min(len(staff), size(i, n_groups - len(sizes))))
        budget -= len(agents)
        # Half the queues omit watchers (same as agents), the rest name a subset plus one more.
        if i % 2:
            watchers = None
            watcher_people = agents
        else:
            watcher_people = [*agents[: max(1, len(agents) - 1)], rng.choice(staff)]
            watcher_people = list({p["email"]: p for p in watcher_people}.values())
            watchers = [_contact(p) for p in watcher_people]
        budget -= len(watcher_people)
        queue: dict[str, Any] = {
            "name": name,
            "description": f"Resource provider {name}",
            "agents": [_contact(p) for p in agents],
        }
        if watchers is not None:
            queue["watchers"] = watchers
        config["rp_queues"].append(queue)
        components.append({"name": name, "description": encode_description(queue["description"])})
        roles: tuple[tuple[Role, list[dict[str, Any]]], ...] = (
            ("agents", agents),
            ("watchers", watcher_people),
        )
        for role, people in roles:
            gname = group_name(PREFIX, name, role)
            seed_groups.append({"name": gname, "members": [p["username"] for p in people]})
            sizes[gname] = len(people)

    for i in range(n_awardee):
        name = f"ACCESS-Team{i:03d}-Support"
        updaters = rng.sample(awardees, min(len(awardees), size(n_rp + i, n_groups - len(sizes))))
        budget -= len(updaters)
        keywords = [f"topic-{i}", f"area {i}"]
        queue = {
            "name": name,
            "description": f"Awardee team {i}",
            "updaters": [{"name": p["name"], "username": p["username"]} for p in updaters],
            "default_assignee": updaters[0]["username"],
            "keywords": keywords,
        }
        config["awardee_queues"].append(queue)
        components.append(
            {
                "name": name,
                "description": encode_description(queue["description"], keywords),
                "lead": updaters[0]["username"],
                "assignee_type": "COMPONENT_LEAD",
            }
        )
        gname = group_name(PREFIX, name, "updaters")
        seed_groups.append({"name": gname, "members": [p["username"] for p in updaters]})
        sizes[gname] = len(updaters)

    seed = {
        "project": {"key": project, "name": "ACCESS Support (benchmark)"},
        "users": [*staff, *awardees, admin, viewer],
        "groups": seed_groups,
        "components": components,
        "accounts": [
            {
                "login": "admin",
                "token": "admin",
                "pat": "admin-pat",  # Data Center signs in with it (Bearer)
                "user": "accessq-bot",
                "role": "admin",
            },
            {"login": "viewer", "token": "viewer", "user": "viewer", "role": "read-only"},
        ],
    }
    return Generated(config=config, seed=seed, groups=sizes)


def write(out_dir: Path, generated: Generated) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    config_path, seed_path = out_dir / "queues.yaml", out_dir / "seed.yaml"
    config_path.write_text(yaml.safe_dump(generated.config, sort_keys=False), encoding="utf-8")
    seed_path.write_text(yaml.safe_dump(generated.seed, sort_keys=False), encoding="utf-8")
    return config_path, seed_path


def _person(rng: random.Random, index: int, site: str) -> dict[str, Any]:
    first = rng.choice(("Alex", "Sam", "Kim", "Lee", "Noor", "Ravi", "Mia", "Jon", "Ana", "Yu"))
    username = f"staff{index:04d}"
    return {
        "name": f"{first} Staff{index:04d}",
        "email": f"{username}@{site}.example.edu",
        "account_id": f"712020:staff-{index:06d}",
        "username": username,
    }


def _awardee(index: int) -> dict[str, Any]:
    username = f"awardee{index:04d}"
    return {
        "name": f"Awardee {index:04d}",
        "email": USERNAME_EMAIL.format(username=username),
        "account_id": f"712020:awardee-{index:06d}",
        "username": username,
    }


def _contact(person: dict[str, Any]) -> dict[str, str]:
    return {"name": person["name"], "email": person["email"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--queues", type=int, default=300)
    parser.add_argument("--memberships", type=int, default=2000)
    parser.add_argument("--big-groups", type=int, default=4)
    parser.add_argument("--random-seed", type=int, default=7)
    args = parser.parse_args(argv)
    generated = generate(
        args.queues, args.memberships, big_groups=args.big_groups, random_seed=args.random_seed
    )
    config_path, seed_path = write(args.out_dir, generated)
    print(
        f"{config_path}: {args.queues} queues, {len(generated.groups)} groups, "
        f"{generated.memberships} memberships; seed: {seed_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
