"""The apply lock: one `accessq apply` at a time per Jira project, kept in Jira itself.

The lock is the project entity property `accessq.lock`: who holds it (user, host, pid, a run id),
since when, and until when it holds without being refreshed, in Jira's own clock (the `Date`
header of its answers). Jira offers no compare-and-set on properties: a PUT simply replaces the
value, the last writer wins. So taking the lock is Fischer's timed mutual exclusion:

1. read the property: held by another run and not expired -> refuse (or `--break-lock`);
2. write our record;
3. wait `settle` seconds, then read it again: our run id -> ours; another -> that run wrote
   after us, and we back off.

Two runs that both saw it free both write; every such write lands before the other's re-read as
long as no run takes longer than `max_gap` from its read to its write's answer (each run checks
that for itself) and `settle` > `max_gap`. The last write wins and every other run sees it. A run
that was slower than `max_gap` waits `refresh` + 2 `settle` instead: a run that confirmed before
the slow write landed sees that write at its next refresh and stops, before the slow run starts.

While it holds the lock, a thread re-writes it every `refresh` seconds (re-reading first: a record
that is no longer ours means the lock was lost, and the run stops starting steps). A killed run's
lock expires `ttl` seconds after its last refresh; `--break-lock` takes over a live one at once.

Limits: only accessq runs that use the lock are kept apart (a person clicking in Jira is not); a
run paused for longer than `ttl` (a suspended laptop) can lose its lock while its in-flight
writes still land; the timing bounds are measured on the runner's clock, not guaranteed by Jira.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

LOCK_KEY = "accessq.lock"
_SHOWN = 80  # characters of any text from the lock record that a message repeats
_SKEW = 5.0  # seconds between our guess of Jira's clock and its answer that call for a rewrite
_RELEASE_TRIES = 5


class PropertyStore(Protocol):
    """Project entity properties (accessq.jira.gateway.Gateway provides them)."""

    def project_property(
        self, key: str, *, clock: bool = True
    ) -> tuple[Any | None, datetime | None]:
        """The value (None when unset) and Jira's clock at the answer (None if it gave none, or
        when not asked for: `clock=False` may spare a request)."""
        ...

    def set_project_property(self, key: str, value: Any) -> datetime | None:
        """Write the value; Jira's clock at the answer."""
        ...

    def delete_project_property(self, key: str) -> None: ...


@dataclass(frozen=True)
class LockTiming:
    """Seconds. `settle` must exceed `max_gap`, and `refresh` be well inside `ttl`."""

    ttl: float = 300.0  # an unrefreshed lock expires this long after its last write
    refresh: float = 30.0  # the holder re-writes it this often
    max_gap: float = 2.0  # longest read-to-written a run may take and still trust the protocol
    settle: float = 3.0  # wait between writing and re-reading

    def __post_init__(self) -> None:
        if not self.settle > self.max_gap > 0:
            raise ValueError("lock timing: settle must exceed max_gap, and max_gap be positive")
        if not 0 < 3 * self.refresh < self.ttl:
            raise ValueError("lock timing: refresh must be less than a third of ttl")


DEFAULT_TIMING = LockTiming()


class LockError(Exception):
    """The lock could not be taken (or kept); `str()` is one line fit for `error: ...`."""


@dataclass(frozen=True)
class Holder:
    """A lock record as read back from Jira (its text is anyone's: shown only sanitized)."""

    run: str
    since: datetime
    expires: datetime
    user: str = "?"
    host: str = "?"
    pid: str = "?"

    def describe(self) -> str:
        return (
            f"{_shown(self.user)}@{_shown(self.host)} (pid {_shown(self.pid)}, run "
            f"{_shown(self.run)[:8]}) since {_when(self.since)}"
        )


@dataclass
class Me:
    """This run, as its lock record names it."""

    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    user: str = field(default_factory=lambda: _safe(getpass.getuser))
    host: str = field(default_factory=lambda: _safe(socket.gethostname))
    pid: int = field(default_factory=os.getpid)

    def record(self, since: datetime, expires: datetime) -> dict[str, Any]:
        return {
            "tool": "accessq apply",
            "run": self.run,
            "user": self.user,
            "host": self.host,
            "pid": self.pid,
            "since": _iso(since),
            "expires": _iso(expires),
        }


