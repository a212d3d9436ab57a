"""What a person may do in the project and on the site, computed from the schemes.

Project permissions come from the permission scheme's grants whose holder includes the person,
then product access decides what of that counts (the project is a service project):

- no product access at all (no application role): only what `anyone` is granted;
- product access without Jira Service Management (a collaborator): only the permissions in
  `COLLABORATOR_PERMISSIONS` (browse, comment, attach, ...), never agent work such as being
  assigned, editing or transitioning;
- a Jira Service Management licence: every granted permission.

Jira administrators (global ADMINISTER) also administer every project. Inactive people hold
nothing. Global permissions come from the account's role (an admin account is a Jira
administrator) and from global grants to groups, product access or anyone.

Holders that depend on a ticket (reporter, assignee, group and user custom fields) count in a
project context when the person meets them on any ticket, except `reporter`, which anyone may be
(as Jira's `mypermissions` documents). For a new ticket (`new_issue=True`: assignable users of a
project) they count for no one: the ticket has no field values yet. The sandbox has no tickets
unless a ticket model provides `IssueFacts`. `sd.customer.portal.only` governs the customer portal,
which the sandbox does not have: it grants nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from accessq.sandbox.rows import Project, User
from accessq.sandbox.schemes import (
    COLLABORATOR_PERMISSIONS,
    SERVICE_DESK_APP,
    AccessSnapshot,
    Entry,
)

ADMIN_ROLE = "admin"
ADMIN_GLOBAL = frozenset({"ADMINISTER", "SYSTEM_ADMIN"})


@dataclass(frozen=True)
class IssueFacts:
    """What the ticket-dependent holders look at, for one ticket."""

    reporter: int | None = None  # users.pk
    assignee: int | None = None
    field_groups: Mapping[str, frozenset[int]] = field(default_factory=dict)  # field -> group pks
    field_users: Mapping[str, frozenset[int]] = field(default_factory=dict)  # field -> user pks


class Access:
    def __init__(
        self,
        snapshot: AccessSnapshot,
        project: Project,
        issues: Iterable[IssueFacts] = (),
        *,
        service_desk: bool = True,
    ) -> None:
        self.snap = snapshot
        self.project = project
        self.issues = tuple(issues)
        self.service_desk = service_desk

    # -- who is who -----------------------------------------------------------------------------

    def groups_of(self, user: User) -> frozenset[int]:
        return self.snap.memberships.get(user.pk, frozenset())

    def applications(self, user: User | None) -> frozenset[str]:
        """Keys of the application roles (product access) an active user has."""
        if user is None or not user.active:
            return frozenset()
        groups = self.groups_of(user)
        return frozenset(
            app.key
            for app in self.snap.app_roles
            if user.pk in app.users or any(g.pk in groups for g in app.groups)
        )

    def in_role(self, user: User, role_id: int) -> bool:
        role = self.snap.role(role_id)
        if role is None:
            return False
        groups = self.groups_of(user)
        return any(
            (a.user is not None and a.user.pk == user.pk)
            or (a.group is not None and a.group.pk in groups)
            for a in role.actors
        )

    # -- permissions ----------------------------------------------------------------------------

    def global_permissions(self, user: User | None) -> frozenset[str]:
        if user is not None and not user.active:
            return frozenset()
        apps = self.applications(user)
        out: set[str] = set()
        if user is not None and ADMIN_ROLE in self.snap.account_roles.get(user.pk, ()):
            out |= ADMIN_GLOBAL
        for grant in self.snap.global_grants:
            if grant.type == "anyone" or (
                user is not None
                and (
                    (grant.type == "group" and grant.group is not None
                     and grant.group.pk in self.groups_of(user))
                    or (grant.type == "applicationRole"
                        and (grant.parameter in apps if grant.parameter else bool(apps)))
                )
            ):  # fmt: skip
                out.add(grant.subject)
        return frozenset(out)

    def project_permissions(self, user: User | None, *, new_issue: bool = False) -> frozenset[str]:
        scheme = self.snap.permission_scheme
        grants = scheme.entries if scheme is not None else ()
        if user is not None and not user.active:
            return frozenset()
        apps = self.applications(user)
        if user is None or not apps:
            granted = {g.subject for g in grants if g.type == "anyone"}
        else:
            granted = {g.subject for g in grants if self._holds(g, user, apps, new_issue)}
        if self.service_desk and SERVICE_DESK_APP not in apps:
            granted &= COLLABORATOR_PERMISSIONS
        if "ADMINISTER" in self.global_permissions(user):
            granted.add("ADMINISTER_PROJECTS")
        return frozenset(granted)

    def has(self, user: User | None, permission: str, *, new_issue: bool = False) -> bool:
        return permission in (
            self.global_permissions(user) | self.project_permissions(user, new_issue=new_issue)
        )

    def administers_project(self, user: User | None) -> bool:
        return "ADMINISTER_PROJECTS" in self.project_permissions(user)

    def _holds(self, grant: Entry, user: User, apps: frozenset[str], new_issue: bool) -> bool:
        kind = grant.type
        if kind == "anyone":
            return True
        if kind == "applicationRole":
            return grant.parameter in apps if grant.parameter else bool(apps)
        if kind == "group":
            return grant.group is not None and grant.group.pk in self.groups_of(user)
        if kind == "user":
            return grant.user is not None and grant.user.pk == user.pk
        if kind == "projectRole":
            return grant.parameter is not None and self.in_role(user, int(grant.parameter))
        if kind == "projectLead":
            return self.project.lead is not None and self.project.lead.pk == user.pk
        if new_issue:
            return False  # the rest depend on a ticket, and a new one has no values yet
        if kind == "reporter":
            return True
        if kind == "assignee":
            return any(i.assignee == user.pk for i in self.issues)
        if kind == "groupCustomField":
            groups = self.groups_of(user)
            return any(
                i.field_groups.get(grant.parameter or "", frozenset()) & groups for i in self.issues
            )
        if kind == "userCustomField":
            return any(
                user.pk in i.field_users.get(grant.parameter or "", frozenset())
                for i in self.issues
            )
        return False  # sd.customer.portal.only: the customer portal, which the sandbox lacks
