"""Our retry and rate-limit policy (DESIGN section 4, jira-openapi README).

- `Retry-After` is honoured exactly (no jitter, no cap below what Jira asked, but a ceiling above
  which we give up with a clear line rather than hang).
- Otherwise exponential backoff with jitter (x0.7..1.3) for 429/503, and for 502/504 and dropped
  connections on idempotent reads; at most `max_retries` retries.
- A client-side token bucket keeps us under a configurable request rate, and under the rate
  Jira's rate-limit headers state (docs/benchmarks.md "Under a rate limit").

Clock, sleep and randomness are injected so tests never wait.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus

from accessq.jira.budget import read_budget

NOTICE_SECONDS = 2.0  # retry waits longer than this are announced (`Pacer.on_wait`)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
THROTTLED = frozenset({429, 503})  # Jira's "slow down": safe to retry, the call did not run
GATEWAY_FAILURES = frozenset({502, 504})  # the call may have run: retried on reads only
TRANSIENT = THROTTLED | GATEWAY_FAILURES
MIN_RATE = 0.1  # requests per second: the least we slow to (DC allows limits per minute)
CLOUD_WINDOW = 1.0  # seconds: Cloud's burst limit is per second until its Reset times say more


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
    decrease: float = 0.7  # one cut per congestion event, to this share of the rate really sent
    increase: float = 0.1  # then back up, per second, by this share of the rate cut from
    headroom: float = 0.9  # pace at this share of the rate Jira's headers allow
    # Once Jira has stated its rate: save up at most this many seconds' worth of requests, so a
    # moment when every thread was held up is made up, never beyond the Remaining Jira stated.
    # Off by default: measured (docs/benchmarks.md), a quarter second's burst drew 429s from
    # Cloud's fixed window whose pauses cost far more than it won (42% of the allowed rate at
    # 40/s against 89% without); pacing alone reaches 88-89%.
    burst_seconds: float = 0.0


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


@dataclass(frozen=True)
class RetryWait:
    """A retry about to wait: what Jira answered, for how long and why, which attempt follows."""

    status: int | None  # None: the connection dropped without an answer
    seconds: float
    retry_after: bool  # the wait is Jira's `Retry-After`, not our backoff
    attempt: int  # the attempt after the wait (2: the first retry)
    attempts: int  # the most attempts in all
    request: str  # method and path (`errors.describe_request`): never the host or a query

    @classmethod
    def of(
        cls,
        status: int | None,
        seconds: float,
        headers: Mapping[str, str] | None,
        retry_number: int,
        policy: RetryPolicy,
        request: str,
    ) -> RetryWait:
        asked = parse_retry_after((headers or {}).get("Retry-After"), now=0.0)
        return cls(
            status, seconds, asked is not None, retry_number + 1, policy.max_retries + 1, request
        )

    def describe(self) -> str:
        """One line, e.g. `Jira answered 429 Too Many Requests to GET /rest/api/3/group/member;
        waiting 30 s (Retry-After) before retrying, attempt 2 of 5`."""
        if self.status is None:
            during = f" during {self.request}" if self.request else ""
            what = f"The connection to Jira dropped{during}"
        else:
            to = f" to {self.request}" if self.request else ""
            try:
                phrase = f" {HTTPStatus(self.status).phrase}"  # standard words, not the server's
            except ValueError:
                phrase = ""
            what = f"Jira answered {self.status}{phrase}{to}"
        why = " (Retry-After)" if self.retry_after else ""
        return (
            f"{what}; waiting {self.seconds:.0f} s{why} before retrying, "
            f"attempt {self.attempt} of {self.attempts}"
        )


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
    _paused_until: float = field(default=0.0, init=False, repr=False)
    _rate: float | None = field(default=None, init=False, repr=False)  # None: the ceiling
    _rate_stamp: float = field(default=0.0, init=False, repr=False)  # when _rate was last grown
    _cut_at: float = field(default=-math.inf, init=False, repr=False)  # the last decrease
    _climb: float = field(default=0.0, init=False, repr=False)  # requests/s gained per second
    _server_rate: float | None = field(default=None, init=False, repr=False)  # from headers
    _window: float | None = field(default=None, init=False, repr=False)  # Cloud's, learned
    _last_reset: float | None = field(default=None, init=False, repr=False)
    _remaining: float | None = field(default=None, init=False, repr=False)  # Jira's, less sent
    _sends: int = field(default=0, init=False, repr=False)  # requests let through so far
    _unanswered: set[int] = field(default_factory=set, init=False, repr=False)  # their numbers
    _sent: deque[float] = field(  # send times of the last second, to cut from what was sent
        default_factory=lambda: deque(maxlen=10_000), init=False, repr=False
    )
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    # Told of every retry wait longer than NOTICE_SECONDS (the CLI prints a line on stderr): a
    # long silent wait reads as a hung CI job. Called from any thread.
    on_wait: Callable[[RetryWait], None] | None = None
    _announced_until: float = field(default=-math.inf, init=False, repr=False)

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

    def announce(self, wait: RetryWait) -> None:
        """Tell `on_wait` of a long wait, once: threads told the same 429 at once share one line."""
        if self.on_wait is None or wait.seconds <= NOTICE_SECONDS:
            return
        with self._lock:
            until = self.clock() + wait.seconds
            if wait.status == 429 and until <= self._announced_until + 1:
                return  # the pause every thread waits out together, already announced
            if wait.status == 429:
                self._announced_until = until
        self.on_wait(wait)

    def asked_too_long(self, headers: Mapping[str, str] | None) -> float | None:
        """The Retry-After Jira asked for when it exceeds our ceiling (to say so), else None."""
        wait = parse_retry_after((headers or {}).get("Retry-After"), now=self.wall_clock())
        return wait if wait is not None and wait > self.policy.max_retry_after else None

    # -- client-side rate limit --------------------------------------------------------------
    # After a 429 every thread holds back, not only the one that was told: Jira's limit is per
    # account, so the whole client waits out Retry-After, then sends at a reduced rate that
    # climbs back with time (additive increase, multiplicative decrease, as TCP does). The rate
    # Jira's headers state (`budget.py`) caps it, so a well-told client seldom sees a 429.

    def throttled(self, delay: float) -> None:
        """Jira answered 429: pause every request for `delay` seconds; cut the rate once per
        congestion event (a 429 to a request sent before the last cut is the same event)."""
        with self._lock:
            now = self.clock()
            until = now + delay
            self._paused_until = max(self._paused_until, until)
            sent_at = getattr(self._local, "sent_at", None)
            if sent_at is not None and sent_at < self._cut_at:
                return  # answered late to the burst we already cut for
            if self._ceiling() <= 0:
                return
            current = self._rate_at(now)
            sending = self._sending(now)  # what we really sent, not a ceiling never reached
            base = min(current, sending) if sending else current
            self._rate = max(MIN_RATE, base * self.policy.decrease)
            self._climb = self.policy.increase * max(base, MIN_RATE)
            self._rate_stamp = self._paused_until  # no climbing while paused
            self._cut_at = now
            # No burst after a 429: the saved-up tokens are what tripped the limit.
            self._tokens = min(self._tokens if self._tokens is not None else 0.0, 0.0)
            self._stamp = max(self._stamp, self._paused_until)

    def observe(self, headers: Mapping[str, str] | None) -> None:
        """Learn the allowed rate from an answer's rate-limit headers, and hold back when the
        answer says the budget is (nearly) spent, before Jira has to answer 429."""
        budget = read_budget(headers)
        with self._lock:
            if budget.empty:
                self._unanswered.discard(getattr(self._local, "send_no", -1))
                return
            now = self.clock()
            rate = budget.bucket_rate
            if rate is None and budget.limit:
                self._learn_window(budget.reset_at)
                rate = budget.limit / (self._window or CLOUD_WINDOW)
            if rate:
                self._server_rate = rate
            if budget.remaining is not None:
                # What Jira stated when it answered this thread's request, less the requests
                # sent after it (in flight then, or since): they spend the same budget.
                # Those sent before it and still unanswered may reach Jira after it: counted too.
                mine = getattr(self._local, "send_no", self._sends)
                since = self._sends - mine
                earlier = sum(1 for number in self._unanswered if number < mine)
                self._remaining = budget.remaining - since - earlier
            self._unanswered.discard(getattr(self._local, "send_no", -1))
            if budget.remaining is not None and budget.remaining < 1:
                self._no_burst(now)
                window = self._window or CLOUD_WINDOW
                if budget.reset_at is not None:
                    wait = budget.reset_at - self.wall_clock()
                    if 0 < wait <= window:  # a clock skewed further is not believed
                        self._paused_until = max(self._paused_until, now + wait)
            elif budget.near_limit:
                self._no_burst(now)

    @property
    def current_rate(self) -> float:
        with self._lock:
            return self._rate_at(self.clock())

    @property
    def server_rate(self) -> float | None:
        """Requests per second Jira's headers allow, once it has said so."""
        return self._server_rate

    def acquire(self) -> None:
        """Take one token, sleeping (once, outside the lock) until it is due."""
        pause = self._paused_until - self.clock()
        if pause > 0:
            self.sleep(pause)
        wait = 0.0
        with self._lock:
            now = self.clock()
            rate = self._rate_at(now)
            # A thread has one request out at a time: its last one is over, answered or not.
            self._unanswered.discard(getattr(self._local, "send_no", -1))
            self._sends += 1
            self._local.send_no = self._sends
            self._unanswered.add(self._sends)
            if len(self._unanswered) > 1000:  # threads gone with a request unanswered
                self._unanswered = {n for n in self._unanswered if n > self._sends - 1000}
            if self._remaining is not None:
                self._remaining -= 1  # until the next answer says again
            if rate > 0:
                burst = self._capacity(rate)
                tokens = burst if self._tokens is None else self._tokens  # starts full
                tokens = min(burst, tokens + max(0.0, now - self._stamp) * rate) - 1.0
                # Reserve now and sleep later: a negative balance is the queue of waiting threads.
                self._tokens, self._stamp = tokens, max(now, self._stamp)
                wait = -tokens / rate if tokens < 0 else 0.0
                self._sent.append(now + wait)
        self._local.sent_at = now + wait
        if wait > 0:
            self.sleep(wait)

    def _capacity(self, rate: float) -> float:
        """Tokens the bucket may hold. Before Jira states its rate, our configured burst. After,
        a fraction of a second's worth, so an idle moment is made up, but never more than the
        Remaining Jira last stated (less what we sent since): a saved-up burst beyond it is what
        a fixed window or a nearly empty bucket answers with 429."""
        if not self._server_rate:
            return float(max(1, self.policy.burst))
        extra = rate * self.policy.burst_seconds
        if self._remaining is not None:
            extra = min(extra, self._remaining)  # already less the request asking
        return 1.0 + max(0.0, extra)

    def _ceiling(self) -> float:
        """The most we send: our configured limit, and a little under what Jira allows."""
        limit = self.policy.rate_limit
        if limit <= 0:
            return 0.0  # no client-side limit at all (Retry-After still honoured)
        if self._server_rate:
            return max(MIN_RATE, min(limit, self._server_rate * self.policy.headroom))
        return limit

    def _rate_at(self, now: float) -> float:
        """The rate now: after a cut it climbs back each second by `increase` of the rate cut
        from (not per success: eight threads' successes would undo a cut in a blink)."""
        ceiling = self._ceiling()
        if self._rate is None or ceiling <= 0:
            return ceiling
        if now > self._rate_stamp:
            self._rate += self._climb * (now - self._rate_stamp)
            self._rate_stamp = now
        if self._rate >= ceiling:
            self._rate = None
            return ceiling
        return self._rate

    def _sending(self, now: float) -> float:
        """Requests sent in the last second."""
        while self._sent and self._sent[0] < now - 1.0:
            self._sent.popleft()
        return float(len(self._sent))

    def _learn_window(self, reset_at: float | None) -> None:
        """Cloud's window is the shortest step between the Reset times of successive windows."""
        if reset_at is None:
            return
        if self._last_reset is not None and reset_at - self._last_reset > 0.001:
            step = reset_at - self._last_reset
            self._window = step if self._window is None else min(self._window, step)
        self._last_reset = max(self._last_reset or reset_at, reset_at)

    def _no_burst(self, now: float) -> None:
        if self._tokens is None or self._stamp > now:
            self._tokens, self._stamp = min(self._tokens or 0.0, 0.0), max(self._stamp, now)
            return
        refilled = self._tokens + (now - self._stamp) * max(self._rate_at(now), 0.0)
        self._tokens, self._stamp = min(refilled, 0.0), now