class ApplyLock:
    """`acquire()`, then `lost()` is polled by the run, then `release()` (always)."""

    def __init__(
        self,
        store: PropertyStore,
        *,
        project: str,
        timing: LockTiming = DEFAULT_TIMING,
        me: Me | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        tell: Callable[[str], None] = lambda _message: None,
    ) -> None:
        self._store = store
        self._tell = tell  # why a long wait is happening, for the user
        self._project = project
        self._timing = timing
        self.me = me or Me()
        self._sleep = sleep
        self._clock = clock
        self._wrote = False  # a record of ours may be in Jira: release() must look
        self._since: datetime | None = None
        self._expires: datetime | None = None
        self._lost: str | None = None
        self._stop = threading.Event()
        self._mutex = threading.Lock()  # a refresh in progress finishes before release()
        self._beat: threading.Thread | None = None

    # -- taking it -----------------------------------------------------------------------------

    def acquire(self, *, break_lock: bool = False) -> str | None:
        """Take the lock or raise `LockError`; returns the note (also told at once) when
        another run's lock was broken or an expired one taken over."""
        timing = self._timing
        started = self._clock()
        value, now = self._read()
        note = self._judge(value, now, break_lock=break_lock)
        if note:
            self._tell(note)
        self._since = now
        self._write(now)
        gap = self._clock() - started
        # A live run whose lock we broke, or (slower than max_gap) a run that confirmed before
        # our write landed, must get the time to see our record at its next refresh and stop
        # starting steps before we may trust our own re-read and start ours.
        wait = timing.settle
        held = parse(value)
        if held is not None and held.run != self.me.run and held.expires > now:
            wait = timing.refresh + 2 * timing.settle
            self._tell(f"Waiting {wait:.0f} s for that apply to see its lock is gone.")
        elif gap > timing.max_gap:
            wait = timing.refresh + 2 * timing.settle
            self._tell(
                f"Jira took {gap:.1f} s to take the apply lock; waiting {wait:.0f} s to be sure "
                "no other apply holds it."
            )
        self._sleep(wait)
        value, _ = self._read()
        held = parse(value)
        if held is None or held.run != self.me.run:
            self._wrote = False  # what is there now is not ours: release() leaves it alone
            if value is None:
                raise LockError(
                    f"the apply lock on {self._project} was removed while this apply took it; "
                    "nothing was changed: run the same apply again"
                )
            who = held.describe() if held else "a run whose record accessq cannot read"
            raise LockError(
                f"another apply took the lock on {self._project} at the same moment: {who}; "
                "nothing was changed: run the same apply again once it has finished"
            )
        self._beat = threading.Thread(target=self._keep, name="accessq-lock", daemon=True)
        self._beat.start()
        return note

    def _judge(self, value: Any, now: datetime, *, break_lock: bool) -> str | None:
        """Whether we may write our record over `value`: raise, or a note, or None (free)."""
        if value is None:
            return "There was no apply lock to break." if break_lock else None
        held = parse(value)
        if held is None:
            if break_lock:
                return f"Broke an apply lock accessq could not read (project property {LOCK_KEY})."
            raise LockError(
                f"the apply lock of {self._project} (project property {LOCK_KEY}) holds "
                "something accessq did not write; nothing was changed: if no apply is running, "
                "run the same apply again with --break-lock"
            )
        if held.run == self.me.run:
            return None
        if held.expires <= now:
            return f"Took over the expired apply lock of {held.describe()}."
        if break_lock:
            return f"Broke the apply lock of {held.describe()}."
        raise LockError(
            f"another apply holds the lock on {self._project}: {held.describe()} (expires "
            f"{_when(held.expires)} unless it is refreshed); nothing was changed: run again "
            "once it has finished, or with --break-lock if it is no longer running"
        )

    # -- holding it ----------------------------------------------------------------------------

    def lost(self) -> str | None:
        """Why the run must stop (the lock was taken over, or could not be refreshed), or None."""
        return self._lost

    def check(self) -> None:
        """Raise `LockError` when the lock was lost (before any write is started)."""
        if self._lost is not None:
            raise LockError(f"{self._lost}; nothing was changed: run the same apply again")

    def _keep(self) -> None:
        timing = self._timing
        last_ok = self._clock()
        while not self._stop.wait(timing.refresh):
            with self._mutex:
                if self._stop.is_set():
                    return
                try:
                    value, now = self._read()
                    held = parse(value)
                    if held is None or held.run != self.me.run:
                        by = f"taken over by {held.describe()}" if held else "removed"
                        self._lost = f"the apply lock on {self._project} was {by}"
                        self._wrote = False
                        return
                    self._write(now)
                    last_ok = self._clock()
                except Exception as exc:  # a refresh that failed: try again until too late
                    if self._clock() - last_ok >= timing.ttl - timing.refresh:
                        self._lost = (
                            f"the apply lock on {self._project} could not be refreshed before "
                            f"it expires ({' '.join(str(exc).split()) or type(exc).__name__})"
                        )
                        return

    # -- letting go ----------------------------------------------------------------------------

    def release(self) -> str | None:
        """Stop refreshing and delete our record if it is still ours; a warning line if the
        lock could not be released (it then expires on its own)."""
        self._stop.set()
        with self._mutex:
            failure: Exception | None = None
            # Looking and deleting are safe to repeat, and a lock left behind keeps every
            # other apply out until it expires: a few tries, even after a 500.
            for attempt in range(_RELEASE_TRIES):
                if not self._wrote:
                    return None
                if attempt:
                    self._sleep(min(self._timing.settle, 1.0) * attempt)
                try:
                    value, _ = self._read()
                    held = parse(value)
                    if held is not None and held.run == self.me.run:
                        self._store.delete_project_property(LOCK_KEY)
                    self._wrote = False
                except Exception as exc:
                    failure = exc
            if not self._wrote:
                return None
            expires = f" at {_when(self._expires)}" if self._expires else ""
            return (
                f"warning: could not release the apply lock on {self._project} "
                f"({' '.join(str(failure).split()) or type(failure).__name__}); it expires{expires}"
            )

    # -- plumbing ------------------------------------------------------------------------------

    def _read(self) -> tuple[Any | None, datetime]:
        value, server_time = self._store.project_property(LOCK_KEY)
        return value, server_time or datetime.now(UTC)

    def _write(self, now: datetime) -> None:
        assert self._since is not None
        expires = now + timedelta(seconds=self._timing.ttl)
        self._wrote = True
        answered = self._store.set_project_property(LOCK_KEY, self.me.record(self._since, expires))
        self._expires = expires
        if answered is not None and abs((answered - now).total_seconds()) > _SKEW:
            # Our clock was a guess (no Date on the read): say it again in Jira's own.
            self._expires = answered + timedelta(seconds=self._timing.ttl)
            self._store.set_project_property(LOCK_KEY, self.me.record(self._since, self._expires))


def parse(value: Any) -> Holder | None:
    """A lock record, or None when the value is not one accessq wrote."""
    if not isinstance(value, dict):
        return None
    run = value.get("run")
    since, expires = _parse_time(value.get("since")), _parse_time(value.get("expires"))
    if not isinstance(run, str) or not run or since is None or expires is None:
        return None
    return Holder(
        run=run,
        since=since,
        expires=expires,
        user=str(value.get("user", "?")),
        host=str(value.get("host", "?")),
        pid=str(value.get("pid", "?")),
    )


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _shown(text: str) -> str:
    """Text from Jira, safe for one terminal line: no control characters, not too long."""
    clean = "".join(c if unicodedata.category(c)[0] != "C" else "?" for c in text)
    return clean if len(clean) <= _SHOWN else clean[: _SHOWN - 3] + "..."


def _safe(read: Callable[[], str]) -> str:
    with contextlib.suppress(Exception):  # no user name in a bare container, no host name
        return read() or "?"
    return "?"
