"""Which configured queues `--queue NAME` selects: the one definition the read and the plan share.

A queue answers to its name and to each of its `previously:` names, in any case and Unicode form
(`text.fold`), so
`--queue NCSA-Delta` plans the rename of NCSA-Delta to Delta.
"""

from __future__ import annotations

from collections.abc import Iterable

from accessq.config.models import Queue
from accessq.config.text import fold


def is_selected(queue: Queue, only: Iterable[str] | None) -> bool:
    """Whether `only` (None: every queue) names `queue` by its current or a former name."""
    if only is None:
        return True
    wanted = {fold(name) for name in only}
    return any(fold(name) in wanted for name in (queue.name, *queue.previously))
