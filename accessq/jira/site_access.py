"""Read the `SiteAccess` snapshot `accessq doctor` checks: schemes, roles, licences, assignees.

Read-only. A part the account may not read (Jira answers 403, or 404 where it hides a scheme from
non-administrators) is left None with the reason, so the doctor reports it as not checked; any
other failure ends the run like every other read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from accessq.jira.errors import NotFound, PermissionDenied
from accessq.jira.gateway import Gateway
from accessq.model.access import RUNNER_PERMISSIONS, RoleGroups, SiteAccess
from accessq.model.observed import Account

T = TypeVar("T")


def _try(read: Callable[[], T], what: str) -> tuple[T | None, str | None]:
    try:
        return read(), None
    except (PermissionDenied, NotFound) as exc:
        return None, f"cannot read {what}: {exc}"


def read_site_access(
    gateway: Gateway,
    runner: Account,
    *,
    agents: Iterable[str] | None,
    assignees: Iterable[str],
) -> SiteAccess:
    """`agents`: keys whose product access to read (None: not asked); `assignees`: keys to try
    as the assignee of a new ticket."""
    project = gateway.project
    permissions = gateway.my_permissions(RUNNER_PERMISSIONS)
    grants, grants_error = _try(gateway.permission_grants, f"the permission scheme of {project}")
    notices, notices_error = _try(gateway.notifications, f"the notification scheme of {project}")
    holders = [g.holder for g in grants or ()] + [n.recipient for n in notices or ()]
    role_ids = sorted({h.parameter for h in holders if h.type == "projectRole" and h.parameter})
    roles: list[RoleGroups] | None = []
    roles_error = None
    for role_id in role_ids:
        role, roles_error = _try(
            partial(gateway.project_role_groups, role_id), f"project role {role_id}"
        )
        if role is None:
            roles = None
            break
        assert roles is not None
        roles.append(role)
    licences: dict[str, tuple[str, ...]] | None = None
    licences_error = None
    if agents is not None:
        licences = {}
        for key in sorted(set(agents)):
            held, licences_error = _try(
                partial(gateway.application_roles_of, key), f"the product access of {key}"
            )
            if held is None:
                licences = None
                break
            licences[key] = held
    assignable: dict[str, bool] = {}
    assignable_error = None
    for key in sorted(set(assignees)):
        can, assignable_error = _try(
            partial(gateway.is_assignable, key), f"the assignable users of {project}"
        )
        if can is None:
            assignable = {}
            break
        assignable[key] = can
    return SiteAccess(
        runner=runner,
        runner_permissions=permissions,
        grants=tuple(grants) if grants is not None else None,
        grants_error=grants_error,
        notices=tuple(notices) if notices is not None else None,
        notices_error=notices_error,
        roles=tuple(roles) if roles is not None else None,
        roles_error=roles_error,
        licences=licences,
        licences_error=licences_error,
        assignable=assignable,
        assignable_error=assignable_error,
    )
