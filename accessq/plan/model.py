"""The plan: the exact list of Jira operations that makes the live site match the configuration.

A plan is plain data (pydantic), so it can be saved (`plan --out`), reviewed, and applied later by
`apply --plan`. Each `Change` is one atomic Jira operation; `Plan.changes` is already in the order
apply runs them (DESIGN.md section 4: creates, adds, updates, removals, deletes).

Shapes of `before` / `after` per action (all JSON values; `lead` is a {key, name, email} dict or
null). `Change.payload` is the same data typed per action (accessq/plan/payload.py):

| action | before | after |
|---|---|---|
| create_component | null | {name, description, keywords, aliases?, assignee_type} |
| update_component | changed fields' old values (+ managed: false) | new values (+ managed: true) |
| delete_component | {name, description, keywords, aliases?, lead, assignee_type} | null |
| create_group | null | {name} |
| delete_group | {name, members: [account keys]} | null |
| add_member | null | account key |
| remove_member | account key | null |
| create_jsm_queue | null | {name, jql} |
| update_jsm_queue | {name, jql} | {name, jql} |
| delete_jsm_queue | {name, jql} | null |

`update_component` carries only the fields that change, among `name`, `description` and
`keywords` (always together: the component description is
`model.naming.encode_description(description, keywords, aliases)`; `aliases?`: present only when
there are some, on both sides of an update when either has some), `lead` (absent: leave the lead
as it is),
`assignee_type`, and `managed` when a queue with `adopt: true` takes over an unmanaged component:
before `false`, after `true`, with `description` and `keywords` always present, since writing
them is what adds the marker. `managed` is for reviewers; apply writes nothing for it.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from accessq.config.diagnostics import Diagnostic
from accessq.config.models import Location, Role
from accessq.model.observed import Account, Target
from accessq.plan.payload import Action, Lead, Payload, payload_type

FORMAT_VERSION: Literal[1] = 1

Phase = Literal["create", "add", "update", "remove", "delete"]

# Nobody loses access while a role moves: everything that grants runs before anything that takes.
PHASES: tuple[Phase, ...] = ("create", "add", "update", "remove", "delete")
PHASE_OF: dict[Action, Phase] = {
    "create_component": "create",
    "create_group": "create",
    "add_member": "add",
    "update_component": "update",
    # A view's JQL names its component, so a view is made once the component has its final
    # name (a rename is an update); views grant no access, so nothing waits for them.
    "create_jsm_queue": "update",
    "update_jsm_queue": "update",
    "remove_member": "remove",
    "delete_jsm_queue": "delete",
    "delete_group": "delete",
    "delete_component": "delete",
}
# Within a phase and a queue: a component before the JSM view whose JQL names it; a JSM view
# deleted before its component.
ACTION_RANK: dict[Action, int] = {
    "create_component": 0,
    "create_group": 1,
    "add_member": 0,
    "update_component": 0,
    "create_jsm_queue": 1,
    "update_jsm_queue": 1,
    "remove_member": 0,
    "delete_jsm_queue": 0,
    "delete_group": 1,
    "delete_component": 2,
}
MEMBER_ACTIONS: frozenset[Action] = frozenset({"add_member", "remove_member"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# How a configured person's account was established: the account shows the configured email;
# Cloud hides the account's email and it is the one account an exact-email search finds; or the
# configuration pins it by `account_id` (and Jira shows no email that agrees).
Match = Literal["email", "hidden_email", "account_id"]


class PlanPerson(_Model):
    """Who a membership change is about: the Jira account, and how the configuration names them."""

    account: Account
    name: str
    email: str | None = None  # None when neither the configuration nor the directory shows one
    username: str | None = None  # awardee updaters: the ACCESS username
    # None for a member as Jira lists them (a removal): `name` is then the account's own.
    match: Match | None = None

    def label(self) -> str:
        """`Jane Doe <jdoe@x.edu>` when the account shows that email; otherwise the account too.

        `Priya Nair <pnair@x.edu> as Jira account "Priya N." (email hidden) [712020:...], found
        by exact-email search`: a reviewer sees who is granted whenever a matching email did not
        establish it. A member being removed reads as its account: `"Tom Becker" <...> [key]`.
        """
        if self.match is None:
            # A member as Jira lists them: a display name is whatever its owner chose (a portal
            # customer may pick a staff email), so it is quoted, with the email and key.
            return account_text(self.account)
        if self.match == "email":
            return f"{self.name} <{self.email}>"
        # A configured email the account does not show is unconfirmed: shown as given.
        shown = self.account.email
        named = f"{self.name} <{self.email}>" if self.email and self.email != shown else self.name
        how = "found by exact-email search" if self.match == "hidden_email" else "by account_id"
        return f"{named} as Jira account {account_text(self.account)}, {how}"


def account_text(account: Account) -> str:
    """`"Display Name" <email> [key]`: an account as Jira shows it, its name JSON-quoted."""
    shown = f"<{account.email}>" if account.email else "(email hidden)"
    return f"{json.dumps(account.display_name, ensure_ascii=False)} {shown} [{account.key}]"


def lead_value(person: PlanPerson | Account | None) -> Lead | None:
    """A component lead as `before` / `after` show it: {key, name, email}.

    A person the configuration names by a matching email is shown as configured; any other lead
    as the Jira account itself (its display name and the email it shows).
    """
    if person is None:
        return None
    if isinstance(person, PlanPerson):
        if person.match in (None, "email"):
            return Lead(key=person.account.key, name=person.name, email=person.email)
        person = person.account
    return Lead(key=person.key, name=person.display_name or person.key, email=person.email)


def lead_label(value: Lead | None) -> str:
    if value is None:
        return "(none)"
    name = value.name or value.key
    return f"{name} <{value.email}>" if value.email else f"{name} [{value.key}]"


class TicketNote(_Model):
    """The tickets of a component this change deletes or renames (None on other changes).

    A rename keeps them (the component is renamed, not recreated). A deletion strips the
    component from them unless `move_to` names where they go (`retired_queues`), which apply
    passes to Jira as `moveIssuesTo`: every ticket of the component, resolved ones too.
    """

    open: int | None  # open tickets when planned; None when they were not counted
    move_to: str | None = None  # delete: the component that gets them
    move_to_id: str | None = None  # its Jira id; None when this plan creates it (see depends_on)


class Change(_Model):
    """One atomic Jira operation."""

    id: str  # stable: derived from the action and what it acts on, never from a counter
    queue: str
    action: Action
    phase: Phase
    # What is acted on, as a person reads it: a component, group or JSM queue view name.
    target: str
    # The Jira id of an existing component or JSM queue; None when this plan creates it (the
    # creating change is then in `depends_on`) and for groups (Jira addresses those by name).
    target_id: str | None = None
    role: Role | None = None  # group and member changes
    person: PlanPerson | None = None  # member changes
    # The plan file's JSON form of `payload` (shapes in the table above).
    before: Any = None
    after: Any = None
    depends_on: list[str] = Field(default_factory=list)
    source: str | None = None  # `file:line` in the configuration, when the change comes from one
    tickets: TicketNote | None = None  # delete_component and renaming update_component
    _payload: Payload = PrivateAttr()

    @model_validator(mode="after")
    def _read_payload(self) -> Change:
        # Once, when made or loaded: a saved plan whose data does not fit its action is refused
        # at load, before apply could act on half of it.
        self._payload = payload_type(self.action).from_json(self.before, self.after)
        return self

    @property
    def payload(self) -> Payload:
        """`before` / `after` typed by the action: dispatch with `match` + `assert_never`."""
        return self._payload

    @classmethod
    def of(cls, payload: Payload, **fields: Any) -> Change:
        """The change carrying `payload`: its action and JSON `before` / `after` follow from it."""
        before, after = payload.to_json()
        return cls(action=payload.action, before=before, after=after, **fields)

    def sort_key(self) -> tuple[int, str, str, int, str, str, str]:
        # People by how they read (name), then by account key so equal names stay ordered.
        label = self.person.label().casefold() if self.person else ""
        key = self.person.account.key if self.person else ""
        return (
            PHASES.index(self.phase),
            self.queue.casefold(),
            self.queue,
            ACTION_RANK[self.action],
            self.target.casefold(),
            label,
            key,
        )


ErrorKind = Literal[
    "unresolved_person",
    "ambiguous_person",
    "inactive_person",
    "account_mismatch",
    "account_type",
    "conflict",
    "default_assignee",
    "name_clash",
    "unknown_queue",
    "unread",
]


class PlanError(_Model):
    """Something that stops this plan from being applied; one line, with where it comes from."""

    kind: ErrorKind
    message: str
    queue: str | None = None
    location: Location | None = None

    def to_diagnostic(self) -> Diagnostic:
        return Diagnostic(self.message, self.location)

    def __str__(self) -> str:
        return str(self.to_diagnostic())

    def sort_key(self) -> tuple[str, int, int, str]:
        return self.to_diagnostic().sort_key()


class Summary(_Model):
    """Counts for the closing line and the pull-request table, and the queue names behind them.

    Deleting a group ends every membership in it without a `remove_member` per person, so those
    are counted apart (`groups_deleted`, `memberships_deleted`), never hidden in a count of 0.
    """

    create: list[str] = Field(default_factory=list)
    change: list[str] = Field(default_factory=list)
    delete: list[str] = Field(default_factory=list)
    members_added: int = 0
    members_removed: int = 0
    groups_deleted: int = 0  # every delete_group, of deleted queues and of kept ones
    memberships_deleted: int = 0  # the members those groups held when planned

    @property
    def membership_changes(self) -> int:
        return self.members_added + self.members_removed

    def closing_line(self) -> str:
        """`Plan: 2 queues to create, 3 to change, 1 to delete; 14 membership changes.`

        With group deletions: `...; 14 membership changes; 2 groups to delete with 5 memberships.`
        """
        queues = "queue" if len(self.create) == 1 else "queues"
        members = "membership change" if self.membership_changes == 1 else "membership changes"
        line = (
            f"Plan: {len(self.create)} {queues} to create, {len(self.change)} to change, "
            f"{len(self.delete)} to delete; {self.membership_changes} {members}"
        )
        if self.groups_deleted:
            groups = "group" if self.groups_deleted == 1 else "groups"
            held = "membership" if self.memberships_deleted == 1 else "memberships"
            line += (
                f"; {self.groups_deleted} {groups} to delete with {self.memberships_deleted} {held}"
            )
        return line + "."


class Plan(_Model):
    format_version: Literal[1] = FORMAT_VERSION
    target: Target
    # Fingerprint of the observed managed state and the configuration this plan was made from;
    # `apply --plan` recomputes it and refuses a stale plan (see `fingerprint.describe_drift`).
    fingerprint: str
    changes: list[Change] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    errors: list[PlanError] = Field(default_factory=list)
    # Queues left out whole because of their own errors (each error names its queue); apply
    # applies the rest unless --strict. Errors without a queue stop the whole plan.
    skipped: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    only: list[str] | None = None  # the queues `--queue` (or `scope`) restricted this plan to
    # The files given alone out of a folder configuration: `only` is the queues they define.
    scope: list[str] | None = None
    fingerprint_parts: dict[str, str] = Field(default_factory=dict)
    # Per queue with changes, whether they undo a hand edit made in Jira (`drift`: the queue's
    # configuration is what the last apply recorded) or come from the `configuration`; None (and
    # absent from the JSON) when no apply record was read (accessq.plan.drift). Labels only.
    origins: dict[str, Literal["drift", "configuration"]] | None = None
    # The configuration the plan was made from, set only in files saved by `plan --out`, so
    # `apply --plan` can recompute the fingerprint without the YAML.
    configuration: dict[str, Any] | None = None

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def global_errors(self) -> list[PlanError]:
        """Errors that concern no one queue: they stop every change."""
        return [e for e in self.errors if e.queue is None]

    @property
    def drift(self) -> list[str]:
        """Queues whose changes undo a hand edit made in Jira."""
        return sorted(q for q, o in (self.origins or {}).items() if o == "drift")

    def change(self, change_id: str) -> Change | None:
        return next((c for c in self.changes if c.id == change_id), None)

    def queues(self) -> list[str]:
        """Queue names with changes, in the order the renderers show them."""
        return sorted({c.queue for c in self.changes}, key=lambda n: (n.casefold(), n))

    def queue_kind(self, queue: str) -> Literal["create", "change", "delete"]:
        if queue in self.summary.create:
            return "create"
        return "delete" if queue in self.summary.delete else "change"
