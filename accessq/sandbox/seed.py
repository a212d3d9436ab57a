"""The seed: who and what a fresh sandbox starts with, read from YAML or a dict and checked.

Every problem is one line naming where it is (`file:line: ...` for files, `seed: users[2]: ...`
for dicts), raised as `SeedError` (a ValueError, which the CLI prints as one line).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accessq.sandbox import seed_schemes
from accessq.sandbox.options import SandboxOptions
from accessq.sandbox.seed_issues import SeedIssue, build_issues
from accessq.sandbox.yaml_lines import YamlError, load_yaml

DEMO_SEED = Path(__file__).with_name("demo_seed.yaml")

ASSIGNEE_TYPES = ("PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED")
ROLES = ("admin", "read-only")
ACCOUNT_TYPES = ("atlassian", "customer", "app")  # Cloud's accountType (JSM customers, apps)
GROUP_OWNERS = ("jira", "idp")  # who manages a group: Jira, or an identity provider / directory
SECTIONS: tuple[str, ...] = (
    "project", "users", "groups", "components", "accounts", "queues", "options", "issues"
)
SECTIONS += seed_schemes.SECTIONS  # schemes, roles, licences
DEFAULT_QUEUE_FIELDS = ("issuetype", "issuekey", "summary", "reporter", "status", "created")
_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{1,9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SeedError(ValueError):
    """A seed that cannot be used; the message is one line that says where and why."""


@dataclass(frozen=True)
class SeedUser:
    name: str
    email: str
    account_id: str
    username: str
    active: bool = True
    email_hidden: bool = False
    time_zone: str = "America/Chicago"
    account_type: str = "atlassian"


@dataclass(frozen=True)
class SeedGroup:
    name: str
    members: tuple[str, ...]  # usernames of SeedUsers
    managed_by: str = "jira"  # "idp": read-only in Jira (synced from an IdP / external directory)
    children: tuple[str, ...] = ()  # names of nested groups (Data Center counts their members)


@dataclass(frozen=True)
class SeedComponent:
    name: str
    description: str | None
    lead: str | None  # username of a SeedUser
    assignee_type: str


@dataclass(frozen=True)
class SeedAccount:
    login: str
    token: str  # the password (DC) or API token (Cloud): basic auth
    user: str  # username of a SeedUser
    role: str
    pat: str | None = None  # a Data Center personal access token: Bearer only


@dataclass(frozen=True)
class SeedQueue:
    name: str
    jql: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Seed:
    project_key: str = "ATS"
    project_name: str = "ACCESS Support"
    users: tuple[SeedUser, ...] = ()
    groups: tuple[SeedGroup, ...] = ()
    components: tuple[SeedComponent, ...] = ()
    accounts: tuple[SeedAccount, ...] = ()
    queues: tuple[SeedQueue, ...] = ()
    options: SandboxOptions = field(default_factory=SandboxOptions)
    issues: tuple[SeedIssue, ...] = ()  # see seed_issues.py
    # Schemes, roles, licences (seed_schemes); None: their defaults (seed_schemes.default_access).
    access: seed_schemes.AccessSeed | None = None


def load_seed(source: Path | str | Mapping[str, Any] | None) -> Seed:
    """The demo seed for None, else the given YAML file or dict, validated."""
    if source is None:
        return _load_file(DEMO_SEED, DEMO_SEED.stat().st_mtime_ns)
    if isinstance(source, Mapping):
        return _Builder("seed").build(source)
    path = Path(source)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise SeedError(f"{path}: seed file not found") from None
    return _load_file(path, mtime)


@functools.lru_cache(maxsize=16)
def _load_file(path: Path, mtime_ns: int) -> Seed:
    # Cached by modification time: fixtures start a fresh demo sandbox for every test.
    del mtime_ns
    try:
        data = load_yaml(path)
    except YamlError as exc:
        raise SeedError(str(exc)) from None
    return _Builder(str(path)).build(data if data is not None else {})


def default_queues(project_key: str) -> tuple[SeedQueue, ...]:
    """The queues a new JSM service desk comes with (used when a seed says nothing of queues)."""
    base = f"project = {project_key} AND resolution = Unresolved"
    return (
        SeedQueue("All open", f"{base} ORDER BY created DESC", DEFAULT_QUEUE_FIELDS),
        SeedQueue(
            "Assigned to me",
            f"{base} AND assignee = currentUser() ORDER BY created DESC",
            DEFAULT_QUEUE_FIELDS,
        ),
        SeedQueue(
            "Unassigned issues",
            f"{base} AND assignee is EMPTY ORDER BY created DESC",
            DEFAULT_QUEUE_FIELDS,
        ),
    )


class _Builder:
    """Turns raw seed data into a Seed, naming the file (and line, for YAML) of each problem."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: Any, message: str) -> SeedError:
        line = getattr(where, "line", 0)
        prefix = f"{self.origin}:{line}" if line else self.origin
        return SeedError(f"{prefix}: {message}")

    def build(self, data: Any) -> Seed:
        if not isinstance(data, Mapping):
            raise self.fail(data, "the seed must be a mapping with users, groups, components, ...")
        self.keys(data, "seed", required=(), optional=SECTIONS)
        key, name = self.project(data.get("project"), data)
        users = self.users(self.items(data, "users"))
        lookup = _UserLookup(users)
        groups = tuple(self.group(g, i, lookup) for i, g in enumerate(self.items(data, "groups")))
        self.unique([g.name.lower() for g in groups], self.items(data, "groups"), "group name")
        self.nesting(groups, self.items(data, "groups"))
        components = tuple(
            self.component(c, i, lookup) for i, c in enumerate(self.items(data, "components"))
        )
        self.unique(
            [c.name.lower() for c in components], self.items(data, "components"), "component name"
        )
        accounts_raw = self.items(data, "accounts")
        if accounts_raw:
            accounts = tuple(self.account(a, i, lookup) for i, a in enumerate(accounts_raw))
            self.unique([a.login.lower() for a in accounts], accounts_raw, "account login")
            pats = [(a.pat, raw) for a, raw in zip(accounts, accounts_raw, strict=True) if a.pat]
            self.unique([p for p, _ in pats], [r for _, r in pats], "account pat")
        else:
            users, accounts = _default_accounts(users)
        if "queues" in data:
            queues = tuple(self.queue(q, i) for i, q in enumerate(self.items(data, "queues")))
            self.unique([q.name.lower() for q in queues], self.items(data, "queues"), "queue name")
        else:
            queues = default_queues(key)
        options = self.options(data.get("options"), data)
        issues = build_issues(
            self.items(data, "issues"),
            self.fail,
            lambda ref: user.username if (user := lookup.find(ref)) else None,
            [c.name for c in components],
        )
        everyone = _UserLookup(users)  # with the users default accounts added
        access = seed_schemes.build_access(
            data,
            fail=self.fail,
            find_user=lambda ref: u.username if (u := everyone.find(ref)) else None,
            groups=[g.name for g in groups],
            usernames=[u.username for u in users],
            admin_users=[a.user for a in accounts if a.role == "admin"],
        )
        groups += tuple(SeedGroup(n, members) for n, members in access.site_groups)
        return Seed(
            key, name, users, groups, components, accounts, queues, options, issues, access
        )

    # -- sections --------------------------------------------------------------------------

    def project(self, raw: Any, parent: Any) -> tuple[str, str]:
        if raw is None:
            return "ATS", "ACCESS Support"
        if not isinstance(raw, Mapping):
            raise self.fail(parent, "project must be a mapping with key and name")
        self.keys(raw, "project", required=("key",), optional=("name",))
        key = self.text(raw, "key", "project")
        if not _PROJECT_KEY.match(key):
            raise self.fail(raw, f"project key {key!r} must be 2-10 capital letters or digits")
        name = self.text(raw, "name", "project") if "name" in raw else key
        return key, name

    def users(self, raw: list[Any]) -> tuple[SeedUser, ...]:
        users = tuple(self.user(u, i) for i, u in enumerate(raw))
        for attr in ("account_id", "username", "email"):
            self.unique([str(getattr(u, attr)).lower() for u in users], raw, f"user {attr}")
        return users

    def user(self, raw: Any, index: int) -> SeedUser:
        where = f"users[{index}]"
        self.mapping(raw, where)
        self.keys(
            raw,
            where,
            required=("name", "email"),
            optional=(
                "account_id",
                "username",
                "active",
                "email_hidden",
                "time_zone",
                "account_type",
            ),
        )
        name = self.text(raw, "name", where)
        email = self.text(raw, "email", where)
        if not _EMAIL.match(email):
            raise self.fail(raw, f"{where}: {email!r} is not an email address")
        username = self.text(raw, "username", where) if "username" in raw else _username_for(email)
        account_id = (
            self.text(raw, "account_id", where) if "account_id" in raw else _account_id_for(email)
        )
        return SeedUser(
            name=name,
            email=email,
            account_id=account_id,
            username=username,
            active=self.flag(raw, "active", where, default=True),
            email_hidden=self.flag(raw, "email_hidden", where, default=False),
            time_zone=self.text(raw, "time_zone", where)
            if "time_zone" in raw
            else "America/Chicago",
            account_type=self.choice(raw, "account_type", where, ACCOUNT_TYPES),
        )

    def group(self, raw: Any, index: int, lookup: _UserLookup) -> SeedGroup:
        where = f"groups[{index}]"
        self.mapping(raw, where)
        self.keys(raw, where, required=("name",), optional=("members", "managed_by", "children"))
        members = raw.get("members") or []
        if not isinstance(members, list):
            raise self.fail(
                raw, f"{where}: members must be a list of usernames, account ids or emails"
            )
        resolved = []
        for member in members:
            user = lookup.find(member)
            if user is None:
                raise self.fail(raw, f"{where}: member {member!r} is not a user of this seed")
            if user.username not in resolved:
                resolved.append(user.username)
        children = raw.get("children") or []
        if not isinstance(children, list) or not all(isinstance(c, str) for c in children):
            raise self.fail(raw, f"{where}: children must be a list of group names")
        return SeedGroup(
            self.text(raw, "name", where),
            tuple(resolved),
            self.choice(raw, "managed_by", where, GROUP_OWNERS),
            tuple(dict.fromkeys(c.strip() for c in children)),
        )

    def nesting(self, groups: tuple[SeedGroup, ...], raws: list[Any]) -> None:
        names = {g.name.lower() for g in groups}
        for index, (group, raw) in enumerate(zip(groups, raws, strict=True)):
            for child in group.children:
                if child.lower() not in names:
                    raise self.fail(
                        raw, f"groups[{index}]: child {child!r} is not a group of this seed"
                    )
                if child.lower() == group.name.lower():
                    raise self.fail(raw, f"groups[{index}]: a group cannot contain itself")

    def component(self, raw: Any, index: int, lookup: _UserLookup) -> SeedComponent:
        where = f"components[{index}]"
        self.mapping(raw, where)
        self.keys(raw, where, required=("name",), optional=("description", "lead", "assignee_type"))
        lead = None
        if raw.get("lead") is not None:
            user = lookup.find(raw["lead"])
            if user is None:
                raise self.fail(raw, f"{where}: lead {raw['lead']!r} is not a user of this seed")
            lead = user.username
        assignee_type = str(raw.get("assignee_type") or "PROJECT_DEFAULT").upper()
        if assignee_type not in ASSIGNEE_TYPES:
            raise self.fail(
                raw, f"{where}: assignee_type must be one of {', '.join(ASSIGNEE_TYPES)}"
            )
        description = raw.get("description")
        return SeedComponent(
            self.text(raw, "name", where),
            None if description is None else str(description),
            lead,
            assignee_type,
        )

    def account(self, raw: Any, index: int, lookup: _UserLookup) -> SeedAccount:
        where = f"accounts[{index}]"
        self.mapping(raw, where)
        self.keys(raw, where, required=("login", "token"), optional=("user", "role", "pat"))
        login = self.text(raw, "login", where)
        user = lookup.find(raw.get("user", login))
        if user is None:
            raise self.fail(
                raw, f"{where}: user {raw.get('user', login)!r} is not a user of this seed"
            )
        role = str(raw.get("role", "admin"))
        if role not in ROLES:
            raise self.fail(raw, f"{where}: role must be admin or read-only, not {role!r}")
        token = self.text(raw, "token", where)
        pat = self.text(raw, "pat", where) if raw.get("pat") is not None else None
        if pat == token:
            raise self.fail(
                raw, f"{where}: pat must differ from token (a personal access token is no password)"
            )
        return SeedAccount(login, token, user.username, role, pat)

    def queue(self, raw: Any, index: int) -> SeedQueue:
        where = f"queues[{index}]"
        self.mapping(raw, where)
        self.keys(raw, where, required=("name", "jql"), optional=("fields",))
        fields = raw.get("fields", list(DEFAULT_QUEUE_FIELDS))
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise self.fail(raw, f"{where}: fields must be a list of field ids")
        return SeedQueue(self.text(raw, "name", where), self.text(raw, "jql", where), tuple(fields))

    def options(self, raw: Any, parent: Any) -> SandboxOptions:
        if raw is None:
            return SandboxOptions()
        if not isinstance(raw, Mapping):
            raise self.fail(parent, "options must be a mapping of option: value")
        try:
            return SandboxOptions.build(**raw)
        except ValueError as exc:
            raise self.fail(raw, f"options: {exc}") from None

    # -- checks ----------------------------------------------------------------------------

    def items(self, data: Mapping[str, Any], section: str) -> list[Any]:
        value = data.get(section)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(data, f"{section} must be a list")
        return value

    def mapping(self, raw: Any, where: str) -> None:
        if not isinstance(raw, Mapping):
            raise self.fail(raw, f"{where} must be a mapping, not {type(raw).__name__}")

    def keys(
        self,
        raw: Mapping[str, Any],
        where: str,
        required: tuple[str, ...],
        optional: tuple[str, ...],
    ) -> None:
        for key in raw:
            if key not in required and key not in optional:
                known = ", ".join((*required, *optional))
                raise self.fail(raw, f"{where}: unknown key {key!r} (known: {known})")
        for key in required:
            if key not in raw:
                raise self.fail(raw, f"{where}: missing {key!r}")

    def text(self, raw: Mapping[str, Any], key: str, where: str) -> str:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise self.fail(raw, f"{where}: {key} must be a non-empty string")
        return str(value).strip()

    def choice(self, raw: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> str:
        """One of `allowed` (the first is the default when the key is absent)."""
        value = raw.get(key, allowed[0])
        if value not in allowed:
            raise self.fail(raw, f"{where}: {key} must be one of {', '.join(allowed)}")
        return str(value)

    def flag(self, raw: Mapping[str, Any], key: str, where: str, *, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(raw, f"{where}: {key} must be true or false")
        return value

    def unique(self, values: list[str], raws: list[Any], what: str) -> None:
        seen: set[str] = set()
        for value, raw in zip(values, raws, strict=True):
            if value in seen:
                raise self.fail(raw, f"duplicate {what} {value!r}")
            seen.add(value)


class _UserLookup:
    """Finds a seed user by username, account id or email (case-insensitively)."""

    def __init__(self, users: tuple[SeedUser, ...]) -> None:
        self._by: dict[str, SeedUser] = {}
        for user in users:
            for key in (user.username, user.account_id, user.email):
                self._by.setdefault(key.lower(), user)

    def find(self, ref: Any) -> SeedUser | None:
        return self._by.get(str(ref).lower()) if ref is not None else None


def _username_for(email: str) -> str:
    return email.split("@", 1)[0].lower()


def _account_id_for(email: str) -> str:
    # Stable across resets, shaped like Cloud's "<site>:<uuid-ish>" account ids.
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    return f"557058:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def _default_accounts(
    users: tuple[SeedUser, ...],
) -> tuple[tuple[SeedUser, ...], tuple[SeedAccount, ...]]:
    """admin/admin and read-only viewer/viewer (personal access tokens admin-pat and viewer-pat),
    acting as users of those names (added if absent)."""
    by_username = {u.username.lower(): u for u in users}
    extra: list[SeedUser] = []
    accounts = []
    for login, display, role in (
        ("admin", "Sandbox Administrator", "admin"),
        ("viewer", "Sandbox Viewer", "read-only"),
    ):
        if login not in by_username:
            email = f"{login}@sandbox.example.org"
            extra.append(SeedUser(display, email, _account_id_for(email), login))
        accounts.append(SeedAccount(login, login, login, role, f"{login}-pat"))
    return (*users, *extra), tuple(accounts)


__all__ = [
    "ACCOUNT_TYPES",
    "ASSIGNEE_TYPES",
    "DEMO_SEED",
    "GROUP_OWNERS",
    "Seed",
    "SeedAccount",
    "SeedComponent",
    "SeedError",
    "SeedGroup",
    "SeedIssue",
    "SeedQueue",
    "SeedUser",
    "load_seed",
]
