"""Users: get one, search, and list all (Cloud by accountId and query; Data Center by username)."""

from __future__ import annotations

from accessq.sandbox import api_permissions, render
from accessq.sandbox.context import RequestContext
from accessq.sandbox.errors import CLOUD_USER_NOT_FOUND, GDPR_USERNAME_PARAM, bad_request, not_found
from accessq.sandbox.routing import API, Reply, route
from accessq.sandbox.rows import User

SEARCH_MAX = 1000
ALL_USERS_MAX = 1000


@route(f"{API}/user")
def get_user(ctx: RequestContext, version: str) -> Reply:
    user = _cloud_user(ctx) if ctx.cloud else _dc_user(ctx)
    return Reply(api_permissions.expand_user(ctx, user, render.user_json(ctx, user)))


def _cloud_user(ctx: RequestContext) -> User:
    for legacy in ("username", "key"):
        if ctx.arg(legacy) is not None:
            raise bad_request(
                f"The query parameter '{legacy}' is not supported in GDPR strict mode."
            )
    account_id = ctx.arg("accountId")
    if not account_id:
        raise bad_request("The query parameter 'accountId' is required.")
    user = ctx.store.user_by_account_id(account_id)
    if user is None:
        raise not_found(CLOUD_USER_NOT_FOUND)
    return user


def _dc_user(ctx: RequestContext) -> User:
    username, key = ctx.arg("username"), ctx.arg("key")
    if username:
        user = ctx.store.user_by_username(username)
        if user is None:
            raise not_found(f"The user named '{username}' does not exist")
        return user
    if key:
        user = ctx.store.user_by_key(key)
        if user is None:
            raise not_found(f"The user with the key '{key}' does not exist")
        return user
    raise bad_request("Either the 'username' or the 'key' query parameters need to be provided")


@route(f"{API}/user/search")
def search_users(ctx: RequestContext, version: str) -> Reply:
    """Prefix search on display name (or a word of it) and email; DC also on username.

    Cloud returns active users only (it has no includeActive/includeInactive parameters) and,
    for a user whose profile hides the email, matches the whole address only (the sandbox
    option `hidden_email_search`). Data Center: active users unless includeInactive=true.
    """
    start = ctx.int_arg("startAt", 0)
    cap = SEARCH_MAX if ctx.cloud else ctx.options.dc_user_search_limit
    limit = min(ctx.int_arg("maxResults", 50, minimum=1), cap)
    if ctx.cloud:
        if ctx.arg("username") is not None:
            raise bad_request(GDPR_USERNAME_PARAM)
        query, account_id = ctx.arg("query"), ctx.arg("accountId")
        if query and account_id:
            raise bad_request("The parameters 'query' and 'accountId' cannot be used together.")
        if account_id:
            user = ctx.store.user_by_account_id(account_id)
            found = [user] if user is not None and user.active and start == 0 else []
            return Reply([render.user_json(ctx, u) for u in found])
        if not query:
            raise bad_request(
                "One of the query parameters 'query', 'accountId' or 'property' is required."
            )
        text, by_username = query, False
        include_active, include_inactive = True, False
    else:
        username = ctx.arg("username")
        if not username:
            raise bad_request("The username query parameter was not provided")
        text, by_username = username, True
        include_active = ctx.bool_arg("includeActive", True)
        include_inactive = ctx.bool_arg("includeInactive", False)
    users = ctx.store.search_users(
        text.strip(),
        match_username=by_username,
        respect_hidden_email=ctx.cloud,
        hidden_email_exact=ctx.options.hidden_email_search == "exact",
        include_active=include_active,
        include_inactive=include_inactive,
        start=start,
        limit=limit,
    )
    return Reply([render.user_json(ctx, u) for u in users])


def _all_users(ctx: RequestContext) -> Reply:
    start = ctx.int_arg("startAt", 0)
    limit = min(ctx.int_arg("maxResults", 50, minimum=1), ALL_USERS_MAX)
    users, _ = ctx.store.users_page(start, limit)
    return Reply([render.user_json(ctx, u) for u in users])


@route(f"{API}/users/search", flavors=("cloud",))
def all_users(ctx: RequestContext, version: str) -> Reply:
    return _all_users(ctx)


@route(f"{API}/users", flavors=("cloud",))
def all_users_default(ctx: RequestContext, version: str) -> Reply:
    return _all_users(ctx)


ROUTES = [get_user, search_users, all_users, all_users_default]
