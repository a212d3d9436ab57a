"""The results of one benchmark run: rich tables for people, JSON for the record."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from naive import NaiveRead
from rate_limited import REJECTED_TARGET, UTILISATION_TARGET, Limited
from rich.console import Console
from rich.table import Table
from scenarios import Measurement, Settings
from startup import Peak, Timed

NAIVE_SPEEDUP_TARGET = 6.0
READ_PLAN_TARGET_S = 4.0


@dataclass(frozen=True)
class Comparison:
    """accessq's plan against the naive read, same site, same latency."""

    queues: int
    latency_ms: int
    accessq: Measurement
    naive: NaiveRead

    @property
    def speedup(self) -> float:
        return self.naive.seconds / self.accessq.seconds

    def to_json(self) -> dict[str, Any]:
        return {
            "queues": self.queues,
            "latency_ms": self.latency_ms,
            "accessq_plan": {
                "seconds": round(self.accessq.seconds, 3),
                "requests": self.accessq.requests,
            },
            "naive_read": self.naive.to_json(),
            "speedup": round(self.speedup, 2),
            "request_ratio": round(self.naive.requests / self.accessq.requests, 2),
            "target_speedup": NAIVE_SPEEDUP_TARGET,
            "met": self.speedup >= NAIVE_SPEEDUP_TARGET,
        }


@dataclass
class Results:
    settings: Settings
    workloads: list[dict[str, int]] = field(default_factory=list)  # the size of each site
    measurements: list[Measurement] = field(default_factory=list)
    comparison: Comparison | None = None
    start_up: list[Timed] = field(default_factory=list)
    memory: Peak | None = None
    limited: list[Limited] = field(default_factory=list)  # first applies under a rate limit
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the whole run

    @property
    def ok(self) -> bool:
        """Every correctness check passed (targets are reported, not enforced)."""
        memory_ok = self.memory is None or self.memory.exit_code == 0
        return (
            all(m.ok for m in self.measurements)
            and all(found.measured.ok and found.unthrottled.ok for found in self.limited)
            and all(t.exit_code == 0 for t in self.start_up)
            and memory_ok
        )

    def targets(self) -> dict[str, bool]:
        met: dict[str, bool] = {}
        plan_300 = self._find("plan", 300, 50)
        if plan_300 is not None:
            met["read+plan <= 4 s (300 queues, 50 ms)"] = plan_300.seconds <= READ_PLAN_TARGET_S
        if self.comparison is not None:
            met[f"accessq >= {NAIVE_SPEEDUP_TARGET:g}x faster than naive"] = (
                self.comparison.speedup >= NAIVE_SPEEDUP_TARGET
            )
        if self.limited:
            met[
                f">= {UTILISATION_TARGET:.0%} of the allowed rate, <= {REJECTED_TARGET:.0%} "
                "answered 429 (first apply under a rate limit)"
            ] = all(found.met for found in self.limited)
        for timed in self.start_up:
            if timed.met is not None:
                met[f"{timed.what} < {timed.target:g} s"] = timed.met
        return met

    def _find(self, scenario: str, queues: int, latency: int) -> Measurement | None:
        return next(
            (
                m
                for m in self.measurements
                if (m.scenario, m.queues, m.latency_ms) == (scenario, queues, latency)
            ),
            None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
            "settings": {
                "concurrency": self.settings.concurrency,
                "rate_limit": self.settings.rate_limit,
                "sandbox": "in-process" if self.settings.in_process else "child process",
            },
            "workloads": self.workloads,
            "scenarios": [m.to_json() for m in self.measurements],
            "naive_baseline": self.comparison.to_json() if self.comparison else None,
            "start_up": [t.to_json() for t in self.start_up],
            "peak_memory": self.memory.to_json() if self.memory else None,
            "rate_limited": [found.to_json() for found in self.limited],
            "targets": self.targets(),
            "ok": self.ok,
            "notes": self.notes,
            "total_seconds": round(self.seconds, 1),
        }


def write_json(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results.to_json(), indent=2) + "\n", encoding="utf-8")


def print_tables(results: Results, console: Console | None = None) -> None:
    # Not a terminal (a file, CI): wide enough that rows do not wrap.
    console = console or Console(file=sys.stdout, width=None if sys.stdout.isatty() else 132)
    table = Table(title="accessq benchmarks (requests counted by the sandbox)")
    for column in ("scenario", "queues", "latency", "seconds", "requests", "minimum", "ratio"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    table.add_column("check")
    for m in results.measurements:
        table.add_row(
            m.scenario,
            f"{m.queues:,}",
            f"{m.latency_ms} ms",
            f"{m.seconds:.2f}",
            f"{m.requests:,}",
            f"{m.minimum:,}",
            f"{m.ratio:.2f}",
            "ok" if m.ok else f"FAILED {m.checks}",
        )
    if results.measurements:
        console.print(table)
    if results.limited:
        console.print(_limited_table(results.limited))

    extra = Table(title="baseline, start-up and memory")
    for column in ("measure", "value", "target"):
        extra.add_column(column)
    if results.comparison is not None:
        c = results.comparison
        extra.add_row(
            f"naive jira-library read ({c.queues} queues, {c.latency_ms} ms)",
            f"{c.naive.seconds:.2f} s, {c.naive.requests:,} requests",
            "",
        )
        extra.add_row(
            "accessq plan vs naive",
            f"{c.speedup:.1f}x faster, {c.naive.requests / c.accessq.requests:.1f}x fewer requests",
            f">= {NAIVE_SPEEDUP_TARGET:g}x: {_met(c.speedup >= NAIVE_SPEEDUP_TARGET)}",
        )
    for t in results.start_up:
        value = f"{t.seconds:.3f} s (best of {t.runs})"
        if t.exit_code:
            value += f", exit code {t.exit_code}"
        target = f"< {t.target:g} s: {_met(bool(t.met))}" if t.target is not None else ""
        extra.add_row(t.what + (f" [{t.detail}]" if t.detail else ""), value, target)
    if results.memory is not None:
        mem = results.memory
        extra.add_row(mem.what, f"{mem.rss_mib:.0f} MiB peak RSS ({mem.seconds:.1f} s)", "")
    if extra.row_count:
        console.print(extra)
    for line in results.notes:
        console.print(f"note: {line}")
    verdict = "all correctness checks passed" if results.ok else "SOME CHECKS FAILED"
    console.print(f"{verdict}; whole run {results.seconds:.0f} s")


def _limited_table(limited: list[Limited]) -> Table:
    table = Table(title="first apply under a server rate limit (no added latency)")
    columns = ("flavor", "queues", "limit", "seconds", "requests", "429s", "floor", "ratio")
    for column in (*columns, "of allowed rate", "no limit", "vs max(floor, no limit)"):
        table.add_column(column, justify="left" if column == "flavor" else "right")
    table.add_column("check")
    for found in limited:
        table.add_row(
            found.flavor,
            f"{found.measured.queues:,}",
            f"{found.limit}/s",
            f"{found.measured.seconds:.1f}",
            f"{found.measured.requests:,}",
            f"{found.rejected:,}",
            f"{found.floor_s:.1f} s",
            f"{found.ratio:.2f}",
            f"{1 / found.ratio:.0%}",
            f"{found.unthrottled.seconds:.1f} s",
            f"{found.bound_ratio:.2f}",
            "ok"
            if found.measured.ok and found.unthrottled.ok
            else f"FAILED {found.measured.checks} {found.unthrottled.checks}",
        )
    return table


def _met(flag: bool) -> str:
    return "met" if flag else "NOT met"
