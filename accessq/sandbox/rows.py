"""The rows the store hands out: plain frozen dataclasses, and how SQL rows become them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    pk: int
    account_id: str
    username: str
    display_name: str
    email: str
    active: bool
    email_hidden: bool
    time_zone: str
    account_type: str = "atlassian"  # Cloud's accountType: atlassian, customer or app

    @property
    def key(self) -> str:
        """Data Center's user key: not the username for users created on modern Jira."""
        return f"JIRAUSER{10000 + self.pk}"


@dataclass(frozen=True)
class Account:
    login: str
    role: str
    user: User

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Group:
    pk: int
    group_id: str
    name: str


@dataclass(frozen=True)
class Component:
    id: int
    name: str
    description: str | None
    lead: User | None
    assignee_type: str


@dataclass(frozen=True)
class Queue:
    id: int
    name: str
    jql: str
    fields: tuple[str, ...]
    can_be_hidden: bool
    favourite: bool


@dataclass(frozen=True)
class Project:
    id: int
    key: str
    name: str
    lead: User | None
    service_desk_id: int


def user_from_row(row: Sequence[object]) -> User:
    pk, account_id, username, display_name, email, active, hidden, time_zone, kind = row[:9]
    return User(
        int(str(pk)),
        str(account_id),
        str(username),
        str(display_name),
        str(email),
        bool(active),
        bool(hidden),
        str(time_zone),
        str(kind),
    )


def component_from_row(row: Sequence[object]) -> Component:
    """(id, name, description, assignee_type, *lead user columns or NULLs)."""
    lead = None if row[4] is None else user_from_row(row[4:])
    description = None if row[2] is None else str(row[2])
    return Component(int(str(row[0])), str(row[1]), description, lead, str(row[3]))


def queue_from_row(row: Sequence[object]) -> Queue:
    queue_id, name, jql, fields, can_be_hidden, favourite = row
    return Queue(
        int(str(queue_id)),
        str(name),
        str(jql),
        tuple(json.loads(str(fields))),
        bool(can_be_hidden),
        bool(favourite),
    )
