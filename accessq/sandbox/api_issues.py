"""Tickets: issues (get, create, edit, assign), comments, JQL search, component issue counts, and
the requests in a JSM queue.

Search is `search/jql` with `nextPageToken` paging on Cloud (whose old `search` answers 410, as
Cloud's does since the endpoint was removed) and `search` with `startAt`/`total` on Data Center.
People in issue fields are named as elsewhere: Cloud `accountId` (`id` too), Data Center `name`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from accessq.sandbox import render
from accessq.sandbox.api_components import _component
from accessq.sandbox.api_jsm import _jsm_error, _page_args, _queue, _service_desk
from accessq.sandbox.context import CLOUD, DC, RequestContext
from accessq.sandbox.errors import GDPR_ACCOUNT_ID_ONLY, ApiError, bad_request, not_found
from accessq.sandbox.jql_search import Directory, JqlError, compile_search, parse, queue_tickets
from accessq.sandbox.render_issues import (
    ISSUE_TYPE,
    comment_json,
    comments_page,
    document_text,
    field_definitions,
    is_document,
    issue_json,
    requested_fields,
)
from accessq.sandbox.routing import API, JSM, Reply, route
from accessq.sandbox.rows import User
from accessq.sandbox.tickets import Ticket, Tickets

ISSUE_MISSING = "Issue does not exist or you do not have permission to see it."
NO_CREATE = "You do not have permission to create issues in this project."
NO_EDIT = "You do not have permission to edit issues in this project."
NO_ASSIGN = "You do not have permission to assign issues in this project."
NO_COMMENT = "You do not have permission to add comments in this project."
SEARCH_REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full "
    "migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
UNBOUNDED = (
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
)
BAD_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."
NOT_A_DOCUMENT = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
SUMMARY_MAX = 255
COMMENT_PAGE_DEFAULT = 100
DC_SEARCH_MAX = 1000  # Data Center's jira.search.views.default.max
CLOUD_SEARCH_MAX = 100  # Cloud's page with fields; 5000 when only ids or keys are asked for
CLOUD_SEARCH_MAX_IDS = 5000
EDITABLE = ("summary", "description", "components", "assignee")
CREATABLE = ("project", "issuetype", *EDITABLE, "reporter")


def _cannot_set(name: str) -> str:
    return f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."


class _JqlRefused(ApiError):
    """Jira's answer to a query it will not run: every error in `errorMessages`."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__(400, "; ".join(messages))
        self.messages = list(messages)

    def platform_body(self) -> dict[str, Any]:
        return {"errorMessages": self.messages, "errors": {}}


def _tickets(ctx: RequestContext) -> Tickets:
    return Tickets(ctx.store)


def _ticket(ctx: RequestContext, key: str) -> Ticket:
    ticket = _tickets(ctx).get(key)
    if ticket is None:
        raise not_found(ISSUE_MISSING)
    return ticket


def _me(ctx: RequestContext) -> User:
    assert ctx.account is not None  # the app signs in every non-anonymous request
    return ctx.account.user


def _directory(ctx: RequestContext) -> Directory:
    return Directory.of(ctx.store, ctx.account.user if ctx.account else None, ctx.cloud)


# -- reading and writing issue fields ------------------------------------------------------------


