"""The measured scenarios, each through the code paths `accessq plan` / `accessq apply` use:
`open_gateway` (so `Gateway.connect`), `read_observed`, `diff` with the safety rules
(`workflow.plan_against`) and `accessq.apply.engine.execute` with its journal, against a sandbox
(`accessq.sandbox.start_background`) in a child process, as a real Jira is remote.

Requests are counted by the sandbox itself (its control endpoint), so retries and every call the
library makes on our behalf are in the count. Each apply is checked afterwards: a fresh plan of
the same configuration must show no change (read without latency, not counted).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import minimum
from snapshot_read import sandbox_url  # a sibling script: the sandbox in a child process
from workload import NewQueues, SmallChange, Workload, write_config, write_seed

from accessq.apply.engine import Journal, execute
from accessq.cli.workflow import plan_against
from accessq.config.loader import load_config_or_raise
from accessq.config.models import Config
from accessq.jira.connection import ConnectionSettings, open_gateway
from accessq.jira.gateway import Gateway
from accessq.jira.reader import read_observed
from accessq.jira.retry import RetryPolicy
from accessq.jira.secret import Secret
from accessq.sandbox import SandboxControl

PROJECT = "ATS"
LOGIN = ("admin", "admin")  # the admin account of generate.py's seeds


class BenchmarkError(Exception):
    """A scenario that could not run as meant (its numbers would be meaningless); one line."""


@dataclass(frozen=True)
class Settings:
    concurrency: int = 8  # the CLI's default for reads and writes
    rate_limit: float = RetryPolicy.rate_limit  # the client-side limit users get by default
    in_process: bool = False  # serve the sandbox from this process (tests: faster start)
    runs: Callable[[int], int] = lambda queues: 3 if queues <= 300 else 1  # read/plan, best of
    # The first apply creates every queue up to 300; beyond, every 10th (a tenth of the site
    # joins the rest): 3,000 queues from empty make 36,187 requests, 334 s at 50 ms on 2 cores.
    first_every: Callable[[int], int] = lambda queues: 1 if queues <= 300 else 10


@dataclass
class Measurement:
    scenario: str
    queues: int
    latency_ms: int
    seconds: float
    requests: int
    minimum: int
    formula: str
    checks: dict[str, Any] = field(default_factory=dict)  # correctness facts, e.g. converged
    ok: bool = True  # every check passed

    @property
    def ratio(self) -> float:
        """Requests made per request the endpoints require (1.0 is the floor)."""
        return self.requests / self.minimum if self.minimum else float("nan")

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(self.seconds, 3), "ratio": round(self.ratio, 3)}


@dataclass(frozen=True)
class Bench:
    """One size, ready to measure: its files on disk and its configurations loaded."""

    workload: Workload
    folder: Path
    config: Config
    change: SmallChange
    changed: Config
    new: NewQueues  # the site before the first apply
    full_seed: Path
    new_seed: Path
    settings: Settings

    @classmethod
    def prepare(cls, queues: int, folder: Path, settings: Settings) -> Bench:
        workload = Workload.build(queues)
        change = workload.changed()
        new = workload.new_queues(settings.first_every(queues))
        return cls(
            workload=workload,
            folder=folder,
            config=load_config_or_raise([write_config(folder / "queues", workload.config)]),
            change=change,
            changed=load_config_or_raise([write_config(folder / "changed", change.config)]),
            new=new,
            full_seed=write_seed(folder / "seed-full.yaml", workload.full_seed()),
            new_seed=write_seed(folder / "seed-new.yaml", new.seed),
            settings=settings,
        )

    @property
    def queues(self) -> int:
        return self.workload.queues

    def read_minimum(self) -> minimum.Minimum:
        return minimum.read(self.workload.groups)

    @contextlib.contextmanager
    def sandbox(
        self, seed: Path, latency_ms: int, name: str, flavor: str = "cloud"
    ) -> Iterator[Sandbox]:
        """A fresh sandbox (its own state file) with `seed` and `latency_ms` on every request."""
        db = self.folder / f"{name}-{flavor}-{latency_ms}ms.sqlite"
        for stale in db.parent.glob(f"{db.name}*"):  # a rerun in the same folder starts afresh
            stale.unlink()
        with sandbox_url(db, flavor, seed, latency_ms, in_process=self.settings.in_process) as url:
            yield Sandbox(url, SandboxControl(url), latency_ms, self.settings)


@dataclass(frozen=True)
class Sandbox:
    url: str
    control: SandboxControl
    latency_ms: int
    settings: Settings

    def gateway(
        self, *, rate_limit: float | None = None
    ) -> contextlib.AbstractContextManager[Gateway]:
        settings = ConnectionSettings(
            url=self.url,
            project=PROJECT,
            user=LOGIN[0],
            token=Secret(LOGIN[1]),
            url_source="benchmark",
            rate_limit=self.settings.rate_limit if rate_limit is None else rate_limit,
        )
        return open_gateway(settings)

    def converged(self, config: Config) -> bool:
        """Does a fresh plan show no change? Read without latency or rate limit, not counted."""
        self.control.set_faults(latency_ms=0, rate_limit=0)  # the site's limit is over, too
        try:
            with self.gateway(rate_limit=0) as gateway:
                observed = read_observed(gateway, config, concurrency=self.settings.concurrency)
            planned = plan_against(config, observed, None)
            return planned.plan.is_empty and not planned.plan.has_errors
        finally:
            self.control.set_faults(latency_ms=self.latency_ms)


def read_and_plan(bench: Bench, latency_ms: int) -> list[Measurement]:
    """Snapshot read, then plan (read + diff), of a site that matches: best of `runs` each."""
    floor = bench.read_minimum()
    runs = bench.settings.runs(bench.queues)
    found: list[Measurement] = []
    with bench.sandbox(bench.full_seed, latency_ms, "matching") as sandbox:
        for scenario in ("snapshot read", "plan"):
            best: Measurement | None = None
            for _ in range(runs):
                measured = _read_once(bench, sandbox, scenario, floor)
                if best is None or measured.seconds < best.seconds:
                    best = measured
            assert best is not None
            found.append(best)
    return found


def _read_once(
    bench: Bench, sandbox: Sandbox, scenario: str, floor: minimum.Minimum
) -> Measurement:
    sandbox.control.reset_stats()
    started = time.perf_counter()
    with sandbox.gateway() as gateway:
        observed = read_observed(gateway, bench.config, concurrency=bench.settings.concurrency)
    checks: dict[str, Any] = {"groups": len(observed.groups)}
    ok = len(observed.groups) == len(bench.workload.groups)
    if scenario == "plan":
        planned = plan_against(bench.config, observed, None)
        checks["changes"] = len(planned.plan.changes)
        ok = ok and planned.plan.is_empty and not planned.plan.has_errors
    seconds = time.perf_counter() - started
    return Measurement(
        scenario,
        bench.queues,
        sandbox.latency_ms,
        seconds,
        sandbox.control.count(),
        floor.requests,
        floor.formula,
        checks,
        ok,
    )


def first_apply(bench: Bench, latency_ms: int) -> Measurement:
    """Create the queues the site does not have yet (all of them, or every 10th at scale)."""
    new = bench.new
    floor = minimum.first_apply(
        minimum.read(new.existing),
        new.queues,
        len(new.groups),
        new.memberships,
        new.awardees,
        new.lookups,
    )
    name = "first apply" if new.queues == bench.queues else f"first apply ({new.queues:,} new)"
    expected = new.queues + len(new.groups) + new.memberships + new.awardees
    with bench.sandbox(bench.new_seed, latency_ms, "new") as sandbox:
        return apply_measured(bench, sandbox, name, bench.config, floor, expected=expected)


def change_apply(bench: Bench, latency_ms: int) -> Measurement:
    """Re-plan after a 5% change of the configuration, then apply it."""
    floor = minimum.change(bench.read_minimum(), bench.change.writes)
    with bench.sandbox(bench.full_seed, latency_ms, "change") as sandbox:
        return apply_measured(
            bench, sandbox, "apply 5% change", bench.changed, floor, expected=bench.change.writes
        )


def apply_measured(
    bench: Bench,
    sandbox: Sandbox,
    scenario: str,
    config: Config,
    floor: minimum.Minimum,
    *,
    expected: int,
) -> Measurement:
    sandbox.control.reset_stats()
    started = time.perf_counter()
    with sandbox.gateway() as gateway:
        observed = read_observed(gateway, config, concurrency=bench.settings.concurrency)
        planned = plan_against(config, observed, None)
        if planned.plan.has_errors or planned.blocking:
            raise BenchmarkError(
                f"{scenario} at {bench.queues} queues: the plan has errors or is blocked "
                f"({len(planned.plan.errors)} errors, {len(planned.blocking)} safety rules)"
            )
        journal = Journal(bench.folder / "journal")
        try:
            result = execute(
                planned.plan,
                gateway,
                concurrency=bench.settings.concurrency,
                journal=journal,
                request_id=gateway.last_request_id,
            )
        finally:
            journal.close()
    seconds = time.perf_counter() - started
    requests = sandbox.control.count()
    converged = sandbox.converged(config)
    changes = len(planned.plan.changes)
    checks: dict[str, Any] = {
        "changes": changes,
        "done": result.count("done"),
        "failed": result.count("failed") + result.count("skipped"),
        "converged": converged,
    }
    checks["expected_changes"] = expected
    ok = result.ok and converged and changes == expected
    return Measurement(
        scenario,
        bench.queues,
        sandbox.latency_ms,
        seconds,
        requests,
        floor.requests,
        floor.formula,
        checks,
        ok,
    )
