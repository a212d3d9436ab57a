"""Who may do what: permission and notification schemes, project roles, product access (licences),
global permissions, and custom fields, as tables of the sandbox's SQLite state.

Knows nothing of HTTP or JSON. The seed (`seed_schemes`) says what a fresh sandbox starts with;
`seed_tables` writes it; `load_snapshot` reads all of it back in one read transaction, for the
handlers of `api_permissions` and the evaluation in `access`.

Grants, notifications and role actors name groups and users by row (foreign keys with
`ON DELETE CASCADE`): deleting a group removes it from schemes and roles, as Jira does, and a group
created again under the same name is not in them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from accessq.sandbox.rows import USER_COLUMNS, Group, User, user_from_row

if TYPE_CHECKING:
    from accessq.sandbox.seed import Seed
    from accessq.sandbox.store import Store

# -- what Jira has built in -----------------------------------------------------------------------


@dataclass(frozen=True)
class PermissionInfo:
    key: str
    id: int
    name: str
    description: str
    type: str  # PROJECT or GLOBAL
    dc_name: str = ""  # Data Center's name where it differs


def _p(key: str, pid: int, name: str, description: str) -> PermissionInfo:
    return PermissionInfo(key, pid, name, description, "PROJECT")


def _g(key: str, pid: int, name: str, description: str, dc_name: str = "") -> PermissionInfo:
    return PermissionInfo(key, pid, name, description, "GLOBAL", dc_name)


# Jira's built-in permissions (keys and ids as `GET mypermissions` reports them).
PERMISSIONS: dict[str, PermissionInfo] = {
    p.key: p
    for p in (
        _p(
            "ADMINISTER_PROJECTS",
            23,
            "Administer Projects",
            "Ability to administer a project in Jira.",
        ),
        _p(
            "BROWSE_PROJECTS",
            10,
            "Browse Projects",
            "Ability to browse projects and the issues within them.",
        ),
        _p(
            "VIEW_DEV_TOOLS",
            29,
            "View Development Tools",
            "Allows users in a software project to view development-related information "
            "on the issue, such as commits, reviews and build information.",
        ),
        _p(
            "VIEW_READONLY_WORKFLOW",
            45,
            "View Read-Only Workflow",
            "Users with this permission may view a read-only version of a workflow.",
        ),
        _p(
            "ASSIGNABLE_USER",
            17,
            "Assignable User",
            "Users with this permission may be assigned to issues.",
        ),
        _p(
            "ASSIGN_ISSUES",
            13,
            "Assign Issues",
            "Ability to assign issues to other people.",
        ),
        _p(
            "CLOSE_ISSUES",
            18,
            "Close Issues",
            "Ability to close issues. Often useful where your developers resolve issues, "
            "and a QA department closes them.",
        ),
        _p(
            "CREATE_ISSUES",
            11,
            "Create Issues",
            "Ability to create issues.",
        ),
        _p(
            "DELETE_ISSUES",
            16,
            "Delete Issues",
            "Ability to delete issues.",
        ),
        _p(
            "EDIT_ISSUES",
            12,
            "Edit Issues",
            "Ability to edit issues.",
        ),
        _p(
            "LINK_ISSUES",
            21,
            "Link Issues",
            "Ability to link issues together and create linked issues. Only useful if "
            "issue linking is turned on.",
        ),
        _p(
            "MODIFY_REPORTER",
            30,
            "Modify Reporter",
            "Ability to modify the reporter when creating or editing an issue.",
        ),
        _p(
            "MOVE_ISSUES",
            25,
            "Move Issues",
            "Ability to move issues between projects or between workflows of the same "
            "project (if applicable). Note the user can only move issues to a project "
            "they have the create permission for.",
        ),
        _p(
            "RESOLVE_ISSUES",
            14,
            "Resolve Issues",
            "Ability to resolve and reopen issues. This includes the ability to set a fix version.",
        ),
        _p(
            "SCHEDULE_ISSUES",
            28,
            "Schedule Issues",
            "Ability to view or edit an issue's due date.",
        ),
        _p(
            "SET_ISSUE_SECURITY",
            26,
            "Set Issue Security",
            "Ability to set the level of security on an issue so that only people in that"
            " security level can see the issue.",
        ),
        _p(
            "TRANSITION_ISSUES",
            46,
            "Transition Issues",
            "Ability to transition issues.",
        ),
        _p(
            "MANAGE_WATCHERS",
            32,
            "Manage Watchers",
            "Ability to manage the watchers of an issue.",
        ),
        _p(
            "VIEW_VOTERS_AND_WATCHERS",
            31,
            "View Voters and Watchers",
            "Ability to view the voters and watchers of an issue.",
        ),
        _p(
            "ADD_COMMENTS",
            15,
            "Add Comments",
            "Ability to comment on issues.",
        ),
        _p(
            "DELETE_ALL_COMMENTS",
            36,
            "Delete All Comments",
            "Ability to delete all comments made on issues.",
        ),
        _p(
            "DELETE_OWN_COMMENTS",
            37,
            "Delete Own Comments",
            "Ability to delete own comments made on issues.",
        ),
        _p(
            "EDIT_ALL_COMMENTS",
            34,
            "Edit All Comments",
            "Ability to edit all comments made on issues.",
        ),
        _p(
            "EDIT_OWN_COMMENTS",
            35,
            "Edit Own Comments",
            "Ability to edit own comments made on issues.",
        ),
        _p(
            "CREATE_ATTACHMENTS",
            19,
            "Create Attachments",
            "Users with this permission may create attachments.",
        ),
        _p(
            "DELETE_ALL_ATTACHMENTS",
            38,
            "Delete All Attachments",
            "Users with this permission may delete all attachments.",
        ),
        _p(
            "DELETE_OWN_ATTACHMENTS",
            39,
            "Delete Own Attachments",
            "Users with this permission may delete own attachments.",
        ),
        _p(
            "DELETE_ALL_WORKLOGS",
            43,
            "Delete All Worklogs",
            "Ability to delete all worklogs made on issues.",
        ),
        _p(
            "DELETE_OWN_WORKLOGS",
            42,
            "Delete Own Worklogs",
            "Ability to delete own worklogs made on issues.",
        ),
        _p(
            "EDIT_ALL_WORKLOGS",
            41,
            "Edit All Worklogs",
            "Ability to edit all worklogs made on issues.",
        ),
        _p(
            "EDIT_OWN_WORKLOGS",
            40,
            "Edit Own Worklogs",
            "Ability to edit own worklogs made on issues.",
        ),
        _p(
            "WORK_ON_ISSUES",
            20,
            "Work On Issues",
            "Ability to log work done against an issue. Only useful if Time Tracking is turned on.",
        ),
        _g(
            "ADMINISTER",
            0,
            "Administer Jira",
            "Create and administer projects, issue types, fields, workflows, and schemes "
            "for all projects. Users with this permission can perform most administration"
            " tasks, except: managing users, importing data, and editing system email "
            "settings.",
            "Jira Administrators",
        ),
        _g(
            "SYSTEM_ADMIN",
            44,
            "Jira System Administrators",
            "Ability to perform all administration functions. There must be at least one "
            "group with this permission.",
        ),
        _g(
            "USER_PICKER",
            27,
            "Browse users and groups",
            "View and select users or groups from the user picker, and share issues. "
            "Users with this permission can see the names of all users and groups on your"
            " site.",
            "Browse Users",
        ),
        _g(
            "CREATE_SHARED_OBJECTS",
            22,
            "Share dashboards and filters",
            "Share dashboards and filters with other users.",
        ),
        _g(
            "MANAGE_GROUP_FILTER_SUBSCRIPTIONS",
            24,
            "Manage group filter subscriptions",
            "Create and delete group filter subscriptions.",
        ),
        _g(
            "BULK_CHANGE",
            33,
            "Make bulk changes",
            "Modify collections of issues at once. For example, resolve multiple issues "
            "in one step.",
        ),
    )
}
PROJECT_PERMISSIONS = tuple(k for k, p in PERMISSIONS.items() if p.type == "PROJECT")
GLOBAL_PERMISSIONS = tuple(k for k, p in PERMISSIONS.items() if p.type == "GLOBAL")

# In a service project, only Jira Service Management agents (licensed users) work on requests.
# Someone with product access to another Jira product only (a "collaborator") may hold these,
# and no other project permission; someone with no product access holds none at all.
COLLABORATOR_PERMISSIONS = frozenset(
    {
        "BROWSE_PROJECTS",
        "ADD_COMMENTS",
        "EDIT_OWN_COMMENTS",
        "DELETE_OWN_COMMENTS",
        "CREATE_ATTACHMENTS",
        "DELETE_OWN_ATTACHMENTS",
        "VIEW_VOTERS_AND_WATCHERS",
        "VIEW_READONLY_WORKFLOW",
        "ADMINISTER_PROJECTS",  # project configuration (components) is not agent work
    }
)
SERVICE_DESK_APP = "jira-servicedesk"

# Jira's system events (ids as notification schemes name them).
EVENTS: dict[int, str] = {
    1: "Issue Created",
    2: "Issue Updated",
    3: "Issue Assigned",
    4: "Issue Resolved",
    5: "Issue Closed",
    6: "Issue Commented",
    7: "Issue Reopened",
    8: "Issue Deleted",
    9: "Issue Moved",
    10: "Work Logged On Issue",
    11: "Work Started On Issue",
    12: "Work Stopped On Issue",
    13: "Generic Event",
    14: "Issue Comment Edited",
    15: "Issue Worklog Updated",
    16: "Issue Worklog Deleted",
    17: "Issue Comment Deleted",
}


def event_description(event_id: int) -> str:
    return f"This is the '{EVENTS[event_id].lower()}' event."


# Permission holder types; the value says what `parameter` names (None: it has none).
HOLDER_TYPES: dict[str, str | None] = {
    "anyone": None,
    "applicationRole": "application",  # optional: absent means any product access
    "assignee": None,
    "group": "group",
    "groupCustomField": "group field",
    "projectLead": None,
    "projectRole": "role",
    "reporter": None,
    "sd.customer.portal.only": None,
    "user": "user",
    "userCustomField": "user field",
}
# Global permissions are granted to groups (and, in the sandbox, to product access or anyone).
GLOBAL_HOLDER_TYPES = ("group", "applicationRole", "anyone")
# Notification recipients; the value says what `parameter` names.
NOTIFICATION_TYPES: dict[str, str | None] = {
    "CurrentAssignee": None,
    "Reporter": None,
    "CurrentUser": None,
    "ProjectLead": None,
    "ComponentLead": None,
    "User": "user",
    "Group": "group",
    "ProjectRole": "role",
    "EmailAddress": "email",
    "AllWatchers": None,
    "UserCustomField": "user field",
    "GroupCustomField": "group field",
}

# Custom field types a holder can name: key -> (schema type, items, Jira's custom type key).
_CF = "com.atlassian.jira.plugin.system.customfieldtypes:"
FIELD_TYPES: dict[str, tuple[str, str | None, str]] = {
    "grouppicker": ("group", None, f"{_CF}grouppicker"),
    "multigrouppicker": ("array", "group", f"{_CF}multigrouppicker"),
    "userpicker": ("user", None, f"{_CF}userpicker"),
    "multiuserpicker": ("array", "user", f"{_CF}multiuserpicker"),
}


def field_kind(field_type: str) -> str:
    """'group' or 'user': what a field of this type holds."""
    schema_type, items, _ = FIELD_TYPES[field_type]
    return items or schema_type


# -- the tables -----------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE IF NOT EXISTS app_roles (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    seats INTEGER,
    selected_by_default INTEGER NOT NULL,
    ord INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS app_role_groups (
    role_key TEXT NOT NULL REFERENCES app_roles (key) ON DELETE CASCADE,
    group_pk INTEGER NOT NULL REFERENCES groups (pk) ON DELETE CASCADE,
    is_default INTEGER NOT NULL,
    PRIMARY KEY (role_key, group_pk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS app_role_users (
    role_key TEXT NOT NULL REFERENCES app_roles (key) ON DELETE CASCADE,
    user_pk INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    PRIMARY KEY (role_key, user_pk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS project_roles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS role_actors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role_id INTEGER NOT NULL REFERENCES project_roles (id) ON DELETE CASCADE,
    user_pk INTEGER REFERENCES users (pk) ON DELETE CASCADE,
    group_pk INTEGER REFERENCES groups (pk) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS custom_fields (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS schemes (
    kind TEXT NOT NULL,
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scheme_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    scheme_id INTEGER,
    subject TEXT NOT NULL,
    holder_type TEXT NOT NULL,
    parameter TEXT,
    group_pk INTEGER REFERENCES groups (pk) ON DELETE CASCADE,
    user_pk INTEGER REFERENCES users (pk) ON DELETE CASCADE
);
"""
_TABLES = (
    "scheme_entries",
    "schemes",
    "custom_fields",
    "role_actors",
    "project_roles",
    "app_role_users",
    "app_role_groups",
    "app_roles",
)
PERMISSION = "permission"
NOTIFICATION = "notification"
GLOBAL = "global"
FIRST_ENTRY_ID = 10000
FIRST_ACTOR_ID = 10200