@dataclass
class _Edit:
    """Field values an edit or create sets, gathered before anything is written."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def fail(self) -> None:
        if self.errors or self.messages:
            raise ApiError(400, self.messages[0] if self.messages else None, errors=self.errors)


class _FieldError(Exception):
    def __init__(self, message: str, *, general: bool = False) -> None:
        super().__init__(message)
        self.general = general  # an errorMessages entry rather than errors[field]


def _summary(value: Any) -> str:
    if not isinstance(value, str):
        raise _FieldError("Operation value must be a string")
    if not value.strip():
        raise _FieldError("You must specify a summary of the issue.")
    if len(value) > SUMMARY_MAX:
        raise _FieldError("Summary must be less than 255 characters.")
    return value


def _rich(ctx: RequestContext, value: Any) -> tuple[str | None, Any]:
    """(text, document) of a description: a string on v2, an Atlassian Document on v3."""
    if value is None:
        return None, None
    if ctx.api_version == "3":
        if not is_document(value):
            raise _FieldError(NOT_A_DOCUMENT)
        return document_text(value) or None, value
    if not isinstance(value, str):
        raise _FieldError("Operation value must be a string")
    return value or None, None


def _component_ids(ctx: RequestContext, refs: Any) -> list[int]:
    if not isinstance(refs, list):
        raise _FieldError("data was not an array")
    return [_component_id(ctx, ref) for ref in refs]


def _component_id(ctx: RequestContext, ref: Any) -> int:
    if not isinstance(ref, dict):
        raise _FieldError("data was not an object")
    components = ctx.store.components()
    if ref.get("id") is not None:
        wanted = str(ref["id"])
        found = next((c for c in components if str(c.id) == wanted), None)
        if found is None:
            raise _FieldError(f"Component with id '{wanted}' does not exist.")
        return found.id
    name = str(ref.get("name") or "")
    found = next((c for c in components if c.name.lower() == name.lower()), None)
    if found is None:
        raise _FieldError(f"Component name '{name}' is not valid")
    return found.id


_AUTOMATIC = "-1"


def _person(ctx: RequestContext, value: Any, role: str) -> User | str | None:
    """The user an issue field names (None: nobody; "-1": Jira picks the default assignee)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _FieldError("data was not an object")
    if ctx.cloud:
        if value.get("name") is not None or value.get("key") is not None:
            raise _FieldError(GDPR_ACCOUNT_ID_ONLY, general=True)
        ref = value.get("accountId", value.get("id"))
    else:
        if "name" not in value and "key" not in value:
            raise _FieldError("expected Object containing a 'name' property")
        ref = value.get("name") if "name" in value else value.get("key")
    if ref is None:
        return None
    ref = str(ref)
    if ref == _AUTOMATIC and role == "assignee":
        return _AUTOMATIC
    user = _find_user(ctx, ref)
    if role == "reporter":
        if user is None:
            raise _FieldError("The reporter specified is not a user.")
        return user
    if user is None or not user.active:
        shown = user.display_name if (user is not None and ctx.cloud) else ref
        raise _FieldError(f"User '{shown}' cannot be assigned issues.")
    return user


def _find_user(ctx: RequestContext, ref: str) -> User | None:
    if ctx.cloud:
        return ctx.store.user_by_account_id(ref)
    return ctx.store.user_by_username(ref) or ctx.store.user_by_key(ref)


def default_assignee(ctx: RequestContext, component_ids: Sequence[int]) -> User | None:
    """Jira's automatic assignee: the first component (by name) whose default assignee is not the
    project default decides; otherwise the project default, which is "unassigned" here."""
    project = ctx.store.project()
    for component in sorted(ctx.store.components(), key=lambda c: c.name.lower()):
        if component.id not in component_ids:
            continue
        _, real_type, real_assignee, _ = render._assignment(component, project)
        if real_type != "PROJECT_DEFAULT":
            return real_assignee
    return None


def _set(ctx: RequestContext, edit: _Edit, name: str, value: Any, *, reporter_ok: bool) -> None:
    try:
        if name == "summary":
            edit.values["summary"] = _summary(value)
        elif name == "description":
            edit.values["description"] = _rich(ctx, value)
        elif name == "components":
            edit.values["components"] = _component_ids(ctx, value)
        elif name == "assignee":
            edit.values["assignee"] = _person(ctx, value, "assignee")
        elif name == "reporter" and reporter_ok:
            edit.values["reporter"] = _person(ctx, value, "reporter")
        else:
            edit.errors[name] = _cannot_set(name)
    except _FieldError as exc:
        if exc.general:
            edit.messages.append(str(exc))
        else:
            edit.errors[name] = str(exc)


