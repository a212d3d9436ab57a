"""Long retry waits are one line each on stderr (issue 19): a silent minute reads as a hung job.

Real time against the sandbox's faults, through the CLI: the line names what Jira answered, how
long accessq waits and why, and which attempt follows; never the host or a query; never on stdout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from accessq.jira.retry import Pacer
from tests.cli_support import run_on

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "queues.yaml"
NOTICE = re.compile(r"waiting \d+ s.* before retrying, attempt \d+ of \d+$")


def _notices(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if NOTICE.search(line)]


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_503_with_retry_after_is_announced_once_on_stderr(make_sandbox: Any, flavor: str) -> None:
    sandbox = make_sandbox(flavor)
    sandbox.control.set_faults(
        error_next=1, error_status=503, error_retry_after_s=3, paths=["*/components"]
    )
    result = run_on(sandbox, "list-queues")
    assert result.exit_code == 0, result.stderr
    notices = _notices(result.stderr)
    assert len(notices) == 1, result.stderr
    assert re.fullmatch(
        r"Jira answered 503 Service Unavailable to GET /rest/api/\d/project/ATS/components?; "
        r"waiting 3 s \(Retry-After\) before retrying, attempt 2 of 5",
        notices[0],
    ), notices[0]
    assert sandbox.url not in result.stderr  # method and path only: no host, no query
    assert not _notices(result.stdout)


def test_short_waits_pass_without_a_word(sandbox_cloud: Any) -> None:
    # A run of 503s without Retry-After: backoffs of about 0.5 and 1 s.
    sandbox_cloud.control.set_faults(error_next=2, error_status=503)
    result = run_on(sandbox_cloud, "list-queues")
    assert result.exit_code == 0, result.stderr
    assert sandbox_cloud.control.stats()["by_status"].get("503") == 2  # the waits did happen
    assert not _notices(result.stderr + result.stdout)


def test_a_429_with_retry_after_is_announced_once(
    sandbox_cloud: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one seam: the rate-limit headers hidden, else the pacer averts the 429s they warn of.
    monkeypatch.setattr(Pacer, "observe", lambda self, headers: None)
    sandbox_cloud.control.set_faults(rate_limit=3, rate_window_s=1, rate_retry_after_s=3)
    result = run_on(sandbox_cloud, "list-queues", "--format", "json")
    assert result.exit_code == 0, result.stderr
    notices = _notices(result.stderr)
    # Every thread told 429 in the same burst waits the same pause: one line, not eight.
    assert 1 <= len(notices) <= sandbox_cloud.control.stats()["by_status"]["429"] // 2 + 1
    assert re.fullmatch(
        r"Jira answered 429 Too Many Requests to GET /rest/\S+; "
        r"waiting 3 s \(Retry-After\) before retrying, attempt 2 of 5",
        notices[0],
    ), notices[0]
    assert not _notices(result.stdout)


def test_quiet_silences_the_notices(make_sandbox: Any) -> None:
    sandbox = make_sandbox("cloud")
    sandbox.control.set_faults(error_next=1, error_status=503, error_retry_after_s=3)
    result = run_on(sandbox, "list-queues", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert not _notices(result.stderr)


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_a_wait_while_letting_go_of_the_lock_comes_before_the_apply_report(
    make_sandbox: Any, flavor: str
) -> None:
    """The lock is let go after the steps; what that says comes before the report, so the
    report's closing line stays the apply's last line (CI reads it)."""
    sandbox = make_sandbox(flavor)
    sandbox.control.set_faults(
        error_next=1,
        error_status=503,
        error_retry_after_s=3,
        methods=["DELETE"],
        paths=["*/properties/accessq.lock"],
    )
    result = run_on(sandbox, "apply", str(EXAMPLE), "--yes")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.rstrip().splitlines()
    notices = [i for i, line in enumerate(lines) if NOTICE.search(line)]
    assert len(notices) == 1 and "DELETE" in lines[notices[0]], result.stderr
    summary = next(i for i, line in enumerate(lines) if line.startswith("Apply: "))
    assert notices[0] < summary, result.stderr
    assert lines[-1].startswith("Journal: "), result.stderr  # the report's own last line
