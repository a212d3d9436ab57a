"""What text a queue file may hold, and the one form it is kept in: one definition for the
loader (models.py validators), the rules across queues (checks.py) and `accessq export`.

Every name, keyword, description and person a queue file gives is Unicode NFC-normalised as it
is read, so `Café` typed as é and as e + a combining accent is one name. Characters a reviewer
cannot see are refused, never silently dropped: a zero-width space, a joiner, a bidi control or
a soft hyphen makes two queues look alike, or a name read differently in the plan than in Jira.
Free text (a description) may break lines with a plain new line only; one-line fields (names,
keywords, usernames) hold no line break at all, including U+2028, U+2029 and U+0085, which YAML
and Jira would show as one.
"""

from __future__ import annotations

import re
import unicodedata

# Every character Unicode (and YAML) treats as ending a line.
LINE_BREAKS = frozenset("\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029")
# Letters that render as nothing (Unicode Default_Ignorable, not in category Cf).
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
# unicodedata has no names for control characters; these are the ones people meet.
_CONTROL_NAMES = {
    "\0": "NULL",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\v": "LINE TABULATION",
    "\f": "FORM FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x1c": "FILE SEPARATOR",
    "\x1d": "GROUP SEPARATOR",
    "\x1e": "RECORD SEPARATOR",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
}
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SHOWN_UP_TO = 60  # characters of a value a message quotes


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The key names are compared by: canonically equivalent and case-insensitive (NFC +
    casefold, Unicode's canonical caseless match), so `Café`, `CAFÉ` and `Cafe\u0301` are one."""
    return nfc(unicodedata.normalize("NFD", text).casefold())


def route_form(text: str) -> str:
    """The form routing compares text in: compatibility-decomposed with the accents dropped,
    case-folded, NFC (`Café`, `CAFE` and `ｃａｆｅ` are one). One definition for the matcher
    (accessq.routing) and the check that no two queues claim one keyword (checks.py)."""
    # Folding case can itself produce combining marks (`İ` -> i + dot above): fold first.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return nfc("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def route_tokens(text: str) -> tuple[str, ...]:
    """The words of `text` as routing reads them: runs of letters and digits, and each other
    visible character on its own (`C++` is c + +; `Jetstream-2.` is jetstream - 2 .), in
    `route_form`. A keyword matches where its tokens appear as consecutive tokens of a ticket,
    so `ood` never matches inside `food`, and spacing and line breaks do not matter."""
    return tuple(_TOKEN.findall(route_form(text)))


def has_letter_or_digit(text: str) -> bool:
    """Whether `text` has a letter or a digit, of any script (Unicode categories L* and N*)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def codepoint(ch: str) -> str:
    """`U+200B (ZERO WIDTH SPACE)`: how messages name a character."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def _hidden(ch: str) -> bool:
    """Invisible, a control, a line or paragraph separator, or not a character at all."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") or ch in _BLANK_LETTERS


def visible(text: str, limit: int | None = _SHOWN_UP_TO) -> str:
    """`text` safe to print: each hidden character as `<U+XXXX>`, cut beyond `limit` characters.

    A raw bidi control would reorder the terminal line it is printed on ("Trojan Source"), an
    invisible one would hide what is wrong, and a line break would split a one-line message; each
    shows as its code instead.
    """
    shown = text if limit is None or len(text) <= limit else text[: limit - 3] + "..."
    return "".join(f"<U+{ord(ch):04X}>" if _hidden(ch) else ch for ch in shown)


def problem(text: str, *, one_line: bool) -> str | None:
    """Why `text` cannot stand in a field (one line or free text), or None when it can.

    Messages starting with "must" read after the field's name (`'name' must be on one line`).
    """
    for ch in text:
        if ch in LINE_BREAKS:
            if ch == "\n" and one_line:
                return "must be on one line"
            if ch == "\n":
                continue
            if one_line:
                return f"must be on one line: {codepoint(ch)} is a line break"
            return (
                f"'{visible(text)}' holds {codepoint(ch)}, a line break; break lines with a plain "
                "new line only"
            )
        category = unicodedata.category(ch)
        if category == "Cf" or ch in _BLANK_LETTERS:
            return f"'{visible(text)}' holds {codepoint(ch)}, an invisible character; remove it"
        if category == "Cs":
            return f"'{visible(text)}' holds {codepoint(ch)}, which is not a character; remove it"
        if category == "Cc" and not (ch == "\t" and not one_line):
            return f"'{visible(text)}' holds {codepoint(ch)}, a control character; remove it"
    return None


def normal(text: str, *, one_line: bool = True) -> str:
    """`text` in NFC, or ValueError (for pydantic: a validation error) saying what is wrong."""
    found = problem(text, one_line=one_line)
    if found is not None:
        raise ValueError(found)
    return nfc(text)


def cleaned(text: str, *, one_line: bool = True) -> str:
    """`text` made acceptable: hidden characters dropped, line breaks as spaces (one line) or new
    lines (free text), NFC. For text from Jira that `accessq export` writes into a queue file."""
    out: list[str] = []
    for ch in text.replace("\r\n", "\n"):
        if ch in LINE_BREAKS:
            out.append(" " if one_line else "\n")
        elif ch == "\t":
            out.append(" " if one_line else ch)
        elif not _hidden(ch):
            out.append(ch)
    result = "".join(out)
    if one_line:
        result = " ".join(result.split())
    return nfc(result)
