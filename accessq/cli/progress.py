"""Progress bars on stderr for long reads and applies: only on a terminal, never in pipes or CI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Advance = Callable[[int, int], None]  # (done, total)
_live: list[Any] = []  # the rich Console of the progress bar on screen, if any


def notice(line: str) -> None:
    """One line on stderr, above a live progress bar (which would garble a plain write)."""
    if _live:
        _live[-1].print(line, markup=False, highlight=False, soft_wrap=True)
        return
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Advance]:
    """Yields `update(done, total)`; a no-op unless enabled and stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _done, _total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from accessq.render.color import use_color

    # A live bar needs the terminal's codes either way; whether it has colour is the one rule's.
    colour = use_color(sys.stderr)
    console = Console(stderr=True, no_color=not colour, color_system="auto" if colour else None)
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as progress:
        task = progress.add_task(label, total=None)
        _live.append(progress.console)
        try:
            yield lambda done, total: progress.update(task, completed=done, total=total)
        finally:
            _live.remove(progress.console)
