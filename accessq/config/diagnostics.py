"""A finding about the configuration or its people: one line, with where it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from accessq.config.models import Location
from accessq.config.text import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    message: str
    location: Location | None = None
    key_path: str | None = None  # e.g. rp_queues[2].agents[0].email
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        path = f" ({self.key_path})" if self.key_path else ""
        # Whatever a message quotes from a file, it prints as one line with nothing hidden.
        return visible(f"{where}{self.severity}: {self.message}{path}", limit=None)

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.message) if loc else ("", 0, 0, self.message)
