"""The Jira group names a queue name gives: one definition, used by validation and the plan."""

from __future__ import annotations

import re

from accessq.config.models import Role

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """`Jetstream-2` -> `jetstream-2`; each run of characters other than a-z0-9 becomes `-`."""
    return _NON_SLUG.sub("-", name.lower())


def group_name(prefix: str, queue_name: str, role: Role) -> str:
    return f"{prefix}{slug(queue_name)}-{role}"
