"""The queue language, version 1 (DESIGN.md section 1), as pydantic models.

Field names here are the YAML keys; the JSON Schema (`accessq schema`) is generated from these
models, so every field carries a description an editor can show.

Positions: the loader attaches a `Location` to every queue and person it builds (a private
attribute, so it stays out of the schema and of equality), which lets the plan and every error
name the `file:line` a thing came from.

Rules about one value (an email, a keyword) live here, so any `Config` is sound however it was
built; rules across values (unique names, a default assignee among the updaters) are in
`accessq.config.checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from accessq.config import text
from accessq.config.urls import URL_PATTERN, UrlError, check_site_url

Role = Literal["agents", "watchers", "updaters"]

# Strict enough to catch typos (no spaces, one @, a dotted domain with a real TLD) without a
# dependency; also emitted in the JSON Schema, so it must stay ECMAScript-compatible.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# What `accessq.config.text` refuses, for editors: the hidden characters of the Basic
# Multilingual Plane (controls, format characters such as U+200B and bidi controls, separators),
# as ECMAScript-compatible \uXXXX ranges. The validators remain the authority.
_HIDDEN = (
    r"\u007f-\u009f\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    r"\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff"
    r"\uffa0\ufff9-\ufffb"
)
ONE_LINE_PATTERN = rf"^[^\u0000-\u001f{_HIDDEN}]*$"
FREE_TEXT_PATTERN = rf"^[^\u0000-\u0008\u000b-\u001f{_HIDDEN}]*$"  # tabs and new lines allowed
# Keywords may hold any printable text, commas included (model.naming stores them losslessly).
KEYWORD_PATTERN = rf"^[^\u0000-\u001f{_HIDDEN}]+$"
PROJECT_KEY_PATTERN = r"^[A-Z][A-Z0-9_]+$"
# accessq owns every group named <prefix><slug>-<role>: a prefix must be a distinct lower-case
# word ending in '-', or (e.g. "") it would claim, and could delete, any site group `*-agents`.
GROUP_PREFIX_PATTERN = r"^[a-z0-9][a-z0-9-]*-$"
_EMAIL = re.compile(EMAIL_PATTERN)
_USERNAME = re.compile(USERNAME_PATTERN)
_PROJECT_KEY = re.compile(PROJECT_KEY_PATTERN)
_GROUP_PREFIX = re.compile(GROUP_PREFIX_PATTERN)


def is_email(value: str) -> bool:
    local, _, _ = value.partition("@")
    return len(value) <= 254 and len(local) <= 64 and _EMAIL.fullmatch(value) is not None


def _email(value: str) -> str:
    value = text.normal(value)
    if not is_email(value):
        raise ValueError(f"'{value}' is not a valid email address")
    return value


def _username(value: str) -> str:
    value = text.normal(value)
    if not _USERNAME.fullmatch(value):
        raise ValueError(
            f"'{value}' is not an ACCESS username (letters, digits, '.', '_' and '-' only)"
        )
    return value


def _one_line(value: str) -> str:
    """A name: one line, nothing hidden, NFC (see `accessq.config.text`)."""
    return text.normal(value)


def _free_text(value: str) -> str:
    return text.normal(value, one_line=False)


def _keyword(value: str) -> str:
    """A keyword or alias: one line, and a letter or digit, or it could match no ticket."""
    value = text.normal(value)
    if not text.has_letter_or_digit(value):
        raise ValueError(f"'{value}' has no letters or digits, so it matches no ticket")
    return value


def _account_id(value: str) -> str:
    # Not normalised: an account id is Jira's opaque key, matched exactly.
    found = text.problem(value, one_line=True)
    if found is not None:
        raise ValueError(found)
    return _no_space(value)


def _no_space(value: str) -> str:
    if any(ch.isspace() for ch in value):
        raise ValueError(f"'{value}' must not contain spaces")
    return value


# Constraints (Field) come before the validator so that they run first, on the stripped text.
Email = Annotated[
    str, Field(min_length=1, json_schema_extra={"pattern": EMAIL_PATTERN}), AfterValidator(_email)
]
Username = Annotated[
    str,
    Field(min_length=1, json_schema_extra={"pattern": USERNAME_PATTERN}),
    AfterValidator(_username),
]
AccountId = Annotated[str, Field(min_length=1), AfterValidator(_account_id)]


def _assignee(value: str) -> str:
    # Spaces are left to the cross-queue check, which knows the updaters and so can say whose
    # username a name like "Alan Turing" should have been.
    found = text.problem(value, one_line=True)
    if found is not None:
        raise ValueError(found)
    return value


Assignee = Annotated[str, Field(min_length=1), AfterValidator(_assignee)]
QueueName = Annotated[
    str,
    Field(min_length=1, max_length=255, json_schema_extra={"pattern": ONE_LINE_PATTERN}),
    AfterValidator(_one_line),
]  # 255: Jira's component limit
PersonName = Annotated[
    str,
    Field(min_length=1, json_schema_extra={"pattern": ONE_LINE_PATTERN}),
    AfterValidator(_one_line),
]
FreeText = Annotated[
    str, Field(json_schema_extra={"pattern": FREE_TEXT_PATTERN}), AfterValidator(_free_text)
]
Keyword = Annotated[
    str,
    Field(min_length=1, json_schema_extra={"pattern": KEYWORD_PATTERN}),
    AfterValidator(_keyword),
]


@dataclass(frozen=True, order=True)
class Location:
    """Where a value stands in a queue file (1-based line and column)."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def short(self) -> str:
        """`file:line`, the form plans and journals carry."""
        return f"{self.file}:{self.line}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class _Located(_Strict):
    _location: Location | None = PrivateAttr(default=None)

    @property
    def location(self) -> Location | None:
        return self._location

    def at(self, location: Location | None) -> Self:
        """Attach the source position (used by the loader); returns self for chaining."""
        self._location = location
        return self


