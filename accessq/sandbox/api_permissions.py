"""Permission and notification schemes, project roles, application roles (product access), the
permissions of a person (`mypermissions`, `permissions/check`) and assignable users.

All read-only: the sandbox's schemes come from its seed. Who may read what is Jira's rule,
computed from the schemes (`access.Access`): a project's schemes and roles need *Administer
Projects* there (or *Administer Jira*), application roles *Administer Jira*; a scheme by id, any
signed-in person.
"""

from __future__ import annotations

from typing import Any

from accessq.sandbox import render, render_schemes
from accessq.sandbox.access import Access
from accessq.sandbox.api_project import find_project
from accessq.sandbox.context import RequestContext
from accessq.sandbox.errors import GDPR_USERNAME_PARAM, ApiError, bad_request, forbidden, not_found
from accessq.sandbox.routing import API, Reply, route
from accessq.sandbox.rows import Project, User
from accessq.sandbox.schemes import (
    GLOBAL_PERMISSIONS,
    NOTIFICATION,
    PERMISSION,
    PERMISSIONS,
    PROJECT_PERMISSIONS,
    AccessSnapshot,
    Scheme,
    load_snapshot,
)

ASSIGNABLE_MAX = 1000  # the thousandth user, as the Cloud reference says
BULK_MAX = 1000
NOTIFICATION_PAGE_MAX = 50
NO_ISSUE = "Issue does not exist or you do not have permission to see it."
NOT_JIRA_ADMIN = "Only Jira administrators can perform this operation."
NO_SCHEME = (
    "The project has no {} scheme: this sandbox state predates schemes"
    " (`accessq sandbox reset` seeds them)."
)


def _access(ctx: RequestContext, project: Project | None = None) -> tuple[AccessSnapshot, Access]:
    snap = load_snapshot(ctx.store)
    return snap, Access(snap, project or ctx.store.project())


def _user(ctx: RequestContext) -> User | None:
    return ctx.account.user if ctx.account is not None else None


def _scheme_id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


def _project_scheme(
    ctx: RequestContext, key: str, kind: str
) -> tuple[Project, AccessSnapshot, Access, Scheme]:
    project = find_project(ctx, key)
    snap, access = _access(ctx, project)
    scheme = snap.permission_scheme if kind == PERMISSION else snap.notification_scheme
    if scheme is None:
        raise not_found(NO_SCHEME.format(kind))
    return project, snap, access, scheme


# -- permission schemes ---------------------------------------------------------------------------


@route(f"{API}/project/<key>/permissionscheme")
def project_permission_scheme(ctx: RequestContext, version: str, key: str) -> Reply:
    _, snap, access, scheme = _project_scheme(ctx, key, PERMISSION)
    if not access.administers_project(_user(ctx)):
        raise forbidden("You do not have permission to view the permission scheme of this project.")
    expand = render_schemes.expand_set(ctx.arg("expand"))
    return Reply(render_schemes.permission_scheme_json(ctx, snap, scheme, expand))


@route(f"{API}/permissionscheme")
def permission_schemes(ctx: RequestContext, version: str) -> Reply:
    snap, _ = _access(ctx)
    expand = render_schemes.expand_set(ctx.arg("expand"))
    schemes = [snap.permission_scheme] if snap.permission_scheme is not None else []
    return Reply(
        {
            "permissionSchemes": [
                render_schemes.permission_scheme_json(ctx, snap, s, expand) for s in schemes
            ]
        }
    )


def _permission_scheme(ctx: RequestContext, scheme_id: str) -> tuple[AccessSnapshot, Scheme]:
    snap, _ = _access(ctx)
    number = _scheme_id(scheme_id)
    scheme = snap.scheme(PERMISSION, number) if number is not None else None
    if scheme is None:
        raise not_found(f"The permission scheme with id {scheme_id} does not exist.")
    return snap, scheme


@route(f"{API}/permissionscheme/<scheme_id>")
def permission_scheme(ctx: RequestContext, version: str, scheme_id: str) -> Reply:
    snap, scheme = _permission_scheme(ctx, scheme_id)
    expand = render_schemes.expand_set(ctx.arg("expand"))
    return Reply(render_schemes.permission_scheme_json(ctx, snap, scheme, expand))


