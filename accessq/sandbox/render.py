"""Jira's JSON shapes for the sandbox's rows, per flavour (Cloud: accountId; Data Center: name/key).

The shapes follow the schemas of `../shared/jira-openapi/` (which forbid extra properties), so a
field appears here only if the schema has it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from accessq.sandbox.context import RequestContext
from accessq.sandbox.rows import Component, Group, Project, Queue, User

GROUP_PAGE_SIZE = 50  # the deprecated group?expand=users pages by 50, like group/member
_CLOUD_VERSION = ("1001.0.0-SNAPSHOT", [1001, 0, 0], 100290)
_DC_VERSION = ("9.12.15", [9, 12, 15], 9120015)


def _jira_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


# -- users -------------------------------------------------------------------------------------


def avatar_urls(ctx: RequestContext, user: User) -> dict[str, str]:
    owner = quote(user.account_id if ctx.cloud else user.username)
    return {
        size: f"{ctx.base_url}/secure/useravatar?size={size}&ownerId={owner}"
        for size in ("48x48", "24x24", "16x16", "32x32")
    }


def user_self(ctx: RequestContext, user: User) -> str:
    if ctx.cloud:
        return f"{ctx.api_base}/user?accountId={quote(user.account_id)}"
    return f"{ctx.api_base}/user?username={quote(user.username)}"


def user_json(ctx: RequestContext, user: User, *, details: bool = False) -> dict[str, Any]:
    """A User (details=False) or UserDetails (details=True, as group member lists use)."""
    out: dict[str, Any] = {"self": user_self(ctx, user)}
    if ctx.cloud:
        out["accountId"] = user.account_id
        out["accountType"] = user.account_type
        if not user.email_hidden:  # Cloud privacy: the field is left out, not null
            out["emailAddress"] = user.email
    else:
        out["key"] = user.key
        out["name"] = user.username
        out["emailAddress"] = user.email
    out["avatarUrls"] = avatar_urls(ctx, user)
    out["displayName"] = user.display_name
    out["active"] = user.active
    out["timeZone"] = user.time_zone
    if not details:
        out["locale"] = "en_US"
    return out


def user_brief(ctx: RequestContext, user: User) -> dict[str, Any]:
    """The short user object embedded in components and projects."""
    out: dict[str, Any] = {"self": user_self(ctx, user)}
    if ctx.cloud:
        out["accountId"] = user.account_id
        out["accountType"] = user.account_type
    else:
        out["key"] = user.key
        out["name"] = user.username
    out["avatarUrls"] = avatar_urls(ctx, user)
    out["displayName"] = user.display_name
    out["active"] = user.active
    return out


# -- components --------------------------------------------------------------------------------


def component_json(
    ctx: RequestContext, component: Component, project: Project, *, issue_count: bool = False
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "self": f"{ctx.api_base}/component/{component.id}",
        "id": str(component.id),
        "name": component.name,
    }
    if component.description is not None:
        out["description"] = component.description
    if component.lead is not None:
        out["lead"] = user_brief(ctx, component.lead)
        if not ctx.cloud:
            out["leadUserName"] = component.lead.username
    out["assigneeType"] = component.assignee_type
    assignee, real_type, real_assignee, valid = _assignment(component, project)
    if assignee is not None:
        out["assignee"] = user_brief(ctx, assignee)
    out["realAssigneeType"] = real_type
    if real_assignee is not None:
        out["realAssignee"] = user_brief(ctx, real_assignee)
    out["isAssigneeTypeValid"] = valid
    out["project"] = project.key
    out["projectId"] = project.id
    if issue_count:
        out["issueCount"] = 0
    return out


def _assignment(
    component: Component, project: Project
) -> tuple[User | None, str, User | None, bool]:
    """(assignee, realAssigneeType, realAssignee, isAssigneeTypeValid) as Jira derives them.

    The project's default assignee is "unassigned", as in a new JSM project.
    """
    kind, lead = component.assignee_type, component.lead
    if kind == "COMPONENT_LEAD":
        if lead is not None and lead.active:
            return lead, "COMPONENT_LEAD", lead, True
        return lead, "PROJECT_DEFAULT", None, False
    if kind == "PROJECT_LEAD":
        if project.lead is not None and project.lead.active:
            return project.lead, "PROJECT_LEAD", project.lead, True
        return project.lead, "PROJECT_DEFAULT", None, False
    if kind == "UNASSIGNED":
        return None, "UNASSIGNED", None, True
    return None, "PROJECT_DEFAULT", None, True


# -- groups ------------------------------------------------------------------------------------


def group_self(ctx: RequestContext, group: Group) -> str:
    if ctx.cloud:
        return f"{ctx.api_base}/group?groupId={group.group_id}"
    return f"{ctx.api_base}/group?groupname={quote(group.name)}"


def group_json(
    ctx: RequestContext, group: Group, members: list[User], total: int, start: int
) -> dict[str, Any]:
    """The deprecated Group with its `users` paged list (`size` is the group's member count)."""
    out: dict[str, Any] = {"name": group.name}
    if ctx.cloud:
        out["groupId"] = group.group_id
    out["self"] = group_self(ctx, group)
    out["users"] = {
        "size": total,
        "items": [user_json(ctx, u, details=True) for u in members],
        "max-results": GROUP_PAGE_SIZE,
        "start-index": start,
        "end-index": start + len(members) - 1 if members else start,
    }
    out["expand"] = "users"
    return out


def group_details(ctx: RequestContext, group: Group) -> dict[str, Any]:
    return {"name": group.name, "groupId": group.group_id if ctx.cloud else None}


# -- pages -------------------------------------------------------------------------------------


def platform_page(
    ctx: RequestContext, values: list[Any], start: int, limit: int, total: int
) -> dict[str, Any]:
    is_last = start + limit >= total
    page: dict[str, Any] = {"self": ctx.page_url(startAt=start, maxResults=limit)}
    if not is_last:
        page["nextPage"] = ctx.page_url(startAt=start + limit, maxResults=limit)
    page.update(maxResults=limit, startAt=start, total=total, isLast=is_last, values=values)
    return page


def jsm_page(
    ctx: RequestContext, values: list[Any], start: int, limit: int, total: int
) -> dict[str, Any]:
    is_last = start + len(values) >= total
    links: dict[str, str] = {
        "self": ctx.page_url(start=start, limit=limit),
        "base": f"{ctx.base_url}/rest/servicedeskapi",
        "context": "",
    }
    if not is_last:
        links["next"] = ctx.page_url(start=start + limit, limit=limit)
    if start > 0:
        links["prev"] = ctx.page_url(start=max(0, start - limit), limit=limit)
    return {
        "_expands": [],
        "size": len(values),
        "start": start,
        "limit": limit,
        "isLastPage": is_last,
        "_links": links,
        "values": values,
    }


# -- project, service desk, queues, server -------------------------------------------------


def project_json(
    ctx: RequestContext, project: Project, components: list[Component]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
        "self": f"{ctx.api_base}/project/{project.id}",
        "id": str(project.id),
        "key": project.key,
        "name": project.name,
        "description": "",
        "avatarUrls": {
            size: f"{ctx.base_url}/secure/projectavatar?size={size}&pid={project.id}"
            for size in ("48x48", "24x24", "16x16", "32x32")
        },
        "components": [component_json(ctx, c, project) for c in components],
        "issueTypes": [],
        "assigneeType": "UNASSIGNED",
        "versions": [],
        "roles": {},
        "projectTypeKey": "service_desk",
        "simplified": False,
        "style": "classic",
        "isPrivate": False,
        "properties": {},
    }
    if project.lead is not None:
        out["lead"] = user_brief(ctx, project.lead)
    return out


def service_desk_json(ctx: RequestContext, project: Project) -> dict[str, Any]:
    return {
        "id": str(project.service_desk_id),
        "projectId": str(project.id),
        "projectName": project.name,
        "projectKey": project.key,
        "_links": {
            "self": f"{ctx.base_url}/rest/servicedeskapi/servicedesk/{project.service_desk_id}"
        },
    }


def queue_json(
    ctx: RequestContext, queue: Queue, project: Project, *, include_count: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(queue.id),
        "name": queue.name,
        "jql": queue.jql,
        "fields": list(queue.fields),
    }
    if include_count:
        out["issueCount"] = 0
    out["_links"] = {
        "self": f"{ctx.base_url}/rest/servicedeskapi/servicedesk/"
        f"{project.service_desk_id}/queue/{queue.id}"
    }
    return out


def internal_queue_json(queue: Queue, order: int) -> dict[str, Any]:
    """The queue as JSM's internal `/rest/servicedesk/1/` API answers it."""
    return {
        "id": queue.id,
        "name": queue.name,
        "jql": queue.jql,
        "columns": list(queue.fields),
        "order": order,
        "canBeHidden": queue.can_be_hidden,
        "favourite": queue.favourite,
    }


def server_info(ctx: RequestContext) -> dict[str, Any]:
    version, numbers, build = _CLOUD_VERSION if ctx.cloud else _DC_VERSION
    return {
        "baseUrl": ctx.base_url,
        "displayUrl": ctx.base_url,
        "version": version,
        "versionNumbers": numbers,
        "deploymentType": "Cloud" if ctx.cloud else "Server",
        "buildNumber": build,
        "buildDate": "2025-01-15T00:00:00.000+0000",
        "serverTime": _jira_time(datetime.now(UTC)),
        "scmInfo": "accessq-sandbox",
        "serverTitle": "accessq sandbox",
        "serverTimeZone": "America/Chicago",
    }
