"""The sandbox's state in SQLite: pooled connections, WAL, writes serialised by a lock.

Knows nothing of HTTP or JSON; handlers turn its rows into Jira's shapes. Conflicts (a duplicate
name) raise `Conflict`; missing things come back as None.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from accessq.sandbox import schemes, tickets
from accessq.sandbox.numbers import parse_id
from accessq.sandbox.options import SandboxOptions
from accessq.sandbox.rows import (
    USER_COLUMNS,
    Account,
    Component,
    Group,
    Project,
    Queue,
    User,
    component_from_row,
    queue_from_row,
    user_from_row,
)
from accessq.sandbox.seed import Seed

SCHEMA_VERSION = "1"
PROJECT_ID = 10000
SERVICE_DESK_ID = 1
FIRST_COMPONENT_ID = 10000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    pk INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    active INTEGER NOT NULL,
    email_hidden INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    account_type TEXT NOT NULL DEFAULT 'atlassian'
);
CREATE INDEX IF NOT EXISTS users_email ON users (email);
CREATE TABLE IF NOT EXISTS accounts (
    login TEXT PRIMARY KEY COLLATE NOCASE,
    token TEXT NOT NULL,
    user_pk INTEGER NOT NULL REFERENCES users (pk),
    role TEXT NOT NULL,
    pat TEXT
);
CREATE TABLE IF NOT EXISTS groups (
    pk INTEGER PRIMARY KEY,
    group_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    managed_by TEXT NOT NULL DEFAULT 'jira'
);
CREATE TABLE IF NOT EXISTS memberships (
    group_pk INTEGER NOT NULL REFERENCES groups (pk) ON DELETE CASCADE,
    user_pk INTEGER NOT NULL REFERENCES users (pk),
    PRIMARY KEY (group_pk, user_pk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS components (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT,
    lead_pk INTEGER REFERENCES users (pk),
    assignee_type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    jql TEXT NOT NULL,
    fields TEXT NOT NULL,
    can_be_hidden INTEGER NOT NULL,
    favourite INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS group_children (
    parent_pk INTEGER NOT NULL REFERENCES groups (pk) ON DELETE CASCADE,
    child_pk INTEGER NOT NULL REFERENCES groups (pk) ON DELETE CASCADE,
    PRIMARY KEY (parent_pk, child_pk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS project_properties (
    project_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (project_id, key)
) WITHOUT ROWID;
"""
# Columns added after a table first shipped: (table, column, definition), added to older states.
_ADDED_COLUMNS = (
    ("users", "account_type", "TEXT NOT NULL DEFAULT 'atlassian'"),
    ("accounts", "pat", "TEXT"),  # an older state's accounts have no personal access token
    ("groups", "managed_by", "TEXT NOT NULL DEFAULT 'jira'"),
)
_GROUP_COLUMNS = "pk, group_id, name, managed_by"
# The groups a group contains, itself included, however deep (Data Center's nested groups).
_WITH_NESTED = """
WITH RECURSIVE nested (pk) AS (
    SELECT ?
    UNION
    SELECT c.child_pk FROM group_children c JOIN nested n ON c.parent_pk = n.pk
)"""

_USER_COLUMNS = USER_COLUMNS


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in _USER_COLUMNS.split(","))


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    """A state file from an older sandbox gets the columns added since (with their defaults)."""
    for table, column, definition in _ADDED_COLUMNS:
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def _prefixed_group(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in _GROUP_COLUMNS.split(","))


class StoreError(ValueError):
    """The state file cannot be opened as a sandbox database (one line, for the CLI)."""


class Conflict(Exception):
    """A write that would break a uniqueness rule (the message says which)."""