def _apply_update(
    ctx: RequestContext, edit: _Edit, update: dict[str, Any], current: Sequence[int]
) -> None:
    """The `update` form: per field a list of operations (`set`; `add`/`remove` for components)."""
    for name, operations in update.items():
        if name not in EDITABLE:
            edit.errors[name] = _cannot_set(name)
            continue
        if not isinstance(operations, list) or not all(isinstance(o, dict) for o in operations):
            edit.errors[name] = "data was not an array"
            continue
        components = list(edit.values.get("components", current))
        for operation in operations:
            for verb, value in operation.items():
                if verb == "set":
                    _set(ctx, edit, name, value, reporter_ok=False)
                    if name == "components" and "components" in edit.values:
                        components = list(edit.values["components"])
                elif name == "components" and verb in ("add", "remove"):
                    try:
                        component = _component_id(ctx, value)
                    except _FieldError as exc:
                        edit.errors[name] = str(exc)
                        continue
                    if verb == "add" and component not in components:
                        components.append(component)
                    if verb == "remove" and component in components:
                        components.remove(component)
                    edit.values["components"] = components
                else:
                    edit.errors[name] = (
                        f"The operation '{verb}' is not supported by the '{name}' field."
                    )


def _edit(
    ctx: RequestContext, body: dict[str, Any], allowed: Sequence[str], current: Sequence[int]
) -> _Edit:
    fields = body.get("fields") or {}
    update = body.get("update") or {}
    if not isinstance(fields, dict) or not isinstance(update, dict):
        raise bad_request(BAD_PAYLOAD)
    edit = _Edit()
    for name in set(fields) & set(update):
        edit.errors[name] = (
            f"Field '{name}' cannot be set in both 'fields' and 'update'; use one of them."
        )
    for name, value in fields.items():
        if name in edit.errors:
            continue
        if name not in allowed:
            edit.errors[name] = _cannot_set(name)
        elif name not in ("project", "issuetype"):
            _set(ctx, edit, name, value, reporter_ok="reporter" in allowed)
    _apply_update(ctx, edit, {k: v for k, v in update.items() if k not in edit.errors}, current)
    return edit


def _assignee_for(ctx: RequestContext, chosen: Any, component_ids: Sequence[int]) -> User | None:
    if isinstance(chosen, str):  # "-1": automatic
        return default_assignee(ctx, component_ids)
    return chosen if isinstance(chosen, User) else None


# -- issues ------------------------------------------------------------------------------------


@route(f"{API}/issue/<key>")
def get_issue(ctx: RequestContext, version: str, key: str) -> Reply:
    ticket = _ticket(ctx, key)
    fields = requested_fields(ctx.args("fields"), "*all")
    comments = _tickets(ctx).comments(ticket.id) if "comment" in fields else []
    return Reply(issue_json(ctx, ticket, ctx.store.project(), fields, comments))


@route(f"{API}/issue", "POST", write=True, denied=NO_CREATE)
def create_issue(ctx: RequestContext, version: str) -> Reply:
    body = ctx.json_body()
    fields = body.get("fields")
    if not isinstance(fields, dict):
        fields = {}
    edit = _edit(ctx, {**body, "fields": fields}, CREATABLE, [])
    project = ctx.store.project()
    ref = fields.get("project")
    if ref is None:
        edit.errors.setdefault("project", "project is required")
    elif not isinstance(ref, dict) or str(ref.get("key", ref.get("id"))).upper() not in (
        project.key.upper(),
        str(project.id),
    ):
        edit.errors.setdefault("project", "Specify a valid project ID or key")
    kind = fields.get("issuetype")
    if kind is None:
        edit.errors.setdefault("issuetype", "Specify an issue type")
    elif not isinstance(kind, dict) or not (
        str(kind.get("id")) == ISSUE_TYPE[0]
        or str(kind.get("name", "")).lower() == ISSUE_TYPE[1].lower()
    ):
        edit.errors.setdefault("issuetype", "Specify a valid issue type")
    if "summary" not in edit.values and "summary" not in edit.errors:
        edit.errors["summary"] = "You must specify a summary of the issue."
    edit.fail()
    components = list(edit.values.get("components", []))
    assignee = _assignee_for(ctx, edit.values.get("assignee", _AUTOMATIC), components)
    text, document = edit.values.get("description", (None, None))
    reporter = edit.values["reporter"] if "reporter" in edit.values else _me(ctx)
    ticket = _tickets(ctx).create(
        summary=edit.values["summary"],
        description=text,
        description_adf=document,
        component_ids=components,
        assignee=assignee,
        reporter=reporter if isinstance(reporter, User) else None,
    )
    created = {"id": str(ticket.id), "key": ticket.key, "self": f"{ctx.api_base}/issue/{ticket.id}"}
    return Reply(created, 201)


