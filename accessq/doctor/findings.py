"""The doctor's findings, as data: one per requirement checked, each a single printable line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "fail", "unchecked"]
# The kinds of check, in the order the summary shows them.
CHECKS = ("browse", "notify", "update", "assignee", "licence", "runner")


@dataclass(frozen=True)
class Finding:
    check: str  # one of CHECKS
    queue: str | None  # None: site-wide (the runner account)
    subject: str  # the group, person or account the requirement is about
    status: Status
    # One line: what holds, what is missing and how to add it, or (unchecked) why not read.
    message: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    project: str
    runner: str
    read_only: bool  # checked as the read-only plan account

    @property
    def ok(self) -> bool:
        return not any(f.failed for f in self.findings)

    def count(self, status: Status) -> int:
        return sum(1 for f in self.findings if f.status == status)
