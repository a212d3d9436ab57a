"""How many requests per second the sandbox answers with no injected latency.

Starts `accessq sandbox serve` in its own process (as a user runs it, with a fresh demo state),
then drives it from client threads over real HTTP for a few seconds per scenario:

    reads   the calls a plan makes: serverInfo, myself, components, group members (paged),
            user search, JSM queues
    writes  add and remove group members (serialised by the sandbox's write lock)
    mixed   nine reads for each write

Prints requests/s and latency percentiles per scenario, and checks the sandbox's own request
count against what the clients sent. Target: at least 500 requests/s on a 2-core machine.

    python benchmarks/sandbox_throughput.py [--seconds 4] [--clients 4] [--flavor cloud]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()
# Demo-seed people (account id, username): each client thread adds and removes its own one.
PEOPLE = [
    ("712020:d3551473-22d8", "jdoe"),
    ("712020:068f1bb2-17cf", "rpatel"),
    ("712020:8a2a5581-6a71", "mgarcia"),
    ("712020:e012f10b-2cc3", "tbecker"),
    ("712020:8e68a3b6-520d", "lwei"),
    ("712020:8c1ff25c-68f6", "sokafor"),
    ("712020:5f42d6e6-87fc", "enovak"),
    ("712020:9d3188a4-cd3e", "ohaddad"),
]
Step = Callable[[int, int], tuple[str, str, "dict[str, object] | None"]]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.failures += not ok


class Client:
    """One keep-nothing HTTP client (the sandbox, like Werkzeug, closes after each answer)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def call(self, method: str, path: str, body: dict[str, object] | None = None) -> int:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Authorization": AUTH}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()


def start_server(flavor: str, state: Path) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "accessq",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--db",
        str(state / "sandbox.sqlite"),
        "--flavor",
        flavor,
    ]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    first = process.stderr.readline()
    if " on http://" not in first:
        process.kill()
        raise SystemExit(f"the sandbox did not start: {first.strip()}")
    return process, first.split(" on ", 1)[1].split()[0]


def read_calls(flavor: str) -> list[tuple[str, str]]:
    search = "query=jdoe@illinois.example.edu" if flavor == "cloud" else "username=jdoe"
    return [
        ("GET", "/rest/api/2/serverInfo"),
        ("GET", "/rest/api/2/myself"),
        ("GET", "/rest/api/2/project/ATS/components"),
        ("GET", "/rest/api/2/group/member?groupname=bench&maxResults=50"),
        ("GET", "/rest/api/2/group?groupname=bench&expand=users"),
        ("GET", f"/rest/api/2/user/search?{search}"),
        ("GET", "/rest/api/2/groups/picker?query=ben&maxResults=50"),
        ("GET", "/rest/servicedeskapi/servicedesk/1/queue"),
    ]


def run(seconds: float, clients: int, step: Step, url: str) -> Tally:
    """Each client thread calls step(thread, n) for n = 0, 1, ... until the time is up."""
    tally = Tally()
    deadline = time.perf_counter() + seconds

    def worker(thread: int) -> None:
        client, n = Client(url), 0
        while time.perf_counter() < deadline:
            method, path, body = step(thread, n)
            started = time.perf_counter()
            status = client.call(method, path, body)
            tally.add(time.perf_counter() - started, status < 400)
            n += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def report(name: str, tally: Tally, seconds: float) -> float:
    rate = len(tally.latencies) / seconds
    cuts = statistics.quantiles(tally.latencies, n=100) if len(tally.latencies) > 1 else [0] * 99
    print(
        f"  {name:<7} {rate:7.0f} req/s   p50 {cuts[49] * 1000:5.1f} ms   "
        f"p95 {cuts[94] * 1000:5.1f} ms   failures {tally.failures}"
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per scenario")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--flavor", choices=["cloud", "dc"], default="cloud")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="accessq-bench-") as tmp:
        process, url = start_server(args.flavor, Path(tmp))
        try:
            setup = Client(url)
            setup.call("POST", "/rest/api/2/group", {"name": "bench"})
            cloud = args.flavor == "cloud"
            reads = read_calls(args.flavor)

            def read(thread: int, n: int) -> tuple[str, str, dict[str, object] | None]:
                method, path = reads[(thread + n) % len(reads)]
                return method, path, None

            def write(thread: int, n: int) -> tuple[str, str, dict[str, object] | None]:
                account_id, username = PEOPLE[thread % len(PEOPLE)]
                if n % 2 == 0:
                    body = {"accountId": account_id} if cloud else {"name": username}
                    return "POST", "/rest/api/2/group/user?groupname=bench", body
                who = f"accountId={account_id}" if cloud else f"username={username}"
                return "DELETE", f"/rest/api/2/group/user?groupname=bench&{who}", None

            def mixed(thread: int, n: int) -> tuple[str, str, dict[str, object] | None]:
                return write(thread, n // 10) if n % 10 == 0 else read(thread, n)

            print(
                f"sandbox throughput: {args.flavor} flavour, {args.clients} client threads, "
                f"{args.seconds:g} s per scenario, no injected latency"
            )
            sent = counted = 0
            rates = []
            scenarios: list[tuple[str, Step]] = [
                ("reads", read),
                ("writes", write),
                ("mixed", mixed),
            ]
            for name, step in scenarios:
                for thread in range(args.clients):  # no bench members to start with
                    setup.call(*write(thread, 1))  # (a 400 for a non-member is fine)
                setup.call("DELETE", "/_sandbox/stats")
                tally = run(args.seconds, args.clients, step, url)
                rates.append(report(name, tally, args.seconds))
                sent += len(tally.latencies)
                counted += json.loads(_get(url, "/_sandbox/stats"))["total"]
            print(f"  the sandbox counted {counted} requests; the clients sent {sent}")
            verdict = "meets" if min(rates) >= 500 else "MISSES"
            print(f"  slowest scenario {min(rates):.0f} req/s: {verdict} the 500 req/s target")
            return 0 if min(rates) >= 500 and counted == sent else 1
        finally:
            process.terminate()
            process.wait(timeout=10)


def _get(url: str, path: str) -> str:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode()
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