@route(f"{API}/issue/<key>", "PUT", write=True, denied=NO_EDIT)
def edit_issue(ctx: RequestContext, version: str, key: str) -> Reply:
    ticket = _ticket(ctx, key)
    current = [c.id for c in ticket.components]
    edit = _edit(ctx, ctx.json_body(), EDITABLE, current)
    edit.fail()
    changes: dict[str, Any] = {}
    if "summary" in edit.values:
        changes["summary"] = edit.values["summary"]
    if "description" in edit.values:
        changes["description"] = edit.values["description"]
    components = edit.values.get("components", current)
    if "components" in edit.values:
        changes["component_ids"] = components
    if "assignee" in edit.values:
        changes["assignee"] = _assignee_for(ctx, edit.values["assignee"], components)
    if changes:
        _tickets(ctx).update(ticket.id, **changes)
    if ctx.bool_arg("returnIssue", False):
        fields = requested_fields([], "*all")
        again = _ticket(ctx, str(ticket.id))
        comments = _tickets(ctx).comments(ticket.id)
        return Reply(issue_json(ctx, again, ctx.store.project(), fields, comments))
    return Reply(None, 204)


@route(f"{API}/issue/<key>/assignee", "PUT", write=True, denied=NO_ASSIGN)
def assign_issue(ctx: RequestContext, version: str, key: str) -> Reply:
    ticket = _ticket(ctx, key)
    body = ctx.json_body()
    own = "accountId" if ctx.cloud else "name"
    if ctx.cloud and (body.get("name") is not None or body.get("key") is not None):
        raise bad_request(GDPR_ACCOUNT_ID_ONLY)
    if own not in body and (ctx.cloud or "key" not in body):
        raise bad_request(f"The '{own}' of the user to assign the issue to must be given.")
    ref = body.get(own, body.get("key"))
    components = [c.id for c in ticket.components]
    if ref is None:
        assignee = None
    elif str(ref) == _AUTOMATIC:
        assignee = default_assignee(ctx, components)
    else:
        user = _find_user(ctx, str(ref))
        if user is None or not user.active:
            shown = user.display_name if (user is not None and ctx.cloud) else str(ref)
            raise bad_request(assignee=f"User '{shown}' cannot be assigned issues.")
        assignee = user
    _tickets(ctx).update(ticket.id, assignee=assignee)
    return Reply(None, 204)


# -- comments ----------------------------------------------------------------------------------


@route(f"{API}/issue/<key>/comment")
def get_comments(ctx: RequestContext, version: str, key: str) -> Reply:
    ticket = _ticket(ctx, key)
    start = ctx.int_arg("startAt", 0)
    limit = ctx.int_arg("maxResults", COMMENT_PAGE_DEFAULT)
    order = ctx.arg("orderBy")
    if order not in (None, "", "created", "+created", "-created"):
        raise bad_request(f"The orderBy parameter '{order}' is not valid; use created or -created.")
    comments = _tickets(ctx).comments(ticket.id)
    if order == "-created":
        comments.reverse()
    return Reply(comments_page(ctx, comments, start, limit))