@route(f"{API}/permissionscheme/<scheme_id>/permission")
def permission_scheme_grants(ctx: RequestContext, version: str, scheme_id: str) -> Reply:
    snap, scheme = _permission_scheme(ctx, scheme_id)
    expand = render_schemes.expand_set(ctx.arg("expand"))
    return Reply(
        {
            "expand": "user,group,projectRole,field,all",
            "permissions": [
                render_schemes.grant_json(ctx, snap, scheme, e, expand) for e in scheme.entries
            ],
        }
    )


# -- notification schemes -------------------------------------------------------------------------


@route(f"{API}/project/<key>/notificationscheme")
def project_notification_scheme(ctx: RequestContext, version: str, key: str) -> Reply:
    _, snap, access, scheme = _project_scheme(ctx, key, NOTIFICATION)
    if not access.administers_project(_user(ctx)):
        raise not_found(f"No project could be found with key '{key}'.")
    expand = render_schemes.expand_set(ctx.arg("expand"))
    return Reply(render_schemes.notification_scheme_json(ctx, snap, scheme, expand))


@route(f"{API}/notificationscheme")
def notification_schemes(ctx: RequestContext, version: str) -> Reply:
    """Paged; only schemes of projects the caller administers, as Jira lists them."""
    snap, access = _access(ctx)
    start = ctx.int_arg("startAt", 0)
    limit = min(ctx.int_arg("maxResults", NOTIFICATION_PAGE_MAX, minimum=1), NOTIFICATION_PAGE_MAX)
    expand = render_schemes.expand_set(ctx.arg("expand"))
    scheme = snap.notification_scheme
    visible = [scheme] if scheme is not None and access.administers_project(_user(ctx)) else []
    values = [
        render_schemes.notification_scheme_json(ctx, snap, s, expand)
        for s in visible[start : start + limit]
    ]
    return Reply(render.platform_page(ctx, values, start, limit, len(visible)))


@route(f"{API}/notificationscheme/<scheme_id>")
def notification_scheme(ctx: RequestContext, version: str, scheme_id: str) -> Reply:
    snap, access = _access(ctx)
    number = _scheme_id(scheme_id)
    scheme = snap.scheme(NOTIFICATION, number) if number is not None else None
    if scheme is None or not access.administers_project(_user(ctx)):
        raise not_found(f"The notification scheme with id {scheme_id} does not exist.")
    expand = render_schemes.expand_set(ctx.arg("expand"))
    return Reply(render_schemes.notification_scheme_json(ctx, snap, scheme, expand))


# -- project roles --------------------------------------------------------------------------------


def _role_admin(ctx: RequestContext, key: str) -> tuple[Project, AccessSnapshot]:
    project = find_project(ctx, key)
    snap, access = _access(ctx, project)
    if not access.administers_project(_user(ctx)):
        raise not_found(f"No project could be found with key '{key}'.")
    return project, snap


@route(f"{API}/project/<key>/role")
def project_roles(ctx: RequestContext, version: str, key: str) -> Reply:
    project, snap = _role_admin(ctx, key)
    return Reply(render_schemes.project_roles_json(ctx, project, snap.roles))


@route(f"{API}/project/<key>/role/<role_id>")
def project_role(ctx: RequestContext, version: str, key: str, role_id: str) -> Reply:
    project, snap = _role_admin(ctx, key)
    number = _scheme_id(role_id)
    role = snap.role(number) if number is not None else None
    if role is None:
        raise not_found("Can not retrieve a role actor for a null project role.")
    exclude = ctx.bool_arg("excludeInactiveUsers", False)
    return Reply(render_schemes.role_json(ctx, role, project, exclude_inactive=exclude))


# -- application roles ----------------------------------------------------------------------------


def _licensed(access: Access, snap: AccessSnapshot, ctx: RequestContext) -> dict[str, int]:
    """Active users per application role (its userCount)."""
    counts = dict.fromkeys((a.key for a in snap.app_roles), 0)
    users, total = ctx.store.users_page(0, 1)
    users, _ = ctx.store.users_page(0, total)
    for user in users:
        for key in access.applications(user):
            counts[key] += 1
    return counts


def _jira_admin(ctx: RequestContext, access: Access) -> None:
    if "ADMINISTER" not in access.global_permissions(_user(ctx)):
        raise forbidden(NOT_JIRA_ADMIN)


@route(f"{API}/applicationrole")
def application_roles(ctx: RequestContext, version: str) -> Reply:
    snap, access = _access(ctx)
    _jira_admin(ctx, access)
    counts = _licensed(access, snap, ctx)
    return Reply([render_schemes.app_role_json(ctx, a, counts[a.key]) for a in snap.app_roles])


