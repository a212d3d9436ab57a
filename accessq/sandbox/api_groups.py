"""Groups and their members: create, delete, list (deprecated and paged), add and remove users.

Group names are case-insensitive, as Jira's are. Cloud names people by accountId and rejects the
old `name`/`username` identifiers the way Cloud does; Data Center names them by username.
Data Center groups may contain groups: their members count as members (listings, and adding
someone who already is one), while writes change direct memberships only. Groups managed
outside Jira (an identity provider's, or a read-only directory's) cannot be written.
"""

from __future__ import annotations

import html
import re

from accessq.sandbox import render
from accessq.sandbox.context import RequestContext, string_field
from accessq.sandbox.errors import (
    CLOUD_USER_NOT_FOUND,
    GDPR_USERNAME_PARAM,
    GROUP_EXISTS,
    NO_GROUP_ADMIN,
    bad_request,
    forbidden,
    not_found,
)
from accessq.sandbox.numbers import INT32_MAX, INT64_MAX, parse_int
from accessq.sandbox.routing import API, Reply, route
from accessq.sandbox.rows import Group, User
from accessq.sandbox.store import Conflict

MEMBER_PAGE_MAX = 50
BULK_PAGE_MAX = 50
PICKER_DEFAULT = 20
_WRITE = {"write": True, "denied": NO_GROUP_ADMIN}
READ_ONLY_DIRECTORY = "Corporate LDAP"  # where a Data Center `managed_by: idp` group lives
_EXPAND_USERS = re.compile(r"users\[([^:\]]*):([^\]]*)\]")


def _find_group(ctx: RequestContext) -> Group:
    name = ctx.arg("groupname")
    group_id = ctx.arg("groupId") if ctx.cloud else None
    if name is not None and group_id is not None:
        raise bad_request("You cannot specify both the groupname and the groupId parameters.")
    if not name and not group_id:
        raise bad_request("You must specify a group name (groupname) or a group ID (groupId).")
    group = ctx.store.group_by_id(group_id) if group_id else ctx.store.group_by_name(name or "")
    if group is None:
        raise not_found("Specified group does not exist.")
    return group


def _nested(ctx: RequestContext) -> bool:
    """Whether child groups' members count: on Data Center (Cloud has no nested groups)."""
    return not ctx.cloud


def _check_writable(ctx: RequestContext, group: Group, action: str) -> None:
    """Refuse a write to a group Jira does not own, in the flavour's words.

    Cloud (Atlassian's words for groups synced from an identity provider): "You can't <action>
    a group synced from an identity provider. Manage this group in your identity provider
    instead." Data Center (Crowd's, for a read-only directory): "Cannot update group 'G' because
    directory 'D' does not allow updates." Both 403: the sandbox's choice, undocumented.
    """
    if group.writable:
        return
    if ctx.cloud:
        raise forbidden(
            f"You can't {action} a group synced from an identity provider. "
            "Manage this group in your identity provider instead."
        )
    raise forbidden(
        f"Cannot update group '{group.name}' because directory '{READ_ONLY_DIRECTORY}' "
        "does not allow updates."
    )


def _first_page(ctx: RequestContext, group: Group) -> dict[str, object]:
    members, total = ctx.store.members_page(
        group, include_inactive=True, start=0, limit=render.GROUP_PAGE_SIZE, nested=_nested(ctx)
    )
    return render.group_json(ctx, group, members, total, 0)


@route(f"{API}/group", "POST", **_WRITE)
def create_group(ctx: RequestContext, version: str) -> Reply:
    name = string_field(ctx.json_body(), "name")
    if not name or not name.strip():
        raise bad_request("You must specify a valid group name.")
    try:
        group = ctx.store.create_group(name.strip())
    except Conflict:
        raise bad_request(GROUP_EXISTS) from None
    return Reply(render.group_json(ctx, group, [], 0, 0), 201)


