"""A credential that never shows itself, and a net for the times a server shows it anyway.

`Secret`: repr, str, format and pickling all hide the value.

`redact(text)`: some servers and proxies echo the credentials they were sent (401/400/5xx bodies,
`X-Authentication-Denied-Reason`, HTML error pages), and anything a server sends can reach the
output (display names, descriptions, group names). Every Secret registers its value when it is
made, and the gateway registers the basic-auth encoding of `user:token` when it signs in; `redact`
masks all of them, in the spellings a server or our own output could use (percent-, JSON- and
HTML-escaped). Error messages apply it where server text enters them, and every output path (the
CLI's stdout and stderr, the journal, saved plans, exports) applies it once more as a last net.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import unicodedata
from typing import NoReturn
from urllib.parse import quote

MASK = "***"
# Shorter values would mask ordinary words (the sandbox signs in as admin/admin); real API tokens
# and PATs are far longer.
MIN_REDACTED = 8


class Secret:
    """Holds an API token or personal access token; only `reveal()` gives the value back."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "_value", value)
        register(value)

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


class _Registry:
    """Every spelling of every secret this process has held; one compiled pattern over them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, forms: set[str]) -> None:
        with self._lock:
            new = {f for f in forms if len(f) >= MIN_REDACTED} - self._forms
            if not new:
                return
            self._forms |= new
            # Longest first, so a secret's encoding is not half-masked by a shorter secret.
            alternatives = sorted(self._forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, alternatives)))

    def redact(self, text: str) -> str:
        pattern = self._pattern
        return text if pattern is None else pattern.sub(MASK, text)


_REGISTRY = _Registry()


def _spellings(value: str) -> set[str]:
    """`value` as it is, and as URLs, JSON and HTML would escape it."""
    forms = {
        value,
        html.escape(value),
        html.escape(value, quote=False),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }
    for safe in ("", "/"):
        encoded = quote(value, safe=safe)
        forms |= {encoded, re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), encoded)}
    return forms


def register(value: str) -> None:
    """Mask `value` (and its escaped spellings) in everything `redact` sees from now on."""
    _REGISTRY.add(_spellings(value))


def register_basic(user: str, secret: Secret) -> None:
    """Mask the basic-auth encoding of `user:secret`, the form the Authorization header carries."""
    pair = f"{user}:{secret.reveal()}"
    forms: set[str] = set()
    for encoding in ("utf-8", "latin-1"):  # requests sends latin-1; a server may echo either
        try:
            encoded = base64.b64encode(pair.encode(encoding)).decode("ascii")
        except UnicodeEncodeError:
            continue
        forms.add(encoded)
        forms.add(encoded.rstrip("="))
    for form in forms:
        _REGISTRY.add(_spellings(form))


def redact(text: str) -> str:
    """`text` with every registered secret spelling replaced by `***`."""
    return _REGISTRY.redact(text)
