"""The seed's access sections: product access, global permissions, project roles, custom fields,
the project's permission scheme and notification scheme.

Each section is checked for shape by a pydantic model (`AccessSections`, part of the seed's model
`seed.SeedIn`), then its references (groups, users, roles, fields, permissions, events) are
resolved against the rest of the seed. A section a seed leaves out
gets a default (`default_access`): everyone has product access to Jira Software and Jira Service
Management, admin accounts are project Administrators, and the schemes are Jira Service
Management's and Jira's defaults. Mistakes are one line naming file:line, as in the rest of the
seed.

Grants and notifications are written `type` or `type:parameter`:

    permission_scheme:
      base: jsm-default                       # or none
      grants: {BROWSE_PROJECTS: [group:ats-delta-agents, groupCustomField:Queue agents]}
      revoke: {BROWSE_PROJECTS: [projectRole:Service Desk Team]}   # taken from the base
    notification_scheme:
      base: jira-default                      # or none
      events: {Issue Created: [GroupCustomField:Queue watchers]}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accessq.sandbox.schemes import (
    EVENTS,
    FIELD_TYPES,
    GLOBAL_HOLDER_TYPES,
    GLOBAL_PERMISSIONS,
    HOLDER_TYPES,
    NOTIFICATION_TYPES,
    PERMISSIONS,
    PROJECT_PERMISSIONS,
    SERVICE_DESK_APP,
    field_kind,
)

SECTIONS = (
    "site_groups",
    "application_roles",
    "global_permissions",
    "project_roles",
    "custom_fields",
    "permission_scheme",
    "notification_scheme",
)
APPLICATIONS = {SERVICE_DESK_APP: "Jira Service Management", "jira-software": "Jira Software"}
ADMINISTRATORS, SERVICE_DESK_TEAM, SERVICE_DESK_CUSTOMERS = (
    "Administrators",
    "Service Desk Team",
    "Service Desk Customers",
)
PORTAL = "sd.customer.portal.only"
# Jira Service Management's default permission scheme (its grants to roles and portal customers).
AGENT_GRANTS = (
    "BROWSE_PROJECTS",
    "CREATE_ISSUES",
    "EDIT_ISSUES",
    "SCHEDULE_ISSUES",
    "ASSIGN_ISSUES",
    "ASSIGNABLE_USER",
    "RESOLVE_ISSUES",
    "CLOSE_ISSUES",
    "TRANSITION_ISSUES",
    "LINK_ISSUES",
    "MANAGE_WATCHERS",
    "VIEW_VOTERS_AND_WATCHERS",
    "ADD_COMMENTS",
    "EDIT_OWN_COMMENTS",
    "DELETE_OWN_COMMENTS",
    "CREATE_ATTACHMENTS",
    "DELETE_OWN_ATTACHMENTS",
    "WORK_ON_ISSUES",
    "EDIT_OWN_WORKLOGS",
    "DELETE_OWN_WORKLOGS",
    "VIEW_READONLY_WORKFLOW",
)
CUSTOMER_GRANTS = ("BROWSE_PROJECTS", "CREATE_ISSUES", "ADD_COMMENTS", "CREATE_ATTACHMENTS")
DEFAULT_GLOBAL = ("USER_PICKER", "CREATE_SHARED_OBJECTS", "MANAGE_GROUP_FILTER_SUBSCRIPTIONS")
PERMISSION_BASES = ("jsm-default", "none")
NOTIFICATION_BASES = ("jira-default", "none")
DEFAULT_RECIPIENTS = ("CurrentAssignee", "Reporter", "AllWatchers")
_FIELD_ID = re.compile(r"^customfield_(\d{1,9})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ITEM = re.compile(r"^\[(\d+)\]")
FIRST_FIELD_NUMBER = 10200

Fail = Callable[[Any, str], Exception]
FindUser = Callable[[Any], str | None]  # a username, account id or email -> the username


# -- what the store is given ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeedAppRole:
    key: str
    name: str
    groups: tuple[str, ...]
    default_groups: tuple[str, ...]
    users: tuple[str, ...]  # usernames with access through the role itself
    seats: int | None  # None: unlimited
    selected_by_default: bool = False


@dataclass(frozen=True)
class SeedRole:
    id: int
    name: str
    description: str
    users: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class SeedField:
    id: str
    name: str
    type: str


@dataclass(frozen=True)
class SeedEntry:
    """A grant (subject: permission key) or notification (subject: event id as text).

    parameter, resolved: a group name, a username, a role id, a field id, an application key or
    an email address; None for types without one.
    """

    subject: str
    type: str
    parameter: str | None = None


@dataclass(frozen=True)
class SeedScheme:
    id: int
    name: str
    description: str
    entries: tuple[SeedEntry, ...]


@dataclass(frozen=True)
class AccessSeed:
    # Groups of the site's own setup (product access, roles, global permissions): (name,
    # usernames). Apart from `groups`, so a seed can replace its groups and keep these; a group
    # of the same name in `groups` replaces one here.
    site_groups: tuple[tuple[str, tuple[str, ...]], ...]
    app_roles: tuple[SeedAppRole, ...]
    global_permissions: tuple[SeedEntry, ...]
    project_roles: tuple[SeedRole, ...]
    custom_fields: tuple[SeedField, ...]
    permission_scheme: SeedScheme
    notification_scheme: SeedScheme


# -- the shapes, checked by pydantic --------------------------------------------------------------


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


Name = Field(min_length=1)


class _GroupIn(_Shape):
    name: str = Name
    members: list[str] = []


class _AppRoleIn(_Shape):
    key: str = Name
    name: str | None = None
    groups: list[str] = []
    default_groups: list[str] | None = None
    users: list[str] = []
    seats: int | None = Field(default=None, ge=0)
    selected_by_default: bool = False


class _RoleIn(_Shape):
    id: int | None = Field(default=None, ge=1)
    name: str = Name
    description: str = ""
    users: list[str] = []
    groups: list[str] = []


class _FieldIn(_Shape):
    id: str | None = None
    name: str = Name
    type: Literal["grouppicker", "multigrouppicker", "userpicker", "multiuserpicker"]


class _PermissionSchemeIn(_Shape):
    id: int | None = Field(default=None, ge=1)
    name: str = Name
    description: str = ""
    base: Literal["jsm-default", "none"] = "jsm-default"
    grants: dict[str, list[str]] = {}
    revoke: dict[str, list[str]] = {}


class _NotificationSchemeIn(_Shape):
    id: int | None = Field(default=None, ge=1)
    name: str = Name
    description: str = ""
    base: Literal["jira-default", "none"] = "jira-default"
    events: dict[str | int, list[str]] = {}
    remove: dict[str | int, list[str]] = {}


class AccessSections(_Shape):
    """The access sections of a seed; the seed's own model (seed.py) extends it."""

    site_groups: list[_GroupIn] | None = None
    application_roles: list[_AppRoleIn] | None = None
    global_permissions: dict[str, list[str]] | None = None
    project_roles: list[_RoleIn] | None = None
    custom_fields: list[_FieldIn] | None = None
    permission_scheme: _PermissionSchemeIn | None = None
    notification_scheme: _NotificationSchemeIn | None = None


