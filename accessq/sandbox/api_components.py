"""Components: create, get, update, delete (Cloud leads by accountId, Data Center by username)."""

from __future__ import annotations

from typing import Any

from accessq.sandbox import render
from accessq.sandbox.api_project import find_project
from accessq.sandbox.context import RequestContext, string_field
from accessq.sandbox.errors import (
    GDPR_ACCOUNT_ID_ONLY,
    NO_PROJECT_ADMIN,
    bad_request,
    not_found,
)
from accessq.sandbox.numbers import parse_id
from accessq.sandbox.routing import API, Reply, route
from accessq.sandbox.rows import Component, User
from accessq.sandbox.seed import ASSIGNEE_TYPES
from accessq.sandbox.store import Conflict

NAME_MAX = 255
_WRITE = {"write": True, "denied": NO_PROJECT_ADMIN}


def _component(ctx: RequestContext, raw_id: str) -> Component:
    component_id = parse_id(raw_id)
    component = ctx.store.component(component_id) if component_id is not None else None
    if component is None:
        raise not_found(f"The component with id {raw_id} does not exist.")
    return component


def _name(body: dict[str, Any]) -> str:
    name = string_field(body, "name")
    if name is None or not name.strip():
        raise bad_request(
            name="The component name specified is invalid - cannot be an empty string."
        )
    if len(name) > NAME_MAX:
        raise bad_request(name=f"The component name must not exceed {NAME_MAX} characters.")
    return name


def _assignee_type(body: dict[str, Any]) -> str | None:
    value = body.get("assigneeType")
    if value is None:
        return None
    if value not in ASSIGNEE_TYPES:
        raise bad_request(
            assigneeType=f"The assignee type '{value}' is invalid; use one of "
            + ", ".join(ASSIGNEE_TYPES)
        )
    return str(value)


def _lead(ctx: RequestContext, body: dict[str, Any]) -> tuple[bool, User | None]:
    """(whether the body sets the lead, the lead). Cloud takes leadAccountId, DC leadUserName."""
    own, other = (
        ("leadAccountId", "leadUserName") if ctx.cloud else ("leadUserName", "leadAccountId")
    )
    if body.get(other) is not None:
        if ctx.cloud:
            raise bad_request(GDPR_ACCOUNT_ID_ONLY)
        raise bad_request(
            f'Unrecognized field "{other}" (Class com.atlassian.jira.rest.v2.issue.component.'
            "ComponentBean), not marked as ignorable"
        )
    if own not in body:
        return False, None
    ref = string_field(body, own)
    if not ref:  # "" (or null) removes the lead
        return True, None
    user = ctx.store.user_by_account_id(ref) if ctx.cloud else ctx.store.user_by_username(ref)
    if user is None:
        raise bad_request(**{own: f"User '{ref}' does not exist."})
    return True, user


@route(f"{API}/component", "POST", **_WRITE)
def create_component(ctx: RequestContext, version: str) -> Reply:
    body = ctx.json_body()
    name = _name(body)
    key = body.get("project") or body.get("projectId")
    if key is None:
        raise bad_request(project="The project key or projectId must be provided.")
    project = find_project(ctx, str(key))
    _, lead = _lead(ctx, body)
    assignee_type = _assignee_type(body) or "PROJECT_DEFAULT"
    description = string_field(body, "description")
    try:
        component = ctx.store.create_component(name, description, lead, assignee_type)
    except Conflict as exc:
        raise bad_request(name=str(exc)) from None
    return Reply(render.component_json(ctx, component, project), 201)


@route(f"{API}/component/<id>")
def get_component(ctx: RequestContext, version: str, id: str) -> Reply:
    return Reply(render.component_json(ctx, _component(ctx, id), ctx.store.project()))


@route(f"{API}/component/<id>", "PUT", **_WRITE)
def update_component(ctx: RequestContext, version: str, id: str) -> Reply:
    component = _component(ctx, id)
    body = ctx.json_body()
    name = _name(body) if "name" in body else None
    set_lead, lead = _lead(ctx, body)
    assignee_type = _assignee_type(body)
    try:
        ctx.store.update_component(
            component.id,
            name=name,
            description=string_field(body, "description"),
            set_description="description" in body,
            lead=lead,
            set_lead=set_lead,
            assignee_type=assignee_type,
        )
    except Conflict as exc:
        raise bad_request(name=str(exc)) from None
    return Reply(render.component_json(ctx, _component(ctx, id), ctx.store.project()))


@route(f"{API}/component/<id>", "DELETE", **_WRITE)
def delete_component(ctx: RequestContext, version: str, id: str) -> Reply:
    component = _component(ctx, id)
    move_to = ctx.arg("moveIssuesTo")
    if move_to is not None and (move_to == id or _component(ctx, move_to).id == component.id):
        raise not_found(f"The component with id {move_to} does not exist.")
    if not ctx.store.delete_component(component.id):
        raise not_found(f"The component with id {id} does not exist.")
    return Reply(None, 204)


ROUTES = [create_component, get_component, update_component, delete_component]
