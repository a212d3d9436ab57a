"""When accessq's output is coloured: the one rule for the plan, the queue listing and progress.

Colour only on a terminal, and never when `NO_COLOR` is set to anything but the empty string
(https://no-color.org) or `TERM` is `dumb`. Renderers take the answer as a `color` flag and give
rich an empty environment, so no other variable (rich also reads `FORCE_COLOR`,
`TTY_COMPATIBLE`, `COLUMNS`) decides it behind this rule's back: a CI log or a saved report never
gets escape codes nobody asked for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TextIO


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether text written to `stream` should be coloured."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", "") != "" or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console_options(color: bool) -> dict[str, Any]:
    """rich `Console` settings that make `color` the only say in colour and terminal codes."""
    return {
        "force_terminal": color,
        "color_system": "standard" if color else None,
        "no_color": not color,
        "_environ": {},
    }
