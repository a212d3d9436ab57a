"""The seed's `issues:` section: the tickets a fresh sandbox starts with, checked with pydantic.

```yaml
issues:                      # keys ATS-1, ATS-2, ... in this order
  - summary: Cannot log in to Delta            # required
    description: My SSH key is rejected since Monday.
    components: [General Support]              # names of the seed's components (default none)
    assignee: jdoe                             # username, account id or email (default none)
    reporter: pnair@purdue.example.edu         # likewise (default none)
    status: open                               # open (default) or resolved
    created: 2025-03-03T14:05:00Z              # a date or date-time (default: when seeded)
```

Problems are reported through the seed builder's `fail` (one line naming file:line), like every
other section. Imports nothing else of the sandbox, so seed.py can import it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SUMMARY_MAX = 255
ISSUE_KEYS = ("summary", "description", "components", "assignee", "reporter", "status", "created")


@dataclass(frozen=True)
class SeedIssue:
    summary: str
    description: str | None
    components: tuple[str, ...]  # component names, as the seed's components spell them
    assignee: str | None  # usernames of SeedUsers
    reporter: str | None
    resolved: bool
    created: datetime | None  # UTC; None: the time of seeding


class _Issue(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    summary: str = Field(min_length=1, max_length=SUMMARY_MAX)
    description: str | None = None
    components: list[str] = Field(default_factory=list)
    assignee: str | None = None
    reporter: str | None = None
    status: Literal["open", "resolved"] = "open"
    created: datetime | None = None

    @field_validator("assignee", "reporter", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        # Usernames and account ids that YAML read as numbers are still names.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("created", mode="before")
    @classmethod
    def _moment(cls, value: Any) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime.combine(value, time(9, 0), UTC)  # a date alone: 09:00 UTC
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                return datetime.combine(date.fromisoformat(value.strip()), time(9, 0), UTC)
            except ValueError:
                return value
        return value

    @field_validator("created")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(microsecond=0)


_MESSAGES = {
    "summary": "summary must be a non-empty string of at most 255 characters",
    "description": "description must be a string",
    "components": "components must be a list of component names",
    "assignee": "assignee must be a username, account id or email",
    "reporter": "reporter must be a username, account id or email",
    "status": "status must be open or resolved",
    "created": "created must be a date or date-time, e.g. 2025-03-03 or 2025-03-03T14:05:00Z",
}

Fail = Callable[[Any, str], Exception]
FindUser = Callable[[Any], "str | None"]


def build_issues(
    raw_items: Sequence[Any], fail: Fail, find_user: FindUser, component_names: Sequence[str]
) -> tuple[SeedIssue, ...]:
    """The seed's issues from raw_items (the YAML list), or raise fail(where, message).

    find_user turns a username, account id or email into the username of a seed user (or None);
    component_names are the seed's components.
    """
    by_name = {name.lower(): name for name in component_names}
    return tuple(
        _issue(raw, f"issues[{index}]", fail, find_user, by_name)
        for index, raw in enumerate(raw_items)
    )


def _issue(
    raw: Any, where: str, fail: Fail, find_user: FindUser, components: dict[str, str]
) -> SeedIssue:
    if not isinstance(raw, dict):
        raise fail(raw, f"{where} must be a mapping, not {type(raw).__name__}")
    try:
        model = _Issue.model_validate(dict(raw))
    except ValidationError as exc:
        raise fail(raw, f"{where}: {_first_problem(exc)}") from None
    names = []
    for name in model.components:
        known = components.get(name.lower())
        if known is None:
            raise fail(raw, f"{where}: component {name!r} is not a component of this seed")
        if known not in names:
            names.append(known)
    people = {}
    for role in ("assignee", "reporter"):
        ref = getattr(model, role)
        username = find_user(ref) if ref is not None else None
        if ref is not None and username is None:
            raise fail(raw, f"{where}: {role} {ref!r} is not a user of this seed")
        people[role] = username
    return SeedIssue(
        summary=model.summary,
        description=model.description or None,
        components=tuple(names),
        assignee=people["assignee"],
        reporter=people["reporter"],
        resolved=model.status == "resolved",
        created=model.created,
    )


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    key = str(error["loc"][0]) if error["loc"] else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r} (known: {', '.join(ISSUE_KEYS)})"
    if error["type"] == "missing":
        return f"missing {key!r}"
    return _MESSAGES.get(key, error["msg"])


__all__ = ["ISSUE_KEYS", "SeedIssue", "build_issues"]
