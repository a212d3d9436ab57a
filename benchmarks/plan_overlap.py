"""Plan time against the latency floor, with and without looking people up during the reads.

    python benchmarks/plan_overlap.py [--queues 300] [--latency 50] [--runs 3]

Two plans at `--latency` ms added to every request: the steady plan (a site that matches: no
lookups) and a first plan (a site that has the people but none of the queues: everyone is looked
up). Each is measured as accessq reads (lookups start as soon as a queue's groups are read) and
with that head start switched off (every lookup after every group read, the order before), best of
`--runs`. The floor is ceil(requests / concurrency) x latency: every request waits the latency and
no more than `concurrency` run at once. The machine's part: the same plan at 0 ms with no
client-side rate limit, measured in the same run; a plan cannot beat floor + that by much, as
each request's own work (client and sandbox, on the same cores) comes on top of its latency.
See docs/benchmarks.md "Plan: reads and lookups overlap".
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling modules, not a package

from scenarios import Bench, Settings

from accessq.cli.workflow import plan_against
from accessq.jira import lookahead
from accessq.jira.reader import read_observed


@contextmanager
def _no_head_start() -> Iterator[None]:
    """Lookups only once every group is read: no queue is ever told it is ready."""
    real = lookahead.Lookahead._ready
    lookahead.Lookahead._ready = lambda self, index: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        lookahead.Lookahead._ready = real  # type: ignore[method-assign]


def _plan_once(
    bench: Bench, seed: Path, latency: int, name: str, rate_limit: float | None = None
) -> tuple[float, int, int]:
    """Seconds, requests and changes of one read + plan."""
    with bench.sandbox(seed, latency, name) as sandbox:
        sandbox.control.reset_stats()
        started = time.perf_counter()
        with sandbox.gateway(rate_limit=rate_limit) as gateway:
            observed = read_observed(gateway, bench.config, concurrency=bench.settings.concurrency)
        planned = plan_against(bench.config, observed, None)
        return time.perf_counter() - started, sandbox.control.count(), len(planned.plan.changes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queues", type=int, default=300)
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="accessq-overlap-") as tmp:
        bench = Bench.prepare(args.queues, Path(tmp), Settings())
        concurrency = bench.settings.concurrency
        print(
            "| plan | lookups during reads | seconds | requests | floor | ratio "
            "| vs floor + machine |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        for label, seed in (("steady", bench.full_seed), ("first", bench.new_seed)):
            machine = min(
                _plan_once(bench, seed, 0, f"{label}-0ms-{run}", rate_limit=0)[0]
                for run in range(args.runs)
            )
            print(f"| {label} | machine: 0 ms, no client limit | {machine:.2f} | | | | |")
            for overlap in (True, False):
                runs = []
                for run in range(args.runs):
                    name = f"{label}-{'on' if overlap else 'off'}-{run}"
                    if overlap:
                        runs.append(_plan_once(bench, seed, args.latency, name))
                    else:
                        with _no_head_start():
                            runs.append(_plan_once(bench, seed, args.latency, name))
                seconds, requests, _ = min(runs)
                floor = math.ceil(requests / concurrency) * args.latency / 1000
                print(
                    f"| {label} | {'yes' if overlap else 'no (before)'} | {seconds:.2f} | "
                    f"{requests:,} | {floor:.2f} s | {seconds / floor:.2f} | "
                    f"{seconds / (floor + machine):.2f} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
