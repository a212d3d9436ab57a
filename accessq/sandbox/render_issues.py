"""Jira's JSON for tickets: the issue (IssueBean), its fields, comments, and rich text.

Rich text (description, comment bodies) is a plain string on `/rest/api/2` and an Atlassian
Document (ADF) on `/rest/api/3`, as in Jira Cloud. A document given on v3 is kept as written; text
given on v2 is shown on v3 as one paragraph per blank-line-separated block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from accessq.sandbox import render
from accessq.sandbox.context import RequestContext
from accessq.sandbox.rows import Project
from accessq.sandbox.tickets import Ticket, TicketComment

ALL_FIELDS = (
    "summary",
    "description",
    "issuetype",
    "project",
    "components",
    "assignee",
    "reporter",
    "status",
    "resolution",
    "resolutiondate",
    "created",
    "updated",
    "comment",
)
NAVIGABLE_FIELDS = tuple(f for f in ALL_FIELDS if f != "comment")
ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
ISSUE_TYPE = ("10001", "Service Request", "Created by Jira Service Management.")
RESOLUTION = ("10000", "Done", "Work has been completed on this issue.")
_OPEN = ("1", "Open", "The issue is open and ready for the assignee to start work on it.", "open")
_RESOLVED = ("5", "Resolved", "A resolution has been taken.", "resolved")
_CATEGORY_NEW = (2, "new", "blue-gray", "To Do")
_CATEGORY_DONE = (3, "done", "green", "Done")


# The system fields the sandbox's tickets have: (id, name, JQL clause names, schema type, items).
FIELD_DEFINITIONS = (
    ("issuekey", "Key", ("id", "issue", "issuekey", "key"), None, None),
    ("summary", "Summary", ("summary",), "string", None),
    ("description", "Description", ("description",), "string", None),
    ("issuetype", "Issue Type", ("issuetype", "type"), "issuetype", None),
    ("project", "Project", ("project",), "project", None),
    ("components", "Component/s", ("component",), "array", "component"),
    ("assignee", "Assignee", ("assignee",), "user", None),
    ("reporter", "Reporter", ("reporter",), "user", None),
    ("status", "Status", ("status",), "status", None),
    ("resolution", "Resolution", ("resolution",), "resolution", None),
    ("resolutiondate", "Resolved", ("resolutiondate", "resolved"), "datetime", None),
    ("created", "Created", ("created", "createdDate"), "datetime", None),
    ("updated", "Updated", ("updated", "updatedDate"), "datetime", None),
    ("comment", "Comment", ("comment",), "comments-page", "comment"),
)


def field_definitions() -> list[dict[str, Any]]:
    """`GET field`: what the jira library reads to map JQL names to field ids."""
    out = []
    for fid, name, clauses, kind, items in FIELD_DEFINITIONS:
        entry: dict[str, Any] = {
            "id": fid,
            "key": fid,
            "name": name,
            "custom": False,
            "orderable": fid not in ("issuekey", "status", "resolutiondate", "created", "updated"),
            "navigable": fid != "comment",
            "searchable": True,
            "clauseNames": list(clauses),
        }
        if kind is not None:
            entry["schema"] = {"type": kind, "system": fid} | ({"items": items} if items else {})
        out.append(entry)
    return out


def jira_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")


def requested_fields(values: Iterable[str], default: str) -> set[str]:
    """Jira's `fields` parameter (comma-separated, repeatable): `*all`, `*navigable`, names,
    `-name` to leave one out. With nothing given, or only exclusions, default applies."""
    items = [p.strip() for v in values for p in str(v).split(",") if p.strip()]
    chosen: set[str] = set()
    if not [i for i in items if not i.startswith("-")]:
        items = [default, *items]
    for item in items:
        if item == "*all":
            chosen.update(ALL_FIELDS)
        elif item == "*navigable":
            chosen.update(NAVIGABLE_FIELDS)
        elif not item.startswith("-"):
            chosen.add(item)
    for item in items:
        if item.startswith("-"):
            chosen.discard(item[1:])
    return chosen


# -- rich text ---------------------------------------------------------------------------------


def is_document(value: Any) -> bool:
    """Whether value is an Atlassian Document: `{"type": "doc", "version": 1, "content": []}`."""
    return (
        isinstance(value, dict)
        and value.get("type") == "doc"
        and value.get("version") == 1
        and isinstance(value.get("content"), list)
    )


def document_text(document: Any) -> str:
    """The text of an Atlassian Document: blocks separated by a blank line."""

    def inline(node: Any) -> str:
        if not isinstance(node, dict):
            return ""
        kind = node.get("type")
        if kind == "text":
            return str(node.get("text", ""))
        if kind == "hardBreak":
            return "\n"
        if kind in ("mention", "emoji", "status", "date", "inlineCard"):
            attrs = node.get("attrs") or {}
            return str(attrs.get("text") or attrs.get("shortName") or attrs.get("url") or "")
        return "".join(inline(child) for child in node.get("content") or [])

    def blocks(node: Any) -> list[str]:
        if not isinstance(node, dict):
            return []
        if node.get("type") in ("paragraph", "heading", "codeBlock"):
            return [inline(node)]
        return [text for child in node.get("content") or [] for text in blocks(child)]

    return "\n\n".join(blocks(document))


def text_document(text: str) -> dict[str, Any]:
    """text as an Atlassian Document: a paragraph per block, line breaks as hard breaks."""
    content = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        parts: list[dict[str, Any]] = []
        for index, line in enumerate(block.split("\n")):
            if index:
                parts.append({"type": "hardBreak"})
            if line:
                parts.append({"type": "text", "text": line})
        content.append({"type": "paragraph", "content": parts})
    return {"type": "doc", "version": 1, "content": content}


def rich_text(ctx: RequestContext, text: str | None, document: Any) -> Any:
    """What a rich-text field shows on this API version (None stays None)."""
    if text is None and document is None:
        return None
    if ctx.api_version == "3":
        return document if document is not None else text_document(text or "")
    return text if text is not None else document_text(document)


# -- pieces of an issue --------------------------------------------------------------------------


def status_json(ctx: RequestContext, resolved: bool) -> dict[str, Any]:
    sid, name, description, icon = _RESOLVED if resolved else _OPEN
    cid, key, color, category = _CATEGORY_DONE if resolved else _CATEGORY_NEW
    return {
        "self": f"{ctx.api_base}/status/{sid}",
        "description": description,
        "iconUrl": f"{ctx.base_url}/images/icons/statuses/{icon}.png",
        "name": name,
        "id": sid,
        "statusCategory": {
            "self": f"{ctx.api_base}/statuscategory/{cid}",
            "id": cid,
            "key": key,
            "colorName": color,
            "name": category,
        },
    }


def resolution_json(ctx: RequestContext) -> dict[str, Any]:
    rid, name, description = RESOLUTION
    return {
        "self": f"{ctx.api_base}/resolution/{rid}",
        "id": rid,
        "description": description,
        "name": name,
    }


def issue_type_json(ctx: RequestContext) -> dict[str, Any]:
    tid, name, description = ISSUE_TYPE
    return {
        "self": f"{ctx.api_base}/issuetype/{tid}",
        "id": tid,
        "description": description,
        "iconUrl": f"{ctx.base_url}/images/icons/issuetypes/task.svg",
        "name": name,
        "subtask": False,
        "hierarchyLevel": 0,
    }


def project_brief(ctx: RequestContext, project: Project) -> dict[str, Any]:
    return {
        "self": f"{ctx.api_base}/project/{project.id}",
        "id": str(project.id),
        "key": project.key,
        "name": project.name,
        "projectTypeKey": "service_desk",
        "simplified": False,
        "avatarUrls": {
            size: f"{ctx.base_url}/secure/projectavatar?size={size}&pid={project.id}"
            for size in ("48x48", "24x24", "16x16", "32x32")
        },
    }


def comment_json(ctx: RequestContext, comment: TicketComment) -> dict[str, Any]:
    author = render.user_json(ctx, comment.author, details=True)
    out: dict[str, Any] = {
        "self": f"{ctx.api_base}/issue/{comment.issue_id}/comment/{comment.id}",
        "id": str(comment.id),
        "author": author,
        "body": rich_text(ctx, comment.body, comment.body_adf),
        "updateAuthor": author,
        "created": jira_time(comment.created),
        "updated": jira_time(comment.created),
    }
    if ctx.cloud:
        out["jsdPublic"] = comment.public
    return out


def comments_page(
    ctx: RequestContext, comments: Sequence[TicketComment], start: int, limit: int
) -> dict[str, Any]:
    return {
        "comments": [comment_json(ctx, c) for c in comments[start : start + limit]],
        "maxResults": limit,
        "total": len(comments),
        "startAt": start,
    }


# -- the issue ---------------------------------------------------------------------------------


def issue_fields(
    ctx: RequestContext,
    ticket: Ticket,
    project: Project,
    fields: Iterable[str],
    comments: Sequence[TicketComment] = (),
) -> dict[str, Any]:
    """The `fields` object, with only the requested fields the sandbox knows."""
    wanted = set(fields)
    person = lambda user: render.user_json(ctx, user, details=True) if user else None  # noqa: E731
    values = {
        "summary": lambda: ticket.summary,
        "description": lambda: rich_text(ctx, ticket.description, ticket.description_adf),
        "issuetype": lambda: issue_type_json(ctx),
        "project": lambda: project_brief(ctx, project),
        "components": lambda: [
            {"self": f"{ctx.api_base}/component/{c.id}", "id": str(c.id), "name": c.name}
            | ({"description": c.description} if c.description is not None else {})
            for c in ticket.components
        ],
        "assignee": lambda: person(ticket.assignee),
        "reporter": lambda: person(ticket.reporter),
        "status": lambda: status_json(ctx, ticket.resolved),
        "resolution": lambda: resolution_json(ctx) if ticket.resolved else None,
        "resolutiondate": lambda: (
            jira_time(ticket.resolutiondate) if ticket.resolutiondate else None
        ),
        "created": lambda: jira_time(ticket.created),
        "updated": lambda: jira_time(ticket.updated),
        "comment": lambda: {
            **comments_page(ctx, comments, 0, len(comments)),
            "self": f"{ctx.api_base}/issue/{ticket.id}/comment",
        },
    }
    return {name: values[name]() for name in ALL_FIELDS if name in wanted}


def issue_json(
    ctx: RequestContext,
    ticket: Ticket,
    project: Project,
    fields: Iterable[str],
    comments: Sequence[TicketComment] = (),
) -> dict[str, Any]:
    """An IssueBean. Asked for `id` alone (Cloud search's default), just `{"id"}`."""
    wanted = set(fields)
    if wanted == {"id"}:
        return {"id": str(ticket.id)}
    return {
        "expand": ISSUE_EXPAND,
        "id": str(ticket.id),
        "self": f"{ctx.api_base}/issue/{ticket.id}",
        "key": ticket.key,
        "fields": issue_fields(ctx, ticket, project, wanted, comments),
    }


__all__ = [
    "ALL_FIELDS",
    "NAVIGABLE_FIELDS",
    "comment_json",
    "comments_page",
    "document_text",
    "field_definitions",
    "is_document",
    "issue_json",
    "requested_fields",
    "rich_text",
    "text_document",
]
