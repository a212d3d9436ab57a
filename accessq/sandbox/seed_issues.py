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

`IssueIn` is the section's shape, part of the seed's model (seed.py); its descriptions are the
messages for mistakes (seed_errors.py). Reference problems go through the seed builder's `fail` (one
line naming file:line), like every other section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SUMMARY_MAX = 255
_PERSON = "a username, account id or email"


@dataclass(frozen=True)
class SeedIssue:
    summary: str
    description: str | None
    components: tuple[str, ...]  # component names, as the seed's components spell them
    assignee: str | None  # usernames of SeedUsers
    reporter: str | None
    resolved: bool
    created: datetime | None  # UTC; None: the time of seeding


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    summary: str = Field(
        min_length=1,
        max_length=SUMMARY_MAX,
        description=f"must be a non-empty string of at most {SUMMARY_MAX} characters",
    )
    description: str | None = Field(default=None, description="must be a string")
    components: list[str] = Field(
        default_factory=list, description="must be a list of component names"
    )
    assignee: str | None = Field(default=None, description=f"must be {_PERSON}")
    reporter: str | None = Field(default=None, description=f"must be {_PERSON}")
    status: Literal["open", "resolved"] = Field(
        default="open", description="must be open or resolved"
    )
    created: datetime | None = Field(
        default=None,
        description="must be a date or date-time, e.g. 2025-03-03 or 2025-03-03T14:05:00Z",
    )

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


Fail = Callable[[Any, str], Exception]
FindUser = Callable[[Any], "str | None"]


def build_issues(
    models: Sequence[IssueIn],
    raw_items: Sequence[Any],
    fail: Fail,
    find_user: FindUser,
    component_names: Sequence[str],
) -> tuple[SeedIssue, ...]:
    """The seed's issues from their checked shapes (raw_items, the YAML list, give the lines), or
    raise fail(where, message).

    find_user turns a username, account id or email into the username of a seed user (or None);
    component_names are the seed's components.
    """
    by_name = {name.lower(): name for name in component_names}
    return tuple(
        _issue(model, raw, f"issues[{index}]", fail, find_user, by_name)
        for index, (model, raw) in enumerate(zip(models, raw_items, strict=True))
    )


def _issue(
    model: IssueIn,
    raw: Any,
    where: str,
    fail: Fail,
    find_user: FindUser,
    components: dict[str, str],
) -> SeedIssue:
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


__all__ = ["IssueIn", "SeedIssue", "build_issues"]
