"""The one place the sandbox reads whole numbers from requests (ids, paging, ranges).

Jira reads them as Java `int` or `long`: ASCII digits with an optional sign, within range.
Python's `int()` and `str.isdigit()` accept more (`'¹'.isdigit()` is true, `int('١٢')` is 12)
and no range, and SQLite refuses integers beyond 64 bits: every request number goes through
`parse_int`, so odd input is a 400 or 404 in Jira's words, never a 500.
"""

from __future__ import annotations

import re

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")


def parse_int(
    raw: object, *, maximum: int = INT64_MAX, minimum: int = -INT64_MAX - 1
) -> int | None:
    """The integer `raw` spells (a str of ASCII digits, or an int), or None: not a whole number,
    or outside minimum..maximum."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _INTEGER.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if minimum <= value <= maximum else None


def parse_id(raw: object) -> int | None:
    """A positive database id (a Java long), or None."""
    return parse_int(raw, minimum=1)
