"""The apply lock through the real CLI, against the sandbox in both flavours: one apply at a time
per project, a clear line for the one that must wait, `--break-lock`, expiry, release on every
way out, and `plan` (read-only) never touching it. The protocol's races: tests/test_apply_lock.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from accessq.jira.gateway import Gateway
from tests.cli_support import env_for
from tests.cli_support import run_on as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "queues.yaml"
LOCK = "/rest/api/2/project/ATS/properties/accessq.lock"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture(params=["cloud", "dc"])
def sandbox(request: pytest.FixtureRequest, make_sandbox: Any) -> Any:
    return make_sandbox(request.param)


def admin(sandbox: Any) -> requests.Session:
    """Someone else, straight at Jira's REST API."""
    http = requests.Session()
    if sandbox.flavor == "dc":
        http.headers["Authorization"] = "Bearer admin-pat"
    else:
        http.auth = ("admin", "admin")
    return http


def lock_value(sandbox: Any) -> Any:
    answer = admin(sandbox).get(f"{sandbox.url}{LOCK}")
    return answer.json()["value"] if answer.status_code == 200 else None


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def hold(sandbox: Any, *, expires_in: float = 300, run_id: str = "0123abcd4567") -> dict[str, Any]:
    """Another run's lock, as `accessq apply` writes it."""
    now = datetime.now(UTC)
    value: dict[str, Any] = {
        "tool": "accessq apply",
        "run": run_id,
        "user": "bob",
        "host": "laptop",
        "pid": 77,
        "since": stamp(now - timedelta(minutes=2)),
        "expires": stamp(now + timedelta(seconds=expires_in)),
    }
    admin(sandbox).put(f"{sandbox.url}{LOCK}", json=value).raise_for_status()
    return value


def queue_writes(sandbox: Any) -> int:
    routes = sandbox.control.stats()["by_route"]
    return sum(n for k, n in routes.items() if not k.startswith("GET ") and "/properties" not in k)


def lock_writes(sandbox: Any) -> int:
    routes = sandbox.control.stats()["by_route"]
    return sum(n for k, n in routes.items() if not k.startswith("GET ") and "/properties" in k)


def test_an_apply_waits_for_the_one_that_holds_the_lock(sandbox: Any) -> None:
    held = hold(sandbox)
    sandbox.control.reset_stats()
    result = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert result.exit_code == 1
    assert result.stdout == ""  # it did not even read Jira
    assert re.fullmatch(
        r"error: another apply holds the lock on ATS: bob@laptop \(pid 77, run 0123abcd\) since "
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC unless "
        r"it is refreshed\); nothing was changed: run again once it has finished, or with "
        r"--break-lock if it is no longer running\n",
        result.stderr,
    ), result.stderr
    assert queue_writes(sandbox) == 0 and lock_writes(sandbox) == 0
    assert lock_value(sandbox) == held


def test_break_lock_takes_over_and_says_whose_lock_it_broke(sandbox: Any) -> None:
    hold(sandbox)
    result = run(sandbox, "apply", str(EXAMPLE), "--yes", "--break-lock")
    assert result.exit_code == 0, result.stderr
    assert re.search(
        r"^Broke the apply lock of bob@laptop \(pid 77, run 0123abcd\) since \d{4}-.* UTC\.$",
        result.stderr,
        re.M,
    ), result.stderr
    # Its holder might be alive: this run gives it a refresh period to notice and stop.
    assert "Waiting 1 s for that apply to see its lock is gone." in result.stderr
    assert lock_value(sandbox) is None  # released at the end
    assert run(sandbox, "plan", str(EXAMPLE), "--detailed-exitcode").exit_code == 0


def test_the_lock_of_a_killed_run_expires_on_its_own(sandbox: Any) -> None:
    hold(sandbox, expires_in=-10)  # its holder stopped refreshing it
    result = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Took over the expired apply lock of bob@laptop (pid 77, run 0123abcd)" in result.stderr
    assert lock_value(sandbox) is None


