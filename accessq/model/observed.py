"""The observed side of a plan: what accessq read from Jira, as plain immutable data.

`accessq.jira` produces an `Observed` with read-only calls; `accessq.plan` diffs it against the
configuration without any I/O. Nothing here knows about HTTP.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Flavor = Literal["cloud", "dc"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Target(_Frozen):
    """The Jira a plan was made against; every plan names it."""

    url: str
    flavor: Flavor
    project: str
    sandbox: bool = False

    def describe(self) -> str:
        where = (
            "local sandbox"
            if self.sandbox
            else ("Jira Cloud" if self.flavor == "cloud" else "Jira Data Center")
        )
        return f"{self.url} ({where}, project {self.project})"


STAFF_ACCOUNT_TYPE = "atlassian"


def looks_like_email(display_name: str) -> bool:
    """A display name with an `@` (after Unicode folding, so a full-width `＠` counts too).

    Cloud's user search matches display names by prefix, so such a name can pose as any email.
    """
    return "@" in unicodedata.normalize("NFKC", display_name)


class Account(_Frozen):
    """A Jira user. `key` is the accountId on Cloud and the username on Data Center."""

    key: str
    display_name: str = ""
    email: str | None = None  # None when the directory hides it
    active: bool = True
    # Cloud's `accountType`: `atlassian` (staff), `customer` (a JSM portal customer, who picks
    # their own display name) or `app`; None on Data Center, which has no such field.
    account_type: str | None = None

    def is_staff(self, flavor: Flavor) -> bool:
        """Whether this account may be granted queue access: on Cloud only a regular Atlassian
        account (an unreported type counts as not staff); Data Center reports no type."""
        return flavor == "dc" or self.account_type == STAFF_ACCOUNT_TYPE

    def label(self) -> str:
        who = self.display_name or self.key
        return f"{who} <{self.email}>" if self.email else f"{who} [{self.key}]"


class ObservedGroup(_Frozen):
    name: str
    members: tuple[Account, ...] = ()  # sorted by key

    def keys(self) -> frozenset[str]:
        return frozenset(m.key for m in self.members)


class TicketCounts(_Frozen):
    """A component's tickets, as the reader counted them (its open ones in one project search)."""

    open: int = 0  # unresolved
    open_unassigned: int = 0
    oldest_open: datetime | None = None  # when the oldest open ticket was created
    total: int | None = None  # resolved too (`relatedIssueCounts`); None when not read


class ObservedComponent(_Frozen):
    id: str
    name: str
    description: str = ""  # raw, as stored in Jira
    lead: Account | None = None
    assignee_type: str = "PROJECT_DEFAULT"
    # None when not read. Not part of the fingerprint: tickets come and go without making a
    # saved plan stale; the safety rules read them fresh at apply time.
    tickets: TicketCounts | None = None


class ObservedJsmQueue(_Frozen):
    id: str
    name: str
    jql: str


class Observed(_Frozen):
    """Everything accessq needs to know about the live site, read in one pass."""

    target: Target
    # Every component of the project, managed or not (unmanaged ones are only ever reported).
    components: tuple[ObservedComponent, ...] = ()
    # Every group named as accessq names its groups (`naming.parse_group_name`), with members.
    groups: tuple[ObservedGroup, ...] = ()
    # JSM queue views of the service desk; None when `jsm_queues` is off (not read, not managed).
    jsm_queues: tuple[ObservedJsmQueue, ...] | None = None
    # Lookup key (see `lookup_key`) -> account, for each configured person Jira knows.
    directory: dict[str, Account] = Field(default_factory=dict)
    # Lookup key -> the accounts Jira's search answered with when none of them can be taken for
    # the person (several could be, or the only one hides its email behind an email-like name).
    ambiguous: dict[str, tuple[Account, ...]] = Field(default_factory=dict)
    # The account accessq runs as; the safety rules never let a plan remove it.
    runner: Account | None = None
    # Names of groups with the prefix and a role suffix that accessq does not own (look-alikes
    # it never writes, e.g. `ats-jetstream.2-watchers`): not read further, only noted.
    unowned_groups: tuple[str, ...] = ()

    def component(self, name: str) -> ObservedComponent | None:
        folded = name.casefold()
        return next((c for c in self.components if c.name.casefold() == folded), None)

    def group(self, name: str) -> ObservedGroup | None:
        folded = name.casefold()  # Jira group names are case-insensitive
        return next((g for g in self.groups if g.name.casefold() == folded), None)
