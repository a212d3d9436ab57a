"""What goes wrong on the machine accessq runs on, not in Jira: a journal folder it cannot write,
a disk that fills up mid-apply, a hostile `--plan` file, a job summary it cannot write. Each is
one `error:` line with what was done so far and how to finish, exit code 1, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from accessq.apply import engine
from tests.cli_support import run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "queues.yaml"
JOURNAL = Path(".accessq/journal")


def _writable(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@contextmanager
def unwritable(folder: Path) -> Iterator[Path]:
    """`folder`, made unwritable for real: read-only mode, or (root ignores modes) the
    immutable attribute. Skips the test where neither holds."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = False
    if _writable(folder) and shutil.which("chattr"):
        chattr = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        immutable = chattr.returncode == 0
    try:
        if _writable(folder):
            pytest.skip("cannot make a folder unwritable here (root without chattr)")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def _one_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def test_an_unwritable_journal_folder_stops_apply_before_anything_happens() -> None:
    with unwritable(JOURNAL):
        result = run(["apply", str(EXAMPLE), "--yes"])
    assert result.exit_code == 1
    line = _one_error_line(result.stderr)
    assert line.startswith(f"error: cannot write the journal folder {JOURNAL}: ")
    assert line.endswith(
        "nothing was changed: make it a writable folder, then run the same apply again"
    )
    assert result.stdout == ""  # stopped before reading Jira or planning
    assert not Path(".accessq/sandbox.sqlite").exists()


def test_a_journal_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    """The folder was writable when apply started but is not when the journal is opened."""
    with unwritable(tmp_path / "journal") as folder, pytest.raises(engine.JournalError) as caught:
        engine.Journal(folder)
    assert str(caught.value).startswith(f"cannot write the journal {folder}/apply-")
    assert "\n" not in str(caught.value)


class FillingDisk:
    """A unit seam for `write(2)`: `whole` records go to disk for real, the next gets only its
    first half (a short write, as Linux does when the disk fills), then ENOSPC."""

    def __init__(self, whole: int) -> None:
        self.whole = whole
        self.full = False

    def __call__(self, fd: int, data: bytes) -> int:
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if self.whole:
            self.whole -= 1
            return os.write(fd, data)
        self.full = True
        return os.write(fd, data[: len(data) // 2])


def test_a_disk_that_fills_up_mid_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_write_some", FillingDisk(whole=2))
    result = run(["apply", str(EXAMPLE), "--yes", "--concurrency", "1"])
    assert result.exit_code == 1, result.stderr
    line = _one_error_line(result.stderr)
    assert line.startswith("error: the apply stopped: cannot write the journal .accessq/journal/")
    assert ": No space left on device; " in line
    assert "(the journal lists the first 2 whole), nothing else was touched; free some disk" in line
    assert line.endswith("then run the same apply again to finish the job.")
    # The closing report still prints: what was done, per queue.
    summary = next(s for s in result.stderr.splitlines() if s.startswith("Apply: "))
    done = int(summary.split()[1])
    assert 2 < done < 59  # it stopped early: the steps in flight finished, nothing new started
    assert f"{done} of 59 steps were done" in line

    # The journal holds whole records only: no half line was left behind.
    (journal,) = JOURNAL.glob("apply-*.jsonl")
    text = journal.read_text()
    assert text.endswith("\n")
    records = [json.loads(x) for x in text.splitlines()]
    assert len(records) == 2 and all(r["result"] == "done" for r in records)

    # With room on the disk again, the same apply finishes the job.
    monkeypatch.undo()
    again = run(["apply", str(EXAMPLE), "--yes"])
    assert again.exit_code == 0, again.stderr
    assert run(["plan", str(EXAMPLE), "--detailed-exitcode"]).exit_code == 0


@pytest.mark.parametrize("where", ["configuration", "before"])
def test_a_plan_file_nested_deeper_than_python_can_read(where: str) -> None:
    assert run(["plan", str(EXAMPLE), "--out", "plan.json"]).exit_code == 0
    text = Path("plan.json").read_text()
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    if where == "configuration":
        text = text.replace('"configuration": {', f'"configuration": {{"deep": {deep}, ', 1)
    else:
        text = text.replace('"before": null', f'"before": {deep}', 1)
    Path("deep.json").write_text(text)

    result = run(["apply", "--plan", "deep.json", "--yes"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: deep.json: not an accessq plan file: its JSON is nested far too deeply to read; "
        "nothing was changed: make the plan again with `accessq plan QUEUES --out deep.json`"
    )
    assert result.stdout == ""


@pytest.mark.parametrize("summary", ["a-folder", "missing/summary.md", "/dev/full"])
def test_an_unwritable_job_summary(summary: str, tmp_path: Path) -> None:
    (tmp_path / "a-folder").mkdir()
    if summary == "/dev/full" and not Path(summary).exists():
        pytest.skip("no /dev/full here")
    result = run(["plan", str(EXAMPLE), "--out", "plan.json"], {"GITHUB_STEP_SUMMARY": summary})
    assert result.exit_code == 1
    line = _one_error_line(result.stderr)
    assert line.startswith(f"error: cannot write the job summary GITHUB_STEP_SUMMARY='{summary}': ")
    assert line.endswith(
        "; the plan above is complete and saved to plan.json; "
        "fix the path (or unset it) and run again"
    )
    assert "Plan: 10 queues to create" in result.stdout  # the plan itself was printed
    assert json.loads(Path("plan.json").read_text())["format_version"] == 1