class JiraSettings(_Strict):
    """Which Jira site and project accessq manages, and how queues map onto it."""

    url: str | None = Field(
        default=None,
        description="Base URL of the Jira site, e.g. https://access-ci.atlassian.net. "
        "Absent: the local sandbox. --jira-url and ACCESSQ_JIRA_URL override it.",
        json_schema_extra={"pattern": URL_PATTERN},
    )
    project: str = Field(
        default="ATS",
        description="Key of the Jira Service Management project.",
        json_schema_extra={"pattern": PROJECT_KEY_PATTERN},
    )
    group_prefix: Annotated[str, AfterValidator(_no_space)] = Field(
        default="ats-",
        description="Prefix of the groups accessq manages: "
        "<prefix><slug>-agents|-watchers|-updaters. Lower-case letters, digits and '-', "
        "ending with '-'.",
        json_schema_extra={"pattern": GROUP_PREFIX_PATTERN},
    )
    username_email: str = Field(
        default="{username}@access-ci.org",
        description="Template that turns an ACCESS username into the email of its Jira account; "
        "must contain {username}.",
    )
    jsm_queues: bool = Field(
        default=False,
        description="Also manage a JSM queue view for each queue (component = N, unresolved).",
    )
    require_agent_licence: bool = Field(
        default=False,
        description="accessq doctor: every member of an -agents group must hold a Jira Service "
        "Management licence (agent product access).",
    )

    def email_of(self, username: str) -> str:
        """The Jira email of an ACCESS username, through `username_email`."""
        return self.username_email.replace("{username}", username)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            check_site_url(value)  # the same rules as the connection's, so validate agrees
        except UrlError as exc:
            raise ValueError(f"jira.url {exc}") from None
        return value

    @field_validator("group_prefix")
    @classmethod
    def _group_prefix(cls, value: str) -> str:
        if not _GROUP_PREFIX.fullmatch(value):
            raise ValueError(
                f"'{value}' is not a group prefix: lower-case letters, digits and '-', starting "
                "with a letter or digit and ending with '-' (e.g. ats-)"
            )
        return value

    @field_validator("project")
    @classmethod
    def _project(cls, value: str) -> str:
        if not _PROJECT_KEY.fullmatch(value):
            raise ValueError(f"'{value}' is not a Jira project key (capital letters, e.g. ATS)")
        return value

    @field_validator("username_email")
    @classmethod
    def _username_email(cls, value: str) -> str:
        # Only the one placeholder: str.format would also run `{username.attr}` and honour huge
        # widths (`{username:>999999999}`), so the template is filled by plain replacement.
        rest = value.replace("{username}", "")
        sample = value.replace("{username}", "alovelace")
        if "{" in rest or "}" in rest or rest == value or not is_email(sample):
            raise ValueError(
                f"'{value}' must be an email address containing {{username}}, "
                "e.g. {username}@access-ci.org"
            )
        return value


