"""The retry and rate-limit policy, with a fake clock: nothing here actually waits."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from accessq.jira.retry import Pacer, RetryPolicy, parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def pacer(policy: RetryPolicy | None = None, *, jitter: float = 1.0) -> tuple[Pacer, FakeClock]:
    clock = FakeClock()
    return (
        Pacer(
            policy or RetryPolicy(),
            sleep=clock.sleep,
            clock=clock,
            wall_clock=clock,
            uniform=lambda low, high: jitter,
        ),
        clock,
    )


def test_retry_after_is_honoured_exactly_without_jitter() -> None:
    p, _ = pacer(jitter=1.3)
    assert p.retry_delay(1, status=429, headers={"Retry-After": "7"}) == 7.0
    assert p.retry_delay(3, status=503, headers={"Retry-After": "2.5"}) == 2.5


def test_retry_after_as_http_date() -> None:
    p, clock = pacer()
    when = datetime.fromtimestamp(clock.now + 12, tz=UTC)
    assert p.retry_delay(
        1, status=429, headers={"Retry-After": format_datetime(when, usegmt=True)}
    ) == pytest.approx(12, abs=1)


def test_backoff_doubles_with_jitter_between_07_and_13() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    low, _ = pacer(policy, jitter=0.7)
    high, _ = pacer(policy, jitter=1.3)
    assert [low.retry_delay(n, status=429) for n in (1, 2, 3, 4)] == pytest.approx(
        [0.7, 1.4, 2.8, 5.6]
    )
    assert [high.retry_delay(n, status=503) for n in (1, 2, 3, 4)] == pytest.approx(
        [1.3, 2.6, 5.2, 10.4]
    )


def test_jitter_is_drawn_from_the_documented_range() -> None:
    drawn: list[tuple[float, float]] = []

    def uniform(low: float, high: float) -> float:
        drawn.append((low, high))
        return low

    p = Pacer(RetryPolicy(), sleep=lambda s: None, uniform=uniform)
    p.retry_delay(1, status=429)
    assert drawn == [(0.7, 1.3)]


def test_backoff_is_capped() -> None:
    p, _ = pacer(RetryPolicy(base_delay=1.0, max_delay=3.0, max_retries=10))
    assert p.retry_delay(8, status=429) == 3.0


def test_at_most_max_retries() -> None:
    p, _ = pacer(RetryPolicy(max_retries=4))
    assert p.retry_delay(4, status=429) is not None
    assert p.retry_delay(5, status=429) is None
    assert p.retry_delay(5, status=429, headers={"Retry-After": "1"}) is None


@pytest.mark.parametrize("status", [502, 504, None])
def test_gateway_errors_and_dropped_connections_are_retried_on_reads_only(
    status: int | None,
) -> None:
    p, _ = pacer()
    assert p.retry_delay(1, status=status, idempotent=True) is not None
    assert p.retry_delay(1, status=status, idempotent=False) is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
def test_other_failures_are_not_retried(status: int) -> None:
    p, _ = pacer()
    assert p.retry_delay(1, status=status) is None


def test_a_retry_after_beyond_the_ceiling_gives_up() -> None:
    p, _ = pacer(RetryPolicy(max_retry_after=60))
    assert p.retry_delay(1, status=429, headers={"Retry-After": "3600"}) is None
    assert p.asked_too_long({"Retry-After": "3600"}) == 3600


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("", None), ("soon", None), ("-3", 0.0), ("0", 0.0)]
)
def test_parse_retry_after_edge_cases(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=0.0) == expected


def test_token_bucket_allows_a_burst_then_paces() -> None:
    p, clock = pacer(RetryPolicy(rate_limit=10, burst=3))
    for _ in range(3):
        p.acquire()
    assert clock.slept == []
    p.acquire()
    p.acquire()
    assert clock.slept == pytest.approx([0.1, 0.1])


def test_token_bucket_refills_over_time() -> None:
    p, clock = pacer(RetryPolicy(rate_limit=10, burst=2))
    p.acquire()
    p.acquire()
    clock.now += 10  # long idle: back to a full bucket, never more than the burst
    p.acquire()
    p.acquire()
    assert clock.slept == []
    p.acquire()
    assert clock.slept == pytest.approx([0.1])


def test_rate_limit_zero_disables_the_bucket() -> None:
    p, clock = pacer(RetryPolicy(rate_limit=0, burst=1))
    for _ in range(100):
        p.acquire()
    assert clock.slept == []