@route(f"{API}/group", "DELETE", **_WRITE)
def delete_group(ctx: RequestContext, version: str) -> Reply:
    group = _find_group(ctx)
    swap = ctx.arg("swapGroup")
    if swap is not None and ctx.store.group_by_name(swap) is None:
        raise not_found(f"The group '{swap}' to transfer restrictions to does not exist.")
    _check_writable(ctx, group, "delete")
    ctx.store.delete_group(group)
    return Reply(None, 200)


@route(f"{API}/group")
def get_group(ctx: RequestContext, version: str) -> Reply:
    """The deprecated listing `group_members` of the jira library pages through, 50 at a time."""
    group = _find_group(ctx)
    expand = ctx.arg("expand") or ""
    start, count = 0, render.GROUP_PAGE_SIZE
    match = _EXPAND_USERS.fullmatch(expand)
    if match:
        first = parse_int(match.group(1), minimum=0, maximum=INT32_MAX)
        last = parse_int(match.group(2), minimum=0, maximum=INT32_MAX)
        if first is None or last is None:
            raise bad_request(f"The value '{expand}' is not valid for the parameter 'expand'.")
        start = first
        count = max(0, min(last - first + 1, render.GROUP_PAGE_SIZE))
    members, total = ctx.store.members_page(
        group, include_inactive=True, start=start, limit=count, nested=_nested(ctx)
    )
    if expand != "users" and not match:
        members = []  # not expanded: the count only
    return Reply(render.group_json(ctx, group, members, total, start))


@route(f"{API}/group/member")
def group_members(ctx: RequestContext, version: str) -> Reply:
    group = _find_group(ctx)
    start = ctx.int_arg("startAt", 0, maximum=INT64_MAX)
    limit = min(ctx.int_arg("maxResults", MEMBER_PAGE_MAX, minimum=1), MEMBER_PAGE_MAX)
    members, total = ctx.store.members_page(
        group,
        include_inactive=ctx.bool_arg("includeInactiveUsers", False),
        start=start,
        limit=limit,
        nested=_nested(ctx),
    )
    values = [render.user_json(ctx, u, details=True) for u in members]
    return Reply(render.platform_page(ctx, values, start, limit, total))


def _member_to_add(ctx: RequestContext) -> User:
    body = ctx.json_body()
    if ctx.cloud:
        account_id = string_field(body, "accountId")
        if account_id is None:
            if body.get("name") is not None:
                # What Cloud answers the jira library's add_user_to_group, which sends a name.
                raise not_found(CLOUD_USER_NOT_FOUND)
            raise bad_request("You must specify the accountId of the user to add.")
        return _existing_user(ctx, account_id=account_id)
    name = string_field(body, "name")
    if not name:
        raise bad_request("You must specify the name of the user to add.")
    return _existing_user(ctx, username=name)


def _member_to_remove(ctx: RequestContext) -> User:
    if ctx.cloud:
        if ctx.arg("username") is not None:
            raise bad_request(GDPR_USERNAME_PARAM)
        account_id = ctx.arg("accountId")
        if not account_id:
            raise bad_request("You must specify the accountId of the user to remove.")
        return _existing_user(ctx, account_id=account_id)
    username = ctx.arg("username")
    if not username:
        raise bad_request("You must specify the username of the user to remove.")
    return _existing_user(ctx, username=username)


def _existing_user(
    ctx: RequestContext, *, account_id: str | None = None, username: str | None = None
) -> User:
    """The user a membership change names, or Jira's 404 in the flavour's words."""
    if account_id is not None:
        user = ctx.store.user_by_account_id(account_id)
        if user is None:
            raise not_found(CLOUD_USER_NOT_FOUND)
        return user
    user = ctx.store.user_by_username(username or "")
    if user is None:
        raise not_found(f"The user named '{username}' does not exist")
    return user


