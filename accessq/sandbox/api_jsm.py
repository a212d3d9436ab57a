"""JSM: service desks and queues (public reads), queue writes (internal API; DC public API).

Cloud's public API only reads queues; integrations write them through the internal
`/rest/servicedesk/1/servicedesk/{projectKey}/queues` endpoints (served in both flavours here).
Data Center also has public queue writes under `/rest/servicedeskapi/` (dc flavour only).
"""

from __future__ import annotations

from typing import Any

from accessq.sandbox import render
from accessq.sandbox.context import DC, RequestContext
from accessq.sandbox.errors import NO_JSM_ADMIN, ApiError
from accessq.sandbox.numbers import parse_id, parse_int
from accessq.sandbox.routing import JSM, Reply, route
from accessq.sandbox.rows import Project, Queue
from accessq.sandbox.seed import DEFAULT_QUEUE_FIELDS
from accessq.sandbox.store import Conflict

SDAPI = "/rest/servicedeskapi"
INTERNAL = "/rest/servicedesk/1/servicedesk/<project_key>/queues"
PAGE_MAX = 50
QUEUE_NAME_MAX = 60
_READ = {"family": JSM}
_WRITE = {"family": JSM, "write": True, "denied": NO_JSM_ADMIN}


def _jsm_error(status: int, message: str, key: str) -> ApiError:
    return ApiError(status, message, i18n_key=key)


def _service_desk(ctx: RequestContext, ref: str) -> Project:
    """The service desk a `{serviceDeskId}` names: its id, or a project identifier (the project
    key, `projectKey:KEY`, `projectId:N`) or `serviceDeskId:N`, as JSM accepts."""
    project = ctx.store.project()
    kind, sep, value = ref.partition(":")
    if not sep:
        kind, value = ("serviceDeskId", ref) if parse_id(ref) is not None else ("projectKey", ref)
    wanted = {
        "serviceDeskId": lambda: parse_id(value) == project.service_desk_id,
        "projectId": lambda: parse_id(value) == project.id,
        "projectKey": lambda: value == project.key,
    }.get(kind)
    if wanted is None or not wanted():
        raise _jsm_error(
            404,
            f"The service desk with ID '{ref}' does not exist.",
            "sd.servicedesk.error.not.found",
        )
    return project


def _project_by_key(ctx: RequestContext, key: str) -> Project:
    project = ctx.store.project()
    if key != project.key:
        raise _jsm_error(
            404, f"No service desk exists for project '{key}'.", "sd.project.error.not.found"
        )
    return project


def _queue(ctx: RequestContext, raw_id: str | int) -> Queue:
    queue_id = parse_id(raw_id)
    queue = ctx.store.queue(queue_id) if queue_id is not None else None
    if queue is None:
        raise _jsm_error(
            404, f"The queue with ID {raw_id} does not exist.", "sd.queue.error.not.found"
        )
    return queue


def _page_args(ctx: RequestContext) -> tuple[int, int]:
    return ctx.int_arg("start", 0), min(ctx.int_arg("limit", PAGE_MAX, minimum=1), PAGE_MAX)


# -- public reads ------------------------------------------------------------------------------


@route(f"{SDAPI}/servicedesk", **_READ)
def service_desks(ctx: RequestContext) -> Reply:
    start, limit = _page_args(ctx)
    desks = [render.service_desk_json(ctx, ctx.store.project())]
    return Reply(render.jsm_page(ctx, desks[start : start + limit], start, limit, len(desks)))


@route(f"{SDAPI}/servicedesk/<sd>", **_READ)
def service_desk(ctx: RequestContext, sd: str) -> Reply:
    return Reply(render.service_desk_json(ctx, _service_desk(ctx, sd)))


@route(f"{SDAPI}/servicedesk/<sd>/queue", **_READ)
def queues(ctx: RequestContext, sd: str) -> Reply:
    project = _service_desk(ctx, sd)
    start, limit = _page_args(ctx)
    include_count = ctx.bool_arg("includeCount", False)
    all_queues = ctx.store.queues()
    values = [
        render.queue_json(ctx, q, project, include_count=include_count)
        for q in all_queues[start : start + limit]
    ]
    return Reply(render.jsm_page(ctx, values, start, limit, len(all_queues)))


@route(f"{SDAPI}/servicedesk/<sd>/queue/<queue_id>", **_READ)
def queue(ctx: RequestContext, sd: str, queue_id: str) -> Reply:
    project = _service_desk(ctx, sd)
    include_count = ctx.bool_arg("includeCount", False)
    return Reply(
        render.queue_json(ctx, _queue(ctx, queue_id), project, include_count=include_count)
    )


# -- writes ------------------------------------------------------------------------------------


