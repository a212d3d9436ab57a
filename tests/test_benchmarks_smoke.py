"""The benchmark runner works end to end on a tiny site (correctness only: timing is for
`benchmarks/run.py` itself to report, never to assert)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _runner(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    # Its sibling modules import each other by name; a copy of sys.path is restored after.
    monkeypatch.setattr(sys, "path", [str(BENCHMARKS), *sys.path])
    spec = importlib.util.spec_from_file_location("accessq_benchmarks_run", BENCHMARKS / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runner_measures_every_scenario_of_a_3_queue_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "results.json"
    code = _runner(monkeypatch).main(
        ["--sizes", "3", "--latencies", "0", "--skip", "naive,start-up,memory,rate-limits",
         "--in-process", "--rate-limit", "0", "--json", str(out)]
    )  # fmt: skip

    assert code == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    measured = {m["scenario"]: m for m in results["scenarios"]}
    assert set(measured) == {"snapshot read", "plan", "first apply", "apply 5% change"}
    for m in measured.values():
        assert (m["queues"], m["latency_ms"]) == (3, 0)
        assert m["ok"], m
        # The derived minimum is a true floor: accessq cannot do with fewer requests.
        assert m["requests"] >= m["minimum"] > 0
    assert measured["plan"]["checks"]["changes"] == 0  # the seed matches the configuration
    assert measured["first apply"]["checks"]["converged"] is True
    change = measured["apply 5% change"]["checks"]
    assert change["changes"] == change["expected_changes"] > 0
    assert change["converged"] is True


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_first_apply_under_a_server_rate_limit_is_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flavor: str
) -> None:
    _runner(monkeypatch)  # puts the sibling modules on the path
    from rate_limited import first_apply_limited  # type: ignore[import-not-found]
    from scenarios import Bench, Settings  # type: ignore[import-not-found]

    bench = Bench.prepare(3, tmp_path / "bench", Settings(in_process=True))
    found = first_apply_limited(bench, flavor, 50)
    assert found.measured.ok, found.measured.checks  # applied through the limiter, converged
    assert found.to_json()["requests"] == found.useful + found.rejected >= found.measured.minimum
    assert found.floor_s == found.useful / 50
    # The machine's time for the same apply, measured alongside, bounds what the limit allows.
    assert found.unthrottled.ok and found.unthrottled.requests == found.useful
    assert found.bound_s == max(found.floor_s, found.unthrottled.seconds)
