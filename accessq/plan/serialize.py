"""Saved plans: the JSON plan format (docs/plan-format.md) written and read back exactly."""

from __future__ import annotations

import json

from pydantic import ValidationError

from accessq.plan.model import FORMAT_VERSION, Plan


class PlanFileError(ValueError):
    """A plan file that cannot be used; the message is one line."""


_TOO_DEEP = "not an accessq plan file: its JSON is nested far too deeply to read"


def plan_to_json(plan: Plan) -> str:
    """The plan as indented JSON with a trailing newline; byte-identical for equal plans."""
    # `configuration` appears only in saved plans (`plan --out`), not in what reviewers read.
    skip = {"configuration"} if plan.configuration is None else set()
    if plan.origins is None:  # plans made without an apply record read as they always have
        skip.add("origins")
    return plan.model_dump_json(indent=2, exclude=skip or None) + "\n"


def plan_from_json(text: str) -> Plan:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(f"not a JSON plan file ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        # A plan is a few levels deep; thousands of nested brackets are a hostile file.
        raise PlanFileError(_TOO_DEEP) from None
    if not isinstance(data, dict) or "format_version" not in data:
        raise PlanFileError("not an accessq plan file (no format_version)")
    version = data["format_version"]
    if version != FORMAT_VERSION:
        raise PlanFileError(
            f"plan file format_version {version!r} is not supported (this accessq reads "
            f"{FORMAT_VERSION}); make the plan again with this version"
        )
    try:
        return Plan.model_validate(data)
    except RecursionError:
        raise PlanFileError(_TOO_DEEP) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "plan"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise PlanFileError(f"malformed plan file: {where}: {first['msg']}{more}") from None
