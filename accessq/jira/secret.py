"""A credential that never shows itself: repr, str, format and pickling all hide it."""

from __future__ import annotations

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