@route(f"{API}/issue/<key>/comment", "POST", write=True, denied=NO_COMMENT)
def add_comment(ctx: RequestContext, version: str, key: str) -> Reply:
    ticket = _ticket(ctx, key)
    body = ctx.json_body()
    value = body.get("body")
    if ctx.api_version == "3":
        if isinstance(value, str) or (value is not None and not is_document(value)):
            raise bad_request(comment=NOT_A_DOCUMENT)
        text, document = (document_text(value), value) if value is not None else ("", None)
    else:
        if value is not None and not isinstance(value, str):
            raise bad_request(comment="Comment body is not valid!")
        text, document = value or "", None
    if not text.strip():
        raise bad_request(comment="Comment body can not be empty!")
    public = True
    for prop in body.get("properties") or []:
        if isinstance(prop, dict) and prop.get("key") == "sd.public.comment":
            public = not bool((prop.get("value") or {}).get("internal"))
    comment = _tickets(ctx).add_comment(ticket.id, _me(ctx), text, document, public=public)
    return Reply(comment_json(ctx, comment), 201)


# -- search ------------------------------------------------------------------------------------


def _search_args(ctx: RequestContext, allowed: Sequence[str]) -> dict[str, Any]:
    """The search parameters, from the query string (GET) or the JSON body (POST)."""
    if ctx.request.method == "POST":
        body = ctx.json_body()
        unknown = [k for k in body if k not in allowed]
        if unknown:
            if ctx.cloud:
                raise bad_request(BAD_PAYLOAD)
            raise bad_request(
                f'Unrecognized field "{unknown[0]}" (Class com.atlassian.jira.rest.v2.search.'
                "SearchRequestBean), not marked as ignorable"
            )
        return {k: v for k, v in body.items() if v is not None}
    args: dict[str, Any] = {}
    for name in allowed:
        values = ctx.args(name)
        if values:
            args[name] = values if name == "fields" else values[0]
    return args


