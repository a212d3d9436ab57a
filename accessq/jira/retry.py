"""Our retry and rate-limit policy (DESIGN section 4, jira-openapi README).

- `Retry-After` is honoured exactly (no jitter, no cap below what Jira asked, but a ceiling above
  which we give up with a clear line rather than hang).
- Otherwise exponential backoff with jitter (x0.7..1.3) for 429/503, and for 502/504 and dropped
  connections on idempotent reads; at most `max_retries` retries.
- A client-side token bucket keeps us under a configurable request rate.

Clock, sleep and randomness are injected so tests never wait.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

_log = logging.getLogger("accessq")
NOTICE_SECONDS = 5.0  # waits at least this long are announced on stderr
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
THROTTLED = frozenset({429, 503})  # Jira's "slow down": safe to retry, the call did not run
GATEWAY_FAILURES = frozenset({502, 504})  # the call may have run: retried on reads only
TRANSIENT = THROTTLED | GATEWAY_FAILURES


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 4
    base_delay: float = 0.5  # first backoff, doubled per retry, before jitter
    max_delay: float = 30.0  # ceiling of our own backoff (not of Retry-After)
    max_retry_after: float = 300.0  # Jira asking for a longer pause fails the run instead
    jitter: tuple[float, float] = (0.7, 1.3)
    # Requests per second across all threads (0 disables): generous, above what 8 threads reach
    # against a real site, so it only guards against runaway loops and very fast local servers.
    rate_limit: float = 200.0
    burst: int = 50


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP date), or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class Pacer:
    """Decides how long to wait before a retry, and paces every request through a token bucket.

    Shared by all threads of one gateway; `acquire()` is thread-safe.
    """

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time  # for Retry-After given as an HTTP date
    uniform: Callable[[float, float], float] = random.uniform
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _tokens: float | None = field(default=None, init=False, repr=False)  # None: bucket unused
    _stamp: float = field(default=0.0, init=False, repr=False)
    # After a 429 every thread holds back, not only the one that was told: Jira's limit is per
    # account, so the whole client waits out Retry-After and then sends at a reduced rate that
    # climbs back as requests succeed (additive increase, multiplicative decrease).
    _paused_until: float = field(default=0.0, init=False, repr=False)
    _rate: float | None = field(default=None, init=False, repr=False)  # None: policy.rate_limit

    # -- retries -----------------------------------------------------------------------------

    def retry_delay(
        self,
        retry_number: int,
        *,
        status: int | None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
    ) -> float | None:
        """Seconds to wait before retry `retry_number` (1-based), or None to stop retrying.

        `status` None means the connection dropped without an answer.
        """
        if retry_number > self.policy.max_retries:
            return None
        retryable = status in THROTTLED or (
            idempotent and (status is None or status in GATEWAY_FAILURES)
        )
        if not retryable:
            return None
        retry_after = parse_retry_after((headers or {}).get("Retry-After"), now=self.wall_clock())
        if retry_after is not None:
            return retry_after if retry_after <= self.policy.max_retry_after else None
        return self.backoff(retry_number)

    def backoff(self, retry_number: int) -> float:
        raw = min(self.policy.max_delay, self.policy.base_delay * 2 ** (retry_number - 1))
        low, high = self.policy.jitter
        return float(raw * self.uniform(low, high))

    def asked_too_long(self, headers: Mapping[str, str] | None) -> float | None:
        """The Retry-After Jira asked for when it exceeds our ceiling (to say so), else None."""
        wait = parse_retry_after((headers or {}).get("Retry-After"), now=self.wall_clock())
        return wait if wait is not None and wait > self.policy.max_retry_after else None

    # -- client-side rate limit --------------------------------------------------------------

    def throttled(self, delay: float) -> None:
        """Jira answered 429: pause every request for `delay` seconds and halve the rate."""
        with self._lock:
            until = self.clock() + delay
            if delay >= NOTICE_SECONDS and until > self._paused_until + 1:
                # A long silent wait reads as a hung CI job: say once why nothing moves.
                _log.warning("Jira is rate limiting (HTTP 429): waiting %.0f s as it asks", delay)
            self._paused_until = max(self._paused_until, until)
            current = self._rate if self._rate is not None else self.policy.rate_limit
            if current > 0:
                self._rate = max(1.0, current / 2)
                # No burst right after a 429: the saved-up tokens are what tripped the limit.
                self._tokens = min(self._tokens if self._tokens is not None else 0.0, 0.0)
                self._stamp = self._paused_until

    def succeeded(self) -> None:
        """A request went through: win back a little of the rate a 429 took."""
        if self._rate is None:
            return
        with self._lock:
            if self._rate is not None:
                grown = self._rate + 1.0
                self._rate = None if grown >= self.policy.rate_limit else grown

    @property
    def current_rate(self) -> float:
        return self._rate if self._rate is not None else self.policy.rate_limit

    def acquire(self) -> None:
        """Take one token, sleeping (once, outside the lock) until it is due."""
        pause = self._paused_until - self.clock()
        if pause > 0:
            self.sleep(pause)
        rate = self.current_rate
        if rate <= 0:
            return
        burst = max(1, self.policy.burst)
        with self._lock:
            now = self.clock()
            tokens = float(burst) if self._tokens is None else self._tokens  # starts full
            tokens = min(float(burst), tokens + (now - self._stamp) * rate) - 1.0
            # Reserve now and sleep later: a negative balance is the queue of waiting threads.
            self._tokens, self._stamp = tokens, now
            wait = -tokens / rate if tokens < 0 else 0.0
        if wait > 0:
            self.sleep(wait)
