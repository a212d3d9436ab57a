"""What a user waits for before any request, and what a large plan costs in memory: the CLI run as
a subprocess, as a shell or CI runs it.

Start-up is wall time, best of 5 (the least disturbed run on a shared machine). Peak memory is
the child's own peak resident set (`wait4` rusage of that one process), so neither this runner
nor the sandbox is in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generate import generate, write  # a sibling script, not a package

from accessq.jira.connection import ENV_TOKEN, ENV_URL, ENV_USER

VALIDATE_QUEUES = 3000
# The most memberships a single 3,000-queue file holds under the loader's 100,000-value cap.
VALIDATE_MEMBERSHIPS = 6000


@dataclass(frozen=True)
class Timed:
    what: str
    seconds: float  # best of `runs`
    runs: int
    target: float | None = None
    exit_code: int = 0
    detail: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.seconds < self.target and not self.exit_code

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "seconds": round(self.seconds, 3),
            "runs": self.runs,
            "target_seconds": self.target,
            "met": self.met,
            "exit_code": self.exit_code,
            "detail": self.detail,
        }


def accessq_command() -> list[str]:
    """The installed `accessq` script next to this interpreter, else `python -m accessq`."""
    script = shutil.which("accessq", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "accessq"]


def _env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCESSQ_")}
    env["NO_COLOR"] = "1"
    return {**env, **(extra or {})}


def best_of(
    what: str,
    args: Sequence[str],
    cwd: Path,
    *,
    runs: int = 5,
    target: float | None = None,
    detail: str = "",
) -> Timed:
    best, code = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [*accessq_command(), *args], cwd=cwd, env=_env(), capture_output=True, check=False
        )
        best = min(best, time.perf_counter() - started)
        code = code or done.returncode
    return Timed(what, best, runs, target, code, detail)


def start_up(folder: Path, runs: int = 5) -> list[Timed]:
    """`accessq --help` and `accessq validate` of a generated 3,000-queue file."""
    generated = generate(VALIDATE_QUEUES, VALIDATE_MEMBERSHIPS)
    config_path, _ = write(folder / "validate", generated)
    return [
        best_of("accessq --help", ["--help"], folder, runs=runs, target=0.5),
        best_of(
            "accessq validate (3,000 queues, 1 file)",
            ["validate", str(config_path)],
            folder,
            runs=runs,
            target=2.0,
            detail=f"{len(generated.groups)} groups, {generated.memberships} memberships",
        ),
    ]


@dataclass(frozen=True)
class Peak:
    what: str
    rss_mib: float
    seconds: float
    exit_code: int

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "peak_rss_mib": round(self.rss_mib, 1),
            "seconds": round(self.seconds, 3),
            "exit_code": self.exit_code,
        }


def plan_memory(what: str, config: Path, url: str, login: tuple[str, str], cwd: Path) -> Peak:
    """Peak RSS of `accessq plan CONFIG` against the Jira at `url`."""
    env = _env({ENV_URL: url, ENV_USER: login[0], ENV_TOKEN: login[1]})
    started = time.perf_counter()
    child = subprocess.Popen(
        [*accessq_command(), "plan", str(config), "--quiet"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # wait4 rather than wait(): it also gives this child's own resource usage.
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Peak(what, usage.ru_maxrss / scale, seconds, child.returncode)
