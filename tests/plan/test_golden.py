"""Golden files: each renderer on one plan with every kind of change, an error and a conflict.

Rewrite them after an intended change with `ACCESSQ_UPDATE_GOLDEN=1 pytest tests/plan`, then read
the diff: it is exactly what reviewers will see change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import pytest

from accessq.plan.diff import diff
from accessq.plan.model import Action, Plan
from accessq.plan.safety import evaluate
from accessq.render.plan import render_json
from accessq.render.plan_markdown import render_markdown
from accessq.render.plan_text import render_text
from tests.plan.builders import everything

GOLDEN = Path(__file__).parent / "golden"
ALL_ACTIONS: set[Action] = set(get_args(Action))


def _plan() -> tuple[Plan, list]:
    config, observed = everything()
    plan = diff(config, observed)
    return plan, evaluate(plan, config, observed)


def test_the_golden_plan_exercises_every_change_kind() -> None:
    plan, _ = _plan()
    assert {c.action for c in plan.changes} == ALL_ACTIONS
    updated = set()
    for change in plan.changes:
        if change.action == "update_component":
            updated |= set(change.after)
    assert updated == {"name", "description", "keywords", "lead", "assignee_type"}
    assert {c.role for c in plan.changes if c.action == "add_member"} == {
        "agents",
        "watchers",
        "updaters",
    }
    assert {c.role for c in plan.changes if c.action == "remove_member"} == {"agents", "watchers"}
    # Every way a granted account is established, each shown as such.
    assert {c.person.match for c in plan.changes if c.person and c.action == "add_member"} == {
        "email",
        "hidden_email",
        "account_id",
    }
    assert {e.kind for e in plan.errors} == {"conflict", "unresolved_person", "inactive_person"}


RENDERERS: dict[str, Callable[[Plan, list], str]] = {
    "plan.txt": lambda plan, violations: render_text(plan, color=False, violations=violations),
    "plan.md": lambda plan, violations: render_markdown(plan, violations=violations),
    "plan.json": lambda plan, violations: render_json(plan),
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_renderer_matches_golden_file(name: str) -> None:
    plan, violations = _plan()
    rendered = RENDERERS[name](plan, violations)
    path = GOLDEN / name
    if os.environ.get("ACCESSQ_UPDATE_GOLDEN") == "1":
        path.write_text(rendered)
    assert path.exists(), f"missing {path}; run with ACCESSQ_UPDATE_GOLDEN=1 to create it"
    assert rendered == path.read_text()