@route(f"{API}/group/user", "POST", **_WRITE)
def add_user(ctx: RequestContext, version: str) -> Reply:
    group = _find_group(ctx)
    user = _member_to_add(ctx)
    _check_writable(ctx, group, "add a user to")
    already = _nested(ctx) and ctx.store.is_member(group, user, nested=True)
    if already or not ctx.store.add_member(group, user):
        if ctx.cloud:  # Cloud's answer is not documented; a 400 in these words
            raise bad_request(f"Cannot add user. User is already a member of '{group.name}'")
        # Data Center's words (DefaultGroupService, admin.bulkeditgroups.error...), 400.
        named = ctx.arg("groupname") or group.name
        raise bad_request(
            f"Cannot add user '{user.username}', user is already a member of '{named}'"
        )
    return Reply(_first_page(ctx, group), 201)


@route(f"{API}/group/user", "DELETE", **_WRITE)
def remove_user(ctx: RequestContext, version: str) -> Reply:
    group = _find_group(ctx)
    user = _member_to_remove(ctx)
    _check_writable(ctx, group, "remove a user from")
    if not ctx.store.remove_member(group, user):
        if ctx.cloud:
            raise bad_request(f"Cannot remove user. User is not a member of '{group.name}'")
        named = ctx.arg("groupname") or group.name
        raise bad_request(
            f"Cannot remove user '{user.username}' from group '{named}' "
            f"since user is not a member of '{named}'"
        )
    return Reply(None, 200)


@route(f"{API}/group/bulk", flavors=("cloud",))
def bulk_groups(ctx: RequestContext, version: str) -> Reply:
    start = ctx.int_arg("startAt", 0, maximum=INT64_MAX)
    limit = min(ctx.int_arg("maxResults", BULK_PAGE_MAX, minimum=1), BULK_PAGE_MAX)
    groups, total = ctx.store.groups_page(ctx.args("groupName"), ctx.args("groupId"), start, limit)
    values = [render.group_details(ctx, g) for g in groups]
    return Reply(render.platform_page(ctx, values, start, limit, total))


@route(f"{API}/groups/picker")
def groups_picker(ctx: RequestContext, version: str) -> Reply:
    query = ctx.arg("query") or ""
    limit = min(ctx.int_arg("maxResults", PICKER_DEFAULT), ctx.options.group_picker_limit)
    # Cloud matches case-sensitively unless asked; Data Center always ignores case.
    fold = not ctx.cloud or ctx.bool_arg("caseInsensitive", False)
    excluded = {e.lower() for e in ctx.args("exclude")}
    excluded_ids = set(ctx.args("excludeId"))
    needle = query.lower() if fold else query
    matches = [
        g
        for g in ctx.store.all_groups()
        if g.name.lower() not in excluded
        and g.group_id not in excluded_ids
        and needle in (g.name.lower() if fold else g.name)
    ]
    matches.sort(key=lambda g: g.name.lower())
    shown = matches[:limit]
    return Reply(
        {
            "header": f"Showing {len(shown)} of {len(matches)} matching groups",
            "total": len(matches),
            "groups": [_found_group(ctx, g, query, fold) for g in shown],
        }
    )


def _found_group(ctx: RequestContext, group: Group, query: str, fold: bool) -> dict[str, object]:
    name = group.name
    at = (name.lower().find(query.lower()) if fold else name.find(query)) if query else -1
    if at >= 0:
        marked = (
            html.escape(name[:at])
            + "<b>"
            + html.escape(name[at : at + len(query)])
            + "</b>"
            + html.escape(name[at + len(query) :])
        )
    else:
        marked = html.escape(name)
    out: dict[str, object] = {"name": name, "html": marked, "labels": []}
    if ctx.cloud:
        out["groupId"] = group.group_id
    return out


ROUTES = [
    create_group,
    delete_group,
    get_group,
    group_members,
    add_user,
    remove_user,
    bulk_groups,
    groups_picker,
]
