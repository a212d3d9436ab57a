"""The Jira group names a queue name gives: one definition, used by validation and the plan.

Group names keep to a-z, 0-9 and '-', so a slug spells a name in ASCII (docs/language.md,
"Group names"):

- an ASCII name: lower-cased, each run of other characters a '-' (`Jetstream 2` -> `jetstream-2`);
  every name accessq has ever managed keeps exactly this slug, so no live group is renamed;
- another name: each character as Unicode decomposes it into ASCII (`Café` -> `cafe`,
  full-width `Ｄｅｌｔａ` -> `delta`), a few Latin letters by a table (`ß` -> `ss`), then as above;
- when a letter or digit has no ASCII spelling (Greek, Cyrillic, CJK ...): what could be spelled,
  then '-' and 8 hex digits of a SHA-256 of the name compared as names are compared (NFC and
  casefold), so `Δέλτα-2` -> `2-<hash>` and `Δέλτα` -> `<hash>`. The same name always gives the
  same slug; two names giving one slug are an error of `accessq validate`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from accessq.config.models import Role
from accessq.config.text import fold

_NON_SLUG = re.compile(r"[^a-z0-9]+")
HASH_DIGITS = 8
# Latin letters Unicode does not decompose, spelled as their languages spell them in ASCII.
_LATIN = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
    }
)


def slug(name: str) -> str:
    """`Jetstream-2` -> `jetstream-2`; see the module docstring for names beyond ASCII."""
    if name.isascii():
        return _NON_SLUG.sub("-", name.lower())
    spelled: list[str] = []
    lost = False
    for ch in unicodedata.normalize("NFC", name):
        ascii_text = _ascii(ch)
        spelled.append(ascii_text)
        if unicodedata.category(ch)[0] in "LN" and not any(c.isalnum() for c in ascii_text):
            lost = True
    base = _NON_SLUG.sub("-", "".join(spelled).lower())
    if not lost:
        return base
    digest = hashlib.sha256(fold(name).encode("utf-8")).hexdigest()[:HASH_DIGITS]
    stem = base.strip("-")
    return f"{stem}-{digest}" if stem else digest


def _ascii(ch: str) -> str:
    """The ASCII spelling of one character; a space (a word break) when it has none."""
    if ch.isascii():
        return ch
    table = ch.translate(_LATIN)
    if table != ch:
        return table
    bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(c if c.isascii() else " " for c in bare)


def group_name(prefix: str, queue_name: str, role: Role) -> str:
    return f"{prefix}{slug(queue_name)}-{role}"
