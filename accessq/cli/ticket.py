"""`apply --ticket KEY`: check the request ticket up front, comment on it after the apply.

The comment is a courtesy to the requester, never part of the change: it is checked before
anything is changed (a malformed key stops the apply; a ticket that cannot be read is a warning)
and posting it can fail without changing what the apply earned. Every outcome is one line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from accessq.jira.secret import redact

if TYPE_CHECKING:
    from accessq.apply.engine import ApplyResult
    from accessq.jira.gateway import Gateway
    from accessq.plan.model import Plan

# PROJECT-NUMBER: a Jira project key (a letter, then letters, digits or `_`) and an issue number.
_KEY = re.compile(r"[A-Z][A-Z0-9_]*-[1-9][0-9]{0,17}")
ENV = "ACCESSQ_TICKET"


def ticket_key(value: str) -> str | None:
    """The key in Jira's spelling (upper case), or None when `value` is not PROJECT-NUMBER."""
    key = value.strip().upper()
    return key if _KEY.fullmatch(key) else None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text[:300])


def check_ticket(gateway: Gateway, key: str) -> str | None:
    """None when the ticket can be read; otherwise why it cannot (one line)."""
    try:
        found = gateway.issue_key(key)
    except Exception as exc:  # the apply goes on whatever the read met
        return f"it could not be read: {_one_line(exc)}"
    return None if found is not None else "it does not exist or this account cannot see it"


def comment_on_ticket(gateway: Gateway, key: str, plan: Plan, result: ApplyResult) -> str:
    """Post what was done on `key`; the closing line says whether it was commented and why not."""
    from accessq.render.ticket_comment import render_ticket_comment

    try:
        gateway.add_comment(key, render_ticket_comment(plan, result))
    except Exception as exc:  # commenting never fails the apply
        return f"warning: {key} was not commented: {_one_line(exc)}"
    return f"Commented on {key}."
