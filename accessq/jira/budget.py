"""What Jira's rate-limit headers say about the budget we are allowed (read by `retry.Pacer`).

Jira Cloud (developer.atlassian.com "Rate limiting"): `X-RateLimit-Limit` requests per window
(the burst limit is per second), `X-RateLimit-Remaining`, `X-RateLimit-Reset` (ISO 8601 time the
window ends), `X-RateLimit-NearLimit: true` under 20% left. Jira Data Center ("Adapting to rate
limits"): a token bucket per user: `X-RateLimit-FillRate` tokens every
`X-RateLimit-Interval-Seconds`, `X-RateLimit-Limit` the bucket size, `X-RateLimit-Remaining`.

Every header comes from the server we talk to and is only used to slow down or to pace at the
rate it states: nothing here can make us exceed our own configured limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

# A Reset precise to the second or better: real Cloud may send minutes only (yyyy-MM-ddTHH:mmZ),
# too coarse to learn a one-second window from or to wait for.
_PRECISE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


@dataclass(frozen=True)
class Budget:
    """The rate-limit facts of one answer; None where the answer did not say."""

    limit: float | None = None  # Cloud: requests per window; DC: the bucket size
    remaining: float | None = None
    near_limit: bool = False
    reset_at: float | None = None  # Cloud: wall-clock epoch seconds the window ends (precise)
    fill_rate: float | None = None  # DC: tokens per interval
    interval: float | None = None  # DC: seconds

    @property
    def bucket_rate(self) -> float | None:
        """DC's sustainable requests per second, when it says so."""
        if self.fill_rate and self.interval:
            return self.fill_rate / self.interval
        return None

    @property
    def empty(self) -> bool:
        return (
            self.limit is None
            and self.remaining is None
            and self.fill_rate is None
            and not self.near_limit
        )


def read_budget(headers: Mapping[str, str] | None) -> Budget:
    """The budget an answer's headers state; nonsense values are ignored, never trusted."""
    if not headers:
        return Budget()
    near = (headers.get("X-RateLimit-NearLimit") or "").strip().lower() == "true"
    return Budget(
        limit=_positive(headers.get("X-RateLimit-Limit")),
        remaining=_number(headers.get("X-RateLimit-Remaining")),
        near_limit=near,
        reset_at=_instant(headers.get("X-RateLimit-Reset")),
        fill_rate=_positive(headers.get("X-RateLimit-FillRate")),
        interval=_positive(headers.get("X-RateLimit-Interval-Seconds")),
    )


def _number(value: str | None) -> float | None:
    try:
        number = float((value or "").strip())
    except ValueError:
        return None
    return number if 0 <= number < 1e9 else None  # also rejects nan and inf


def _positive(value: str | None) -> float | None:
    number = _number(value)
    return number if number else None


def _instant(value: str | None) -> float | None:
    text = (value or "").strip()
    if not _PRECISE.match(text):
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.timestamp() if when.tzinfo is not None else None  # no zone: no meaning
