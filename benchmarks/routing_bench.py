"""Routing one ticket's text against 3,000 queues of 10 keywords each, after loading.

    python benchmarks/routing_bench.py

Builds the vocabulary in memory (no files, no Jira), compiles the router once (reported apart:
that is "loading"), then times `Router.route` of a ~2,000-character ticket, best of 20.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from accessq.routing.matcher import Router
from accessq.routing.vocabulary import QueueWords

QUEUES = 3000
KEYWORDS = 10
ROUTE_TARGET_MS = 50.0


@dataclass(frozen=True)
class RoutingTiming:
    queues: int
    terms: int
    compile_ms: float
    route_ms: float  # best of the runs

    def line(self) -> str:
        met = "met" if self.route_ms < ROUTE_TARGET_MS else "NOT met"
        return (
            f"route: {self.route_ms:.2f} ms per ticket against {self.queues:,} queues "
            f"({self.terms:,} words; compiled once in {self.compile_ms:.0f} ms); "
            f"target < {ROUTE_TARGET_MS:.0f} ms {met}"
        )


def _words(rng: random.Random, n: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(n)]


def routing_timing(queues: int = QUEUES, keywords: int = KEYWORDS, runs: int = 20) -> RoutingTiming:
    rng = random.Random(15)
    pool = iter(dict.fromkeys(_words(rng, queues * keywords * 2)))  # distinct words
    vocabulary = []
    for i in range(queues):
        words = [next(pool) for _ in range(keywords)]
        words[0] = f"{words[0]} {next(pool)}"  # a phrase in every queue
        vocabulary.append(QueueWords(f"Queue-{i}", "awardee", tuple(words), (), None))
    started = time.perf_counter()
    router = Router(vocabulary)
    compile_ms = (time.perf_counter() - started) * 1000
    known = [w for q in vocabulary[:: max(1, queues // 5)] for w in q.keywords[1:3]]
    text = " ".join(_words(rng, 300) + known).capitalize() + ", (Café) C++ - end."
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        decision = router.route(text)
        best = min(best, time.perf_counter() - started)
    assert decision.matches, "the ticket names some queues' keywords"
    return RoutingTiming(queues, sum(len(q.terms) for q in vocabulary), compile_ms, best * 1000)


if __name__ == "__main__":
    print(routing_timing().line())
