"""429 storms, 503 bursts and dropped connections: reads still succeed, writes never run twice.

Waits go through an injected sleep that records what the policy asked for; assertions are on
those values and on the sandbox's request counts, never on wall time.
"""

from __future__ import annotations

from typing import Any

import pytest

from accessq.jira.errors import PermissionDenied, RetriesExhausted, TransientError
from accessq.jira.reader import read_observed
from accessq.jira.retry import Pacer, RetryPolicy
from accessq.model.observed import Observed
from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.jira import scenario
from tests.jira.conftest import SleepRecorder, connect

MEMBERS = "GET /rest/api/{version}/group/member"


@pytest.fixture
def world(flavor: str, make_sandbox: MakeSandbox) -> RunningSandbox:
    return make_sandbox(flavor, scenario.seed())


def read(world: RunningSandbox, flavor: str, sleep: SleepRecorder, **policy: Any) -> Observed:
    with connect(world, sleep=sleep, policy=RetryPolicy(rate_limit=0, **policy)) as gateway:
        return read_observed(gateway, scenario.config(flavor))


def baseline(world: RunningSandbox, flavor: str) -> tuple[Observed, int]:
    world.control.reset_stats()
    observed = read(world, flavor, SleepRecorder())
    count = world.control.count()
    world.control.reset_stats()
    return observed, count


def test_503_burst_honours_retry_after_exactly(world: RunningSandbox, flavor: str) -> None:
    expected, requests = baseline(world, flavor)
    world.control.set_faults(error_next=3, error_status=503, error_retry_after_s=2)
    sleep = SleepRecorder()
    assert read(world, flavor, sleep) == expected
    assert sleep.calls == [2.0, 2.0, 2.0]
    assert world.control.count() == requests + 3


def test_503_without_retry_after_backs_off_with_jitter(world: RunningSandbox, flavor: str) -> None:
    expected, _ = baseline(world, flavor)
    # The first two requests (serverInfo, then its retry, at connect time) fail.
    world.control.set_faults(error_next=2, error_status=503)
    sleep = SleepRecorder()
    assert read(world, flavor, sleep, base_delay=0.5) == expected
    first, second = sleep.calls
    assert 0.5 * 0.7 <= first <= 0.5 * 1.3
    assert 1.0 * 0.7 <= second <= 1.0 * 1.3  # doubled


def test_429_storm_during_a_read(
    world: RunningSandbox, flavor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, requests = baseline(world, flavor)
    # A storm the headers did not foresee (a budget other clients share): without this the pacer
    # waits for the window's Reset when Remaining hits 0 and the storm may not happen at all.
    monkeypatch.setattr(Pacer, "observe", lambda self, headers: None)
    # 6 requests per 0.2 s window, Retry-After 1 s (the recorder waits 0.2 s of it for real).
    world.control.set_faults(rate_limit=6, rate_window_s=0.2, rate_retry_after_s=1)
    sleep = SleepRecorder(real=0.2)
    assert read(world, flavor, sleep) == expected
    rejected = world.control.stats()["by_status"].get("429", 0)
    assert rejected > 0 and sleep.retry_waits(1.0) == rejected
    # The other threads held back for what was left of Retry-After, never longer.
    assert all(0 < call <= 1.0 for call in sleep.calls)
    assert world.control.count() == requests + rejected


def test_dropped_connections_on_reads_are_retried(world: RunningSandbox, flavor: str) -> None:
    expected, _ = baseline(world, flavor)
    world.control.set_faults(drop_next=2, methods=["GET"])
    sleep = SleepRecorder()
    assert read(world, flavor, sleep) == expected
    assert len(sleep.calls) == 2


def test_502_and_504_on_reads_are_retried(world: RunningSandbox, flavor: str) -> None:
    expected, _ = baseline(world, flavor)
    world.control.set_faults(error_next=2, error_status=502)
    assert read(world, flavor, SleepRecorder()) == expected
    world.control.set_faults(error_next=2, error_status=504)
    assert read(world, flavor, SleepRecorder()) == expected


def test_retries_are_bounded_and_say_so(world: RunningSandbox, flavor: str) -> None:
    world.control.set_faults(error_rate=1.0, error_status=503, paths=["*/group/member"])
    sleep = SleepRecorder()
    with pytest.raises(RetriesExhausted) as caught:
        read(world, flavor, sleep, max_retries=4)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("Jira kept answering HTTP 503")
    assert "GET /rest/api/2/group/member; gave up after 4 retries" in message


def test_a_failed_create_is_retried_only_after_a_re_read(sandbox: RunningSandbox) -> None:
    sandbox.control.set_faults(error_next=1, error_status=503, methods=["POST"])
    sleep = SleepRecorder()
    with connect(sandbox, sleep=sleep) as gateway:
        sandbox.control.reset_stats()
        created = gateway.create_component("Delta", description="NCSA Delta")
        assert [c.name for c in gateway.components()].count("Delta") == 1
    routes = sandbox.control.stats()["by_route"]
    assert routes["POST /rest/api/{version}/component"] == 2  # the 503, then the real create
    assert routes["GET /rest/api/{version}/project/{key}/components"] == 2  # re-read + check
    assert created.name == "Delta" and len(sleep.calls) == 1


def test_a_write_whose_answer_was_lost_is_not_repeated(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    with connect(sandbox) as gateway:
        real_send = gateway._send
        lost: list[str] = []

        def send_then_lose_the_answer(method: str, path: str, **kwargs: Any) -> Any:
            real_send(method, path, **kwargs)  # Jira does the work ...
            if not lost:  # ... but the first answer never arrives
                lost.append(path)
                raise TransientError("connection dropped", status=None, retry_after=None)
            return None

        monkeypatch.setattr(gateway, "_send", send_then_lose_the_answer)
        sandbox.control.reset_stats()
        gateway.create_group("ats-delta-agents")
        assert sandbox.control.count("POST /rest/api/{version}/group") == 1
        assert lost == ["/rest/api/2/group"]
        monkeypatch.undo()
        assert gateway.find_groups("ats-") == ["ats-delta-agents"]


def test_read_only_writes_get_no_retry(sandbox: RunningSandbox) -> None:
    sleep = SleepRecorder()
    with (
        connect(sandbox, login="viewer", sleep=sleep) as gateway,
        pytest.raises(PermissionDenied, match="HTTP 403"),
    ):
        gateway.create_component("Delta")
    assert sleep.calls == []
