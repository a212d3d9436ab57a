"""Data Center's rate limiting: a token bucket per user, with its own headers (not Cloud's)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from accessq.sandbox import FaultConfig, RunningSandbox
from accessq.sandbox.faults import FaultInjector
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, session

ADMIN = "Basic YWRtaW46YWRtaW4="


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _dc(clock: FakeClock, **settings: Any) -> FaultInjector:
    return FaultInjector(FaultConfig.build(**settings), clock=clock, flavor="dc")


def test_the_bucket_starts_full_and_refills_in_batches() -> None:
    clock = FakeClock()
    injector = _dc(clock, rate_limit=2, rate_window_s=10, rate_bucket=5)
    allowed = [injector.decide("GET", "/x", ADMIN) for _ in range(5)]
    assert [v.status for v in allowed] == [None] * 5
    assert [v.headers["X-RateLimit-Remaining"] for v in allowed] == ["4", "3", "2", "1", "0"]
    assert allowed[0].headers == {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Interval-Seconds": "10",
        "X-RateLimit-FillRate": "2",
        "X-RateLimit-Remaining": "4",
        "Retry-After": "0",  # tokens left: no wait
    }
    clock.now += 4
    limited = injector.decide("GET", "/x", ADMIN)
    assert (limited.status, limited.reason) == (429, "rate limited")
    assert limited.headers["Retry-After"] == "6"  # until the next batch
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert not {"X-RateLimit-Reset", "RateLimit-Reason", "X-RateLimit-NearLimit"} & set(
        limited.headers
    )
    clock.now += 6  # one batch of 2
    assert [injector.decide("GET", "/x", ADMIN).status for _ in range(3)] == [None, None, 429]
    clock.now += 1000  # never more than the bucket holds
    assert [injector.decide("GET", "/x", ADMIN).status for _ in range(6)] == [None] * 5 + [429]


def test_each_user_has_a_bucket_and_anonymous_requests_are_not_limited() -> None:
    clock = FakeClock()
    injector = _dc(clock, rate_limit=1, rate_window_s=60)
    assert injector.decide("GET", "/x", ADMIN).status is None
    assert injector.decide("GET", "/x", ADMIN).status == 429
    assert injector.decide("GET", "/x", "Bearer viewer-pat").status is None
    assert all(injector.decide("GET", "/x", None).status is None for _ in range(5))
    assert "X-RateLimit-Limit" not in injector.decide("GET", "/x", None).headers


def test_retry_after_can_be_set() -> None:
    injector = _dc(FakeClock(), rate_limit=1, rate_window_s=60, rate_retry_after_s=3)
    injector.decide("GET", "/x", ADMIN)
    assert injector.decide("GET", "/x", ADMIN).headers["Retry-After"] == "3"


def test_cloud_keeps_its_fixed_window_for_everyone() -> None:
    clock = FakeClock()
    injector = FaultInjector(FaultConfig.build(rate_limit=1, rate_window_s=60), clock=clock)
    assert injector.decide("GET", "/x", ADMIN).status is None
    limited = injector.decide("GET", "/x", "Bearer other")
    assert limited.status == 429 and limited.headers["RateLimit-Reason"]


def test_over_http(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("dc", rate_limit=2, rate_window_s=60)
    with session(sandbox) as admin, session(sandbox, None) as anonymous:
        first = admin.get(api(sandbox, "myself"))
        assert first.headers["X-RateLimit-FillRate"] == "2"
        assert first.headers["Retry-After"] == "0"
        admin.get(api(sandbox, "myself")).raise_for_status()
        limited = admin.get(api(sandbox, "myself"))
        assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 60
        bearer = {"Authorization": "Bearer viewer-pat"}
        assert anonymous.get(api(sandbox, "myself"), headers=bearer).status_code == 200
        assert anonymous.get(api(sandbox, "serverInfo")).status_code == 200
    assert sandbox.control.stats()["by_status"]["429"] == 1


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_both_flavours_limit_basic_auth(make_sandbox: MakeSandbox, flavor: str) -> None:
    sandbox: RunningSandbox = make_sandbox(flavor, rate_limit=1, rate_window_s=60)
    with requests.Session() as http:
        http.trust_env = False
        http.auth = ("admin", "admin")
        statuses = [http.get(api(sandbox, "myself")).status_code for _ in range(2)]
    assert statuses == [200, 429]
