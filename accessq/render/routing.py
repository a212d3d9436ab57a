"""Views of routing: `route`'s ranking, `triage`'s list (text, JSON, markdown), `vocabulary`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from accessq.routing.matcher import Decision
from accessq.routing.triage import Suggestion

NO_MATCH = "no queue matches; leave it in triage"


def decision_json(decision: Decision, ticket: str | None) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "best": decision.winner.queue if decision.winner else None,
        "tied": [m.queue for m in decision.tied],
        "matches": [
            {"queue": m.queue, "kind": m.kind, "score": m.score, "matched": list(m.terms)}
            for m in decision.matches
        ],
    }


def render_decision(decision: Decision, fmt: str, ticket: str | None = None) -> str:
    if fmt == "json":
        return json.dumps(decision_json(decision, ticket), indent=2, ensure_ascii=False) + "\n"
    if not decision.matches:
        return NO_MATCH + "\n"
    width = max(len(m.queue) for m in decision.matches)
    lines = [
        f"{m.queue:<{width}}  score {m.score}  matched: {', '.join(m.terms)}"
        for m in decision.matches
    ]
    if decision.tied:
        lines.append(f"tie: {' and '.join(m.queue for m in decision.tied)} share the best score")
    return "\n".join(lines) + "\n"


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "ticket": s.key,
        "queue": s.current,
        "verdict": s.verdict,
        "suggested": s.best.queue if s.best else None,
        "matched": list(s.best.terms) if s.best else [],
        "tied": [m.queue for m in s.tied],
        "why": s.why,
    }


def render_triage(suggestions: Sequence[Suggestion], fmt: str, applied: set[str]) -> str:
    rows = [suggestion_json(s) | {"applied": s.key in applied} for s in suggestions]
    if fmt == "json":
        return json.dumps({"tickets": rows}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        out = ["| ticket | queue | suggested | why |", "|---|---|---|---|"]
        for r in rows:
            done = " (reassigned)" if r["applied"] else ""
            cells = [r["ticket"], r["queue"] or "-", (r["suggested"] or "-") + done, r["why"]]
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        if not rows:
            out = ["No open ticket needs triage."]
        return "\n".join(out) + "\n"
    if not rows:
        return "No open ticket needs triage.\n"
    out = []
    for r in rows:
        arrow = f"{r['queue'] or '(no queue)'} -> {r['suggested'] or '?'}"
        done = "  [reassigned]" if r["applied"] else ""
        out.append(f"{r['ticket']}  {arrow}  {r['why']}{done}")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    # A ticket's words are the reporter's: nothing in them may break the table or add markup.
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