def _queue_fields(body: dict[str, Any], *, columns_key: str, partial: bool) -> dict[str, Any]:
    """Validated queue fields from a body (`columns` internally, `fields` in the DC public API)."""
    out: dict[str, Any] = {}
    if "name" in body or not partial:
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _jsm_error(400, "The queue name must not be empty.", "sd.queue.error.name.empty")
        if len(name) > QUEUE_NAME_MAX:
            raise _jsm_error(
                400,
                f"The queue name must not be longer than {QUEUE_NAME_MAX} characters.",
                "sd.queue.error.name.too.long",
            )
        out["name"] = name.strip()
    if "jql" in body or not partial:
        jql = body.get("jql")
        if not isinstance(jql, str) or not jql.strip():
            raise _jsm_error(400, "The queue JQL must not be empty.", "sd.queue.error.jql.empty")
        out["jql"] = jql.strip()
    if columns_key in body or not partial:
        columns = body.get(columns_key, list(DEFAULT_QUEUE_FIELDS))
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise _jsm_error(
                400,
                f"'{columns_key}' must be a list of field IDs.",
                "sd.queue.error.columns.invalid",
            )
        out["fields"] = columns
    for flag in ("canBeHidden", "favourite"):
        if flag in body:
            if not isinstance(body[flag], bool):
                raise _jsm_error(400, f"'{flag}' must be true or false.", "sd.queue.error.invalid")
            out["can_be_hidden" if flag == "canBeHidden" else "favourite"] = body[flag]
    return out


def _create(ctx: RequestContext, columns_key: str) -> Queue:
    values = _queue_fields(ctx.json_body(), columns_key=columns_key, partial=False)
    try:
        return ctx.store.create_queue(
            values["name"],
            values["jql"],
            values["fields"],
            values.get("can_be_hidden", False),
            values.get("favourite", False),
        )
    except Conflict as exc:
        raise _jsm_error(400, str(exc), "sd.queue.error.name.exists") from None


def _update(ctx: RequestContext, raw_id: str, columns_key: str) -> Queue:
    queue_id = _queue(ctx, raw_id).id
    values = _queue_fields(ctx.json_body(), columns_key=columns_key, partial=True)
    try:
        updated = ctx.store.update_queue(queue_id, **values)
    except Conflict as exc:
        raise _jsm_error(400, str(exc), "sd.queue.error.name.exists") from None
    if updated is None:
        raise _jsm_error(
            404, f"The queue with ID {queue_id} does not exist.", "sd.queue.error.not.found"
        )
    return updated


def _order(ctx: RequestContext, queue_id: int) -> int:
    return next((i for i, q in enumerate(ctx.store.queues()) if q.id == queue_id), 0)


@route(INTERNAL, **_READ)
def internal_queues(ctx: RequestContext, project_key: str) -> Reply:
    _project_by_key(ctx, project_key)
    return Reply([render.internal_queue_json(q, i) for i, q in enumerate(ctx.store.queues())])


@route(INTERNAL, "POST", **_WRITE)
def internal_create(ctx: RequestContext, project_key: str) -> Reply:
    _project_by_key(ctx, project_key)
    created = _create(ctx, "columns")
    return Reply(render.internal_queue_json(created, _order(ctx, created.id)))


@route(f"{INTERNAL}/<queue_id>", "PUT", **_WRITE)
def internal_update(ctx: RequestContext, project_key: str, queue_id: str) -> Reply:
    _project_by_key(ctx, project_key)
    updated = _update(ctx, queue_id, "columns")
    return Reply(render.internal_queue_json(updated, _order(ctx, updated.id)))


@route(INTERNAL, "PUT", **_WRITE)
def internal_delete(ctx: RequestContext, project_key: str) -> Reply:
    """`{"deleted": [ids]}` deletes those queues (the internal API's only delete)."""
    _project_by_key(ctx, project_key)
    deleted = ctx.json_body().get("deleted")
    if not isinstance(deleted, list) or not all(
        isinstance(i, int | str) and parse_int(i) is not None for i in deleted
    ):
        raise _jsm_error(400, "'deleted' must be a list of queue IDs.", "sd.queue.error.invalid")
    ids = [_queue(ctx, i).id for i in deleted]  # 404 for the first that does not exist
    ctx.store.delete_queues(ids)
    return Reply(None, 204)


@route(f"{SDAPI}/servicedesk/<sd>/queue", "POST", flavors=(DC,), **_WRITE)
def public_create(ctx: RequestContext, sd: str) -> Reply:
    project = _service_desk(ctx, sd)
    return Reply(render.queue_json(ctx, _create(ctx, "fields"), project, include_count=False), 201)


@route(f"{SDAPI}/servicedesk/<sd>/queue/<queue_id>", "POST", flavors=(DC,), **_WRITE)
def public_update(ctx: RequestContext, sd: str, queue_id: str) -> Reply:
    project = _service_desk(ctx, sd)
    updated = _update(ctx, queue_id, "fields")
    return Reply(render.queue_json(ctx, updated, project, include_count=False))


@route(f"{SDAPI}/servicedesk/<sd>/queue/<queue_id>", "DELETE", flavors=(DC,), **_WRITE)
def public_delete(ctx: RequestContext, sd: str, queue_id: str) -> Reply:
    _service_desk(ctx, sd)
    ctx.store.delete_queues([_queue(ctx, queue_id).id])
    return Reply(None, 204)


ROUTES = [
    service_desks,
    service_desk,
    queues,
    queue,
    internal_queues,
    internal_create,
    internal_update,
    internal_delete,
    public_create,
    public_update,
    public_delete,
]
