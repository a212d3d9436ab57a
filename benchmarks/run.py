"""Run every accessq benchmark scenario and report the figures.

    python benchmarks/run.py [--quick] [--json out.json]

For 30, 300 and 3,000 queues (`--quick`: not 3,000), at 0 and 50 ms of latency added to every
request by the sandbox: snapshot read, plan (read + diff), first apply to an empty site, and the
apply of a 5% change; each with seconds, requests, the minimum the endpoints allow and the ratio.
Then the naive jira-library read at 300 queues / 50 ms, the start-up of `accessq --help` and
`accessq validate`, the peak memory of `accessq plan` at the largest size, the first apply
under Cloud's and Data Center's rate limits (30 queues at 10 and 40 requests/s, 300 at 100:
`rate_limited.py`), and `route` of one ticket against 3,000 queues of 10 keywords. Prints
tables, writes JSON (default benchmarks/results/latest.json). See docs/benchmarks.md.
`--skip scenarios,naive,start-up,memory,routing` runs the rate limits alone.

Exit code 0 when every correctness check passed (each apply converged, each plan of a matching
site was empty); targets are reported, not enforced: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling modules, not a package

import minimum
import rate_limited
import scenarios
from naive import naive_read
from report import Comparison, Results, print_tables, write_json
from rich.console import Console
from routing_bench import routing_timing
from scenarios import LOGIN, PROJECT, Bench, BenchmarkError, Settings
from startup import plan_memory, start_up

from accessq.config.loader import ConfigError
from accessq.jira.errors import GatewayError
from accessq.jira.retry import RetryPolicy

DEFAULT_JSON = Path(__file__).resolve().parent / "results" / "latest.json"
SIZES = (30, 300, 3000)
QUICK_SIZES = (30, 300)
LATENCIES = (0, 50)
NAIVE_AT = (300, 50)  # queues, latency
PARTS = ("scenarios", "naive", "start-up", "memory", "rate-limits", "routing")


def _numbers(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of numbers"
        ) from None
    if not values or any(v < 0 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: give one or more numbers, 0 or more")
    return values


def _parts(text: str) -> frozenset[str]:
    chosen = frozenset(p.strip() for p in text.split(",") if p.strip())
    unknown = sorted(chosen - set(PARTS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}"
        )
    return chosen


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 3,000-queue size")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write results")
    parser.add_argument("--sizes", type=_numbers, help="queue counts (default 30,300,3000)")
    parser.add_argument("--latencies", type=_numbers, default=LATENCIES, help="in ms (0,50)")
    parser.add_argument(
        "--skip", type=_parts, default=frozenset(), help=f"leave out some of: {','.join(PARTS)}"
    )
    parser.add_argument("--concurrency", type=int, default=Settings.concurrency)
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=RetryPolicy.rate_limit,
        help="client-side requests per second (default: accessq's, 0: none)",
    )
    parser.add_argument(
        "--in-process", action="store_true", help="serve the sandbox from this process"
    )
    parser.add_argument(
        "--full-first-apply",
        action="store_true",
        help="first apply from empty at every size (3,000 queues: ~6 more minutes)",
    )
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = QUICK_SIZES if args.quick else SIZES
    elif args.quick:
        args.sizes = tuple(s for s in args.sizes if s < 3000)
    if any(s < 3 for s in args.sizes):
        parser.error("each size needs at least 3 queues (RP and awardee queues)")
    if args.concurrency < 1:
        parser.error("--concurrency must be 1 or more")
    return args


def run(args: argparse.Namespace, work: Path, say: Callable[[str], None]) -> Results:
    settings = Settings(
        concurrency=args.concurrency, rate_limit=args.rate_limit, in_process=args.in_process
    )
    if args.full_first_apply:
        settings = replace(settings, first_every=lambda queues: 1)
    results = Results(settings)
    if "scenarios" not in args.skip:
        _scenarios(args, work, say, results)
    if "rate-limits" not in args.skip:
        _rate_limits(args, work, say, results)
    if "start-up" not in args.skip:
        say("start-up: accessq --help and validate, best of 5")
        results.start_up = start_up(work)
    if "routing" not in args.skip:
        timing = routing_timing()  # in memory: no sandbox, no latency
        say(timing.line())
        results.notes.append(timing.line())
    return results


def _rate_limits(
    args: argparse.Namespace, work: Path, say: Callable[[str], None], results: Results
) -> None:
    settings = results.settings
    benches: dict[int, Bench] = {}
    for flavor in rate_limited.FLAVORS:
        for queues, limit in rate_limited.LIMITS:
            if queues not in benches:
                benches[queues] = Bench.prepare(queues, work / f"limited-q{queues}", settings)
            found = rate_limited.first_apply_limited(benches[queues], flavor, limit)
            results.limited.append(found)
            say(
                f"{queues:,} queues, {flavor} limit {limit}/s: {found.measured.seconds:.1f} s, "
                f"{found.measured.requests:,} requests, {found.rejected} answered 429, "
                f"{1 / found.ratio:.0%} of the allowed rate"
                + ("" if found.measured.ok else f"  CHECK FAILED {found.measured.checks}")
            )


def _scenarios(
    args: argparse.Namespace, work: Path, say: Callable[[str], None], results: Results
) -> None:
    settings = results.settings
    for queues in args.sizes:
        say(f"{queues:,} queues: generating")
        bench = Bench.prepare(queues, work / f"q{queues}", settings)
        results.workloads.append(
            {
                "queues": queues,
                "groups": len(bench.workload.groups),
                "memberships": bench.workload.memberships,
                "files": len(list((bench.folder / "queues").glob("*.yaml"))),
            }
        )
        if bench.new.queues < queues:
            results.notes.append(_scaled_first_apply(bench))
        for latency in args.latencies:
            steps = (scenarios.read_and_plan, scenarios.first_apply, scenarios.change_apply)
            for step in steps:
                found = step(bench, latency)
                for m in found if isinstance(found, list) else [found]:
                    results.measurements.append(m)
                    say(
                        f"{queues:,} queues, {latency} ms: {m.scenario} {m.seconds:.2f} s, "
                        f"{m.requests:,} requests (minimum {m.minimum:,})"
                        + ("" if m.ok else f"  CHECK FAILED {m.checks}")
                    )
            if (queues, latency) == NAIVE_AT and "naive" not in args.skip:
                results.comparison = _naive(bench, latency, results)
                say(f"naive read: {results.comparison.naive.seconds:.2f} s")
        if "memory" not in args.skip and queues == max(args.sizes):
            with bench.sandbox(bench.full_seed, 0, "memory") as sandbox:
                results.memory = plan_memory(
                    f"accessq plan ({queues:,} queues, 0 ms)",
                    bench.folder / "queues",
                    sandbox.url,
                    LOGIN,
                    bench.folder,
                )
            say(f"peak memory of plan: {results.memory.rss_mib:.0f} MiB")


def _scaled_first_apply(bench: Bench) -> str:
    """Say what the first apply from empty would take, as it is not measured at this size."""
    load, settings = bench.workload, bench.settings
    empty = load.new_queues(1)
    floor = minimum.first_apply(
        minimum.read({}),
        empty.queues,
        len(empty.groups),
        empty.memberships,
        empty.awardees,
        empty.lookups,
    )
    at_best = floor.requests * 0.050 / settings.concurrency
    return (
        f"{bench.queues:,} queues: the first apply creates {bench.new.queues:,} queues (every "
        f"{settings.first_every(bench.queues)}th) on a site that has the others; from empty it "
        f"takes at least {floor.requests:,} "
        f"requests, >= {at_best:.0f} s at 50 ms with {settings.concurrency} in parallel"
    )


def _naive(bench: Bench, latency: int, results: Results) -> Comparison:
    with bench.sandbox(bench.full_seed, latency, "naive") as sandbox:
        naive = naive_read(sandbox.url, LOGIN, bench.config, PROJECT)
    plan = next(
        m
        for m in results.measurements
        if (m.scenario, m.queues, m.latency_ms) == ("plan", bench.queues, latency)
    )
    return Comparison(bench.queues, latency, plan, naive)


def _unwritable(path: Path) -> str | None:
    """Why results cannot be written to `path`, or None when they can."""
    if path.is_dir():
        return "it is a folder"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    target = path if path.exists() else path.parent
    return None if os.access(target, os.W_OK) else "permission denied"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    problem = _unwritable(args.json)
    if problem:  # say so now, not after a ten-minute run
        print(f"error: cannot write results to {args.json}: {problem}", file=sys.stderr)
        return 1
    progress = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="accessq-bench-") as tmp:
            results = run(args, Path(tmp), lambda line: progress.print(line))
        results.seconds = time.perf_counter() - started
        if 3000 not in args.sizes:
            results.notes.append("3,000 queues not run (--quick or --sizes)")
        print_tables(results)
        write_json(results, args.json)
    except (BenchmarkError, GatewayError, ValueError, OSError) as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except ConfigError as exc:  # a generated configuration that does not load: a generator bug
        print(f"error: generated configuration: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    print(f"results written to {args.json}", file=sys.stderr)
    return 0 if results.ok else 1


if __name__ == "__main__":
    sys.exit(main())
