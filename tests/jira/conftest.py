"""Helpers for the live side's tests: a sandbox of each flavour and a gateway signed in to it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from accessq.jira.gateway import Gateway
from accessq.jira.retry import Pacer, RetryPolicy
from accessq.jira.secret import Secret
from tests.conftest import sign_in_secret

if TYPE_CHECKING:
    from accessq.sandbox import RunningSandbox
    from tests.conftest import MakeSandbox


class SleepRecorder:
    """An injected sleep: records what the policy asked for and waits at most `real` seconds.

    Tests assert on the recorded values, never on wall time; the short real wait only lets a
    sandbox's rate-limit window pass.
    """

    def __init__(self, real: float = 0.0) -> None:
        self.real = real
        self.calls: list[float] = []
        self._skipped = 0.0  # asked for but not really slept: the clock jumps over it

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        waited = min(seconds, self.real) if self.real else 0.0
        if waited:
            time.sleep(waited)
        self._skipped += seconds - waited

    def clock(self) -> float:
        """The pacer's clock: real time plus every wait that was skipped."""
        return time.monotonic() + self._skipped

    def retry_waits(self, seconds: float) -> int:
        """How many waits of exactly `seconds` were asked (the retries; other threads' pauses
        after a 429 wait only what is left of it)."""
        return sum(1 for call in self.calls if call == seconds)


@pytest.fixture(params=["cloud", "dc"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sandbox(flavor: str, make_sandbox: MakeSandbox) -> RunningSandbox:
    """A demo sandbox, once per flavour."""
    return make_sandbox(flavor)


def connect(
    sandbox: RunningSandbox,
    *,
    login: str = "admin",
    token: str | None = None,
    sleep: SleepRecorder | None = None,
    policy: RetryPolicy | None = None,
    project: str = "ATS",
) -> Gateway:
    """Cloud signs in with basic auth (user + API token), Data Center with a personal token.

    token None: the account's own secret of that kind.
    """
    token = token if token is not None else sign_in_secret(sandbox, login)
    auth: dict[str, Any] = (
        {"basic_auth": (login, Secret(token))}
        if sandbox.flavor == "cloud"
        else {"pat": Secret(token)}
    )
    sleep = sleep or SleepRecorder()
    pacer = Pacer(policy or RetryPolicy(rate_limit=0), sleep=sleep, clock=sleep.clock)
    return Gateway.connect(sandbox.url, project=project, pacer=pacer, **auth)