class SafetySettings(_Strict):
    """Limits that stop a plan from removing too much access at once (exit code 3)."""

    max_removal_fraction: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="Largest fraction of a group's members one run may remove "
        "(checked for groups of at least 4 members). --force overrides.",
    )
    min_agents: int = Field(
        default=1,
        ge=0,
        description="Fewest agents (RP queues) or updaters (awardee queues) "
        "a queue may be left with.",
    )


class SafetyOverrides(_Strict):
    """Per-queue overrides of the top-level safety settings."""

    max_removal_fraction: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="This queue's largest fraction of a group's members one run may remove.",
    )
    min_agents: int | None = Field(
        default=None, ge=0, description="Fewest agents or updaters this queue may be left with."
    )


class Contact(_Located):
    """A person on an RP queue, known by name and email (or account_id when the email is hidden)."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["email"]}, {"required": ["account_id"]}]}
    )

    name: PersonName = Field(description="Full name, as shown in Jira.")
    email: Email | None = Field(default=None, description="Email address of the Jira account.")
    account_id: AccountId | None = Field(
        default=None,
        description="Jira accountId (Cloud) or username (Data Center); overrides the email lookup.",
    )

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not self.email and not self.account_id:
            raise ValueError(
                f"contact '{self.name}' needs an 'email' (or an 'account_id' when the directory "
                "hides the email)"
            )
        return self


class Updater(_Located):
    """A person on an awardee queue, known by name and ACCESS username (or account_id)."""

    model_config = ConfigDict(
        json_schema_extra={"anyOf": [{"required": ["username"]}, {"required": ["account_id"]}]}
    )

    name: PersonName = Field(description="Full name, as shown in Jira.")
    username: Username | None = Field(
        default=None,
        description="ACCESS username, e.g. alovelace; may be left out when account_id is given.",
    )
    account_id: AccountId | None = Field(
        default=None,
        description="Jira accountId (Cloud) or username (Data Center); overrides the lookup.",
    )

    @model_validator(mode="after")
    def _reachable(self) -> Updater:
        # An account whose email is not the username's (see jira.username_email) has no username
        # accessq could look up: it is named by account_id alone.
        if not self.username and not self.account_id:
            raise ValueError(
                f"updater '{self.name}' needs a 'username' (or an 'account_id' when their Jira "
                "email is not the username's)"
            )
        return self

    @property
    def handle(self) -> str:
        """How `default_assignee` names this updater: the username, else the account_id."""
        return self.username or self.account_id or ""


class _Queue(_Located):
    name: QueueName = Field(description="Queue name; unique across all queues, case-insensitively.")
    description: FreeText = Field(default="", description="Free text written into the component.")
    previously: list[QueueName] = Field(
        default_factory=list,
        description="Former names of this queue, so a rename is not a delete and a create.",
    )
    adopt: bool = Field(
        default=False,
        description="Take over the existing Jira component of this name although accessq does "
        "not manage it yet: the plan marks it as managed. Without it, such a component is an "
        "error.",
    )
    safety: SafetyOverrides | None = Field(
        default=None, description="Overrides of the top-level safety settings for this queue."
    )
    aliases: list[Keyword] = Field(
        default_factory=list,
        description="Other names a ticket may use for this queue (e.g. Jetstream2 for "
        "Jetstream-2); they route tickets here like keywords. Stored in the component "
        "description (an Aliases: line), like keywords.",
    )


class RPQueue(_Queue):
    """A resource provider's routing queue."""

    agents: list[Contact] = Field(
        default_factory=list, description="People who can browse the queue's tickets."
    )
    watchers: list[Contact] | None = Field(
        default=None,
        description="People who get email notifications; omitted means the same as agents.",
    )

    # The roles of this kind of queue, the first being the one `min_agents` counts.
    ROLES: ClassVar[tuple[Role, ...]] = ("agents", "watchers")

    @property
    def effective_watchers(self) -> list[Contact]:
        return self.agents if self.watchers is None else self.watchers

    def members(self, role: Role) -> list[Contact]:
        """The people of `role` (watchers omitted are the agents); [] for another kind's role."""
        if role == "agents":
            return self.agents
        return self.effective_watchers if role == "watchers" else []

    def listed(self, role: Role) -> list[Contact]:
        """The people written under `role` in the file (omitted watchers: none)."""
        return self.members(role) if role != "watchers" else list(self.watchers or [])


