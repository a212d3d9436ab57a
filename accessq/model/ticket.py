"""A support ticket as routing reads it: its key, text and where it stands (frozen data)."""

from __future__ import annotations

from dataclasses import dataclass

from accessq.model.observed import Account


@dataclass(frozen=True)
class TicketText:
    key: str
    summary: str
    description: str
    components: tuple[str, ...]  # component names
    assignee: Account | None
    resolved: bool

    @property
    def text(self) -> str:
        """What routing matches: the summary and the description."""
        return f"{self.summary}\n{self.description}"
