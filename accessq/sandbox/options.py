"""Per-sandbox modes for what Jira sites differ in, or what no public source settles.

Chosen in the seed (`options:`), stored with the state, and overridable when a sandbox starts
(`start_background(options=...)`, `accessq sandbox serve --option KEY=VALUE`). Unlike faults they
describe the site, so they do not change while it runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, fields, replace
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError, ValidationInfo
from pydantic.dataclasses import dataclass as pydantic_dataclass

from accessq.sandbox.faults import first_reason

HIDDEN_EMAIL_SEARCH = ("exact", "never")


def _mode(value: Any, info: ValidationInfo) -> str:
    if value not in HIDDEN_EMAIL_SEARCH:
        raise ValueError(f"{info.field_name} must be one of {', '.join(HIDDEN_EMAIL_SEARCH)}")
    return str(value)


def _limit(value: Any, info: ValidationInfo) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        raise ValueError(f"{info.field_name} must be a whole number from 1 to 100000")
    return value


Limit = Annotated[int, BeforeValidator(_limit)]


@pydantic_dataclass(frozen=True)
class SandboxOptions:
    """Every option; each field's type says what it accepts (the seed's `options:` section)."""

    # Cloud `user/search?query=<email>` and a user whose profile hides the email: "exact" finds
    # them by the whole address (ignoring case), "never" does not (only name matches count).
    hidden_email_search: Annotated[str, BeforeValidator(_mode)] = "exact"
    # The site's `jira.ajax.autocomplete.limit`: the most groups `groups/picker` returns
    # (its `total` still counts every match). Sites set it; 1000 is the sandbox's default.
    group_picker_limit: Limit = 1000
    # The most users Data Center's `user/search` returns, whatever maxResults asks: 1000 on
    # Jira 9, 100 on Jira 10.
    dc_user_search_limit: Limit = 1000

    @classmethod
    def build(cls, base: SandboxOptions | None = None, **changes: Any) -> SandboxOptions:
        """base (or the defaults) with the given options changed; ValueError names a bad one."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(
                f"unknown sandbox option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        options = base or cls()
        # One at a time: the first bad option in the order given is the one reported.
        for name, value in changes.items():
            try:
                options = replace(options, **{name: value})
            except ValidationError as exc:
                raise ValueError(first_reason(exc)) from None
        return options

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> SandboxOptions:
        """What the state stored (unknown keys, from a newer sandbox, are ignored)."""
        if not text:
            return cls()
        stored = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls.build(**{k: v for k, v in stored.items() if k in known})


def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings (from the command line) as option changes; numbers become ints."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option {pair!r}: write it as KEY=VALUE")
        text = value.strip()
        out[key.strip()] = int(text) if text.isascii() and text.isdigit() else text
    return out


def merged(stored: SandboxOptions, overrides: Mapping[str, Any] | None) -> SandboxOptions:
    return SandboxOptions.build(stored, **dict(overrides or {}))
