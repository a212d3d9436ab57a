"""The pure core: diff, safety rules, the plan model and its renderers. No HTTP here.

Typical use (what `accessq plan` / `accessq apply` do):

    plan = diff(config, observed, only=None)
    blocking = check(plan, config, observed, force=False, allow_delete=False)
    sys.stdout.write(render(plan, "text", color=use_color(sys.stdout)))
"""

from accessq.plan.diff import diff
from accessq.plan.fingerprint import describe_drift, fingerprint_parts, observed_fingerprint
from accessq.plan.model import Change, Plan, PlanError, PlanPerson, Summary
from accessq.plan.render import render, render_json
from accessq.plan.render_markdown import render_markdown
from accessq.plan.render_text import render_text, use_color
from accessq.plan.safety import Violation, check, evaluate, with_overrides
from accessq.plan.serialize import PlanFileError, plan_from_json, plan_to_json
from accessq.plan.simulate import simulate

__all__ = [
    "Change",
    "Plan",
    "PlanError",
    "PlanFileError",
    "PlanPerson",
    "Summary",
    "Violation",
    "check",
    "describe_drift",
    "diff",
    "evaluate",
    "fingerprint_parts",
    "observed_fingerprint",
    "plan_from_json",
    "plan_to_json",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
    "simulate",
    "use_color",
    "with_overrides",
]
