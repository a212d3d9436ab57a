"""Runs a plan against Jira: order, dependencies, bounded concurrency, journal.

The plan already lists its changes in DESIGN section 4 order (creates, adds, updates, removals,
deletes). Phases run one after another, so nobody loses access while a role moves; inside a phase
independent changes run concurrently. A failed change stops only what depends on it (its
`depends_on`, and the removals of the same queue and role: if the newcomer could not be added,
the person they replace keeps their access). Retries and the re-read before re-creating anything
live in the gateway; here a change succeeds, fails with one line, or is skipped with a reason.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol, assert_never

from accessq.jira.secret import redact
from accessq.model.naming import encode_description
from accessq.model.observed import ObservedComponent, ObservedJsmQueue
from accessq.plan.model import PHASES, Change, Plan
from accessq.plan.payload import (
    AddMember,
    CreateComponent,
    CreateGroup,
    CreateJsmQueue,
    DeleteComponent,
    DeleteGroup,
    DeleteJsmQueue,
    RemoveMember,
    UpdateComponent,
    UpdateJsmQueue,
)

Status = Literal["done", "failed", "skipped"]


class WritableJira(Protocol):
    """The gateway methods apply needs (accessq.jira.gateway.Gateway provides them)."""

    def components(self) -> list[ObservedComponent]: ...
    def create_component(
        self, name: str, *, description: str = ..., lead: str | None = ..., assignee_type: str = ...
    ) -> ObservedComponent: ...
    def update_component(
        self,
        component_id: str,
        *,
        name: str | None = ...,
        description: str | None = ...,
        lead: str | None = ...,
        assignee_type: str | None = ...,
    ) -> ObservedComponent: ...
    def delete_component(
        self, component_id: str, *, move_issues_to: str | None = None
    ) -> None: ...
    def create_group(self, name: str) -> None: ...
    def delete_group(self, name: str) -> None: ...
    # False: Jira already had it so (the goal is reached, nothing was changed).
    def add_member(self, group: str, key: str) -> bool | None: ...
    def remove_member(self, group: str, key: str) -> bool | None: ...
    def jsm_queues(self) -> list[ObservedJsmQueue]: ...
    def create_jsm_queue(self, name: str, jql: str) -> ObservedJsmQueue: ...
    def update_jsm_queue(self, queue_id: str, *, name: str, jql: str) -> ObservedJsmQueue: ...
    def delete_jsm_queue(self, queue_id: str) -> None: ...


@dataclass(frozen=True)
class StepResult:
    change: Change
    status: Status
    error: str | None = None
    seconds: float = 0.0
    note: str | None = None  # e.g. Jira already had it so: done, but by someone else


ALREADY_MEMBER = "already a member: Jira had it so before this step"
ALREADY_GONE = "already not a member: Jira had it so before this step"


@dataclass
class ApplyResult:
    steps: list[StepResult] = field(default_factory=list)
    journal: Path | None = None
    # Set when a step failed in a way every other write would too (no permission, credentials
    # refused): the run stopped there, and this is Jira's answer.
    stopped_by: str | None = None
    # Set when accessq itself stopped the run (the journal could not be written, the apply
    # lock was lost): one line saying why.
    halted_by: str | None = None
    # The journal's write error, once one happened (later steps are not journalled).
    journal_failed: str | None = None
    journaled: int = 0  # steps the journal holds

    def count(self, status: Status) -> int:
        return sum(1 for s in self.steps if s.status == status)

    @property
    def ok(self) -> bool:
        return all(s.status == "done" for s in self.steps)

    def problems(self) -> list[StepResult]:
        return [s for s in self.steps if s.status != "done"]


class JournalError(Exception):
    """The journal could not be written (disk full, folder not writable); `str()` is one line."""


def _write_some(fd: int, data: bytes) -> int:
    """One `write(2)`: how many bytes the kernel took (a full disk may take only some)."""
    return os.write(fd, data)


class Journal:
    """A JSON-lines record of every step of one apply, under `.accessq/journal/`.

    Each record is written whole or not at all: a write the disk cuts short is cut back off, so
    a reader never meets half a line, and the failure is raised as `JournalError`.
    """

    def __init__(self, folder: Path) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        self.path = folder / f"apply-{stamp}-{os.getpid()}.jsonl"
        self._lock = threading.Lock()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Unbuffered appends straight to the kernel: a killed apply still leaves every
            # finished step on disk, and a short write is seen (and undone) at once.
            self._fd: int | None = os.open(
                self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644
            )
            self._size = os.fstat(self._fd).st_size  # bytes of whole records
        except OSError as exc:
            raise JournalError(_cannot(self.path, exc)) from None

    def write(self, record: dict[str, Any]) -> None:
        # Last net: errors and request ids are server text, which may echo the credentials.
        line = redact(json.dumps({"time": datetime.now(UTC).isoformat(), **record}, sort_keys=True))
        data = (line + "\n").encode("utf-8")
        with self._lock:
            if self._fd is None:
                raise JournalError(f"the journal {self.path} is closed")
            self._append(self._fd, data)

    def _append(self, fd: int, data: bytes) -> None:
        written = 0
        try:
            while written < len(data):
                taken = _write_some(fd, data[written:])
                if taken <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                written += taken
        except OSError as exc:
            if written:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, self._size)  # never leave half a record behind
            raise JournalError(_cannot(self.path, exc)) from None
        self._size += written

    def close(self) -> None:
        with self._lock:
            fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def _cannot(path: Path, exc: OSError) -> str:
    return f"cannot write the journal {path}: {exc.strerror or exc}"


def _step_record(result: StepResult, request_id: str | None) -> dict[str, Any]:
    change = result.change
    return {
        "event": "step",
        "change": change.id,
        "queue": change.queue,
        "action": change.action,
        "target": change.target,
        "person": change.person.account.key if change.person else None,
        "result": result.status,
        "error": result.error,
        "note": result.note,
        "seconds": round(result.seconds, 4),
        "request_id": request_id,
    }


class _Runner:
    """Turns one `Change` into gateway calls; remembers what this run created."""

    def __init__(self, jira: WritableJira) -> None:
        self.jira = jira
        self._created: dict[str, str] = {}  # component name (folded) -> id made by this run
        self._lock = threading.Lock()

    def component_id(self, change: Change) -> str:
        if change.target_id:
            return change.target_id
        return self.named_component_id(change.target)

    def named_component_id(self, name: str) -> str:
        """A component made by this run, or found by name (any case)."""
        folded = name.casefold()
        with self._lock:
            known = self._created.get(folded)
        if known:
            return known
        found = next((c for c in self.jira.components() if c.name.casefold() == folded), None)
        if found is None:
            raise LookupError(f"component {name!r} does not exist")
        return found.id

    def jsm_queue_id(self, change: Change) -> str:
        if change.target_id:
            return change.target_id
        found = next((q for q in self.jira.jsm_queues() if q.name == change.target), None)
        if found is None:
            raise LookupError(f"JSM queue {change.target!r} does not exist")
        return found.id

    def run(self, change: Change) -> str | None:
        """Make the change; a note when Jira already had it so."""
        jira = self.jira
        match change.payload:
            case CreateComponent() as new:
                made = jira.create_component(
                    new.name,
                    description=encode_description(new.description, new.keywords, new.aliases),
                    assignee_type=new.assignee_type,
                )
                with self._lock:
                    self._created[new.name.casefold()] = made.id
            case UpdateComponent(after=after):
                fields: dict[str, Any] = {}
                if after.name is not None:
                    fields["name"] = after.name
                if after.description is not None or after.keywords is not None:
                    # The text is planned whole; aliases absent from it means none.
                    fields["description"] = encode_description(
                        after.description or "", after.keywords or [], after.aliases or []
                    )
                if after.sets_lead:
                    fields["lead"] = after.lead.key if after.lead else None
                if after.assignee_type is not None:
                    fields["assignee_type"] = after.assignee_type
                jira.update_component(self.component_id(change), **fields)
            case DeleteComponent():
                note = change.tickets
                move = None
                if note is not None and note.move_to is not None:
                    # Jira moves every ticket of the component, then deletes it, in one call.
                    move = note.move_to_id or self.named_component_id(note.move_to)
                jira.delete_component(self.component_id(change), move_issues_to=move)
            case CreateGroup():
                jira.create_group(change.target)
            case DeleteGroup():
                jira.delete_group(change.target)
            case AddMember(key=key):
                if jira.add_member(change.target, key) is False:
                    return ALREADY_MEMBER
            case RemoveMember(key=key):
                if jira.remove_member(change.target, key) is False:
                    return ALREADY_GONE
            case CreateJsmQueue() as view:
                jira.create_jsm_queue(view.name, view.jql)
            case UpdateJsmQueue(after=view_after):
                jira.update_jsm_queue(
                    self.jsm_queue_id(change), name=view_after.name, jql=view_after.jql
                )
            case DeleteJsmQueue():
                jira.delete_jsm_queue(self.jsm_queue_id(change))
            case unknown:
                assert_never(unknown)
        return None


def _blocked_by(
    change: Change, outcome: dict[str, StepResult], by_id: dict[str, Change]
) -> str | None:
    """Why `change` must not run, given what has finished so far; None when it may."""
    for dep in change.depends_on:
        result = outcome.get(dep)
        if result is not None and result.status != "done":
            what = by_id[dep]
            return f"skipped: {what.action.replace('_', ' ')} {what.target} did not succeed"
    if change.action == "remove_member":
        # Never take access away in a role whose newcomers could not be given it.
        for result in outcome.values():
            other = result.change
            if (
                other.action == "add_member"
                and result.status != "done"
                and other.queue == change.queue
                and other.role == change.role
            ):
                return f"skipped: adding to {other.target} failed, so nobody is removed from it"
    return None


def execute(
    plan: Plan,
    jira: WritableJira,
    *,
    concurrency: int = 8,
    journal: Journal | None = None,
    on_step: Callable[[StepResult], None] | None = None,
    request_id: Callable[[], str | None] = lambda: None,
    fatal: tuple[type[Exception], ...] = (),
    halt: Callable[[], str | None] = lambda: None,
) -> ApplyResult:
    """Apply `plan.changes`; never raises for a failed change (it is reported in the result).

    A failure of a `fatal` type (e.g. Jira's 403) stops the run: every later write would be
    refused the same way, so the rest is skipped instead of tried. So does a journal that can no
    longer be written (no step runs unrecorded) and `halt` answering a reason (the apply lock
    was lost): the steps in flight finish, nothing new starts.
    """
    runner = _Runner(jira)
    by_id = {c.id: c for c in plan.changes}
    outcome: dict[str, StepResult] = {}
    result = ApplyResult(journal=journal.path if journal else None)

    def run_one(change: Change) -> tuple[StepResult, str | None]:
        started = time.perf_counter()
        try:
            note = runner.run(change)
        except Exception as exc:  # a failed change is a result, not a crash; one line
            message = " ".join(str(exc).split()) or type(exc).__name__
            if isinstance(exc, fatal) and result.stopped_by is None:
                result.stopped_by = message
            return StepResult(
                change, "failed", message, time.perf_counter() - started
            ), request_id()
        elapsed = time.perf_counter() - started
        return StepResult(change, "done", None, elapsed, note), request_id()

    def record(step: StepResult, rid: str | None) -> None:
        outcome[step.change.id] = step
        result.steps.append(step)
        if journal and result.journal_failed is None:
            try:
                journal.write(_step_record(step, rid))
                result.journaled += 1
            except JournalError as exc:
                result.journal_failed = str(exc)
                if result.halted_by is None:
                    result.halted_by = str(exc)
        if on_step:
            on_step(step)

    def stop_reason() -> str | None:
        if result.stopped_by is not None:
            return "skipped: the run stopped after Jira refused a write"
        if result.halted_by is None:
            result.halted_by = halt()
        if result.halted_by is not None:
            return f"skipped: the run stopped: {result.halted_by}"
        return None

    workers = max(1, concurrency)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="accessq-apply")
    running: dict[Future[tuple[StepResult, str | None]], Change] = {}
    try:
        for phase in PHASES:
            pending = [c for c in plan.changes if c.phase == phase]
            while pending or running:
                still: list[Change] = []
                for change in pending:
                    waiting = any(d in by_id and d not in outcome for d in change.depends_on)
                    reason = stop_reason() or _blocked_by(change, outcome, by_id)
                    if reason:
                        record(StepResult(change, "skipped", reason), None)
                    elif waiting or len(running) >= workers:
                        # Never more in flight than workers: on Ctrl-C nothing is left queued.
                        still.append(change)
                    else:
                        running[pool.submit(run_one, change)] = change
                pending = still
                if not running:
                    if pending:  # dependencies that can never finish in this phase: a plan bug
                        for change in pending:
                            record(StepResult(change, "skipped", "skipped: unmet dependency"), None)
                        pending = []
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    running.pop(future)
                    record(*future.result())
    except BaseException:
        # Ctrl-C or a crash: start nothing more, let the calls in flight end, journal them.
        pool.shutdown(wait=True, cancel_futures=True)
        for future in running:
            if future.done() and not future.cancelled():
                record(*future.result())
        if journal and result.journal_failed is None:
            # The interruption is what the user is told about, even when the journal is full.
            with contextlib.suppress(JournalError):
                journal.write({"event": "interrupted", "done": len(outcome), "of": len(by_id)})
        raise
    pool.shutdown(wait=True)
    return result


def summarize(steps: Iterable[StepResult]) -> str:
    """`Apply: 12 done, 1 failed, 2 skipped.`"""
    counts = {"done": 0, "failed": 0, "skipped": 0}
    for step in steps:
        counts[step.status] += 1
    return f"Apply: {counts['done']} done, {counts['failed']} failed, {counts['skipped']} skipped."
