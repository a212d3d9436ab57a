"""A 429 slows the whole client, not just the thread that got it (unit, with a fake clock)."""

from __future__ import annotations

import logging

import pytest

from accessq.jira.retry import Pacer, RetryPolicy


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def _pacer(rate: float = 100.0) -> tuple[Pacer, FakeTime]:
    fake = FakeTime()
    pacer = Pacer(RetryPolicy(rate_limit=rate, burst=1), sleep=fake.sleep, clock=fake.clock)
    return pacer, fake


def test_after_a_429_every_request_waits_out_retry_after() -> None:
    pacer, fake = _pacer()
    pacer.acquire()
    pacer.throttled(2.0)
    pacer.acquire()  # another thread's next request, not the one that got the 429
    assert fake.slept[0] == 2.0


def test_a_429_halves_the_rate_and_successes_win_it_back() -> None:
    pacer, _ = _pacer(rate=100.0)
    pacer.throttled(0.0)
    assert pacer.current_rate == 50.0
    pacer.throttled(0.0)
    assert pacer.current_rate == 25.0
    for _ in range(10):
        pacer.succeeded()
    assert pacer.current_rate == 35.0
    for _ in range(100):
        pacer.succeeded()
    assert pacer.current_rate == 100.0  # never above the configured limit


def test_the_reduced_rate_spaces_requests() -> None:
    pacer, fake = _pacer(rate=10.0)
    pacer.acquire()
    pacer.throttled(0.0)  # now 5 requests/s
    pacer.acquire()
    pacer.acquire()
    assert fake.slept[-1] == 0.2


def test_a_long_wait_is_announced_once(caplog: pytest.LogCaptureFixture) -> None:
    pacer, _ = _pacer()
    with caplog.at_level(logging.WARNING, logger="accessq"):
        pacer.throttled(20.0)
        pacer.throttled(20.0)  # a second thread told the same thing at the same time
        pacer.throttled(1.0)  # short waits pass without a word
    assert [r.getMessage() for r in caplog.records] == [
        "Jira is rate limiting (HTTP 429): waiting 20 s as it asks"
    ]
