"""Project entity properties: list keys, get, set and delete (both flavours).

A property's value is any non-empty JSON value of at most 32768 bytes; keys are at most 255
characters and case-sensitive. Reading needs any account; writing an admin one (read-only
accounts get 403, as without Administer Projects).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from accessq.sandbox.api_project import find_project
from accessq.sandbox.context import RequestContext
from accessq.sandbox.errors import NO_PROJECT_ADMIN, ApiError, bad_request, not_found
from accessq.sandbox.routing import API, Reply, route
from accessq.sandbox.rows import Project

KEY_MAX = 255
VALUE_MAX = 32768  # bytes of the JSON text
_WRITE = {"write": True, "denied": NO_PROJECT_ADMIN}
PROPERTIES = f"{API}/project/<key>/properties"


def _self(ctx: RequestContext, project: Project, property_key: str) -> str:
    return f"{ctx.api_base}/project/{project.id}/properties/{quote(property_key, safe='')}"


def _check_key(property_key: str) -> None:
    if not property_key.strip():
        raise bad_request("The property key cannot be empty.")
    if len(property_key) > KEY_MAX:
        raise bad_request(f"The property key cannot be longer than {KEY_MAX} characters.")


def _value(ctx: RequestContext) -> str:
    """The request body as compact JSON text: any JSON value, not empty, not too long."""
    content_type = ctx.request.mimetype
    if content_type and content_type != "application/json":
        raise ApiError(415, f"Unsupported media type {content_type!r}; send application/json.")
    raw = ctx.request.get_data(cache=True)
    if not raw.strip():
        raise bad_request("The property value cannot be empty.")
    if len(raw) > VALUE_MAX:
        raise bad_request(f"The property value cannot be longer than {VALUE_MAX} bytes.")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The property value must be valid JSON.") from None
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@route(PROPERTIES)
def property_keys(ctx: RequestContext, version: str, key: str) -> Reply:
    project = find_project(ctx, key)
    keys = ctx.store.project_property_keys(project.id)
    return Reply({"keys": [{"self": _self(ctx, project, k), "key": k} for k in keys]})


@route(f"{PROPERTIES}/<property_key>")
def get_property(ctx: RequestContext, version: str, key: str, property_key: str) -> Reply:
    project = find_project(ctx, key)
    stored = ctx.store.project_property(project.id, property_key)
    if stored is None:
        raise not_found(f"The property with key '{property_key}' does not exist.")
    return Reply({"key": property_key, "value": json.loads(stored)})


@route(f"{PROPERTIES}/<property_key>", "PUT", **_WRITE)
def set_property(ctx: RequestContext, version: str, key: str, property_key: str) -> Reply:
    project = find_project(ctx, key)
    _check_key(property_key)
    created = ctx.store.set_project_property(project.id, property_key, _value(ctx))
    return Reply(None, 201 if created else 200)


@route(f"{PROPERTIES}/<property_key>", "DELETE", **_WRITE)
def delete_property(ctx: RequestContext, version: str, key: str, property_key: str) -> Reply:
    project = find_project(ctx, key)
    if not ctx.store.delete_project_property(project.id, property_key):
        raise not_found(f"The property with key '{property_key}' does not exist.")
    return Reply(None, 204)


ROUTES = [property_keys, get_property, set_property, delete_property]
