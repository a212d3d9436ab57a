"""The steps `route` and `triage` share: the router of a configuration, and reassigning one
ticket (component, assignee, comment) the way the seed describes external reassignment."""

from __future__ import annotations

from dataclasses import dataclass

from accessq.cli.workflow import Stop
from accessq.config.models import Config
from accessq.jira.gateway import Gateway
from accessq.model.naming import decode_description
from accessq.model.observed import Account, ObservedComponent
from accessq.render.ticket_comment import wiki_text
from accessq.routing.matcher import Match, Router
from accessq.routing.vocabulary import vocabulary


def router_of(config: Config) -> Router:
    return Router(vocabulary(config))


@dataclass(frozen=True)
class Target:
    component: ObservedComponent
    assignee: Account | None  # None: unassigned, for the queue's agents


def live_targets(gateway: Gateway, config: Config) -> dict[str, Target | str]:
    """Each configured queue's component and default assignee, or why a ticket cannot go there."""
    components = {c.name: c for c in gateway.components()}
    found: dict[str, Target | str] = {}
    for queue in config.queues:
        component = components.get(queue.name)
        if component is None or not decode_description(component.description).managed:
            found[queue.name] = (
                f"queue '{queue.name}' has no component managed by accessq in "
                f"{gateway.project}; run accessq apply first"
            )
            continue
        assignee: Account | None = None
        if getattr(queue, "default_assignee", None):
            if component.lead is None:
                found[queue.name] = (
                    f"queue '{queue.name}' has a default assignee but its component has no "
                    "lead in Jira; run accessq apply first"
                )
                continue
            assignee = component.lead
        found[queue.name] = Target(component, assignee)
    return found


def comment_for(match: Match) -> str:
    # Wiki markup: a queue name or keyword from a queue file must not become a link or macro.
    words = ", ".join(f'"{wiki_text(t)}"' for t in match.terms)
    queue = wiki_text(match.queue)
    return f"accessq routed this ticket to the {queue} queue: its text matched {words}."


def reassign(gateway: Gateway, key: str, match: Match, target: Target | str) -> str:
    """Set the component, the assignee and a comment; one line saying what was done."""
    if isinstance(target, str):
        raise Stop(f"error: {key}: {target}; nothing was changed")
    gateway.set_ticket_component(key, target.component.id)
    gateway.assign_ticket(key, target.assignee.key if target.assignee else None)
    gateway.add_comment(key, comment_for(match))
    who = target.assignee.display_name or target.assignee.key if target.assignee else "nobody"
    return f"{key}: moved to {match.queue}, assigned to {who}"
