"""The queue language, version 1 (DESIGN.md section 1), as pydantic models.

Field names here are the YAML keys; the JSON Schema (`accessq schema`) is generated from these
models, so every field carries a description an editor can show.

Positions: the loader attaches a `Location` to every queue and person it builds (a private
attribute, so it stays out of the schema and of equality), which lets the plan and every error
name the `file:line` a thing came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Role = Literal["agents", "watchers", "updaters"]


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

    def at(self, location: Location | None) -> _Located:
        """Attach the source position (used by the loader); returns self for chaining."""
        self._location = location
        return self


class JiraSettings(_Strict):
    """Which Jira site and project accessq manages, and how queues map onto it."""

    url: str | None = Field(
        default=None,
        description="Base URL of the Jira site, e.g. https://access-ci.atlassian.net. "
        "Absent: the local sandbox. --jira-url and ACCESSQ_JIRA_URL override it.",
    )
    project: str = Field(default="ATS", description="Key of the Jira Service Management project.")
    group_prefix: str = Field(
        default="ats-",
        description="Prefix of the groups accessq manages: <prefix><slug>-agents|-watchers|-updaters.",
    )
    username_email: str = Field(
        default="{username}@access-ci.org",
        description="Template that turns an ACCESS username into the email of its Jira account.",
    )
    jsm_queues: bool = Field(
        default=False,
        description="Also manage a JSM queue view for each queue (component = N, unresolved).",
    )


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
        description="Fewest agents (RP queues) or updaters (awardee queues) a queue may be left with.",
    )


class SafetyOverrides(_Strict):
    """Per-queue overrides of the top-level safety settings."""

    max_removal_fraction: float | None = Field(default=None, ge=0.0, le=1.0)
    min_agents: int | None = Field(default=None, ge=0)


class Contact(_Located):
    """A person on an RP queue, known by name and email (or account_id when the email is hidden)."""

    name: str = Field(min_length=1, description="Full name, as shown in Jira.")
    email: str | None = Field(default=None, description="Email address of the Jira account.")
    account_id: str | None = Field(
        default=None,
        description="Jira accountId (Cloud) or username (Data Center); overrides the email lookup.",
    )


class Updater(_Located):
    """A person on an awardee queue, known by name and ACCESS username."""

    name: str = Field(min_length=1, description="Full name, as shown in Jira.")
    username: str = Field(min_length=1, description="ACCESS username, e.g. alovelace.")
    account_id: str | None = Field(
        default=None,
        description="Jira accountId (Cloud) or username (Data Center); overrides the lookup.",
    )


class _Queue(_Located):
    name: str = Field(
        min_length=1, description="Queue name; unique across all queues, case-insensitively."
    )
    description: str = Field(default="", description="Free text written into the component.")
    previously: list[str] = Field(
        default_factory=list,
        description="Former names of this queue, so a rename is not a delete and a create.",
    )
    safety: SafetyOverrides | None = Field(
        default=None, description="Overrides of the top-level safety settings for this queue."
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

    @property
    def effective_watchers(self) -> list[Contact]:
        return self.agents if self.watchers is None else self.watchers


class AwardeeQueue(_Queue):
    """An ACCESS awardee team's queue."""

    updaters: list[Updater] = Field(
        default_factory=list, description="People who can update the queue's tickets."
    )
    default_assignee: str | None = Field(
        default=None, description="ACCESS username of the default assignee; one of the updaters."
    )
    keywords: list[str] = Field(
        default_factory=list, description="Words that route tickets to this queue."
    )


Queue = RPQueue | AwardeeQueue


class Config(_Strict):
    """A whole configuration: one file, or every *.yaml/*.yml file of a folder merged."""

    version: Literal[1] = Field(description="Version of the queue language; must be 1.")
    jira: JiraSettings = Field(default_factory=JiraSettings)
    safety: SafetySettings = Field(default_factory=SafetySettings)
    rp_queues: list[RPQueue] = Field(default_factory=list)
    awardee_queues: list[AwardeeQueue] = Field(default_factory=list)

    @property
    def queues(self) -> list[Queue]:
        return [*self.rp_queues, *self.awardee_queues]
