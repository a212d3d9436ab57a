"""How a queue lives in Jira (DESIGN.md section 2), as one small pure codec.

Everything here is a function of names and text: no HTTP, so the plan core can use it too.
Whatever `encode_description` writes, `decode_description` reads back exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import get_args

from accessq.config.models import AwardeeQueue, Role, RPQueue
from accessq.config.naming import group_name

MARKER = "Managed by accessq."
KEYWORDS_PREFIX = "Keywords: "
ALIASES_PREFIX = "Aliases: "
ROLES: tuple[Role, ...] = get_args(Role)
RP_ROLES = RPQueue.ROLES
AWARDEE_ROLES = AwardeeQueue.ROLES
LEAD_ASSIGNEE = "COMPONENT_LEAD"
DEFAULT_ASSIGNEE = "PROJECT_DEFAULT"


def parse_group_name(prefix: str, name: str) -> tuple[str, Role] | None:
    """(slug, role) when `name` is a group name accessq writes, else None: accessq owns the group.

    accessq owns exactly the names `config.naming.group_name` gives: the prefix, a slug (what
    `slug` makes of some queue name: a-z, 0-9 and single `-`, with a letter or digit) and
    `-<role>`, compared as Jira compares group names (ignoring case). A look-alike it never writes
    (`ats-jetstream.2-watchers`, `ats-Bridges 2-agents`, `ats-a--b-agents`) is someone else's,
    even though its slug would be a queue's. Non-ASCII names never match: accessq writes none,
    and ASCII-only case folding is the comparison every Jira flavour agrees on.
    """
    if not name.isascii():
        return None
    lowered = name.lower()
    if not lowered.startswith(prefix.lower()):
        return None
    rest = lowered[len(prefix) :]
    for role in ROLES:
        suffix = f"-{role}"
        if not rest.endswith(suffix):
            continue
        candidate = rest[: -len(suffix)]
        if candidate.strip("-") and group_name(prefix, candidate, role) == lowered:
            return candidate, role
    return None


def looks_like_group_name(prefix: str, name: str) -> bool:
    """A group with the prefix and a role suffix that accessq does not own: worth a note."""
    lowered = name.casefold()
    return (
        lowered.startswith(prefix.casefold())
        and lowered.endswith(tuple(f"-{role}" for role in ROLES))
        and parse_group_name(prefix, name) is None
    )


@dataclass(frozen=True)
class ComponentText:
    """What accessq reads from a component description."""

    managed: bool
    description: str
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


def encode_keywords(keywords: list[str] | tuple[str, ...]) -> str:
    """The text after `Keywords: ` (and `Aliases: `): the comma form `a, b` when it reads back
    exactly (so the components written before keywords could hold commas stay as they are), else
    a JSON list (`["C, C++", "R"]`), which holds any one-line text."""
    comma_form = ", ".join(keywords)
    if all("," not in k and k == k.strip() and k for k in keywords) and not comma_form.startswith(
        "["
    ):
        return comma_form
    return json.dumps(list(keywords), ensure_ascii=False)


def decode_keywords(raw: str) -> tuple[str, ...]:
    """What `encode_keywords` wrote, or the comma form of older components (and people)."""
    if raw.lstrip().startswith("["):
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(k, str) for k in value):
            return tuple(k.strip() for k in value if k.strip())
    return tuple(k.strip() for k in raw.split(",") if k.strip())


def encode_description(
    description: str,
    keywords: list[str] | tuple[str, ...] = (),
    aliases: list[str] | tuple[str, ...] = (),
) -> str:
    """The component description: the free text, a blank line, then the trailer lines right
    before the marker, `Aliases:` and `Keywords:`, each only when it has terms (so a component
    without aliases reads exactly as it did before aliases were stored)."""
    lines = [description.strip()] if description.strip() else []
    if lines:
        lines.append("")
    if aliases:
        lines.append(ALIASES_PREFIX + encode_keywords(aliases))
    if keywords:
        lines.append(KEYWORDS_PREFIX + encode_keywords(keywords))
    lines.append(MARKER)
    return "\n".join(lines)


def decode_description(text: str | None) -> ComponentText:
    lines = (text or "").replace("\r\n", "\n").rstrip().split("\n")
    if not lines or lines[-1].strip() != MARKER:
        return ComponentText(managed=False, description=(text or "").strip())
    body = lines[:-1]
    # Only the lines right before the marker, in this order from the end: text that merely
    # starts with `Aliases:` further up (the encoder puts a blank line after the free text)
    # stays description.
    found: dict[str, tuple[str, ...]] = {}
    for prefix in (KEYWORDS_PREFIX, ALIASES_PREFIX):
        if body and body[-1].startswith(prefix):
            found[prefix] = decode_keywords(body.pop()[len(prefix) :])
    return ComponentText(
        managed=True,
        description="\n".join(body).strip(),
        keywords=found.get(KEYWORDS_PREFIX, ()),
        aliases=found.get(ALIASES_PREFIX, ()),
    )


def jsm_queue_jql(queue_name: str) -> str:
    escaped = queue_name.replace("\\", "\\\\").replace('"', '\\"')
    return f'component = "{escaped}" AND resolution = Unresolved'