@route(f"{API}/applicationrole/<key>")
def application_role(ctx: RequestContext, version: str, key: str) -> Reply:
    snap, access = _access(ctx)
    _jira_admin(ctx, access)
    app = snap.app_role(key)
    if app is None:
        raise not_found(f"The role with key '{key}' does not exist.")
    return Reply(render_schemes.app_role_json(ctx, app, _licensed(access, snap, ctx)[app.key]))


def expand_user(ctx: RequestContext, user: User, out: dict[str, Any]) -> dict[str, Any]:
    """`GET user?expand=groups,applicationRoles`: the user's groups and product access."""
    expand = render_schemes.expand_set(ctx.arg("expand"))
    if not expand & {"groups", "applicationRoles"}:
        return out
    snap, access = _access(ctx)
    if "groups" in expand:
        groups = [g for g in ctx.store.all_groups() if g.pk in access.groups_of(user)]
        out["groups"] = {
            "size": len(groups),
            "items": [render_schemes.group_name_json(ctx, g) for g in groups],
        }
    if "applicationRoles" in expand:
        keys = access.applications(user)
        apps = [a for a in snap.app_roles if a.key in keys]
        out["applicationRoles"] = {
            "size": len(apps),
            "items": [render_schemes.app_role_brief(a) for a in apps],
        }
    out["expand"] = "groups,applicationRoles"
    return out


# -- a person's permissions -----------------------------------------------------------------------


def _permission_keys(ctx: RequestContext) -> list[str]:
    raw = ctx.arg("permissions")
    if raw is None and not ctx.cloud:
        return list(PERMISSIONS)  # Data Center: every permission when none are named
    keys = list(dict.fromkeys(k.strip() for k in (raw or "").split(",") if k.strip()))
    if not keys:
        raise bad_request("The 'permissions' query parameter is required: a comma-separated list.")
    unknown = [k for k in keys if k not in PERMISSIONS]
    if unknown:
        raise bad_request(f"Permission key '{unknown[0]}' is not valid.")
    return keys


def _context_project(ctx: RequestContext) -> Project | None:
    if ctx.arg("issueId") or ctx.arg("issueKey"):
        raise not_found(NO_ISSUE)
    project_id, project_key = ctx.arg("projectId"), ctx.arg("projectKey")
    if project_id:
        project = ctx.store.project()
        if project_id != str(project.id):
            raise not_found(f"No project could be found with id '{project_id}'.")
        return project
    if project_key:
        return find_project(ctx, project_key)
    return None


@route(f"{API}/mypermissions", anonymous=True)
def my_permissions(ctx: RequestContext, version: str) -> Reply:
    """The signed-in person's permissions; project ones in the project given, or in any."""
    keys = _permission_keys(ctx)
    if ctx.arg("commentId"):
        if keys != ["BROWSE_PROJECTS"]:
            raise bad_request("Only the BROWSE_PROJECTS permission can be checked for a comment.")
        raise not_found("The comment does not exist or you do not have permission to see it.")
    project = _context_project(ctx)
    _, access = _access(ctx, project)
    user = _user(ctx)
    held = access.global_permissions(user) | access.project_permissions(user)
    return Reply(
        {"permissions": {k: render_schemes.user_permission_json(ctx, k, k in held) for k in keys}}
    )


