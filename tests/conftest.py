"""Fixtures shared by every test package: fresh sandboxes (Cloud, Data Center, or made to order)
and the location of the shared Jira OpenAPI descriptions.

Each sandbox is a real HTTP server on a free loopback port with its state in tmp_path, seeded with
the demo seed (`accessq/sandbox/demo_seed.yaml`); sign in with `admin`/`admin` or the read-only
`viewer`/`viewer`. Start-up takes a few milliseconds, so every test gets its own.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from accessq.sandbox import RunningSandbox

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_OPENAPI = REPO_ROOT.parent / "shared" / "jira-openapi"

MakeSandbox = Callable[..., "RunningSandbox"]


@pytest.fixture
def sandbox_cloud(tmp_path: Path) -> Iterator[RunningSandbox]:
    """A fresh Jira Cloud flavoured sandbox with the demo seed."""
    from accessq.sandbox import start_background

    with start_background(db=tmp_path / "sandbox-cloud.sqlite", flavor="cloud") as sandbox:
        yield sandbox


@pytest.fixture
def sandbox_dc(tmp_path: Path) -> Iterator[RunningSandbox]:
    """A fresh Jira Data Center flavoured sandbox with the demo seed."""
    from accessq.sandbox import start_background

    with start_background(db=tmp_path / "sandbox-dc.sqlite", flavor="dc") as sandbox:
        yield sandbox


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[MakeSandbox]:
    """Factory: `make_sandbox(flavor="cloud", seed=None, *, db=None, options=None, **faults)`.

    seed: a Path or dict in the seed format (None: the demo seed). db: reuse a state file (e.g. to
    restart on the same state); default a new file in tmp_path. options: sandbox options for this
    run (SandboxOptions, over the seed's). faults: FaultConfig settings such as latency_ms=50,
    rate_limit=10, error_next=2, drop_rate=0.5, random_seed=1.
    Every sandbox made is stopped at teardown.
    """
    from accessq.sandbox import start_background

    started: list[RunningSandbox] = []
    counter = itertools.count(1)

    def make(
        flavor: str = "cloud",
        seed: Path | Mapping[str, Any] | None = None,
        *,
        db: Path | None = None,
        options: Mapping[str, Any] | None = None,
        **faults: Any,
    ) -> RunningSandbox:
        path = db if db is not None else tmp_path / f"sandbox-{next(counter)}-{flavor}.sqlite"
        sandbox = start_background(
            db=path, flavor=flavor, seed=seed, faults=faults, options=options
        )
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        sandbox.stop()


# Set by .ci/run: the project's own CI has the descriptions beside the clone, so a missing folder
# is a broken set-up there, not a reason to skip the conformance tests silently.
REQUIRE_SPEC = "ACCESSQ_REQUIRE_SPEC"


def sign_in_secret(sandbox: RunningSandbox, login: str = "admin") -> str:
    """What an account signs in with where accessq does: on Cloud its API token (basic auth), on
    Data Center its personal access token (Bearer; the password works in basic auth only)."""
    account = next(a for a in sandbox.control.info()["accounts"] if a["login"] == login)
    secret = account["token"] if sandbox.flavor == "cloud" else account["pat"]
    assert secret, f"the sandbox account {login!r} has no personal access token"
    return str(secret)


@pytest.fixture(scope="session")
def shared_openapi() -> Path | None:
    """`../shared/jira-openapi` next to the repository, or None when it is absent (skip then).

    With ACCESSQ_REQUIRE_SPEC=1 in the environment (CI), an absent folder fails instead.
    """
    if SHARED_OPENAPI.is_dir():
        return SHARED_OPENAPI
    if os.environ.get(REQUIRE_SPEC):
        pytest.fail(f"{REQUIRE_SPEC} is set but {SHARED_OPENAPI} is absent")
    return None


@pytest.fixture(autouse=True)
def _quick_apply_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process applies take the apply lock with short waits (the protocol unchanged: settle
    still exceeds max_gap); tests of the lock itself choose their own timing."""
    from accessq.apply import lock

    monkeypatch.setattr(
        lock, "DEFAULT_TIMING", lock.LockTiming(ttl=30.0, refresh=0.5, max_gap=0.3, settle=0.4)
    )


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests behave alike on a laptop and in CI (which sets CI=true, and makes accessq refuse the
    implicit sandbox): a test that is about CI sets the variable itself."""
    monkeypatch.delenv("CI", raising=False)
