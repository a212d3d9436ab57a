"""Fixtures of the reliability suite: each test runs in its own folder (journals, saved plans and
the in-process sandbox stay there), and retries wait at most a few milliseconds of real time."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from accessq.jira import connection
from accessq.jira.gateway import Gateway
from accessq.jira.retry import Pacer, RetryPolicy, RetryWait

# Long enough for a sandbox rate-limit window (tests use 0.05 s windows) to pass, short enough
# that a 429 storm asking for `Retry-After: 1` does not cost a second per retry.
REAL_SLEEP_CAP = 0.06


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def asked_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every CLI connection gets a pacer whose sleep is capped; returns the waits it asked for.

    The retry policy itself is unchanged (what to retry, how often, what Retry-After says):
    only the real time spent waiting is shortened, so fault tests run in seconds.
    """
    asked: list[float] = []
    skipped = [0.0]  # asked for but not really slept: the pacer's clock jumps over it

    def capped_sleep(seconds: float) -> None:
        asked.append(seconds)
        waited = min(seconds, REAL_SLEEP_CAP)
        time.sleep(waited)
        skipped[0] += seconds - waited

    def clock() -> float:
        return time.monotonic() + skipped[0]

    real_open = connection.open_gateway

    @contextmanager
    def open_with_capped_sleep(
        settings: connection.ConnectionSettings,
        *,
        policy: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        on_wait: Callable[[RetryWait], None] | None = None,
    ) -> Iterator[Gateway]:
        policy = policy or RetryPolicy(rate_limit=settings.rate_limit)
        pacer = pacer or Pacer(policy, capped_sleep, clock, on_wait=on_wait)
        with real_open(settings, policy=policy, pacer=pacer) as gw:
            yield gw

    monkeypatch.setattr(connection, "open_gateway", open_with_capped_sleep)
    return asked


@pytest.fixture
def read_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """Every gateway gives up waiting for an answer after this long (the real default is 60 s),
    so a slow sandbox can make a write land after accessq stopped waiting for it."""
    seconds = 0.15
    real_connect = Gateway.connect.__func__  # type: ignore[attr-defined]

    def connect(cls: type[Gateway], url: str, **kwargs: object) -> Gateway:
        kwargs["timeout"] = (2.0, seconds)
        return real_connect(cls, url, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Gateway, "connect", classmethod(connect))
    return seconds
