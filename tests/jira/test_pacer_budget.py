"""The pacer learns the rate Jira allows from its rate-limit headers and slows down before a 429
(unit, with a fake clock; and over HTTP against the sandbox's Cloud and Data Center limiters)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from accessq.jira.budget import read_budget
from accessq.jira.retry import Pacer, RetryPolicy
from tests.jira.conftest import SleepRecorder, connect

if TYPE_CHECKING:
    from tests.conftest import MakeSandbox


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0  # the same clock serves as monotonic and wall time
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def _pacer(
    rate: float = 200.0, burst: int = 50, burst_seconds: float = 0.0
) -> tuple[Pacer, FakeTime]:
    fake = FakeTime()
    policy = RetryPolicy(rate_limit=rate, burst=burst, burst_seconds=burst_seconds)
    return Pacer(policy, sleep=fake.sleep, clock=fake.clock, wall_clock=fake.clock), fake


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _cloud(limit: int, remaining: int, reset: float, near: bool = False) -> dict[str, str]:
    headers = {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": _iso(reset),
    }
    if near:
        headers["X-RateLimit-NearLimit"] = "true"
    return headers


def _dc(fill: int, interval: float, remaining: int) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(fill),
        "X-RateLimit-FillRate": str(fill),
        "X-RateLimit-Interval-Seconds": f"{interval:g}",
        "X-RateLimit-Remaining": str(remaining),
        "Retry-After": "0",
    }


def _sent_at_once(pacer: Pacer, fake: FakeTime, limit: int = 1000) -> int:
    """Requests the pacer lets through before the first wait."""
    for sent in range(limit):
        pacer.acquire()
        if fake.slept:
            return sent  # this one waited
    return limit


def test_data_center_fill_rate_sets_the_pace_under_it() -> None:
    pacer, fake = _pacer()
    pacer.observe(_dc(fill=20, interval=2.0, remaining=15))  # 10 requests/s
    assert pacer.current_rate == pytest.approx(9.0)  # 90% of it
    for _ in range(20):
        pacer.acquire()
    assert fake.now - 1_700_000_000.0 == pytest.approx((20 - 1) / 9, abs=1e-5)  # 9 a second
    # With a saved-up burst allowed: at most a quarter second's worth (1 + 2.25 tokens).
    pacer, fake = _pacer(burst_seconds=0.25)
    pacer.observe(_dc(fill=20, interval=2.0, remaining=15))
    for _ in range(20):
        pacer.acquire()
    assert fake.now - 1_700_000_000.0 == pytest.approx((20 - 3.25) / 9, abs=1e-5)


def test_by_default_a_stated_rate_is_paced_without_a_saved_up_burst() -> None:
    """Measured: a saved-up burst draws 429s from a fixed window (docs/benchmarks.md)."""
    pacer, fake = _pacer()
    pacer.observe(_dc(fill=100, interval=1.0, remaining=90))
    fake.now += 10  # a long idle saves up nothing
    assert _sent_at_once(pacer, fake) == 1


def test_an_idle_moment_is_made_up_with_a_small_burst() -> None:
    pacer, fake = _pacer(burst_seconds=0.25)
    pacer.observe(_dc(fill=100, interval=1.0, remaining=90))  # paced at 90 a second
    assert _sent_at_once(pacer, fake) == 23  # 1 + 0.25 s x 90, not the configured 50
    fake.slept.clear()
    fake.now += 0.101  # every thread held up for 0.1 s: 9 requests' worth saved up
    assert _sent_at_once(pacer, fake) == 9
    fake.slept.clear()
    fake.now += 10  # a long idle saves up no more than a quarter second's worth
    assert _sent_at_once(pacer, fake) == 23


@pytest.mark.parametrize("remaining", [0, 1, 4])
def test_a_burst_never_exceeds_the_remaining_jira_stated(remaining: int) -> None:
    pacer, fake = _pacer(burst_seconds=0.25)
    start = fake.now
    pacer.observe(_cloud(100, remaining, start + 0.9))  # a fixed window nearly spent
    fake.now += 0.95  # past the window's reset, but Jira has not said so yet
    assert _sent_at_once(pacer, fake) == max(1, remaining)


def test_a_burst_counts_what_was_sent_since_jira_last_said() -> None:
    pacer, fake = _pacer(burst_seconds=0.25)
    pacer.observe(_cloud(100, 60, fake.now + 1.0))
    for _ in range(55):
        pacer.acquire()
    fake.slept.clear()
    fake.now += 0.5  # idle, but only 5 of the window's 60 are left
    assert _sent_at_once(pacer, fake) == 5


def test_cloud_limit_per_window_learned_from_successive_resets() -> None:
    pacer, fake = _pacer()
    start = fake.now
    pacer.observe(_cloud(40, 39, start + 1.0))
    assert pacer.server_rate == 40.0  # Cloud's burst limit is per second until told otherwise
    pacer.observe(_cloud(40, 30, start + 1.0))  # the same window
    pacer.observe(_cloud(40, 39, start + 3.5))  # an idle gap, then the next window
    pacer.observe(_cloud(40, 39, start + 5.5))  # the one after: windows of 2 s
    assert pacer.server_rate == 20.0
    assert pacer.current_rate == pytest.approx(18.0)


def test_never_faster_than_the_configured_limit_whatever_jira_says() -> None:
    pacer, _ = _pacer(rate=5.0)
    pacer.observe(_dc(fill=1000, interval=1.0, remaining=999))
    assert pacer.current_rate == 5.0


def test_budget_spent_waits_for_the_window_to_reset_before_any_429() -> None:
    pacer, fake = _pacer()
    pacer.observe(_cloud(10, 0, fake.now + 0.3))  # a success that took the last one
    pacer.acquire()
    assert fake.slept[0] == pytest.approx(0.3, abs=1e-3)


def test_a_reset_further_than_a_window_is_not_believed() -> None:
    pacer, fake = _pacer()
    pacer.observe(_cloud(10, 0, fake.now + 3600))  # a skewed clock must not stall the run
    pacer.acquire()
    assert all(wait < 1.0 for wait in fake.slept)


def test_near_limit_spends_no_saved_up_burst() -> None:
    pacer, fake = _pacer(rate=10.0, burst=50)
    pacer.acquire()
    pacer.observe({"X-RateLimit-NearLimit": "true"})
    pacer.acquire()
    assert fake.slept == [pytest.approx(0.1)]  # without the header: 49 more at once


def test_requests_in_flight_when_jira_answered_count_against_its_remaining() -> None:
    pacer, fake = _pacer(burst_seconds=0.25)
    pacer.observe(_cloud(100, 90, fake.now + 1.0))
    with ThreadPoolExecutor(max_workers=1) as other:  # one thread: its own send, its answer
        other.submit(pacer.acquire).result()
        for _ in range(6):  # sent while that one was in flight
            pacer.acquire()
        # Jira answers the first: 9 left when it counted it, 6 of them since spent.
        other.submit(pacer.observe, _cloud(100, 9, fake.now + 1.0)).result()
    fake.slept.clear()
    fake.now += 0.5  # idle: a quarter second's worth would be 22
    assert _sent_at_once(pacer, fake) == 3


def test_requests_sent_earlier_and_still_unanswered_count_against_its_remaining() -> None:
    pacer, fake = _pacer(burst_seconds=0.25)
    pacer.observe(_cloud(100, 90, fake.now + 1.0))
    with ThreadPoolExecutor(max_workers=1) as first, ThreadPoolExecutor(max_workers=1) as second:
        first.submit(pacer.acquire).result()  # out, and may reach Jira after the second
        second.submit(pacer.acquire).result()
        second.submit(pacer.observe, _cloud(100, 5, fake.now + 1.0)).result()
    fake.slept.clear()
    fake.now += 0.5
    assert _sent_at_once(pacer, fake) == 4  # 5 stated, less the first one's


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Limit": "-5"},
        {"X-RateLimit-Limit": "nan"},
        {"X-RateLimit-Limit": "inf"},
        {"X-RateLimit-Limit": "0"},
        {"X-RateLimit-FillRate": "10", "X-RateLimit-Interval-Seconds": "0"},
        {"X-RateLimit-Remaining": "lots"},
    ],
)
def test_nonsense_headers_change_nothing(headers: dict[str, str]) -> None:
    pacer, _ = _pacer()
    pacer.observe(headers)
    assert pacer.server_rate is None and pacer.current_rate == 200.0


def test_a_reset_in_minutes_is_too_coarse_to_learn_from() -> None:
    assert read_budget({"X-RateLimit-Reset": "2026-11-29T04:10Z"}).reset_at is None
    assert read_budget({"X-RateLimit-Reset": "2026-11-29T04:10:00"}).reset_at is None  # no zone


def test_retry_after_still_honoured_exactly_with_a_learned_rate() -> None:
    pacer, _ = _pacer()
    pacer.observe(_cloud(10, 0, 0.0))
    assert pacer.retry_delay(1, status=429, headers={"Retry-After": "7"}) == 7.0


@pytest.mark.parametrize(
    ("flavor", "faults", "allowed"),
    [
        ("cloud", {"rate_limit": 40}, 40.0),
        ("dc", {"rate_limit": 30, "rate_window_s": 2.0}, 15.0),
    ],
)
def test_the_gateway_learns_the_sites_rate_from_its_answers(
    make_sandbox: MakeSandbox, flavor: str, faults: dict[str, float], allowed: float
) -> None:
    world = make_sandbox(flavor)
    world.control.set_faults(**faults)
    sleep = SleepRecorder()
    with connect(world, sleep=sleep, policy=RetryPolicy()) as gateway:
        gateway.myself()
        assert gateway.pacer.server_rate == allowed
        assert gateway.pacer.current_rate == pytest.approx(allowed * 0.9)
