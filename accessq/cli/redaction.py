"""The last net against echoed credentials: everything the CLI prints or saves passes `redact`.

Error messages are masked where server text enters them (`accessq.jira.errors`), but server text
also reaches the output as data: display names, descriptions, group names, in plans, lists and
exports. So stdout and stderr are wrapped for the whole command (progress bars, warnings and log
lines included), and the files a command writes go through `write_text`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO, cast

from accessq.jira.secret import redact


class RedactingStream:
    """A text stream that masks registered secrets in whatever is written to it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            return self._stream.write(text)  # let the stream refuse it as it would (click probes)
        self._stream.write(redact(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # No way around the mask: writers that find `buffer` write bytes past it.
        if name in ("buffer", "detach"):
            raise AttributeError(name)
        return getattr(self._stream, name)


def _wrapped(stream: TextIO) -> TextIO:
    if isinstance(stream, RedactingStream):
        return stream
    return cast("TextIO", RedactingStream(stream))


@contextmanager
def redacted_output() -> Iterator[None]:
    """stdout and stderr masked for the duration (a command run in-process, e.g. in tests)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _wrapped(sys.stdout), _wrapped(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def install() -> None:
    """Mask stdout and stderr for the rest of the process: a crash's traceback included."""
    sys.stdout, sys.stderr = _wrapped(sys.stdout), _wrapped(sys.stderr)


def write_text(path: Path, text: str) -> None:
    """Save a file the user will read or commit (a plan, an export, a CI summary), masked."""
    path.write_text(redact(text), encoding="utf-8")
