"""Which configured queues `--queue NAME` selects: the one definition the read and the plan share.

A queue answers to its name and to each of its `previously:` names, in any case and Unicode form
(`text.fold`), so
`--queue NCSA-Delta` plans the rename of NCSA-Delta to Delta.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accessq.config.models import Config, Queue
from accessq.config.text import fold


def is_selected(queue: Queue, only: Iterable[str] | None) -> bool:
    """Whether `only` (None: every queue) names `queue` by its current or a former name."""
    if only is None:
        return True
    wanted = {fold(name) for name in only}
    return any(fold(name) in wanted for name in (queue.name, *queue.previously))


@dataclass(frozen=True)
class FileScope:
    """Files given alone out of a folder configuration: plan and apply only what they define.

    The whole folder is read (its `jira:` settings, its rules across queues), but the queues of
    the other files are neither compared nor changed, and none of them is deleted for being
    absent from the files given.
    """

    files: tuple[str, ...]  # the files given, as named
    queues: tuple[str, ...]  # the queues and retired queues they define


def file_scope(config: Config, partial: list[str] | None) -> FileScope | None:
    """The scope of `partial` (the files given, see `load_config`) in `config`."""
    if partial is None:
        return None
    given = set(partial)
    mine = [q for q in config.queues if q.location is not None and q.location.file in given]
    retired = [
        r.name for r in config.retired_queues if r.location is not None and r.location.file in given
    ]
    return FileScope(files=tuple(partial), queues=tuple([q.name for q in mine] + retired))
