"""How long a live snapshot of a large configuration takes, and how many requests it makes.

    python benchmarks/snapshot_read.py [--queues 300] [--memberships 2000] [--latency-ms 50]
                                       [--flavor cloud|dc] [--concurrency 8] [--runs 3]

Generates the configuration and the matching sandbox seed (`benchmarks/generate.py`), starts the
sandbox with the given latency on every request (in a child process, as a real Jira is remote;
`--in-process` shares this process and its GIL with the server), reads the snapshot with
`read_observed`, and prints the wall time and the request count against the minimum the
endpoints allow: serverInfo + myself + project components + one groups/picker call + one
`group/member` page per started 50 members of each group (no people lookups: all are members).
Target: <= 4 s and <= 5% over the minimum.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate, write  # a sibling script, not a package

from accessq.config.loader import load_config_or_raise
from accessq.jira.gateway import PICKER_LIMIT, Gateway
from accessq.jira.reader import read_observed
from accessq.jira.retry import RetryPolicy
from accessq.jira.secret import Secret
from accessq.sandbox import start_background


def minimum_requests(group_sizes: dict[str, int]) -> int:
    pages = sum(max(1, math.ceil(size / 50)) for size in group_sizes.values())
    pickers = max(1, math.ceil(len(group_sizes) / PICKER_LIMIT))
    return 3 + pickers + pages  # serverInfo, myself, components


# Runs in the child: serve until stdin closes, after printing the URL.
_SERVE = """
import sys
from pathlib import Path
from accessq.sandbox import start_background
with start_background(db=Path(sys.argv[1]), flavor=sys.argv[2], seed=Path(sys.argv[3]),
                      latency_ms=int(sys.argv[4])) as sandbox:
    print(sandbox.url, flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def sandbox_url(
    db: Path, flavor: str, seed: Path, latency_ms: int, *, in_process: bool
) -> Iterator[str]:
    if in_process:
        with start_background(db=db, flavor=flavor, seed=seed, latency_ms=latency_ms) as sandbox:
            yield sandbox.url
        return
    command = [sys.executable, "-c", _SERVE, str(db), flavor, str(seed), str(latency_ms)]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None and child.stdin is not None
        url = child.stdout.readline().strip()
        if not url:
            raise SystemExit("the sandbox did not start")
        try:
            yield url
        finally:
            child.stdin.close()
            child.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queues", type=int, default=300)
    parser.add_argument("--memberships", type=int, default=2000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--flavor", choices=("cloud", "dc"), default="cloud")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate-limit", type=float, default=RetryPolicy.rate_limit)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--in-process", action="store_true", help="serve from this process")
    args = parser.parse_args(argv)

    generated = generate(args.queues, args.memberships)
    with tempfile.TemporaryDirectory(prefix="accessq-bench-") as tmp:
        config_path, seed_path = write(Path(tmp), generated)
        config = load_config_or_raise([config_path])
        minimum = minimum_requests(generated.groups)
        print(
            f"{args.queues} queues, {len(generated.groups)} groups, "
            f"{generated.memberships} memberships; {args.flavor} sandbox, "
            f"{args.latency_ms} ms latency, concurrency {args.concurrency}, "
            f"{'in-process' if args.in_process else 'separate process'}"
        )
        with sandbox_url(
            Path(tmp) / "sandbox.sqlite",
            args.flavor,
            seed_path,
            args.latency_ms,
            in_process=args.in_process,
        ) as url:
            auth = (
                {"basic_auth": ("admin", Secret("admin"))}
                if args.flavor == "cloud"
                else {"pat": Secret("admin-pat")}  # generate.py's admin PAT
            )
            worst = 0.0
            for run in range(1, args.runs + 1):
                started = time.perf_counter()
                with Gateway.connect(
                    url,
                    project="ATS",
                    policy=RetryPolicy(rate_limit=args.rate_limit),
                    **auth,  # type: ignore[arg-type]
                ) as gateway:
                    observed = read_observed(gateway, config, concurrency=args.concurrency)
                    requests = gateway.request_count
                seconds = time.perf_counter() - started
                worst = max(worst, seconds)
                over = 100 * (requests - minimum) / minimum
                print(
                    f"run {run}: {seconds:.2f} s, {requests} requests "
                    f"(minimum {minimum}, {over:+.1f}%), {len(observed.groups)} groups, "
                    f"{len(observed.directory)} people resolved"
                )
            ok = worst <= 4.0 and requests <= minimum * 1.05
            print(f"target <= 4 s and <= 5% over minimum: {'met' if ok else 'NOT met'}")
            return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
