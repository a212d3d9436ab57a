"""Each queue's routing words, from a configuration, and the documented shape `accessq
vocabulary` gives intake forms and bots (docs/routing.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from accessq.config.models import AwardeeQueue, Config

VOCABULARY_VERSION = 1


@dataclass(frozen=True)
class QueueWords:
    """One queue as routing sees it."""

    name: str
    kind: Literal["rp", "awardee"]
    keywords: tuple[str, ...]
    aliases: tuple[str, ...]
    default_assignee: str | None

    @property
    def terms(self) -> tuple[str, ...]:
        """What routes a ticket here: an RP queue's name, the aliases, the keywords."""
        own = (self.name,) if self.kind == "rp" else ()
        return (*own, *self.aliases, *self.keywords)


def vocabulary(config: Config) -> list[QueueWords]:
    """Every queue of `config`, RP queues first, each in file order."""
    queues: list[QueueWords] = []
    for queue in config.queues:
        awardee = isinstance(queue, AwardeeQueue)
        queues.append(
            QueueWords(
                name=queue.name,
                kind="awardee" if awardee else "rp",
                keywords=tuple(queue.keywords) if isinstance(queue, AwardeeQueue) else (),
                aliases=tuple(queue.aliases),
                default_assignee=queue.default_assignee
                if isinstance(queue, AwardeeQueue)
                else None,
            )
        )
    return queues


def vocabulary_document(config: Config) -> dict[str, Any]:
    """The stable shape of `accessq vocabulary` (docs/routing.md#vocabulary)."""
    return {
        "version": VOCABULARY_VERSION,
        "project": config.jira.project,
        "queues": [
            {
                "name": q.name,
                "kind": q.kind,
                "keywords": list(q.keywords),
                "aliases": list(q.aliases),
                "default_assignee": q.default_assignee,
            }
            for q in vocabulary(config)
        ],
    }
