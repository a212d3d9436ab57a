"""Tickets (Jira issues) in the sandbox's SQLite state: their tables, rows, seeding and access.

The store (store.py) creates these tables with its own and seeds them; handlers reach tickets
through `Tickets(store)`, which uses the store's connections, transactions and write lock.
Issue ids and comment ids start at 10000 and are never reused; keys are `<project key>-<n>`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from accessq.sandbox.rows import USER_COLUMNS, User, user_from_row
from accessq.sandbox.seed_issues import SeedIssue

if TYPE_CHECKING:
    from accessq.sandbox.store import Store

FIRST_ISSUE_ID = 10000
FIRST_COMMENT_ID = 10000

SCHEMA = """
CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    num INTEGER NOT NULL UNIQUE,
    summary TEXT NOT NULL,
    description TEXT,
    description_adf TEXT,
    assignee_pk INTEGER REFERENCES users (pk),
    reporter_pk INTEGER REFERENCES users (pk),
    resolved INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    resolutiondate TEXT
);
CREATE TABLE IF NOT EXISTS issue_components (
    issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components (id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, component_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS issue_components_component ON issue_components (component_id);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    author_pk INTEGER NOT NULL REFERENCES users (pk),
    body TEXT NOT NULL,
    body_adf TEXT,
    public INTEGER NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_issue ON comments (issue_id);
"""

# Emptied before the store's own tables when the state is wiped (they point at users, components).
TABLES = ("issue_components", "comments", "issues")



@dataclass(frozen=True)
class TicketComponent:
    id: int
    name: str
    description: str | None


@dataclass(frozen=True)
class Ticket:
    id: int
    key: str
    num: int
    summary: str
    description: str | None  # plain text (the text of description_adf when that was given)
    description_adf: Any  # the Atlassian Document it was written as, if any
    components: tuple[TicketComponent, ...]  # by name
    assignee: User | None
    reporter: User | None
    resolved: bool
    created: datetime
    updated: datetime
    resolutiondate: datetime | None
    comment_text: tuple[str, ...] = ()  # filled only when asked for (text searches)


@dataclass(frozen=True)
class TicketComment:
    id: int
    issue_id: int
    author: User
    body: str
    body_adf: Any
    public: bool
    created: datetime


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- seeding and component deletion (called by the store, inside its transaction) ---------------


def seed(conn: sqlite3.Connection, issues: Sequence[SeedIssue], pks: dict[str, int]) -> None:
    """Insert the seed's issues (keys 1..n in order) with ids from FIRST_ISSUE_ID."""
    _first_ids(conn)
    ids = dict(conn.execute("SELECT name, id FROM components").fetchall())
    by_lower = {str(name).lower(): int(i) for name, i in ids.items()}
    seeded_at = now()
    for num, issue in enumerate(issues, start=1):
        created = issue.created or seeded_at
        cur = conn.execute(
            "INSERT INTO issues (num, summary, description, assignee_pk, reporter_pk, resolved,"
            " created, updated, resolutiondate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                num,
                issue.summary,
                issue.description,
                pks.get(issue.assignee or ""),
                pks.get(issue.reporter or ""),
                issue.resolved,
                _stamp(created),
                _stamp(created),
                _stamp(created) if issue.resolved else None,
            ),
        )
        conn.executemany(
            "INSERT INTO issue_components (issue_id, component_id) VALUES (?, ?)",
            [(cur.lastrowid, by_lower[name.lower()]) for name in issue.components],
        )


def _first_ids(conn: sqlite3.Connection) -> None:
    """Issue and comment ids start at 10000, like Jira's (also in state files made before
    tickets existed, whose id counters are not set)."""
    for table, first in (("issues", FIRST_ISSUE_ID), ("comments", FIRST_COMMENT_ID)):
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (table, first - 1, table),
        )