def test_the_lock_is_held_while_writing_and_released_at_the_end(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    real = Gateway.create_group

    def create_group(self: Gateway, name: str) -> None:
        if not seen:
            seen.append(lock_value(sandbox))
        real(self, name)

    monkeypatch.setattr(Gateway, "create_group", create_group)
    result = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert result.exit_code == 0, result.stderr
    held = seen[0]  # (workers may race to look first)
    assert held["tool"] == "accessq apply" and held["pid"] == os.getpid()
    assert len(held["run"]) == 32 and held["since"] < held["expires"]
    assert lock_value(sandbox) is None


def test_the_lock_is_released_when_the_apply_is_blocked_or_has_nothing_to_do(
    sandbox: Any, tmp_path: Path
) -> None:
    assert run(sandbox, "apply", str(EXAMPLE), "--yes").exit_code == 0
    again = run(sandbox, "apply", str(EXAMPLE), "--yes")
    assert again.exit_code == 0 and "No changes." in again.stdout
    assert lock_value(sandbox) is None
    emptied = tmp_path / "queues.yaml"
    emptied.write_text(EXAMPLE.read_text().split("rp_queues:")[0] + "rp_queues: []\n")
    blocked = run(sandbox, "apply", str(emptied), "--yes")
    assert blocked.exit_code == 3, blocked.stderr  # deletions need --allow-delete
    assert lock_value(sandbox) is None


def test_ctrl_c_releases_the_lock(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: Gateway, group: str, key: str) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(Gateway, "add_member", interrupted)
    result = run(sandbox, "apply", str(EXAMPLE), "--yes", "--concurrency", "1")
    assert result.exit_code == 130, result.stderr
    assert "Run the same apply again to finish the job." in result.stderr
    assert lock_value(sandbox) is None
    monkeypatch.undo()
    assert run(sandbox, "apply", str(EXAMPLE), "--yes").exit_code == 0  # a plain rerun finishes


def test_a_lost_lock_stops_the_apply_and_is_left_to_its_new_holder(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    intruder: list[dict[str, Any]] = []
    real = Gateway.add_member

    def add_member(self: Gateway, group: str, key: str) -> bool:
        if not intruder:  # someone breaks the lock while this run is writing
            intruder.append(hold(sandbox, run_id="ffffffffeeee"))
            time.sleep(1.5)  # the run's next refresh (every 0.5 s here) sees it
        return real(self, group, key)

    monkeypatch.setattr(Gateway, "add_member", add_member)
    result = run(sandbox, "apply", str(EXAMPLE), "--yes", "--concurrency", "1")
    assert result.exit_code == 1, result.stderr
    last = result.stderr.rstrip().splitlines()[-1]
    match = re.fullmatch(
        r"error: the apply stopped: the apply lock on ATS was taken over by bob@laptop \(pid 77, "
        r"run ffffffff\) since .* UTC; (\d+) of 59 steps were done, nothing else was touched; "
        r"once the other apply has finished, run the same apply again to finish the job\.",
        last,
    )
    assert match, result.stderr
    assert 0 < int(match.group(1)) < 59
    assert lock_value(sandbox) == intruder[0]  # not released: it is not ours any more


def test_plan_never_takes_the_lock(sandbox: Any) -> None:
    held = hold(sandbox)
    sandbox.control.reset_stats()
    result = run(sandbox, "plan", str(EXAMPLE), "--detailed-exitcode", login="viewer")
    assert result.exit_code == 2, result.stderr
    assert lock_writes(sandbox) == 0
    # It reads the apply record (to label drift) and writes no property at all.
    routes = sandbox.control.stats()["by_route"]
    assert all(route.startswith("GET ") for route in routes if "/properties" in route)
    assert lock_value(sandbox) == held


def with_delta_agent(path: Path, name: str, email: str) -> Path:
    raj = "      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n"
    path.write_text(
        EXAMPLE.read_text().replace(raj, f"{raj}      - {{name: {name}, email: {email}}}\n")
    )
    return path


def test_two_applies_at_the_same_time_leave_jira_matching_one_of_them(
    make_sandbox: Any, tmp_path: Path
) -> None:
    """Two real `accessq apply` processes, started together, each giving Delta another new
    agent. Before the lock both exited 0 and Jira matched neither configuration (both agents)."""
    sandbox = make_sandbox("cloud")
    assert run(sandbox, "apply", str(EXAMPLE), "--yes").exit_code == 0
    configs = (
        with_delta_agent(tmp_path / "maria.yaml", "Maria Garcia", "mgarcia@iu.example.edu"),
        with_delta_agent(tmp_path / "tom.yaml", "Tom Becker", "tbecker@iu.example.edu"),
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCESSQ_")}
    env.update(env_for(sandbox), NO_COLOR="1")
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "accessq", "apply", str(config), "--yes"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for config in configs
    ]
    outcomes = [(p.wait(timeout=120), p.communicate()[1]) for p in started]
    assert sorted(code for code, _ in outcomes) == [0, 1], outcomes
    winner, loser = (0, 1) if outcomes[0][0] == 0 else (1, 0)
    refused = outcomes[loser][1]
    assert refused.startswith("error: another apply "), refused
    assert "nothing was changed" in refused and "Traceback" not in refused
    assert len(refused.strip().splitlines()) == 1
    # Jira is exactly the winner's configuration, not a mix of both.
    assert run(sandbox, "plan", str(configs[winner]), "--detailed-exitcode").exit_code == 0
    assert run(sandbox, "plan", str(configs[loser]), "--detailed-exitcode").exit_code == 2
    assert lock_value(sandbox) is None


def test_a_refresh_keeps_a_long_apply_s_lock_alive(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock's expiry moves on while an apply runs longer than a refresh period."""
    seen: list[str] = []
    real = Gateway.add_member
    done = threading.Event()

    def add_member(self: Gateway, group: str, key: str) -> bool:
        if not done.is_set():
            seen.append(lock_value(sandbox)["expires"])
            time.sleep(1.2)  # longer than two refreshes (every 0.5 s here)
            seen.append(lock_value(sandbox)["expires"])
            done.set()
        return real(self, group, key)

    monkeypatch.setattr(Gateway, "add_member", add_member)
    assert run(sandbox, "apply", str(EXAMPLE), "--yes", "--concurrency", "1").exit_code == 0
    assert seen[0] < seen[1]