def _int(args: dict[str, Any], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise bad_request(f"The value '{raw}' is not valid for the parameter '{name}'.") from None
    if value < 0:
        raise bad_request(f"The parameter '{name}' must be at least 0.")
    return value


def _fields_arg(args: dict[str, Any], default: str) -> set[str]:
    raw = args.get("fields")
    values = [raw] if isinstance(raw, str) else list(raw or [])
    return requested_fields([str(v) for v in values], default)


def _run(
    ctx: RequestContext, jql: str, *, lenient: bool = False, bounded: bool = False
) -> tuple[list[Ticket], list[str]]:
    try:
        query = parse(jql)
        if bounded and query.where is None:
            raise JqlError([UNBOUNDED])
        compiled = compile_search(query, _directory(ctx), lenient=lenient)
    except JqlError as exc:
        raise _JqlRefused(exc.messages) from None
    tickets = _tickets(ctx)
    return compiled.run(tickets.all(with_comments=compiled.needs_comments)), compiled.warnings


def _page_issues(
    ctx: RequestContext, found: Sequence[Ticket], fields: set[str]
) -> list[dict[str, Any]]:
    project = ctx.store.project()
    tickets = _tickets(ctx)
    return [
        issue_json(ctx, t, project, fields, tickets.comments(t.id) if "comment" in fields else [])
        for t in found
    ]


_CLOUD_SEARCH_ARGS = (
    "jql",
    "nextPageToken",
    "maxResults",
    "fields",
    "expand",
    "properties",
    "fieldsByKeys",
    "failFast",
    "reconcileIssues",
)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")


def _offset(token: str) -> int:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(decoded["offset"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise bad_request("The nextPageToken is not valid.") from None
    if offset < 0:
        raise bad_request("The nextPageToken is not valid.")
    return offset


@route(f"{API}/search/jql", "GET", "POST", flavors=(CLOUD,))
def search_jql(ctx: RequestContext, version: str) -> Reply:
    args = _search_args(ctx, _CLOUD_SEARCH_ARGS)
    fields = _fields_arg(args, "id")
    cap = CLOUD_SEARCH_MAX_IDS if fields <= {"id", "key"} else CLOUD_SEARCH_MAX
    limit = max(1, min(_int(args, "maxResults", 50), cap))
    start = _offset(str(args["nextPageToken"])) if args.get("nextPageToken") else 0
    found, _ = _run(ctx, str(args.get("jql") or ""), bounded=True)
    page = found[start : start + limit]
    body: dict[str, Any] = {"issues": _page_issues(ctx, page, fields)}
    if start + limit < len(found):
        body["nextPageToken"] = _token(start + limit)
    body["isLast"] = start + limit >= len(found)
    return Reply(body)


_DC_SEARCH_ARGS = (
    "jql",
    "startAt",
    "maxResults",
    "validateQuery",
    "fields",
    "expand",
    "properties",
    "fieldsByKeys",
)


@route(f"{API}/search", "GET", "POST", flavors=(DC,))
def search_dc(ctx: RequestContext, version: str) -> Reply:
    args = _search_args(ctx, _DC_SEARCH_ARGS)
    fields = _fields_arg(args, "*navigable")
    start = _int(args, "startAt", 0)
    limit = min(_int(args, "maxResults", 50), DC_SEARCH_MAX)
    lenient = str(args.get("validateQuery", "strict")).lower() in ("warn", "none", "false")
    found, warnings = _run(ctx, str(args.get("jql") or ""), lenient=lenient)
    body: dict[str, Any] = {
        "expand": "schema,names",
        "startAt": start,
        "maxResults": limit,
        "total": len(found),
        "issues": _page_issues(ctx, found[start : start + limit], fields),
    }
    if warnings:
        body["warningMessages"] = warnings
    return Reply(body)


@route(f"{API}/search", "GET", "POST", flavors=(CLOUD,))
def search_removed(ctx: RequestContext, version: str) -> Reply:
    raise ApiError(410, SEARCH_REMOVED)


@route(f"{API}/field")
def fields(ctx: RequestContext, version: str) -> Reply:
    return Reply(field_definitions())


# -- components and JSM queues -------------------------------------------------------------------


@route(f"{API}/component/<id>/relatedIssueCounts")
def related_issue_counts(ctx: RequestContext, version: str, id: str) -> Reply:
    component = _component(ctx, id)
    count = _tickets(ctx).component_counts().get(component.id, 0)
    return Reply({"self": f"{ctx.api_base}/component/{component.id}", "issueCount": count})


_OUTSIDE_FIELDS = ("issuekey",)  # the key is always there, beside `fields`


@route("/rest/servicedeskapi/servicedesk/<sd>/queue/<int:queue_id>/issue", family=JSM)
def queue_issues(ctx: RequestContext, sd: str, queue_id: int) -> Reply:
    """The requests in a queue (its JQL over the tickets), with only the queue's fields."""
    _service_desk(ctx, sd)
    queue = _queue(ctx, queue_id)
    start, limit = _page_args(ctx)
    found = queue_tickets(_tickets(ctx), queue.jql, _directory(ctx))
    if found is None:
        raise _jsm_error(
            400,
            f"The queue's JQL cannot be run: {queue.jql}",
            "sd.queue.error.jql.invalid",
        )
    fields = {f for f in queue.fields if f not in _OUTSIDE_FIELDS}
    values = []
    for issue in _page_issues(ctx, found[start : start + limit], fields):
        values.append({k: issue[k] for k in ("id", "self", "key", "fields")})
    return Reply(render.jsm_page(ctx, values, start, limit, len(found)))


ROUTES = [
    get_issue,
    create_issue,
    edit_issue,
    assign_issue,
    get_comments,
    add_comment,
    search_jql,
    search_dc,
    search_removed,
    fields,
    related_issue_counts,
    queue_issues,
]