# -- building -------------------------------------------------------------------------------------


def build_access(
    data: Mapping[str, Any],
    shapes: AccessSections,
    *,
    fail: Fail,
    find_user: FindUser,
    groups: Sequence[str],
    usernames: Sequence[str],
    admin_users: Sequence[str],
) -> AccessSeed:
    """The access sections of seed `data`, already checked for shape (`shapes`), resolved against
    the rest of the seed, defaults filled in; `data` gives the lines of mistakes."""
    return _Resolver(data, fail, find_user, groups, usernames, admin_users).build(shapes)


def default_access(usernames: Sequence[str], admin_users: Sequence[str]) -> AccessSeed:
    """The access of a seed that says nothing about it (Seed objects built in Python)."""

    def fail(where: Any, message: str) -> Exception:
        return ValueError(message)

    lookup = {u.lower(): u for u in usernames}
    return _Resolver(
        {}, fail, lambda r: lookup.get(str(r).lower()), (), usernames, admin_users
    ).build(AccessSections())


class _Resolver:
    """Resolves the names in the access sections against the seed, with file:line errors."""

    def __init__(
        self,
        data: Mapping[str, Any],
        fail: Fail,
        find_user: FindUser,
        groups: Sequence[str],
        usernames: Sequence[str],
        admin_users: Sequence[str],
    ) -> None:
        self.data = data
        self.fail_at = fail
        self.find_user = find_user
        self.groups = {g.lower(): g for g in groups}
        self.usernames = tuple(usernames)
        self.admin_users = tuple(admin_users)
        self.roles: tuple[SeedRole, ...] = ()
        self.fields: tuple[SeedField, ...] = ()
        self.apps: tuple[SeedAppRole, ...] = ()

    def fail(self, section: str, message: str) -> Exception:
        """An error in section; a message starting `[i]` is about item i, which knows its line."""
        node = self.data.get(section, self.data)
        item = _ITEM.match(message)
        if item and isinstance(node, list) and int(item[1]) < len(node):
            return self.fail_at(node[int(item[1])], f"{section}{message}")
        return self.fail_at(node, f"{section}: {message}")

    def build(self, s: AccessSections) -> AccessSeed:
        site_groups = self.site_groups(s.site_groups)
        self.apps = self.app_roles(s.application_roles)
        self.roles = self.project_roles(s.project_roles)
        self.fields = self.custom_fields(s.custom_fields)
        return AccessSeed(
            site_groups=site_groups,
            app_roles=self.apps,
            global_permissions=self.global_permissions(s.global_permissions),
            project_roles=self.roles,
            custom_fields=self.fields,
            permission_scheme=self.permission_scheme(s.permission_scheme),
            notification_scheme=self.notification_scheme(s.notification_scheme),
        )

    # -- sections ----------------------------------------------------------------------------

    def site_groups(self, raw: list[_GroupIn] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
        out: list[tuple[str, tuple[str, ...]]] = []
        for i, group in enumerate(raw or []):
            name = group.name.strip()
            if name.lower() in self.groups:
                if name.lower() in {n.lower() for n, _ in out}:
                    raise self.fail("site_groups", f"[{i}]: duplicate group name {name.lower()!r}")
                continue  # the seed's `groups` has it: that one counts
            self.groups[name.lower()] = name
            members = tuple(
                dict.fromkeys(self.user(m, "site_groups", f"[{i}]") for m in group.members)
            )
            out.append((name, members))
        return tuple(out)

    def app_roles(self, raw: list[_AppRoleIn] | None) -> tuple[SeedAppRole, ...]:
        if raw is None:
            return tuple(
                SeedAppRole(key, name, (), (), self.usernames, None)
                for key, name in APPLICATIONS.items()
            )
        out: list[SeedAppRole] = []
        for i, app in enumerate(raw):
            where = f"[{i}]"
            if app.key in {a.key for a in out}:
                raise self.fail("application_roles", f"{where}: duplicate key {app.key!r}")
            groups = tuple(self.group(g, "application_roles", where) for g in app.groups)
            defaults = (
                groups
                if app.default_groups is None
                else tuple(self.group(g, "application_roles", where) for g in app.default_groups)
            )
            if not set(defaults) <= set(groups):
                raise self.fail(
                    "application_roles", f"{where}: default_groups must be among its groups"
                )
            users = tuple(self.user(u, "application_roles", where) for u in app.users)
            name = app.name or APPLICATIONS.get(app.key, app.key)
            out.append(
                SeedAppRole(
                    app.key, name, groups, defaults, users, app.seats, app.selected_by_default
                )
            )
        return tuple(out)

    def project_roles(self, raw: list[_RoleIn] | None) -> tuple[SeedRole, ...]:
        if raw is None:
            return (
                SeedRole(10002, ADMINISTRATORS, "Project administrators", self.admin_users, ()),
                SeedRole(10100, SERVICE_DESK_TEAM, "Agents of the service project", (), ()),
                SeedRole(10101, SERVICE_DESK_CUSTOMERS, "Customers of the service project", (), ()),
            )
        out: list[SeedRole] = []
        next_id = 10100
        for i, role in enumerate(raw):
            where = f"[{i}]"
            role_id = role.id
            if role_id is None:
                while next_id in {r.id for r in out} | {r.id for r in raw if r.id}:
                    next_id += 1
                role_id = next_id
            if role_id in {r.id for r in out}:
                raise self.fail("project_roles", f"{where}: duplicate id {role_id}")
            if role.name.lower() in {r.name.lower() for r in out}:
                raise self.fail("project_roles", f"{where}: duplicate name {role.name!r}")
            users = tuple(self.user(u, "project_roles", where) for u in role.users)
            groups = tuple(self.group(g, "project_roles", where) for g in role.groups)
            out.append(SeedRole(role_id, role.name, role.description, users, groups))
        return tuple(out)

    def custom_fields(self, raw: list[_FieldIn] | None) -> tuple[SeedField, ...]:
        out: list[SeedField] = []
        taken = {f.id for f in raw or [] if f.id}
        number = FIRST_FIELD_NUMBER
        for i, f in enumerate(raw or []):
            where = f"[{i}]"
            if f.id is None:
                while f"customfield_{number}" in taken:
                    number += 1
                field_id = f"customfield_{number}"
                taken.add(field_id)
            elif not _FIELD_ID.match(f.id):
                raise self.fail("custom_fields", f"{where}: id must look like customfield_10200")
            else:
                field_id = f.id
            if field_id in {x.id for x in out}:
                raise self.fail("custom_fields", f"{where}: duplicate id {field_id!r}")
            if f.name.lower() in {x.name.lower() for x in out}:
                raise self.fail("custom_fields", f"{where}: duplicate name {f.name!r}")
            out.append(SeedField(field_id, f.name, f.type))
        return tuple(out)

    def global_permissions(self, raw: dict[str, list[str]] | None) -> tuple[SeedEntry, ...]:
        if raw is None:
            return tuple(SeedEntry(p, "applicationRole") for p in DEFAULT_GLOBAL)
        out: list[SeedEntry] = []
        for permission, holders in raw.items():
            if permission not in GLOBAL_PERMISSIONS:
                raise self.fail(
                    "global_permissions",
                    f"{permission!r} is not a global permission ({', '.join(GLOBAL_PERMISSIONS)})",
                )
            for text in holders:
                entry = self.holder(permission, text, "global_permissions", permission)
                if entry.type not in GLOBAL_HOLDER_TYPES:
                    raise self.fail(
                        "global_permissions",
                        f"{permission}: {text!r}: global permissions are granted to "
                        + ", ".join(GLOBAL_HOLDER_TYPES),
                    )
                out.append(entry)
        return tuple(_unique(out))

    def permission_scheme(self, raw: _PermissionSchemeIn | None) -> SeedScheme:
        s = raw or _PermissionSchemeIn(name="Default Jira Service Management Permission Scheme")
        base = self.jsm_grants() if s.base == "jsm-default" else []
        section = "permission_scheme"
        revoked = [
            self.holder(p, text, section, f"revoke.{p}")
            for p, texts in self.permissions(s.revoke, f"{section}.revoke")
            for text in texts
        ]
        for entry in revoked:
            if entry not in base:
                raise self.fail(
                    section, f"revoke.{entry.subject}: the base {s.base!r} has no such grant"
                )
        added = [
            self.holder(p, text, section, f"grants.{p}")
            for p, texts in self.permissions(s.grants, f"{section}.grants")
            for text in texts
        ]
        entries = [e for e in base if e not in revoked] + added
        return SeedScheme(s.id or 10000, s.name, s.description, tuple(_unique(entries)))

    def notification_scheme(self, raw: _NotificationSchemeIn | None) -> SeedScheme:
        s = raw or _NotificationSchemeIn(name="Default Notification Scheme")
        section = "notification_scheme"
        base = (
            [SeedEntry(str(e), t) for e in EVENTS for t in DEFAULT_RECIPIENTS]
            if s.base == "jira-default"
            else []
        )
        removed = [
            self.recipient(event, text, f"remove.{EVENTS[event]}")
            for event, texts in self.events(s.remove, "remove")
            for text in texts
        ]
        for entry in removed:
            if entry not in base:
                raise self.fail(
                    section,
                    f"remove.{EVENTS[int(entry.subject)]}: the base {s.base!r} has no such"
                    " notification",
                )
        added = [
            self.recipient(event, text, f"events.{EVENTS[event]}")
            for event, texts in self.events(s.events, "events")
            for text in texts
        ]
        entries = [e for e in base if e not in removed] + added
        return SeedScheme(s.id or 10000, s.name, s.description, tuple(_unique(entries)))

    # -- pieces ------------------------------------------------------------------------------

    def jsm_grants(self) -> list[SeedEntry]:
        roles = {r.name.lower(): r for r in self.roles}
        missing = [n for n in (ADMINISTRATORS, SERVICE_DESK_TEAM) if n.lower() not in roles]
        if missing:
            raise self.fail(
                "permission_scheme",
                f"base 'jsm-default' grants to the project roles {ADMINISTRATORS} and"
                f" {SERVICE_DESK_TEAM}; project_roles has no {', '.join(missing)}",
            )
        admins = str(roles[ADMINISTRATORS.lower()].id)
        agents = str(roles[SERVICE_DESK_TEAM.lower()].id)
        return (
            [SeedEntry(p, "projectRole", admins) for p in PROJECT_PERMISSIONS]
            + [SeedEntry(p, "projectRole", agents) for p in AGENT_GRANTS]
            + [SeedEntry(p, PORTAL) for p in CUSTOMER_GRANTS]
        )

    def permissions(self, raw: dict[str, list[str]], where: str) -> Iterable[tuple[str, list[str]]]:
        for permission, texts in raw.items():
            if permission not in PROJECT_PERMISSIONS:
                hint = " (a global permission)" if permission in PERMISSIONS else ""
                raise self.fail(
                    "permission_scheme",
                    f"{where.split('.', 1)[1]}: {permission!r} is not a project permission{hint}",
                )
            yield permission, texts

    def events(
        self, raw: dict[str | int, list[str]], where: str
    ) -> Iterable[tuple[int, list[str]]]:
        by_name = {name.lower(): eid for eid, name in EVENTS.items()}
        for key, texts in raw.items():
            event = by_name.get(str(key).lower())
            if event is None and str(key).isdigit() and int(key) in EVENTS:
                event = int(key)
            if event is None:
                raise self.fail(
                    "notification_scheme",
                    f"{where}: {key!r} is not an event (an id or name such as 'Issue Created')",
                )
            yield event, texts

    def holder(self, subject: str, text: str, section: str, where: str) -> SeedEntry:
        kind, _, parameter = text.partition(":")
        if kind not in HOLDER_TYPES:
            raise self.fail(
                section,
                f"{where}: {text!r}: unknown holder type {kind!r} ({', '.join(HOLDER_TYPES)})",
            )
        return SeedEntry(
            subject, kind, self.parameter(HOLDER_TYPES[kind], kind, parameter, section, where)
        )

    def recipient(self, event: int, text: str, where: str) -> SeedEntry:
        kind, _, parameter = text.partition(":")
        section = "notification_scheme"
        if kind not in NOTIFICATION_TYPES:
            raise self.fail(
                section,
                f"{where}: {text!r}: unknown recipient type {kind!r}"
                f" ({', '.join(NOTIFICATION_TYPES)})",
            )
        return SeedEntry(
            str(event),
            kind,
            self.parameter(NOTIFICATION_TYPES[kind], kind, parameter, section, where),
        )

    def parameter(
        self, names: str | None, kind: str, raw: str, section: str, where: str
    ) -> str | None:
        raw = raw.strip()
        if names is None:
            if raw:
                raise self.fail(section, f"{where}: {kind} takes no parameter, not {raw!r}")
            return None
        if not raw:
            if names == "application":
                return None  # any product access
            raise self.fail(section, f"{where}: {kind} needs a {names}: {kind}:<{names}>")
        if names == "group":
            return self.group(raw, section, where)
        if names == "user":
            return self.user(raw, section, where)
        if names == "role":
            role = next((r for r in self.roles if raw.lower() in (r.name.lower(), str(r.id))), None)
            if role is None:
                raise self.fail(section, f"{where}: {raw!r} is not a project role of this seed")
            return str(role.id)
        if names == "application":
            if raw not in {a.key for a in self.apps}:
                raise self.fail(section, f"{where}: {raw!r} is not an application role")
            return raw
        if names == "email":
            if not _EMAIL.match(raw):
                raise self.fail(section, f"{where}: {raw!r} is not an email address")
            return raw
        wanted = names.split()[0]  # "group field" / "user field"
        found = next((f for f in self.fields if raw.lower() in (f.name.lower(), f.id)), None)
        if found is None:
            raise self.fail(section, f"{where}: {raw!r} is not a custom field of this seed")
        if field_kind(found.type) != wanted:
            raise self.fail(
                section,
                f"{where}: {kind} needs a {wanted} picker field; {found.name!r} is a {found.type}",
            )
        return found.id

    def group(self, name: str, section: str, where: str) -> str:
        group = self.groups.get(str(name).lower())
        if group is None:
            raise self.fail(section, f"{where}: group {name!r} is not in the seed's groups")
        return group

    def user(self, ref: str, section: str, where: str) -> str:
        username = self.find_user(ref)
        if username is None:
            raise self.fail(section, f"{where}: {ref!r} is not a user of this seed")
        return username


def _unique(entries: Iterable[SeedEntry]) -> list[SeedEntry]:
    return list(dict.fromkeys(entries))


__all__ = [
    "FIELD_TYPES",
    "SECTIONS",
    "AccessSections",
    "AccessSeed",
    "SeedAppRole",
    "SeedEntry",
    "SeedField",
    "SeedRole",
    "SeedScheme",
    "build_access",
    "default_access",
]
