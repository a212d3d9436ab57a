"""The naive baseline: what a straightforward script on the `jira` library would do to read the
same state, one call per object and per person, one after another.

serverInfo (the client's own, at sign-in), `myself`, `project_components`, one `groups` search
for the prefix, `group_members` per configured group (the library pages the deprecated
`group?expand=users` 50 at a time), and `search_users` per distinct configured person (it does
not know that group members already carry the accounts). Diffing is left out: it is pure and
takes milliseconds either way, so the comparison is of the reads.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from jira import JIRA

from accessq.config.models import Config, RPQueue
from accessq.config.naming import group_name
from accessq.config.people import lookup_key, people
from accessq.sandbox import SandboxControl


@dataclass(frozen=True)
class NaiveRead:
    seconds: float
    requests: int
    groups: int
    people: int

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "groups": self.groups,
            "people": self.people,
        }


def naive_read(url: str, login: tuple[str, str], config: Config, project: str) -> NaiveRead:
    """Read what a plan needs the naive way; requests counted by the sandbox at `url`."""
    control = SandboxControl(url)
    jira = config.jira
    groups = [
        group_name(jira.group_prefix, queue.name, role)
        for queue in config.queues
        for role in (("agents", "watchers") if isinstance(queue, RPQueue) else ("updaters",))
    ]
    emails = sorted({lookup_key(p, jira).split(":", 1)[1] for _, _, p in people(config.queues)})
    control.reset_stats()
    started = time.perf_counter()
    client = JIRA(url, basic_auth=login)  # reads serverInfo
    try:
        client.myself()
        client.project_components(project)
        client.groups(query=jira.group_prefix)
        for name in groups:
            client.group_members(name)
        for email in emails:
            client.search_users(query=email)
    finally:
        client.close()
    seconds = time.perf_counter() - started
    return NaiveRead(seconds, control.count(), len(groups), len(emails))
