"""How a queue lives in Jira (DESIGN.md section 2), as one small pure codec.

Everything here is a function of names and text: no HTTP, so the plan core can use it too.
Whatever `encode_description` writes, `decode_description` reads back exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from accessq.config.models import AwardeeQueue, Role, RPQueue

MARKER = "Managed by accessq."
KEYWORDS_PREFIX = "Keywords: "
ROLES: tuple[Role, ...] = get_args(Role)
RP_ROLES = RPQueue.ROLES
AWARDEE_ROLES = AwardeeQueue.ROLES
LEAD_ASSIGNEE = "COMPONENT_LEAD"
DEFAULT_ASSIGNEE = "PROJECT_DEFAULT"

def parse_group_name(prefix: str, name: str) -> tuple[str, Role] | None:
    """(slug, role) for a managed group name, or None when accessq does not own that group."""
    lowered = name.lower()
    if not lowered.startswith(prefix.lower()):
        return None
    rest = lowered[len(prefix) :]
    for role in ROLES:
        suffix = f"-{role}"
        if rest.endswith(suffix) and len(rest) > len(suffix):
            return rest[: -len(suffix)], role
    return None


@dataclass(frozen=True)
class ComponentText:
    """What accessq reads from a component description."""

    managed: bool
    description: str
    keywords: tuple[str, ...] = ()


def encode_description(description: str, keywords: list[str] | tuple[str, ...] = ()) -> str:
    lines = [description.strip()] if description.strip() else []
    if lines:
        lines.append("")
    if keywords:
        lines.append(KEYWORDS_PREFIX + ", ".join(keywords))
    lines.append(MARKER)
    return "\n".join(lines)


def decode_description(text: str | None) -> ComponentText:
    lines = (text or "").replace("\r\n", "\n").rstrip().split("\n")
    if not lines or lines[-1].strip() != MARKER:
        return ComponentText(managed=False, description=(text or "").strip())
    body = lines[:-1]
    keywords: tuple[str, ...] = ()
    if body and body[-1].startswith(KEYWORDS_PREFIX):
        raw = body.pop()[len(KEYWORDS_PREFIX) :]
        keywords = tuple(k.strip() for k in raw.split(",") if k.strip())
    return ComponentText(managed=True, description="\n".join(body).strip(), keywords=keywords)


def jsm_queue_jql(queue_name: str) -> str:
    escaped = queue_name.replace("\\", "\\\\").replace('"', '\\"')
    return f'component = "{escaped}" AND resolution = Unresolved'
