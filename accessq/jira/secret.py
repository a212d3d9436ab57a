"""A credential that never shows itself: repr, str, format and pickling all hide it."""

from __future__ import annotations

import unicodedata
from typing import NoReturn

MASK = "***"


class Secret:
    """Holds an API token or personal access token; only `reveal()` gives the value back."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Secret is immutable")

    def __reduce__(self) -> NoReturn:
        # Keeps secrets out of pickles (and so out of plan files or caches by accident).
        raise TypeError("a Secret cannot be pickled")


def header_problem(value: str) -> str | None:
    """Why `value` cannot travel in an HTTP header as a credential, or None when it can.

    A phrase for "ACCESSQ_JIRA_PAT <phrase>", saying where and what, never the value: requests
    would otherwise fail mid-connect with a traceback or an exception that quotes the header.
    """
    if value != value.rstrip():
        return (
            "ends with a line break or space (a secret file saved with Windows line endings?); "
            "remove it"
        )
    if value != value.lstrip():
        return "starts with a space or line break; remove it"
    if any(c.isspace() for c in value):
        return "contains a space or line break; a token is one unbroken word"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        return "contains a control or invisible formatting character; copy the token again"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return (
            "contains a character HTTP headers cannot carry (outside Latin-1, e.g. a typographic "
            "quote); copy the token again"
        )
    return None
