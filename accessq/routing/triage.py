"""What triage suggests for one open ticket, from its queue and its text's routing decision.

A ticket with no queue gets the best queue its text matches. A ticket in a queue is moved only
when another queue matches *clearly* better: at least twice its own queue's score and two words
more, so one stray word in a ticket never moves it away from where a person put it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from accessq.routing.matcher import Decision, Match

Verdict = Literal["reassign", "tie", "no-match"]


@dataclass(frozen=True)
class Suggestion:
    key: str
    current: str | None  # the ticket's queue, None when it has none
    verdict: Verdict
    best: Match | None  # reassign: the queue to move to
    tied: tuple[Match, ...]  # tie: the queues that share the top score

    @property
    def why(self) -> str:
        if self.verdict == "reassign" and self.best is not None:
            return "matched " + ", ".join(self.best.terms)
        if self.verdict == "tie":
            return "tie: " + " = ".join(f"{m.queue} ({', '.join(m.terms)})" for m in self.tied)
        return "no queue matches; leave it in triage"


def clearly_better(best: int, own: int) -> bool:
    return best >= 2 * own and best >= own + 2


def suggest(
    key: str, components: Sequence[str], decision: Decision, queues: Collection[str]
) -> Suggestion | None:
    """The suggestion for a ticket, or None when it stays where it is."""
    own = next((c for c in components if c in queues), None)
    if own is None:
        if decision.winner is not None:
            return Suggestion(key, None, "reassign", decision.winner, ())
        if decision.tied:
            return Suggestion(key, None, "tie", None, decision.tied)
        return Suggestion(key, None, "no-match", None, ())
    own_score = next((m.score for m in decision.matches if m.queue == own), 0)
    best = decision.best
    if best is None or best.queue == own or not clearly_better(best.score, own_score):
        return None
    if decision.tied:
        return Suggestion(key, own, "tie", None, decision.tied)
    return Suggestion(key, own, "reassign", best, ())