def wipe(conn: sqlite3.Connection) -> None:
    for table in _TABLES:
        conn.execute(f"DELETE FROM {table}")


def seed_tables(conn: sqlite3.Connection, seed: Seed, user_pks: Mapping[str, int]) -> None:
    """Write the seed's access sections (`user_pks`: username -> users.pk; groups by name)."""
    from accessq.sandbox.seed_schemes import default_access  # it imports this module

    access = seed.access or default_access(
        [u.username for u in seed.users], [a.user for a in seed.accounts if a.role == "admin"]
    )
    groups = {
        str(name).lower(): int(pk) for pk, name in conn.execute("SELECT pk, name FROM groups")
    }

    def group_pk(name: str | None) -> int | None:
        return groups.get((name or "").lower())

    conn.executemany(
        "INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES (?, ?)",
        [("scheme_entries", FIRST_ENTRY_ID - 1), ("role_actors", FIRST_ACTOR_ID - 1)],
    )
    for order, app in enumerate(access.app_roles):
        conn.execute(
            "INSERT INTO app_roles (key, name, seats, selected_by_default, ord)"
            " VALUES (?, ?, ?, ?, ?)",
            (app.key, app.name, app.seats, app.selected_by_default, order),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO app_role_groups (role_key, group_pk, is_default)"
            " VALUES (?, ?, ?)",
            [(app.key, group_pk(g), g in app.default_groups) for g in app.groups],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO app_role_users (role_key, user_pk) VALUES (?, ?)",
            [(app.key, user_pks[u]) for u in app.users],
        )
    for role in access.project_roles:
        conn.execute(
            "INSERT INTO project_roles (id, name, description) VALUES (?, ?, ?)",
            (role.id, role.name, role.description),
        )
        conn.executemany(
            "INSERT INTO role_actors (role_id, user_pk, group_pk) VALUES (?, ?, ?)",
            [(role.id, user_pks[u], None) for u in role.users]
            + [(role.id, None, group_pk(g)) for g in role.groups],
        )
    conn.executemany(
        "INSERT INTO custom_fields (id, name, type) VALUES (?, ?, ?)",
        [(f.id, f.name, f.type) for f in access.custom_fields],
    )
    entries: list[tuple[str, int | None, str, str, str | None, int | None, int | None]] = []
    for kind, scheme in (
        (PERMISSION, access.permission_scheme),
        (NOTIFICATION, access.notification_scheme),
    ):
        conn.execute(
            "INSERT INTO schemes (kind, id, name, description) VALUES (?, ?, ?, ?)",
            (kind, scheme.id, scheme.name, scheme.description),
        )
    for kind, scheme_id, grants in (
        (PERMISSION, access.permission_scheme.id, access.permission_scheme.entries),
        (NOTIFICATION, access.notification_scheme.id, access.notification_scheme.entries),
        (GLOBAL, None, access.global_permissions),
    ):
        for g in grants:
            kind_of = HOLDER_TYPES.get(g.type) or NOTIFICATION_TYPES.get(g.type)
            entries.append(
                (
                    kind,
                    scheme_id,
                    g.subject,
                    g.type,
                    g.parameter if kind_of not in ("group", "user") else None,
                    group_pk(g.parameter) if kind_of == "group" else None,
                    user_pks[g.parameter] if kind_of == "user" and g.parameter else None,
                )
            )
    conn.executemany(
        "INSERT INTO scheme_entries (kind, scheme_id, subject, holder_type, parameter, group_pk,"
        " user_pk) VALUES (?, ?, ?, ?, ?, ?, ?)",
        entries,
    )


