"""A 429 slows the whole client, not just the thread that got it (unit, with a fake clock)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import pytest

from accessq.jira.retry import Pacer, RetryPolicy, RetryWait


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


class Worker:
    """One thread of the client, driven step by step (the pacer remembers each thread's last
    request); `run` returns once the step is done, so the order is the test's, not the OS's."""

    def __init__(self) -> None:
        self._steps: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._done: queue.Queue[None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while (step := self._steps.get()) is not None:
            step()
            self._done.put(None)

    def run(self, step: Callable[[], None]) -> None:
        self._steps.put(step)
        self._done.get(timeout=10)

    def stop(self) -> None:
        self._steps.put(None)
        self._thread.join()


def test_one_cut_per_congestion_event_not_per_429() -> None:
    pacer, fake = _pacer(rate=100.0)
    pacer.policy = RetryPolicy(rate_limit=100.0, burst=50)
    threads = [Worker() for _ in range(8)]
    for thread in threads:  # eight requests in flight in one window
        thread.run(pacer.acquire)
    fake.now += 0.05
    for thread in threads:  # ... all answered 429
        thread.run(lambda: pacer.throttled(1.0))
    for thread in threads:
        thread.stop()
    # One event: cut once, from the 8 requests/s really sent, to 0.7 x 8 (not 0.5**8 x 100).
    assert pacer.current_rate == pytest.approx(5.6)


def test_a_429_to_a_request_sent_after_the_cut_is_a_new_event() -> None:
    pacer, fake = _pacer(rate=100.0)
    for _ in range(10):
        pacer.acquire()
    pacer.throttled(0.0)
    first = pacer.current_rate
    fake.now += 0.5
    pacer.acquire()  # sent after the cut
    pacer.throttled(0.0)
    assert pacer.current_rate < first


def test_the_cut_is_from_the_rate_really_sent_and_gentler_than_half() -> None:
    pacer, fake = _pacer(rate=200.0)  # a ceiling 8 threads never reach against a slow site
    for _ in range(40):
        pacer.acquire()
        fake.now += 0.025  # 40 requests/s
    pacer.throttled(0.0)
    assert pacer.current_rate == pytest.approx(0.7 * 40, rel=0.05)


def test_the_rate_climbs_back_with_time_not_with_each_success() -> None:
    pacer, fake = _pacer(rate=200.0)
    for _ in range(40):
        pacer.acquire()
        fake.now += 0.025
    pacer.throttled(2.0)  # waits out Retry-After first: no climbing while paused
    cut = pacer.current_rate
    assert cut == pytest.approx(28.0, rel=0.05)
    fake.now += 2.0
    assert pacer.current_rate == cut
    fake.now += 1.0
    # + a tenth of the rate cut from (about 40), per second
    assert pacer.current_rate == pytest.approx(cut + cut / 7, rel=1e-6)
    fake.now += 100.0
    assert pacer.current_rate == 200.0  # never above the configured limit


def test_the_reduced_rate_spaces_requests() -> None:
    pacer, fake = _pacer(rate=10.0)
    for _ in range(10):
        pacer.acquire()  # 10 requests/s
    pacer.throttled(0.0)  # now 7 requests/s
    pacer.acquire()
    pacer.acquire()
    assert fake.slept[-1] == pytest.approx(1 / 7, rel=0.15)  # was 1 / 10


def test_a_long_wait_is_announced_once() -> None:
    told: list[str] = []
    pacer, _ = _pacer()
    pacer.on_wait = lambda wait: told.append(wait.describe())
    long_429 = RetryWait(429, 20.0, True, 2, 5, "GET /rest/api/3/group/member")
    pacer.announce(long_429)
    pacer.announce(long_429)  # a second thread told the same thing at the same time
    pacer.announce(RetryWait(429, 2.0, True, 2, 5, "GET /x"))  # short waits pass without a word
    pacer.announce(RetryWait(None, 3.0, False, 3, 5, "GET /y"))
    assert told == [
        "Jira answered 429 Too Many Requests to GET /rest/api/3/group/member; waiting 20 s "
        "(Retry-After) before retrying, attempt 2 of 5",
        "The connection to Jira dropped during GET /y; waiting 3 s before retrying, attempt 3 of 5",
    ]
