"""Jira's JSON for schemes, grants, notifications, project roles, application roles, permissions.

Shapes follow the schemas of `../shared/jira-openapi/` (PermissionScheme, PermissionGrant,
NotificationScheme, EventNotification, ProjectRole, RoleActor, ApplicationRole, UserPermission,
FieldDetails). One known gap: with `expand=group|user|projectRole|field|all`, Jira adds the
expanded object to a grant's `holder` (as Data Center's REST beans and Cloud's answers have it),
which the Cloud description's PermissionHolder leaves out.

Cloud names groups and users by id (`value`, `recipient`, `groupId`, `accountId`); Data Center by
name (`parameter`: group name, user key).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from accessq.sandbox import render
from accessq.sandbox.context import RequestContext
from accessq.sandbox.rows import Group, Project, User
from accessq.sandbox.schemes import (
    EVENTS,
    FIELD_TYPES,
    HOLDER_TYPES,
    NOTIFICATION_TYPES,
    PERMISSIONS,
    SERVICE_DESK_APP,
    AccessSnapshot,
    AppRole,
    CustomField,
    Entry,
    ProjectRole,
    RoleActor,
    Scheme,
    event_description,
)

SCHEME_EXPANDS = "permissions,user,group,projectRole,field,all"
NOTIFICATION_EXPANDS = "notificationSchemeEvents,user,group,projectRole,field,all"


def expand_set(raw: str | None) -> frozenset[str]:
    """The `expand` parameter as a set; `all` stands for every option."""
    parts = {p.strip() for p in (raw or "").split(",") if p.strip()}
    if "all" in parts:
        parts |= {
            "permissions",
            "notificationSchemeEvents",
            "user",
            "group",
            "projectRole",
            "field",
        }
    return frozenset(parts)


def group_name_json(ctx: RequestContext, group: Group) -> dict[str, Any]:
    """A GroupName: Cloud with its id, Data Center by name only."""
    out: dict[str, Any] = {"name": group.name}
    if ctx.cloud:
        out["groupId"] = group.group_id
    out["self"] = render.group_self(ctx, group)
    return out


def user_ref(ctx: RequestContext, user: User) -> str:
    """How a scheme names a user: the account id on Cloud, the user key on Data Center."""
    return user.account_id if ctx.cloud else user.key


# -- permission schemes ---------------------------------------------------------------------------


def permission_scheme_json(
    ctx: RequestContext, snap: AccessSnapshot, scheme: Scheme, expand: Collection[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "expand": SCHEME_EXPANDS,
        "id": scheme.id,
        "self": f"{ctx.api_base}/permissionscheme/{scheme.id}",
        "name": scheme.name,
        "description": scheme.description,
    }
    if expand:  # "permissions are included when you specify any value"
        out["permissions"] = [grant_json(ctx, snap, scheme, e, expand) for e in scheme.entries]
    return out


def grant_json(
    ctx: RequestContext, snap: AccessSnapshot, scheme: Scheme, entry: Entry, expand: Collection[str]
) -> dict[str, Any]:
    return {
        "id": entry.id,
        "self": f"{ctx.api_base}/permissionscheme/{scheme.id}/permission/{entry.id}",
        "holder": _holder_json(ctx, snap, entry, expand),
        "permission": entry.subject,
    }


def _holder_json(
    ctx: RequestContext, snap: AccessSnapshot, entry: Entry, expand: Collection[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": entry.type}
    names = HOLDER_TYPES.get(entry.type)
    out.update(_reference(ctx, snap, entry, names, expand, value_key="value"))
    return out


def _reference(
    ctx: RequestContext,
    snap: AccessSnapshot,
    entry: Entry,
    names: str | None,
    expand: Collection[str],
    *,
    value_key: str,
) -> dict[str, Any]:
    """parameter, the id (`value` of a holder, `recipient` of a notification, Cloud only),
    `expand` naming what could be expanded, and the expanded object when asked for."""
    out: dict[str, Any] = {}
    if names == "group" and entry.group is not None:
        out["parameter"] = entry.group.name
        if ctx.cloud:
            out[value_key] = entry.group.group_id
        out["expand"] = "group"
        if "group" in expand:
            out["group"] = group_name_json(ctx, entry.group)
    elif names == "user" and entry.user is not None:
        out["parameter"] = user_ref(ctx, entry.user)
        if ctx.cloud:
            out[value_key] = entry.user.account_id
        out["expand"] = "user"
        if "user" in expand:
            out["user"] = render.user_json(ctx, entry.user, details=True)
    elif names == "role" and entry.parameter is not None:
        out["parameter"] = entry.parameter
        if ctx.cloud:
            out[value_key] = entry.parameter
        out["expand"] = "projectRole"
        role = snap.role(int(entry.parameter))
        if "projectRole" in expand and role is not None:
            out["projectRole"] = role_json(ctx, role)
    elif names in ("group field", "user field") and entry.parameter is not None:
        out["parameter"] = entry.parameter
        if ctx.cloud:
            out[value_key] = entry.parameter
        out["expand"] = "field"
        custom = snap.fields.get(entry.parameter)
        if "field" in expand and custom is not None:
            out["field"] = field_json(custom)
    elif entry.parameter is not None:  # an application key, an email address
        out["parameter"] = entry.parameter
        if ctx.cloud and names != "email":
            out[value_key] = entry.parameter
    return out


# -- notification schemes -------------------------------------------------------------------------


def notification_scheme_json(
    ctx: RequestContext, snap: AccessSnapshot, scheme: Scheme, expand: Collection[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "expand": NOTIFICATION_EXPANDS,
        "id": scheme.id,
        "self": f"{ctx.api_base}/notificationscheme/{scheme.id}",
        "name": scheme.name,
        "description": scheme.description,
    }
    if expand:  # the events are "returned for all expandable information"
        by_event: dict[int, list[Entry]] = {}
        for entry in scheme.entries:
            by_event.setdefault(int(entry.subject), []).append(entry)
        out["notificationSchemeEvents"] = [
            {
                "event": {
                    "id": event_id,
                    "name": EVENTS[event_id],
                    "description": event_description(event_id),
                },
                "notifications": [
                    notification_json(ctx, snap, e, expand) for e in by_event[event_id]
                ],
            }
            for event_id in sorted(by_event)
        ]
    return out


def notification_json(
    ctx: RequestContext, snap: AccessSnapshot, entry: Entry, expand: Collection[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"id": entry.id, "notificationType": entry.type}
    names = NOTIFICATION_TYPES.get(entry.type)
    out.update(_reference(ctx, snap, entry, names, expand, value_key="recipient"))
    if names == "email" and entry.parameter is not None:
        out["emailAddress"] = entry.parameter
    return out


# -- fields, roles --------------------------------------------------------------------------------


def field_json(custom: CustomField) -> dict[str, Any]:
    schema_type, items, custom_key = FIELD_TYPES[custom.type]
    schema: dict[str, Any] = {"type": schema_type}
    if items is not None:
        schema["items"] = items
    schema.update(custom=custom_key, customId=custom.number)
    return {
        "id": custom.id,
        "key": custom.id,
        "name": custom.name,
        "custom": True,
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": [f"cf[{custom.number}]", custom.name],
        "schema": schema,
    }


def role_json(
    ctx: RequestContext,
    role: ProjectRole,
    project: Project | None = None,
    *,
    exclude_inactive: bool = False,
) -> dict[str, Any]:
    """A project role; with `project`, its actors in that project (sorted by display name)."""
    if project is None:
        return {
            "self": f"{ctx.api_base}/role/{role.id}",
            "name": role.name,
            "id": role.id,
            "description": role.description,
        }
    actors = [
        a
        for a in role.actors
        if not (exclude_inactive and a.user is not None and not a.user.active)
    ]
    actors.sort(key=lambda a: (_actor_name(a).lower(), a.id))
    return {
        "self": role_self(ctx, project, role),
        "name": role.name,
        "id": role.id,
        "description": role.description,
        "actors": [_actor_json(ctx, a) for a in actors],
    }


def role_self(ctx: RequestContext, project: Project, role: ProjectRole) -> str:
    return f"{ctx.api_base}/project/{project.key}/role/{role.id}"


def _actor_name(actor: RoleActor) -> str:
    if actor.user is not None:
        return actor.user.display_name
    return actor.group.name if actor.group is not None else ""


def _actor_json(ctx: RequestContext, actor: RoleActor) -> dict[str, Any]:
    out: dict[str, Any] = {"id": actor.id, "displayName": _actor_name(actor)}
    if actor.user is not None:
        out["type"] = "atlassian-user-role-actor"
        if ctx.cloud:
            out["actorUser"] = {"accountId": actor.user.account_id}
        else:
            out["name"] = actor.user.username
            out["avatarUrl"] = render.avatar_urls(ctx, actor.user)["16x16"]
    elif actor.group is not None:
        out["type"] = "atlassian-group-role-actor"
        out["name"] = actor.group.name
        if ctx.cloud:
            out["actorGroup"] = {
                "name": actor.group.name,
                "displayName": actor.group.name,
                "groupId": actor.group.group_id,
            }
        else:
            out["avatarUrl"] = f"{ctx.base_url}/secure/useravatar?size=xsmall&avatarId=10123"
    return out


# -- application roles, permissions ---------------------------------------------------------------


def app_role_json(ctx: RequestContext, app: AppRole, user_count: int) -> dict[str, Any]:
    unlimited = app.seats is None
    seats = -1 if app.seats is None else app.seats
    return {
        "key": app.key,
        "groups": [g.name for g in app.groups],
        "groupDetails": [group_name_json(ctx, g) for g in app.groups],
        "name": app.name,
        "defaultGroups": [g.name for g in app.default_groups],
        "defaultGroupsDetails": [group_name_json(ctx, g) for g in app.default_groups],
        "selectedByDefault": app.selected_by_default,
        "defined": True,
        "numberOfSeats": seats,
        "remainingSeats": -1 if unlimited else max(0, seats - user_count),
        "userCount": user_count,
        "userCountDescription": "agents" if app.key == SERVICE_DESK_APP else "users",
        "hasUnlimitedSeats": unlimited,
        "platform": False,
    }


def app_role_brief(app: AppRole) -> dict[str, Any]:
    """An application role as a user's `applicationRoles` lists it."""
    return {"key": app.key, "name": app.name}


def user_permission_json(ctx: RequestContext, key: str, have: bool) -> dict[str, Any]:
    info = PERMISSIONS[key]
    return {
        "id": str(info.id),
        "key": key,
        "name": info.dc_name if info.dc_name and not ctx.cloud else info.name,
        "type": info.type,
        "description": info.description,
        "havePermission": have,
    }


def project_roles_json(
    ctx: RequestContext, project: Project, roles: Collection[ProjectRole]
) -> dict[str, str]:
    return {r.name: role_self(ctx, project, r) for r in roles}