def move_component_issues(conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
    """Give every issue of component from_id the component to_id (before from_id is deleted)."""
    conn.execute(
        "INSERT OR IGNORE INTO issue_components (issue_id, component_id)"
        " SELECT issue_id, ? FROM issue_components WHERE component_id = ?",
        (to_id, from_id),
    )


# -- access ------------------------------------------------------------------------------------


_UNSET: Any = object()


class Tickets:
    """The tickets of one store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _project_key(self, conn: sqlite3.Connection) -> str:
        row = conn.execute("SELECT value FROM meta WHERE key = 'project_key'").fetchone()
        return str(row[0]) if row else "ATS"

    @staticmethod
    def _users(conn: sqlite3.Connection) -> dict[int, User]:
        rows = conn.execute(f"SELECT {USER_COLUMNS} FROM users").fetchall()
        return {int(r[0]): user_from_row(r) for r in rows}

    def users(self) -> list[User]:
        """Every user (JQL names people by account id, username, email or display name)."""
        with self._store._read() as conn:
            return sorted(self._users(conn).values(), key=lambda u: u.pk)

    def all(self, *, with_comments: bool = False) -> list[Ticket]:
        """Every ticket, by key number."""
        return self._load(None, with_comments=with_comments)

    def get(self, ref: str) -> Ticket | None:
        """The ticket with key ref (any case, as Jira finds it) or numeric id ref."""
        with self._store._read() as conn:
            key = self._project_key(conn)
            if ref.isdigit():
                where, value = "id = ?", int(ref)
            else:
                prefix, _, number = ref.rpartition("-")
                if prefix.upper() != key.upper() or not number.isdigit():
                    return None
                where, value = "num = ?", int(number)
            row = conn.execute(f"SELECT id FROM issues WHERE {where}", (value,)).fetchone()
        if row is None:
            return None
        found = self._load([int(row[0])])
        return found[0] if found else None

    def _load(self, ids: Iterable[int] | None, *, with_comments: bool = False) -> list[Ticket]:
        with self._store._read() as conn:
            key = self._project_key(conn)
            users = self._users(conn)
            where, params = "", []
            if ids is not None:
                params = list(ids)
                where = f"WHERE i.id IN ({','.join('?' * len(params)) or 'NULL'})"
            rows = conn.execute(
                "SELECT i.id, i.num, i.summary, i.description, i.description_adf, i.assignee_pk,"
                " i.reporter_pk, i.resolved, i.created, i.updated, i.resolutiondate"
                f" FROM issues i {where} ORDER BY i.num",
                params,
            ).fetchall()
            components: dict[int, list[TicketComponent]] = defaultdict(list)
            for issue_id, cid, name, description in conn.execute(
                "SELECT ic.issue_id, c.id, c.name, c.description FROM issue_components ic"
                " JOIN components c ON c.id = ic.component_id ORDER BY c.name COLLATE NOCASE"
            ).fetchall():
                components[int(issue_id)].append(TicketComponent(int(cid), name, description))
            comments: dict[int, list[str]] = defaultdict(list)
            if with_comments:
                for issue_id, body in conn.execute(
                    "SELECT issue_id, body FROM comments ORDER BY id"
                ).fetchall():
                    comments[int(issue_id)].append(str(body))
        return [
            Ticket(
                id=int(r[0]),
                key=f"{key}-{r[1]}",
                num=int(r[1]),
                summary=str(r[2]),
                description=r[3],
                description_adf=json.loads(r[4]) if r[4] else None,
                components=tuple(components.get(int(r[0]), ())),
                assignee=users.get(r[5]) if r[5] is not None else None,
                reporter=users.get(r[6]) if r[6] is not None else None,
                resolved=bool(r[7]),
                created=_moment(r[8]),
                updated=_moment(r[9]),
                resolutiondate=_moment(r[10]) if r[10] else None,
                comment_text=tuple(comments.get(int(r[0]), ())),
            )
            for r in rows
        ]

    def create(
        self,
        *,
        summary: str,
        description: str | None,
        description_adf: Any,
        component_ids: Sequence[int],
        assignee: User | None,
        reporter: User | None,
    ) -> Ticket:
        stamp = _stamp(now())
        with self._store._write() as conn:
            _first_ids(conn)
            num = int(conn.execute("SELECT coalesce(max(num), 0) + 1 FROM issues").fetchone()[0])
            cur = conn.execute(
                "INSERT INTO issues (num, summary, description, description_adf, assignee_pk,"
                " reporter_pk, resolved, created, updated) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    num,
                    summary,
                    description,
                    json.dumps(description_adf) if description_adf is not None else None,
                    assignee.pk if assignee else None,
                    reporter.pk if reporter else None,
                    stamp,
                    stamp,
                ),
            )
            issue_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT OR IGNORE INTO issue_components (issue_id, component_id) VALUES (?, ?)",
                [(issue_id, c) for c in component_ids],
            )
        created = self._load([issue_id])
        return created[0]

    def update(
        self,
        issue_id: int,
        *,
        summary: str = _UNSET,
        description: tuple[str | None, Any] = _UNSET,
        component_ids: Sequence[int] = _UNSET,
        assignee: User | None = _UNSET,
    ) -> None:
        """Change what is given (description: (text, document or None)); stamp `updated`."""
        changes: dict[str, Any] = {}
        if summary is not _UNSET:
            changes["summary"] = summary
        if description is not _UNSET:
            text, document = description
            changes["description"] = text
            changes["description_adf"] = json.dumps(document) if document is not None else None
        if assignee is not _UNSET:
            changes["assignee_pk"] = assignee.pk if assignee else None
        with self._store._write() as conn:
            for column, value in changes.items():
                conn.execute(f"UPDATE issues SET {column} = ? WHERE id = ?", (value, issue_id))
            if component_ids is not _UNSET:
                conn.execute("DELETE FROM issue_components WHERE issue_id = ?", (issue_id,))
                conn.executemany(
                    "INSERT OR IGNORE INTO issue_components (issue_id, component_id) VALUES (?, ?)",
                    [(issue_id, c) for c in component_ids],
                )
            conn.execute("UPDATE issues SET updated = ? WHERE id = ?", (_stamp(now()), issue_id))

    def comments(self, issue_id: int) -> list[TicketComment]:
        with self._store._read() as conn:
            users = self._users(conn)
            rows = conn.execute(
                "SELECT id, issue_id, author_pk, body, body_adf, public, created FROM comments"
                " WHERE issue_id = ? ORDER BY id",
                (issue_id,),
            ).fetchall()
        return [
            TicketComment(
                int(r[0]),
                int(r[1]),
                users[int(r[2])],
                str(r[3]),
                json.loads(r[4]) if r[4] else None,
                bool(r[5]),
                _moment(r[6]),
            )
            for r in rows
        ]

    def add_comment(
        self, issue_id: int, author: User, body: str, body_adf: Any, *, public: bool
    ) -> TicketComment:
        created = now()
        with self._store._write() as conn:
            _first_ids(conn)
            cur = conn.execute(
                "INSERT INTO comments (issue_id, author_pk, body, body_adf, public, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    issue_id,
                    author.pk,
                    body,
                    json.dumps(body_adf) if body_adf is not None else None,
                    public,
                    _stamp(created),
                ),
            )
            conn.execute("UPDATE issues SET updated = ? WHERE id = ?", (_stamp(created), issue_id))
        return TicketComment(
            int(cur.lastrowid or 0), issue_id, author, body, body_adf, public, created
        )

    def component_counts(self) -> dict[int, int]:
        """How many tickets (resolved ones too) each component has."""
        with self._store._read() as conn:
            rows = conn.execute(
                "SELECT component_id, count(*) FROM issue_components GROUP BY component_id"
            ).fetchall()
        return {int(c): int(n) for c, n in rows}


__all__ = [
    "SCHEMA",
    "TABLES",
    "Ticket",
    "TicketComment",
    "TicketComponent",
    "Tickets",
    "move_component_issues",
    "seed",
]
