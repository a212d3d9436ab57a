"""One entry point for the three plan formats, so the CLI maps `--format` to a call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from accessq.plan.model import Plan
from accessq.plan.safety import Violation
from accessq.plan.serialize import plan_to_json
from accessq.render.plan_markdown import render_markdown
from accessq.render.plan_text import render_text

Format = Literal["text", "markdown", "json"]


def render_json(plan: Plan) -> str:
    """The JSON plan format (docs/plan-format.md); the same text `plan --out` saves."""
    return plan_to_json(plan)


def render(
    plan: Plan,
    fmt: Format,
    *,
    color: bool = False,
    width: int = 100,
    violations: Sequence[Violation] = (),
) -> str:
    """The plan in `fmt`. Violations show in text and markdown; JSON stays the saved-plan format."""
    if fmt == "json":
        return render_json(plan)
    if fmt == "markdown":
        return render_markdown(plan, violations=violations)
    return render_text(plan, color=color, width=width, violations=violations)
