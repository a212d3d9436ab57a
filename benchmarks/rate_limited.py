"""First applies under a server-side rate limit: how much of the allowed rate accessq uses.

Each scenario serves the site through the sandbox's limiter (Cloud: a fixed window of N requests
per second for everyone; Data Center: a token bucket per user filled with N tokens a second), with
no added latency so the limit is the bottleneck, and runs the same first apply as `first_apply`.
The floor is the time the useful requests (those not answered 429) need at exactly the allowed
rate; the ratio is the time taken over that floor (1.0: every allowed request used).

In the same run, just before, the same first apply runs against the same flavour with no server
limit (accessq's own client-side limit still applies): the time this machine needs at that moment.
A scenario cannot beat max(floor, unthrottled), so `bound_ratio` (time over that bound) tells the
pacer's share of a slow run from the machine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import minimum
from scenarios import Bench, Measurement, apply_measured

# (queues, requests per second) per flavour: the three limits.
LIMITS = ((30, 10), (30, 40), (300, 100))
FLAVORS = ("cloud", "dc")
UTILISATION_TARGET = 0.70  # at least this share of the allowed rate
REJECTED_TARGET = 0.05  # at most this share of requests answered 429


@dataclass(frozen=True)
class Limited:
    flavor: str
    limit: int  # requests per second the site allows
    measured: Measurement
    rejected: int  # answered 429
    unthrottled: Measurement  # the same apply with no server limit, just before

    @property
    def bound_s(self) -> float:
        """The best this run could do: the floor, or what the machine needs without a limit."""
        return max(self.floor_s, self.unthrottled.seconds)

    @property
    def bound_ratio(self) -> float:
        return self.measured.seconds / self.bound_s

    @property
    def useful(self) -> int:
        return self.measured.requests - self.rejected

    @property
    def floor_s(self) -> float:
        return self.useful / self.limit

    @property
    def ratio(self) -> float:
        return self.measured.seconds / self.floor_s

    @property
    def rejected_share(self) -> float:
        return self.rejected / self.measured.requests if self.measured.requests else 0.0

    @property
    def met(self) -> bool:
        return 1 / self.ratio >= UTILISATION_TARGET and self.rejected_share <= REJECTED_TARGET

    def to_json(self) -> dict[str, Any]:
        return {
            "flavor": self.flavor,
            "queues": self.measured.queues,
            "limit_per_s": self.limit,
            "seconds": round(self.measured.seconds, 2),
            "requests": self.measured.requests,
            "rejected_429": self.rejected,
            "floor_s": round(self.floor_s, 2),
            "ratio": round(self.ratio, 3),
            "share_of_allowed_rate": round(1 / self.ratio, 3),
            "unthrottled_s": round(self.unthrottled.seconds, 2),
            "unthrottled_requests": self.unthrottled.requests,
            "bound_s": round(self.bound_s, 2),
            "bound_ratio": round(self.bound_ratio, 3),
            "met": self.met,
            "ok": self.measured.ok and self.unthrottled.ok,
        }


def first_apply_limited(bench: Bench, flavor: str, limit: int) -> Limited:
    """The first apply of `bench` against a site of `flavor` allowing `limit` requests/s."""
    new = bench.new
    floor = minimum.first_apply(
        minimum.read(new.existing),
        new.queues,
        len(new.groups),
        new.memberships,
        new.awardees,
        new.lookups,
    )
    expected = new.queues + len(new.groups) + new.memberships + new.awardees
    name = f"first apply, {flavor} limit {limit}/s"
    with bench.sandbox(bench.new_seed, 0, f"unlimited{limit}", flavor) as sandbox:
        unthrottled = apply_measured(
            bench, sandbox, f"{name} (no limit)", bench.config, floor, expected=expected
        )
    with bench.sandbox(bench.new_seed, 0, f"limited{limit}", flavor) as sandbox:
        sandbox.control.set_faults(rate_limit=limit, rate_window_s=1.0)
        measured = apply_measured(bench, sandbox, name, bench.config, floor, expected=expected)
        # The converged check runs without the limit: no 429 after the measured part.
        rejected = int(sandbox.control.stats()["by_status"].get("429", 0))
    return Limited(flavor, limit, measured, rejected, unthrottled)