class Store:
    """Data access for one sandbox database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []  # every open connection, closed by close()
        self._idle: list[sqlite3.Connection] = []  # the pool of connections no thread holds
        self._all_lock = threading.Lock()
        try:
            with self._write_lock:
                conn = self._conn()
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA + tickets.SCHEMA)
                _add_missing_columns(conn)
                conn.executescript(schemes.SCHEMA)
        except sqlite3.Error as exc:
            self.close()
            raise StoreError(f"{path}: cannot use this file as the sandbox state: {exc}") from None

    # -- connections and transactions ------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, taken from the pool on first use (see release)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            with self._all_lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False: pooled connections move between (one-at-a-time) threads.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
        # A sandbox needs its state to survive the process, not a power cut: no fsync waits.
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        with self._all_lock:
            self._all.append(conn)
        return conn

    def release(self) -> None:
        """Return this thread's connection to the pool (the app calls it after each request).

        So connections follow concurrent requests, and a thread that is done holds none.
        """
        conn = self._local.__dict__.pop("conn", None)
        if conn is not None:
            with self._all_lock:
                if conn in self._all:
                    self._idle.append(conn)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so a page and its total come from the same snapshot."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._all_lock:
            conns, self._all, self._idle = self._all, [], []
        for conn in conns:
            with suppress(sqlite3.Error):
                conn.close()

    # -- seeding ---------------------------------------------------------------------------

    def is_seeded(self) -> bool:
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return row is not None

    def wipe_and_seed(self, seed: Seed, flavor: str) -> None:
        with self._write() as conn:
            schemes.wipe(conn)
            tables = (
                "memberships",
                "group_children",
                "accounts",
                "groups",
                "components",
                "queues",
                "project_properties",
                "users",
            )
            for table in (*tickets.TABLES, *tables):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM meta")
            self._seed(conn, seed, flavor)

    def seed_if_new(self, seed: Seed, flavor: str) -> bool:
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM meta WHERE key = 'schema'").fetchone():
                return False
            self._seed(conn, seed, flavor)
            return True

    def _seed(self, conn: sqlite3.Connection, seed: Seed, flavor: str) -> None:
        pks: dict[str, int] = {}
        for u in seed.users:
            cur = conn.execute(
                "INSERT INTO users (account_id, username, display_name, email, active,"
                " email_hidden, time_zone, account_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    u.account_id,
                    u.username,
                    u.name,
                    u.email,
                    u.active,
                    u.email_hidden,
                    u.time_zone,
                    u.account_type,
                ),
            )
            pks[u.username] = int(cur.lastrowid or 0)
        for a in seed.accounts:
            conn.execute(
                "INSERT INTO accounts (login, token, user_pk, role, pat) VALUES (?, ?, ?, ?, ?)",
                (a.login, a.token, pks[a.user], a.role, a.pat),
            )
        group_pks: dict[str, int] = {}
        for g in seed.groups:
            cur = conn.execute(
                "INSERT INTO groups (group_id, name, managed_by) VALUES (?, ?, ?)",
                (str(uuid.uuid4()), g.name, g.managed_by),
            )
            group_pks[g.name.lower()] = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO memberships (group_pk, user_pk) VALUES (?, ?)",
                [(cur.lastrowid, pks[m]) for m in g.members],
            )
        conn.executemany(
            "INSERT INTO group_children (parent_pk, child_pk) VALUES (?, ?)",
            [
                (group_pks[g.name.lower()], group_pks[child.lower()])
                for g in seed.groups
                for child in g.children
            ],
        )
        # Jira's component ids start at 10000 and, like every id here, are never reused.
        conn.execute("DELETE FROM sqlite_sequence")
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('components', ?)",
            (FIRST_COMPONENT_ID - 1,),
        )
        for c in seed.components:
            conn.execute(
                "INSERT INTO components (name, description, lead_pk, assignee_type)"
                " VALUES (?, ?, ?, ?)",
                (c.name, c.description, pks.get(c.lead or ""), c.assignee_type),
            )
        for q in seed.queues:
            conn.execute(
                "INSERT INTO queues (name, jql, fields, can_be_hidden, favourite)"
                " VALUES (?, ?, ?, 0, 0)",
                (q.name, q.jql, json.dumps(list(q.fields))),
            )
        tickets.seed(conn, seed.issues, pks)
        admin = next((a for a in seed.accounts if a.role == "admin"), None)
        meta = {
            "schema": SCHEMA_VERSION,
            "flavor": flavor,
            "project_key": seed.project_key,
            "project_name": seed.project_name,
            "project_lead": str(pks[admin.user]) if admin else "",
            "options": seed.options.to_json(),
        }
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
        schemes.seed_tables(conn, seed, pks)

    # -- project and accounts --------------------------------------------------------------

    def project(self) -> Project:
        rows = dict(self._conn().execute("SELECT key, value FROM meta").fetchall())
        lead = self.user_by_pk(int(rows["project_lead"])) if rows.get("project_lead") else None
        return Project(PROJECT_ID, rows["project_key"], rows["project_name"], lead, SERVICE_DESK_ID)

    def options(self) -> SandboxOptions:
        """The seed's options, as stored (a state from before options were stored: defaults)."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
        return SandboxOptions.from_json(row[0] if row else None)

    def accounts(self) -> list[tuple[str, str, str]]:
        """(login, token, role) of every sign-in account, for printing at start-up."""
        rows = self._conn().execute("SELECT login, token, role FROM accounts ORDER BY login")
        return [(str(a), str(b), str(c)) for a, b, c in rows.fetchall()]

    def account_by_login(self, login: str, token: str) -> Account | None:
        """The account whose login (or, as Cloud signs in by email, user email) and token match."""
        row = (
            self._conn()
            .execute(
                f"SELECT a.login, a.role, a.token, {_prefixed('u')} FROM accounts a"
                " JOIN users u ON u.pk = a.user_pk WHERE a.login = ? OR u.email = ?"
                " ORDER BY a.login = ? DESC LIMIT 1",
                (login, login, login),
            )
            .fetchone()
        )
        if row is None or row[2] != token:
            return None
        return Account(row[0], row[1], user_from_row(row[3:]))

    def account_pats(self) -> dict[str, str | None]:
        """login -> personal access token (None: the account has none)."""
        rows = self._conn().execute("SELECT login, pat FROM accounts ORDER BY login")
        return {str(login): None if pat is None else str(pat) for login, pat in rows.fetchall()}

    def account_by_pat(self, pat: str) -> Account | None:
        """The account whose personal access token (Data Center, Bearer) this is."""
        row = (
            self._conn()
            .execute(
                f"SELECT a.login, a.role, {_prefixed('u')} FROM accounts a"
                " JOIN users u ON u.pk = a.user_pk WHERE a.pat = ? LIMIT 1",
                (pat,),
            )
            .fetchone()
        )
        return None if row is None else Account(row[0], row[1], user_from_row(row[2:]))

    # -- users -----------------------------------------------------------------------------

    def _oneuser_from_row(self, where: str, value: object) -> User | None:
        row = (
            self._conn()
            .execute(
                f"SELECT {_USER_COLUMNS} FROM users WHERE {where} = ?",
                (value,),
            )
            .fetchone()
        )
        return None if row is None else user_from_row(row)

    def user_by_pk(self, pk: int) -> User | None:
        return self._oneuser_from_row("pk", pk)

    def user_by_account_id(self, account_id: str) -> User | None:
        return self._oneuser_from_row("account_id", account_id)

    def user_by_username(self, username: str) -> User | None:
        return self._oneuser_from_row("username", username)

    def user_by_key(self, key: str) -> User | None:
        number = parse_id(key[8:]) if key.upper().startswith("JIRAUSER") else None
        return self.user_by_pk(number - 10000) if number is not None else None

    def users_page(self, start: int, limit: int) -> tuple[list[User], int]:
        with self._read() as conn:
            total = conn.execute("SELECT count(*) FROM users").fetchone()[0]
            rows = conn.execute(
                f"SELECT {_USER_COLUMNS} FROM users ORDER BY username LIMIT ? OFFSET ?",
                (limit, start),
            ).fetchall()
        return [user_from_row(r) for r in rows], int(total)

    def search_users(
        self,
        text: str,
        *,
        match_username: bool,
        respect_hidden_email: bool,
        hidden_email_exact: bool = True,
        include_active: bool,
        include_inactive: bool,
        start: int,
        limit: int,
    ) -> list[User]:
        """Users whose display name (or one of its words), email, or username starts with text.

        With respect_hidden_email (Cloud), a hidden email matches only the whole text (ignoring
        case), and only with hidden_email_exact.
        """
        if not include_active and not include_inactive:
            return []
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        prefix, word = f"{escaped}%", f"% {escaped}%"
        clauses = [
            "display_name LIKE :prefix ESCAPE '\\'",
            "display_name LIKE :word ESCAPE '\\'",
        ]
        if respect_hidden_email:
            clauses.append("(email_hidden = 0 AND email LIKE :prefix ESCAPE '\\')")
            if hidden_email_exact:
                clauses.append("(email_hidden = 1 AND email = :exact)")
        else:
            clauses.append("email LIKE :prefix ESCAPE '\\'")
        if match_username:
            clauses.append("username LIKE :prefix ESCAPE '\\'")
        active = []
        if include_active:
            active.append("active = 1")
        if include_inactive:
            active.append("active = 0")
        rows = (
            self._conn()
            .execute(
                f"SELECT {_USER_COLUMNS} FROM users WHERE ({' OR '.join(clauses)})"
                f" AND ({' OR '.join(active)}) ORDER BY display_name, username"
                " LIMIT :limit OFFSET :start",
                {"prefix": prefix, "word": word, "exact": text, "limit": limit, "start": start},
            )
            .fetchall()
        )
        return [user_from_row(r) for r in rows]

    # -- groups ----------------------------------------------------------------------------

    def group_by_name(self, name: str) -> Group | None:
        row = (
            self._conn()
            .execute(f"SELECT {_GROUP_COLUMNS} FROM groups WHERE name = ?", (name,))
            .fetchone()
        )
        return None if row is None else Group(*row)

    def group_by_id(self, group_id: str) -> Group | None:
        row = (
            self._conn()
            .execute(f"SELECT {_GROUP_COLUMNS} FROM groups WHERE group_id = ?", (group_id,))
            .fetchone()
        )
        return None if row is None else Group(*row)

    def groups_page(
        self, names: Sequence[str], ids: Sequence[str], start: int, limit: int
    ) -> tuple[list[Group], int]:
        where, params = "", []
        if names or ids:
            where = "WHERE name IN ({}) OR group_id IN ({})".format(
                ",".join("?" * len(names)) or "NULL", ",".join("?" * len(ids)) or "NULL"
            )
            params = [*names, *ids]
        with self._read() as conn:
            total = conn.execute(f"SELECT count(*) FROM groups {where}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT {_GROUP_COLUMNS} FROM groups {where} ORDER BY name LIMIT ? OFFSET ?",
                (*params, limit, start),
            ).fetchall()
        return [Group(*r) for r in rows], int(total)

    def all_groups(self) -> list[Group]:
        rows = self._conn().execute(f"SELECT {_GROUP_COLUMNS} FROM groups ORDER BY name")
        return [Group(*r) for r in rows.fetchall()]

    def create_group(self, name: str) -> Group:
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM groups WHERE name = ?", (name,)).fetchone():
                raise Conflict("A group with this name already exists.")
            group_id = str(uuid.uuid4())
            cur = conn.execute(
                "INSERT INTO groups (group_id, name) VALUES (?, ?)", (group_id, name)
            )
            return Group(int(cur.lastrowid or 0), group_id, name)

    def delete_group(self, group: Group) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM groups WHERE pk = ?", (group.pk,)).rowcount > 0

    def members_page(
        self,
        group: Group,
        *,
        include_inactive: bool,
        start: int,
        limit: int,
        nested: bool = False,
    ) -> tuple[list[User], int]:
        """A page of the group's members by username; nested: also those of its child groups,
        however deep (each user once)."""
        active = "" if include_inactive else "AND u.active = 1"
        if nested:
            scope = f"{_WITH_NESTED} SELECT DISTINCT m.user_pk FROM memberships m"
            scope += " JOIN nested n ON m.group_pk = n.pk"
        else:
            scope = "SELECT m.user_pk FROM memberships m WHERE m.group_pk = ?"
        with self._read() as conn:
            total = conn.execute(
                f"SELECT count(*) FROM users u WHERE u.pk IN ({scope}) {active}", (group.pk,)
            ).fetchone()[0]
            rows = conn.execute(
                f"SELECT {_prefixed('u')} FROM users u WHERE u.pk IN ({scope}) {active}"
                " ORDER BY u.username LIMIT ? OFFSET ?",
                (group.pk, limit, start),
            ).fetchall()
        return [user_from_row(r) for r in rows], int(total)

    def is_member(self, group: Group, user: User, *, nested: bool = False) -> bool:
        """Directly, or (nested) through a child group."""
        if nested:
            query = (
                f"{_WITH_NESTED} SELECT 1 FROM memberships m JOIN nested n ON m.group_pk = n.pk"
                " WHERE m.user_pk = ? LIMIT 1"
            )
        else:
            query = "SELECT 1 FROM memberships WHERE group_pk = ? AND user_pk = ?"
        return self._conn().execute(query, (group.pk, user.pk)).fetchone() is not None

    def child_groups(self, group: Group) -> list[Group]:
        rows = self._conn().execute(
            f"SELECT {_prefixed_group('g')} FROM group_children c"
            " JOIN groups g ON g.pk = c.child_pk WHERE c.parent_pk = ? ORDER BY g.name",
            (group.pk,),
        )
        return [Group(*r) for r in rows.fetchall()]

    def add_member(self, group: Group, user: User) -> bool:
        """False when the user already was a member (or the group is gone)."""
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM groups WHERE pk = ?", (group.pk,)).fetchone():
                return False
            cur = conn.execute(
                "INSERT OR IGNORE INTO memberships (group_pk, user_pk) VALUES (?, ?)",
                (group.pk, user.pk),
            )
            return cur.rowcount > 0

    def remove_member(self, group: Group, user: User) -> bool:
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM memberships WHERE group_pk = ? AND user_pk = ?", (group.pk, user.pk)
            )
            return cur.rowcount > 0

    # -- components ------------------------------------------------------------------------

    _COMPONENT_SELECT = (
        f"SELECT c.id, c.name, c.description, c.assignee_type, {_prefixed('u')}"
        " FROM components c LEFT JOIN users u ON u.pk = c.lead_pk"
    )

    def components(self) -> list[Component]:
        rows = self._conn().execute(f"{self._COMPONENT_SELECT} ORDER BY c.name").fetchall()
        return [component_from_row(r) for r in rows]

    def component(self, component_id: int) -> Component | None:
        row = (
            self._conn()
            .execute(f"{self._COMPONENT_SELECT} WHERE c.id = ?", (component_id,))
            .fetchone()
        )
        return None if row is None else component_from_row(row)

    def create_component(
        self, name: str, description: str | None, lead: User | None, assignee_type: str
    ) -> Component:
        with self._write() as conn:
            self._check_component_name(conn, name, None)
            cur = conn.execute(
                "INSERT INTO components (name, description, lead_pk, assignee_type)"
                " VALUES (?, ?, ?, ?)",
                (name, description, lead.pk if lead else None, assignee_type),
            )
            return Component(int(cur.lastrowid or 0), name, description, lead, assignee_type)

    def update_component(
        self,
        component_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        set_description: bool = False,
        lead: User | None = None,
        set_lead: bool = False,
        assignee_type: str | None = None,
    ) -> bool:
        with self._write() as conn:
            if not conn.execute(
                "SELECT 1 FROM components WHERE id = ?", (component_id,)
            ).fetchone():
                return False
            if name is not None:
                self._check_component_name(conn, name, component_id)
                conn.execute("UPDATE components SET name = ? WHERE id = ?", (name, component_id))
            if set_description:
                conn.execute(
                    "UPDATE components SET description = ? WHERE id = ?",
                    (description, component_id),
                )
            if set_lead:
                conn.execute(
                    "UPDATE components SET lead_pk = ? WHERE id = ?",
                    (lead.pk if lead else None, component_id),
                )
            if assignee_type is not None:
                conn.execute(
                    "UPDATE components SET assignee_type = ? WHERE id = ?",
                    (assignee_type, component_id),
                )
            return True

    @staticmethod
    def _check_component_name(conn: sqlite3.Connection, name: str, own_id: int | None) -> None:
        row = conn.execute("SELECT id FROM components WHERE name = ?", (name,)).fetchone()
        if row is not None and row[0] != own_id:
            raise Conflict(f"A component with the name {name} already exists in this project.")

    def delete_component(self, component_id: int, move_issues_to: int | None = None) -> bool:
        """Delete the component; its tickets lose it, or get move_issues_to's component instead."""
        with self._write() as conn:
            if move_issues_to is not None:
                tickets.move_component_issues(conn, component_id, move_issues_to)
            return conn.execute("DELETE FROM components WHERE id = ?", (component_id,)).rowcount > 0

    # -- JSM queues ------------------------------------------------------------------------

    def queues(self) -> list[Queue]:
        rows = (
            self._conn()
            .execute(
                "SELECT id, name, jql, fields, can_be_hidden, favourite FROM queues ORDER BY id"
            )
            .fetchall()
        )
        return [queue_from_row(r) for r in rows]

    def queue(self, queue_id: int) -> Queue | None:
        row = (
            self._conn()
            .execute(
                "SELECT id, name, jql, fields, can_be_hidden, favourite FROM queues WHERE id = ?",
                (queue_id,),
            )
            .fetchone()
        )
        return None if row is None else queue_from_row(row)

    def create_queue(
        self, name: str, jql: str, fields: Sequence[str], can_be_hidden: bool, favourite: bool
    ) -> Queue:
        with self._write() as conn:
            self._check_queue_name(conn, name, None)
            cur = conn.execute(
                "INSERT INTO queues (name, jql, fields, can_be_hidden, favourite)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, jql, json.dumps(list(fields)), can_be_hidden, favourite),
            )
            return Queue(
                int(cur.lastrowid or 0), name, jql, tuple(fields), can_be_hidden, favourite
            )

    def update_queue(
        self,
        queue_id: int,
        *,
        name: str | None = None,
        jql: str | None = None,
        fields: Sequence[str] | None = None,
        can_be_hidden: bool | None = None,
        favourite: bool | None = None,
    ) -> Queue | None:
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM queues WHERE id = ?", (queue_id,)).fetchone():
                return None
            if name is not None:
                self._check_queue_name(conn, name, queue_id)
            changes = {
                "name": name,
                "jql": jql,
                "fields": None if fields is None else json.dumps(list(fields)),
                "can_be_hidden": can_be_hidden,
                "favourite": favourite,
            }
            for column, value in changes.items():
                if value is not None:
                    conn.execute(
                        f"UPDATE queues SET {column} = ? WHERE id = ?",
                        (value, queue_id),
                    )
        return self.queue(queue_id)

    @staticmethod
    def _check_queue_name(conn: sqlite3.Connection, name: str, own_id: int | None) -> None:
        row = conn.execute("SELECT id FROM queues WHERE name = ?", (name,)).fetchone()
        if row is not None and row[0] != own_id:
            raise Conflict(f"A queue with the name '{name}' already exists.")

    def delete_queues(self, queue_ids: Sequence[int]) -> list[int]:
        """Delete the queues that exist; return the ids that did not."""
        missing = []
        with self._write() as conn:
            for queue_id in queue_ids:
                if conn.execute("DELETE FROM queues WHERE id = ?", (queue_id,)).rowcount == 0:
                    missing.append(queue_id)
        return missing

    # -- project properties ----------------------------------------------------------------

    def project_property_keys(self, project_id: int) -> list[str]:
        rows = self._conn().execute(
            "SELECT key FROM project_properties WHERE project_id = ? ORDER BY key", (project_id,)
        )
        return [str(r[0]) for r in rows.fetchall()]

    def project_property(self, project_id: int, key: str) -> str | None:
        """The stored JSON text of a property, or None."""
        row = (
            self._conn()
            .execute(
                "SELECT value FROM project_properties WHERE project_id = ? AND key = ?",
                (project_id, key),
            )
            .fetchone()
        )
        return None if row is None else str(row[0])

    def set_project_property(self, project_id: int, key: str, value: str) -> bool:
        """Store value (JSON text); True when the property is new."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE project_properties SET value = ? WHERE project_id = ? AND key = ?",
                (value, project_id, key),
            )
            if cur.rowcount:
                return False
            conn.execute(
                "INSERT INTO project_properties (project_id, key, value) VALUES (?, ?, ?)",
                (project_id, key, value),
            )
            return True

    def delete_project_property(self, project_id: int, key: str) -> bool:
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM project_properties WHERE project_id = ? AND key = ?",
                (project_id, key),
            )
            return cur.rowcount > 0
