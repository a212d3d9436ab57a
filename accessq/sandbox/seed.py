"""The seed: who and what a fresh sandbox starts with, read from YAML or a dict and checked.

`SeedIn` is the seed's one typed definition: a pydantic model per section (`extra='forbid'`, strict
types; the access sections are seed_schemes', the issues seed_issues'). What it cannot say (names
unique, references to the seed's users, groups and components) the builder checks after it. Every
problem is one line naming where it is (`file:line: ...` for files, `seed: users[2]: ...` for
dicts), raised as `SeedError` (a ValueError, which the CLI prints as one line); seed_errors.py
tells pydantic's errors in those words.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from accessq.sandbox import seed_schemes
from accessq.sandbox.options import SandboxOptions
from accessq.sandbox.seed_errors import SeedError, shape_error
from accessq.sandbox.seed_issues import IssueIn, SeedIssue, build_issues
from accessq.sandbox.yaml_lines import YamlError, load_yaml

DEMO_SEED = Path(__file__).with_name("demo_seed.yaml")

AssigneeType = Literal["PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED"]
Role = Literal["admin", "read-only"]
AccountType = Literal["atlassian", "customer", "app"]  # Cloud's accountType (JSM customers, apps)
GroupOwner = Literal["jira", "idp"]  # who manages a group: Jira, or an IdP / directory
ASSIGNEE_TYPES: tuple[str, ...] = get_args(AssigneeType)
ROLES: tuple[str, ...] = get_args(Role)
ACCOUNT_TYPES: tuple[str, ...] = get_args(AccountType)
GROUP_OWNERS: tuple[str, ...] = get_args(GroupOwner)
DEFAULT_QUEUE_FIELDS = ("issuetype", "issuekey", "summary", "reporter", "status", "created")
_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{1,9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


# -- the shapes, checked by pydantic ------------------------------------------------------------

_TEXT = "must be a non-empty string"


def _name(value: Any) -> Any:
    # Names YAML read as numbers (a username 1234, a token 2024) are still names.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _upper(value: Any) -> Any:
    return str(value or "PROJECT_DEFAULT").upper()  # assignee types are case-insensitive


def _options(value: Any) -> SandboxOptions:
    if value is None:
        return SandboxOptions()
    if not isinstance(value, Mapping):
        raise ValueError("options must be a mapping of option: value")
    try:
        return SandboxOptions.build(**value)
    except ValueError as exc:
        raise ValueError(f"options: {exc}") from None


# The constraints before the validator: after it, pydantic would not apply them to its result.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    BeforeValidator(_name),
    Field(description=_TEXT),
]
Ref = Annotated[str, BeforeValidator(_name)]  # a username, account id or email of a seed user
Flag = Annotated[bool, Field(description="must be true or false")]


def _one_of(choices: tuple[str, ...]) -> str:
    return f"must be one of {', '.join(choices)}"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ProjectIn(_Section):
    key: Text
    name: Text | None = Field(default=None, description=_TEXT)  # default: the key

    @field_validator("key")
    @classmethod
    def _key(cls, key: str) -> str:
        if not _PROJECT_KEY.match(key):
            raise ValueError(f"project key {key!r} must be 2-10 capital letters or digits")
        return key


class UserIn(_Section):
    name: Text
    email: Text
    account_id: Text | None = Field(default=None, description=_TEXT)  # default: from the email
    username: Text | None = Field(default=None, description=_TEXT)  # default: from the email
    active: Flag = True
    email_hidden: Flag = False
    time_zone: Text = "America/Chicago"
    account_type: AccountType = Field(default="atlassian", description=_one_of(ACCOUNT_TYPES))

    @field_validator("email")
    @classmethod
    def _email(cls, email: str) -> str:
        if not _EMAIL.match(email):
            raise ValueError(f"{email!r} is not an email address")
        return email


class GroupIn(_Section):
    name: Text
    members: list[Ref] | None = Field(
        default=None, description="must be a list of usernames, account ids or emails"
    )
    managed_by: GroupOwner = Field(default="jira", description=_one_of(GROUP_OWNERS))
    children: list[str] | None = Field(default=None, description="must be a list of group names")


class ComponentIn(_Section):
    name: Text
    description: Annotated[str | None, BeforeValidator(_name)] = Field(
        default=None, description="must be a string"
    )
    lead: Ref | None = None
    assignee_type: Annotated[AssigneeType, BeforeValidator(_upper)] = Field(
        default="PROJECT_DEFAULT", description=_one_of(ASSIGNEE_TYPES)
    )


class AccountIn(_Section):
    login: Text
    token: Text  # the password (DC) or API token (Cloud): basic auth
    user: Ref | None = None  # default: the user named like the login
    role: Role = Field(default="admin", description="must be admin or read-only")
    pat: Text | None = Field(default=None, description=_TEXT)  # a DC personal access token

    @model_validator(mode="after")
    def _pat_is_no_password(self) -> AccountIn:
        if self.pat is not None and self.pat == self.token:
            raise ValueError("pat must differ from token (a personal access token is no password)")
        return self


class QueueIn(_Section):
    name: Text
    jql: Text
    fields: list[str] = Field(
        default=list(DEFAULT_QUEUE_FIELDS), description="must be a list of field ids"
    )


_LIST = "must be a list"


class _CoreSections(_Section):
    project: ProjectIn | None = Field(
        default=None, description="must be a mapping with key and name"
    )
    users: list[UserIn] | None = Field(default=None, description=_LIST)
    groups: list[GroupIn] | None = Field(default=None, description=_LIST)
    components: list[ComponentIn] | None = Field(default=None, description=_LIST)
    accounts: list[AccountIn] | None = Field(default=None, description=_LIST)
    queues: list[QueueIn] | None = Field(default=None, description=_LIST)  # absent: JSM's three
    options: Annotated[SandboxOptions, PlainValidator(_options)] = Field(
        default_factory=SandboxOptions
    )
    issues: list[IssueIn] | None = Field(default=None, description=_LIST)


class SeedIn(seed_schemes.AccessSections, _CoreSections):
    """The whole seed: its own sections first, then the access sections (seed_schemes)."""


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
        try:
            shape = SeedIn.model_validate(dict(data))
        except ValidationError as exc:
            raise shape_error(exc, SeedIn, data, self.fail) from None
        key, name = ("ATS", "ACCESS Support")
        if shape.project is not None:
            key, name = shape.project.key, shape.project.name or shape.project.key
        users = self.users(shape.users or [], _raw(data, "users"))
        lookup = _UserLookup(users)
        raw_groups = _raw(data, "groups")
        groups = tuple(
            self.group(g, raw, i, lookup)
            for i, (g, raw) in enumerate(zip(shape.groups or [], raw_groups, strict=True))
        )
        self.unique([g.name.lower() for g in groups], raw_groups, "group name")
        self.nesting(groups, raw_groups)
        raw_components = _raw(data, "components")
        components = tuple(
            self.component(c, raw, i, lookup)
            for i, (c, raw) in enumerate(zip(shape.components or [], raw_components, strict=True))
        )
        self.unique([c.name.lower() for c in components], raw_components, "component name")
        raw_accounts = _raw(data, "accounts")
        if shape.accounts:
            accounts = tuple(
                self.account(a, raw, i, lookup)
                for i, (a, raw) in enumerate(zip(shape.accounts, raw_accounts, strict=True))
            )
            self.unique([a.login.lower() for a in accounts], raw_accounts, "account login")
            pats = [(a.pat, raw) for a, raw in zip(accounts, raw_accounts, strict=True) if a.pat]
            self.unique([p for p, _ in pats], [r for _, r in pats], "account pat")
        else:
            users, accounts = _default_accounts(users)
        if "queues" in shape.model_fields_set:
            queues = tuple(SeedQueue(q.name, q.jql, tuple(q.fields)) for q in shape.queues or [])
            self.unique([q.name.lower() for q in queues], _raw(data, "queues"), "queue name")
        else:
            queues = default_queues(key)
        issues = build_issues(
            shape.issues or [],
            _raw(data, "issues"),
            self.fail,
            lambda ref: user.username if (user := lookup.find(ref)) else None,
            [c.name for c in components],
        )
        everyone = _UserLookup(users)  # with the users default accounts added
        access = seed_schemes.build_access(
            data,
            shape,
            fail=self.fail,
            find_user=lambda ref: u.username if (u := everyone.find(ref)) else None,
            groups=[g.name for g in groups],
            usernames=[u.username for u in users],
            admin_users=[a.user for a in accounts if a.role == "admin"],
        )
        groups += tuple(SeedGroup(n, members) for n, members in access.site_groups)
        return Seed(
            key, name, users, groups, components, accounts, queues, shape.options, issues, access
        )

    # -- what the shapes cannot say: unique names, references to the rest of the seed ---------

    def users(self, shapes: list[UserIn], raws: list[Any]) -> tuple[SeedUser, ...]:
        users = tuple(
            SeedUser(
                name=u.name,
                email=u.email,
                account_id=u.account_id or _account_id_for(u.email),
                username=u.username or _username_for(u.email),
                active=u.active,
                email_hidden=u.email_hidden,
                time_zone=u.time_zone,
                account_type=u.account_type,
            )
            for u in shapes
        )
        for attr in ("account_id", "username", "email"):
            self.unique([str(getattr(u, attr)).lower() for u in users], raws, f"user {attr}")
        return users

    def group(self, shape: GroupIn, raw: Any, index: int, lookup: _UserLookup) -> SeedGroup:
        resolved: list[str] = []
        for member in shape.members or []:
            user = lookup.find(member)
            if user is None:
                raise self.fail(
                    raw, f"groups[{index}]: member {member!r} is not a user of this seed"
                )
            if user.username not in resolved:
                resolved.append(user.username)
        return SeedGroup(
            shape.name,
            tuple(resolved),
            shape.managed_by,
            tuple(dict.fromkeys(c.strip() for c in shape.children or [])),
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

    def component(
        self, shape: ComponentIn, raw: Any, index: int, lookup: _UserLookup
    ) -> SeedComponent:
        lead = None
        if shape.lead is not None:
            user = lookup.find(shape.lead)
            if user is None:
                raise self.fail(
                    raw, f"components[{index}]: lead {shape.lead!r} is not a user of this seed"
                )
            lead = user.username
        return SeedComponent(shape.name, shape.description, lead, shape.assignee_type)

    def account(self, shape: AccountIn, raw: Any, index: int, lookup: _UserLookup) -> SeedAccount:
        ref = shape.login if shape.user is None else shape.user
        user = lookup.find(ref)
        if user is None:
            raise self.fail(raw, f"accounts[{index}]: user {ref!r} is not a user of this seed")
        return SeedAccount(shape.login, shape.token, user.username, shape.role, shape.pat)

    def unique(self, values: list[str], raws: list[Any], what: str) -> None:
        seen: set[str] = set()
        for value, raw in zip(values, raws, strict=True):
            if value in seen:
                raise self.fail(raw, f"duplicate {what} {value!r}")
            seen.add(value)


def _raw(data: Mapping[str, Any], section: str) -> list[Any]:
    """A list section as written (its items know their lines); checked to be a list already."""
    return list(data.get(section) or [])


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
    "SeedIn",
    "SeedIssue",
    "SeedQueue",
    "SeedUser",
    "load_seed",
]