class AwardeeQueue(_Queue):
    """An ACCESS awardee team's queue."""

    updaters: list[Updater] = Field(
        default_factory=list, description="People who can update the queue's tickets."
    )
    default_assignee: Assignee | None = Field(
        default=None,
        description="ACCESS username of the default assignee, one of the updaters (or the "
        "account_id of an updater listed without a username).",
    )
    keywords: list[Keyword] = Field(
        default_factory=list,
        description="Words or phrases that route tickets to this queue (any printable text, "
        "commas included); each claimed by one queue only.",
    )

    ROLES: ClassVar[tuple[Role, ...]] = ("updaters",)

    def members(self, role: Role) -> list[Updater]:
        return self.updaters if role == "updaters" else []

    def listed(self, role: Role) -> list[Updater]:
        return self.members(role)


Queue = RPQueue | AwardeeQueue


class RetiredQueue(_Located):
    """A queue taken out of the configuration whose tickets go to another queue.

    Deleting a queue's component would strip it from every ticket, so a queue that still holds
    open tickets is deleted only when this says where they go; once the component is gone the
    entry does nothing and may stay.
    """

    name: QueueName = Field(description="The retired queue: its component's name in Jira.")
    move_tickets_to: QueueName = Field(
        description="Where its tickets go: a configured queue, or another existing component "
        "(e.g. a general triage one)."
    )


class Config(_Strict):
    """A whole configuration: one file, or every *.yaml/*.yml file of a folder merged."""

    version: Literal[1] = Field(description="Version of the queue language; must be 1.")
    jira: JiraSettings = Field(
        default_factory=JiraSettings,
        description="Which Jira and project; may appear in one file of a configuration only.",
    )
    safety: SafetySettings = Field(
        default_factory=SafetySettings,
        description="Limits on how much access one run may remove; in one file only.",
    )
    rp_queues: list[RPQueue] = Field(
        default_factory=list, description="Resource providers' queues (agents and watchers)."
    )
    awardee_queues: list[AwardeeQueue] = Field(
        default_factory=list,
        description="ACCESS awardee teams' queues (updaters, default assignee, keywords).",
    )
    retired_queues: list[RetiredQueue] = Field(
        default_factory=list,
        description="Queues taken out of the configuration and where their tickets go when "
        "their component is deleted.",
    )

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, value: object) -> object:
        # Exactly the integer 1: "1" or 1.0 would pass pydantic's lax mode but not the schema.
        if type(value) is not int or value != 1:
            raise ValueError("must be 1")
        return value

    @property
    def queues(self) -> list[Queue]:
        return [*self.rp_queues, *self.awardee_queues]

    def retired(self, name: str) -> RetiredQueue | None:
        """The `retired_queues` entry for a component name (any case), if any."""
        folded = name.casefold()
        return next((r for r in self.retired_queues if r.name.casefold() == folded), None)