# -- reading it back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppRole:
    key: str
    name: str
    seats: int | None  # None: unlimited
    selected_by_default: bool
    groups: tuple[Group, ...]
    default_groups: tuple[Group, ...]
    users: frozenset[int]  # users.pk with access through the role itself, not a group


@dataclass(frozen=True)
class RoleActor:
    id: int
    user: User | None
    group: Group | None


@dataclass(frozen=True)
class ProjectRole:
    id: int
    name: str
    description: str
    actors: tuple[RoleActor, ...]


@dataclass(frozen=True)
class CustomField:
    id: str
    name: str
    type: str

    @property
    def number(self) -> int:
        return int(self.id.rsplit("_", 1)[-1])


@dataclass(frozen=True)
class Entry:
    """A permission grant (subject: permission key), a notification (subject: event id) or a
    global permission grant (subject: permission key)."""

    id: int
    subject: str
    type: str
    parameter: str | None
    group: Group | None
    user: User | None


@dataclass(frozen=True)
class Scheme:
    kind: str
    id: int
    name: str
    description: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class AccessSnapshot:
    """Everything about access, read in one transaction."""

    app_roles: tuple[AppRole, ...] = ()
    roles: tuple[ProjectRole, ...] = ()
    fields: Mapping[str, CustomField] = field(default_factory=dict)
    permission_scheme: Scheme | None = None
    notification_scheme: Scheme | None = None
    global_grants: tuple[Entry, ...] = ()
    memberships: Mapping[int, frozenset[int]] = field(default_factory=dict)  # user -> groups
    account_roles: Mapping[int, frozenset[str]] = field(default_factory=dict)  # user -> roles

    def role(self, role_id: int) -> ProjectRole | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def app_role(self, key: str) -> AppRole | None:
        return next((a for a in self.app_roles if a.key == key), None)

    def scheme(self, kind: str, scheme_id: int) -> Scheme | None:
        scheme = self.permission_scheme if kind == PERMISSION else self.notification_scheme
        return scheme if scheme is not None and scheme.id == scheme_id else None


