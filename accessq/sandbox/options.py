"""Per-sandbox modes for what Jira sites differ in, or what no public source settles.

Chosen in the seed (`options:`), stored with the state, and overridable when a sandbox starts
(`start_background(options=...)`, `accessq sandbox serve --option KEY=VALUE`). Unlike faults they
describe the site, so they do not change while it runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

HIDDEN_EMAIL_SEARCH = ("exact", "never")


@dataclass(frozen=True)
class SandboxOptions:
    # Cloud `user/search?query=<email>` and a user whose profile hides the email: "exact" finds
    # them by the whole address (ignoring case), "never" does not (only name matches count).
    hidden_email_search: str = "exact"

    @classmethod
    def build(cls, base: SandboxOptions | None = None, **changes: Any) -> SandboxOptions:
        """base (or the defaults) with the given options changed; ValueError names a bad one."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(
                f"unknown sandbox option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return replace(base or cls(), **{k: _check(k, v) for k, v in changes.items()})

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


def _check(name: str, value: Any) -> Any:
    if name == "hidden_email_search":
        if value not in HIDDEN_EMAIL_SEARCH:
            raise ValueError(f"hidden_email_search must be one of {', '.join(HIDDEN_EMAIL_SEARCH)}")
        return value
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        raise ValueError(f"{name} must be a whole number from 1 to 100000")
    return value


def merged(stored: SandboxOptions, overrides: Mapping[str, Any] | None) -> SandboxOptions:
    return SandboxOptions.build(stored, **dict(overrides or {}))