def _string_list(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        raise bad_request(**{name: f"The field '{name}' must be a list of strings."})
    return [v for v in value if v is not None]


def _id_list(value: Any, name: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value
    ):
        raise bad_request(**{name: f"The field '{name}' must be a list of ids."})
    ids = [v for v in value if v is not None]
    if len(set(ids)) > BULK_MAX:
        raise bad_request(**{name: f"At most {BULK_MAX} {name} can be checked."})
    return ids


@route(f"{API}/permissions/check", "POST", anonymous=True, flavors=("cloud",))
def bulk_permissions(ctx: RequestContext, version: str) -> Reply:
    """Which of the given global and project permissions a person holds (Cloud only)."""
    body = ctx.json_body()
    _, access = _access(ctx)
    project = access.project
    caller = _user(ctx)
    subject = caller
    account_id = body.get("accountId")
    if account_id is not None:
        if not isinstance(account_id, str) or not account_id:
            raise bad_request(accountId="The account ID must be a non-empty string.")
        if caller is None or account_id != caller.account_id:
            if "ADMINISTER" not in access.global_permissions(caller):
                raise forbidden(NOT_JIRA_ADMIN)
            subject = ctx.store.user_by_account_id(account_id)
            if subject is None:
                raise bad_request(accountId=f"The account ID {account_id} is not valid.")
    global_keys = _string_list(body.get("globalPermissions"), "globalPermissions")
    wanted = body.get("projectPermissions")
    if wanted is not None and not isinstance(wanted, list):
        raise bad_request(projectPermissions="The field 'projectPermissions' must be a list.")
    errors = {k: "Unrecognized permission" for k in global_keys if k not in GLOBAL_PERMISSIONS}
    checks: list[tuple[list[str], list[int], list[int]]] = []
    for item in wanted or []:
        if item is None:
            continue
        if not isinstance(item, dict):
            raise bad_request(projectPermissions="Each project permission check is an object.")
        keys = [k for k in _string_list(item.get("permissions"), "permissions") if k]
        if not keys:
            raise bad_request("Each project permission check needs at least one permission.")
        errors.update({k: "Unrecognized permission" for k in keys if k not in PROJECT_PERMISSIONS})
        checks.append(
            (
                keys,
                _id_list(item.get("projects"), "projects"),
                _id_list(item.get("issues"), "issues"),
            )
        )
    if errors:
        raise ApiError(400, errors=errors)
    held_global = access.global_permissions(subject)
    held = access.project_permissions(subject)
    results: dict[str, set[int]] = {}
    for keys, projects, _issues in checks:  # no tickets here: issue ids are never valid
        for key in keys:
            granted = results.setdefault(key, set())
            if key in held and project.id in projects:
                granted.add(project.id)
    return Reply(
        {
            "globalPermissions": [k for k in dict.fromkeys(global_keys) if k in held_global],
            "projectPermissions": [
                {"permission": k, "issues": [], "projects": sorted(v)} for k, v in results.items()
            ],
        }
    )


# -- assignable users -----------------------------------------------------------------------------


@route(f"{API}/user/assignable/search")
def assignable_users(ctx: RequestContext, version: str) -> Reply:
    """Active people who hold Assignable User in the project for a new ticket, who match.

    Cloud, as its reference says, takes the `startAt`..`maxResults` range of the people who
    match and then drops those who cannot be assigned: a page may be short, or empty, before the
    last one. Data Center pages the assignable people.
    """
    if ctx.cloud:
        if ctx.arg("username") is not None:
            raise bad_request(GDPR_USERNAME_PARAM)
        query, account_id = ctx.arg("query"), ctx.arg("accountId")
        if query is not None and account_id is not None:
            raise bad_request("The parameters 'query' and 'accountId' cannot be used together.")
        if query is None and account_id is None:
            raise bad_request("One of the query parameters 'query' or 'accountId' is required.")
    else:
        query, account_id = ctx.arg("username") or "", None
    project_ref = ctx.arg("project")
    if ctx.arg("issueKey") or ctx.arg("issueId"):
        raise not_found(NO_ISSUE)
    if not project_ref:
        raise bad_request(
            "One of the query parameters 'project', 'issueKey' or 'issueId' is required."
        )
    project = find_project(ctx, project_ref)
    start = ctx.int_arg("startAt", 0)
    limit = min(ctx.int_arg("maxResults", 50, minimum=1), ASSIGNABLE_MAX)
    ctx.int_arg("actionDescriptorId", 0)
    _, access = _access(ctx, project)
    if account_id is not None:
        found = ctx.store.user_by_account_id(account_id)
        candidates = [found] if found is not None and found.active else []
    else:
        candidates = ctx.store.search_users(
            (query or "").strip(),
            match_username=not ctx.cloud,
            respect_hidden_email=ctx.cloud,
            include_active=True,
            include_inactive=False,
            start=0,
            limit=ASSIGNABLE_MAX,
        )

    def assignable(user: User) -> bool:
        return access.has(user, "ASSIGNABLE_USER", new_issue=True)

    if ctx.cloud:
        page = [u for u in candidates[start : start + limit] if assignable(u)]
    else:
        page = [u for u in candidates if assignable(u)][start : start + limit]
    return Reply([render.user_json(ctx, u) for u in page])


ROUTES = [
    project_permission_scheme,
    permission_schemes,
    permission_scheme,
    permission_scheme_grants,
    project_notification_scheme,
    notification_schemes,
    notification_scheme,
    project_roles,
    project_role,
    application_roles,
    application_role,
    my_permissions,
    bulk_permissions,
    assignable_users,
]