_USER_COLS = ", ".join(f"u.{column.strip()}" for column in USER_COLUMNS.split(","))


def _user(row: Sequence[object]) -> User | None:
    return None if row[0] is None else user_from_row(row)


def _group(row: Sequence[object]) -> Group | None:
    return None if row[0] is None else Group(int(str(row[0])), str(row[1]), str(row[2]))


def load_snapshot(store: Store) -> AccessSnapshot:
    # The store's read transaction: one consistent view across the queries below.
    with store._read() as conn:
        return _load(conn)


def _load(conn: sqlite3.Connection) -> AccessSnapshot:
    role_groups: dict[str, list[tuple[Group, bool]]] = {}
    for key, pk, gid, name, is_default in conn.execute(
        "SELECT r.role_key, g.pk, g.group_id, g.name, r.is_default FROM app_role_groups r"
        " JOIN groups g ON g.pk = r.group_pk ORDER BY g.name"
    ):
        role_groups.setdefault(key, []).append((Group(pk, gid, name), bool(is_default)))
    role_users: dict[str, set[int]] = {}
    for key, pk in conn.execute("SELECT role_key, user_pk FROM app_role_users"):
        role_users.setdefault(key, set()).add(int(pk))
    apps = tuple(
        AppRole(
            key,
            name,
            None if seats is None else int(seats),
            bool(selected),
            tuple(g for g, _ in role_groups.get(key, [])),
            tuple(g for g, d in role_groups.get(key, []) if d),
            frozenset(role_users.get(key, set())),
        )
        for key, name, seats, selected in conn.execute(
            "SELECT key, name, seats, selected_by_default FROM app_roles ORDER BY ord"
        )
    )
    actors: dict[int, list[RoleActor]] = {}
    for row in conn.execute(
        f"SELECT a.role_id, a.id, g.pk, g.group_id, g.name, {_USER_COLS} FROM role_actors a"
        " LEFT JOIN groups g ON g.pk = a.group_pk LEFT JOIN users u ON u.pk = a.user_pk"
        " ORDER BY a.id"
    ):
        user, group = _user(row[5:]), _group(row[2:5])
        if user is not None or group is not None:
            actors.setdefault(int(row[0]), []).append(RoleActor(int(row[1]), user, group))
    roles = tuple(
        ProjectRole(int(rid), name, description, tuple(actors.get(int(rid), [])))
        for rid, name, description in conn.execute(
            "SELECT id, name, description FROM project_roles ORDER BY id"
        )
    )
    fields = {
        fid: CustomField(fid, name, ftype)
        for fid, name, ftype in conn.execute("SELECT id, name, type FROM custom_fields ORDER BY id")
    }
    entries: dict[tuple[str, int | None], list[Entry]] = {}
    for row in conn.execute(
        f"SELECT e.kind, e.scheme_id, e.id, e.subject, e.holder_type, e.parameter,"
        f" g.pk, g.group_id, g.name, {_USER_COLS} FROM scheme_entries e"
        " LEFT JOIN groups g ON g.pk = e.group_pk LEFT JOIN users u ON u.pk = e.user_pk"
        " ORDER BY e.id"
    ):
        kind, scheme_id = str(row[0]), None if row[1] is None else int(row[1])
        entry = Entry(
            int(row[2]), str(row[3]), str(row[4]), row[5], _group(row[6:9]), _user(row[9:])
        )
        entries.setdefault((kind, scheme_id), []).append(entry)
    schemes = {
        str(kind): Scheme(
            str(kind), int(sid), name, description, tuple(entries.get((kind, sid), []))
        )
        for kind, sid, name, description in conn.execute(
            "SELECT kind, id, name, description FROM schemes"
        )
    }
    memberships: dict[int, set[int]] = {}
    for group_pk, user_pk in conn.execute("SELECT group_pk, user_pk FROM memberships"):
        memberships.setdefault(int(user_pk), set()).add(int(group_pk))
    account_roles: dict[int, set[str]] = {}
    for user_pk, role in conn.execute("SELECT user_pk, role FROM accounts"):
        account_roles.setdefault(int(user_pk), set()).add(str(role))
    return AccessSnapshot(
        app_roles=apps,
        roles=roles,
        fields=fields,
        permission_scheme=schemes.get(PERMISSION),
        notification_scheme=schemes.get(NOTIFICATION),
        global_grants=tuple(entries.get((GLOBAL, None), [])),
        memberships={k: frozenset(v) for k, v in memberships.items()},
        account_roles={k: frozenset(v) for k, v in account_roles.items()},
    )
