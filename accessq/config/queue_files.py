"""Which files are queue files: one definition for the loader (what a folder contributes) and the
command line (which paths a command must never write over).

A folder's queue files are its `*.yaml` and `*.yml` files, the suffix in any case (`Delta.YAML`:
file systems on macOS and Windows ignore case, and editors keep whatever case was typed), hidden
files (`.draft.yaml`, editor backups) excepted; subfolders are not read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

QUEUE_SUFFIXES = (".yaml", ".yml")
# A top-level key only queue files have (`version:` is not one: docker-compose files have it too).
_QUEUE_KEY = re.compile(rb"^(?:rp_queues|awardee_queues|retired_queues|jira|safety)[ \t]*:", re.M)
_SNIFF_BYTES = 5 * 1024 * 1024  # the loader's own limit per file


def is_queue_file(path: Path) -> bool:
    """Whether a folder's file of this name is read as a queue file (by its name alone)."""
    return path.suffix.lower() in QUEUE_SUFFIXES and not path.name.startswith(".")


def queue_files_in(folder: Path) -> list[Path]:
    """The queue files `folder` contributes, in name order."""
    return sorted((p for p in folder.iterdir() if is_queue_file(p) and p.is_file()), key=_name)


def _name(path: Path) -> str:
    return path.name


def _same(a: Path, b: Path) -> bool:
    """One file or folder: by identity where both exist (case-insensitive file systems, links),
    else by resolved path."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


Overwrite = tuple[Literal["file", "folder"], Path]


def written_over(target: Path, sources: Sequence[Path]) -> Overwrite | None:
    """What of a configuration writing `target` would replace: ("file", F) when `target` is F, a
    queue file given by name; ("folder", D) when it would be (or replace) a queue file of D, a
    folder given; None when neither."""
    for source in sources:
        if source.is_dir():
            if is_queue_file(target) and _same(target.parent, source):
                return ("folder", source)
        elif _same(target, source):
            return ("file", source)
    return None


def holding_configuration(folder: Path, sources: Sequence[Path]) -> Path | None:
    """The given path (a folder, or a file in it) that makes `folder` part of a configuration."""
    for source in sources:
        where = source if source.is_dir() else source.parent
        if _same(folder, where):
            return source
    return None


def folder_siblings(path: Path) -> list[Path]:
    """The other queue files of the folder configuration a file given alone belongs to.

    A sibling counts when it is a queue file by name and has a top-level key of the queue
    language: a stray `mkdocs.yml` next to a single `queues.yaml` keeps that file a whole
    configuration. A sibling that cannot be read counts too, so its error is seen rather than
    its queues planned for deletion.
    """
    found = []
    for other in queue_files_in(path.parent):
        if _same(other, path):
            continue
        try:
            with other.open("rb") as stream:
                head = stream.read(_SNIFF_BYTES)
        except OSError:
            found.append(other)
            continue
        if _QUEUE_KEY.search(head):
            found.append(other)
    return found
