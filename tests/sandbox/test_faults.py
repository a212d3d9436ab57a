"""Injected faults, set at start or at run time: latency, 429 budgets, 5xx bursts, dropped
connections, and the request counter and log."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jira import JIRAError

from accessq.sandbox import FaultConfig, RunningSandbox
from accessq.sandbox.faults import FaultInjector
from tests.sandbox.conftest import api, jira_client, session

MEMBERS = "GET /rest/api/{version}/group/member"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


# -- decisions (no HTTP) -----------------------------------------------------------------------


def test_latency_and_seeded_jitter_are_reproducible() -> None:
    config = FaultConfig.build(latency_ms=40, jitter_ms=20, random_seed=7)
    runs = [_delays(FaultInjector(config)), _delays(FaultInjector(config))]
    assert runs[0] == runs[1]
    assert all(0.040 <= d <= 0.060 for d in runs[0])
    assert len(set(runs[0])) > 1


def _delays(injector: FaultInjector) -> list[float]:
    return [injector.decide("GET", "/rest/api/2/myself").delay_s for _ in range(20)]


def test_rate_limit_window_with_a_fake_clock() -> None:
    clock = FakeClock()
    injector = FaultInjector(FaultConfig.build(rate_limit=2, rate_window_s=10), clock=clock)
    allowed = [injector.decide("GET", "/x") for _ in range(2)]
    assert [v.status for v in allowed] == [None, None]
    assert [v.headers["X-RateLimit-Remaining"] for v in allowed] == ["1", "0"]
    clock.now += 4
    limited = injector.decide("GET", "/x")
    assert limited.status == 429
    assert limited.headers["Retry-After"] == "6"
    assert limited.headers["X-RateLimit-Limit"] == "2"
    assert limited.headers["RateLimit-Reason"]
    assert limited.headers["X-RateLimit-Reset"].endswith("Z")
    clock.now += 6
    assert injector.decide("GET", "/x").status is None


def test_error_fraction_is_reproducible_with_a_seed() -> None:
    config = FaultConfig.build(error_rate=0.5, error_status=502, drop_rate=0.2, random_seed=3)
    runs = [_outcomes(FaultInjector(config)), _outcomes(FaultInjector(config))]
    assert runs[0] == runs[1]
    assert set(runs[0]) == {None, 502, "dropped"}


def _outcomes(injector: FaultInjector) -> list[int | str | None]:
    verdicts = [injector.decide("GET", "/x") for _ in range(60)]
    return ["dropped" if v.drop else v.status for v in verdicts]


def test_bad_settings_are_refused_in_one_line() -> None:
    bads: list[dict[str, Any]] = [
        {"latency": 5},
        {"error_status": 404},
        {"drop_rate": 2},
        {"latency_ms": -1},
    ]
    for bad in bads:
        with pytest.raises(ValueError) as caught:
            FaultConfig.build(**bad)
        assert "\n" not in str(caught.value)


# -- over HTTP ---------------------------------------------------------------------------------


def test_latency_set_at_start_delays_every_answer(make_sandbox: Any) -> None:
    sandbox = make_sandbox("cloud", latency_ms=30)
    with session(sandbox) as http:
        for _ in range(3):
            http.get(api(sandbox, "myself")).raise_for_status()
    # A lower bound only: the server slept at least that long before answering.
    assert all(entry["ms"] >= 30 for entry in sandbox.control.stats()["log"])
    assert sandbox.control.faults()["latency_ms"] == 30


def test_rate_limit_answers_429_with_jiras_headers(sandbox: RunningSandbox) -> None:
    sandbox.control.set_faults(rate_limit=2, rate_window_s=60)
    with session(sandbox) as http:
        ok = [http.get(api(sandbox, "myself")) for _ in range(2)]
        assert [r.status_code for r in ok] == [200, 200]
        assert ok[0].headers["X-RateLimit-Limit"] == "2"
        limited = http.get(api(sandbox, "myself"))
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert limited.headers["X-RateLimit-Remaining"] == "0"
        cloud_only = {"X-RateLimit-Reset", "RateLimit-Reason", "X-RateLimit-NearLimit"}
        dc_only = {"X-RateLimit-Interval-Seconds", "X-RateLimit-FillRate"}
        present = set(limited.headers)
        if sandbox.flavor == "cloud":
            assert cloud_only <= present and not dc_only & present
        else:  # Data Center's token bucket (see test_rate_limit_dc.py)
            assert dc_only <= present and not cloud_only & present
        assert limited.json()["errorMessages"]
        sandbox.control.clear_faults()
        assert http.get(api(sandbox, "myself")).status_code == 200


def test_the_next_n_requests_fail_then_recover(sandbox: RunningSandbox) -> None:
    sandbox.control.set_faults(error_next=2, error_status=503, error_retry_after_s=7)
    with session(sandbox) as http:
        statuses = [http.get(api(sandbox, "myself")) for _ in range(3)]
    assert [r.status_code for r in statuses] == [503, 503, 200]
    assert statuses[0].headers["Retry-After"] == "7"
    assert sandbox.control.faults()["error_next"] == 0


def test_errors_only_for_chosen_methods_and_paths(sandbox: RunningSandbox) -> None:
    sandbox.control.set_faults(error_rate=1.0, error_status=500, methods=["post"])
    with session(sandbox) as http:
        assert http.get(api(sandbox, "myself")).status_code == 200
        failed = http.post(api(sandbox, "group"), json={"name": "g"})
        assert failed.status_code == 500 and failed.json()["errorMessages"]
        sandbox.control.set_faults(methods=[], paths=["/rest/api/*/group/member"], error_status=502)
        assert http.get(api(sandbox, "myself")).status_code == 200
        assert http.get(api(sandbox, "group/member?groupname=x")).status_code == 502
    # the POST that failed changed nothing
    sandbox.control.clear_faults()
    with session(sandbox) as http:
        assert http.get(api(sandbox, "group/member?groupname=g")).status_code == 404


def test_dropped_connection_then_recovery(sandbox: RunningSandbox) -> None:
    sandbox.control.set_faults(drop_next=1)
    with session(sandbox) as http:
        with pytest.raises(requests.ConnectionError):
            http.get(api(sandbox, "myself"))
        assert http.get(api(sandbox, "myself")).status_code == 200
    log = sandbox.control.stats()["log"]
    assert [e["status"] for e in log] == ["dropped", 200]


def test_the_jira_client_sees_injected_faults(sandbox: RunningSandbox) -> None:
    client = jira_client(sandbox)
    sandbox.control.set_faults(error_next=1, error_status=503)
    with pytest.raises(JIRAError) as caught:
        client.project_components("ATS")
    assert caught.value.status_code == 503
    assert [c.name for c in client.project_components("ATS")] == ["General Support"]


def test_faults_at_start_through_the_factory(make_sandbox: Any) -> None:
    sandbox = make_sandbox("dc", rate_limit=1, rate_window_s=60, random_seed=5)
    with session(sandbox) as http:
        assert http.get(api(sandbox, "myself")).status_code == 200
        assert http.get(api(sandbox, "myself")).status_code == 429
    assert sandbox.control.faults()["random_seed"] == 5


def test_control_refuses_unknown_settings(sandbox: RunningSandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault setting"):
        sandbox.control.set_faults(latency=5)


def test_request_counter_and_log(sandbox: RunningSandbox) -> None:
    with session(sandbox) as http:
        for _ in range(3):
            http.get(api(sandbox, "group/member?groupname=nope"))
        http.get(api(sandbox, "myself", version="3"))
    stats = sandbox.control.stats()
    assert stats["total"] == 4
    assert stats["by_route"][MEMBERS] == 3
    assert stats["by_route"]["GET /rest/api/{version}/myself"] == 1
    assert stats["by_status"] == {"404": 3, "200": 1}
    last = stats["log"][-1]
    assert (last["method"], last["path"], last["status"], last["account"]) == (
        "GET",
        "/rest/api/3/myself",
        200,
        "admin",
    )
    assert sandbox.control.count(MEMBERS) == 3
    sandbox.control.reset_stats()
    assert sandbox.control.stats() == {"total": 0, "by_route": {}, "by_status": {}, "log": []}
