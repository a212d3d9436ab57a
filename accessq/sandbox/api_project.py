"""serverInfo, myself and the project with its component lists."""

from __future__ import annotations

from accessq.sandbox import render
from accessq.sandbox.context import RequestContext
from accessq.sandbox.errors import not_found
from accessq.sandbox.numbers import INT64_MAX
from accessq.sandbox.routing import API, Reply, route
from accessq.sandbox.rows import Project

COMPONENT_PAGE_MAX = 50


def find_project(ctx: RequestContext, key_or_id: str) -> Project:
    project = ctx.store.project()
    if key_or_id not in (project.key, str(project.id)):
        raise not_found(f"No project could be found with key '{key_or_id}'.")
    return project


@route(f"{API}/serverInfo", anonymous=True)
def server_info(ctx: RequestContext, version: str) -> Reply:
    return Reply(render.server_info(ctx))


@route(f"{API}/myself")
def myself(ctx: RequestContext, version: str) -> Reply:
    assert ctx.account is not None  # the app signs in every non-anonymous request
    return Reply(render.user_json(ctx, ctx.account.user))


@route(f"{API}/project/<key>")
def get_project(ctx: RequestContext, version: str, key: str) -> Reply:
    project = find_project(ctx, key)
    return Reply(render.project_json(ctx, project, ctx.store.components()))


@route(f"{API}/project/<key>/components")
def project_components(ctx: RequestContext, version: str, key: str) -> Reply:
    project = find_project(ctx, key)
    return Reply([render.component_json(ctx, c, project) for c in ctx.store.components()])


@route(f"{API}/project/<key>/component")
def project_components_paged(ctx: RequestContext, version: str, key: str) -> Reply:
    project = find_project(ctx, key)
    start = ctx.int_arg("startAt", 0, maximum=INT64_MAX)
    limit = min(ctx.int_arg("maxResults", 50, minimum=1), COMPONENT_PAGE_MAX)
    components = ctx.store.components()
    query = (ctx.arg("query") or "").lower()
    if query:
        components = [
            c
            for c in components
            if query in c.name.lower() or query in (c.description or "").lower()
        ]
    order = ctx.arg("orderBy") or "name"
    reverse = order.startswith("-")
    field = order.lstrip("+-")
    sort_keys = {
        "name": lambda c: c.name.lower(),
        "description": lambda c: (c.description or "").lower(),
        "lead": lambda c: c.lead.username.lower() if c.lead else "",
        "issueCount": lambda c: 0,
    }
    components.sort(key=sort_keys.get(field, sort_keys["name"]), reverse=reverse)
    values = [
        render.component_json(ctx, c, project, issue_count=True)
        for c in components[start : start + limit]
    ]
    return Reply(render.platform_page(ctx, values, start, limit, len(components)))


ROUTES = [server_info, myself, get_project, project_components, project_components_paged]
