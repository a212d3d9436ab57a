"""The apply lock's protocol on its own: an in-memory property store with Jira's semantics (a PUT
replaces the value, the last write wins, answers carry the server's clock) stands in for Jira (a
unit seam), so races can be staged exactly. The lock against the sandbox, through the CLI, is in
tests/test_cli_lock.py."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accessq.apply.lock import LOCK_KEY, ApplyLock, LockError, LockTiming, Me, parse

FAST = LockTiming(ttl=6.0, refresh=0.2, max_gap=0.15, settle=0.25)


class Store:
    """Project properties as Jira keeps them; `skew` shifts the server clock, `fail` makes
    every call raise, `before_write` runs before a run's write lands (to stage races)."""

    def __init__(self, skew: float = 0.0) -> None:
        self.values: dict[str, Any] = {}
        self.skew = skew
        self.fail: Exception | None = None
        self.writes: list[str] = []  # run ids, in the order their writes landed
        self.before_write: dict[str, Any] = {}
        self.gate = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.skew)

    def project_property(self, key: str, *, clock: bool = True) -> tuple[Any, datetime]:
        if self.fail:
            raise self.fail
        with self.gate:
            return self.values.get(key), self.now()

    def set_project_property(self, key: str, value: Any) -> datetime:
        if self.fail:
            raise self.fail
        hook = self.before_write.pop(value["run"], None)
        if hook:
            hook()
        with self.gate:
            self.values[key] = value
            self.writes.append(value["run"])
            return self.now()

    def delete_project_property(self, key: str) -> None:
        with self.gate:
            self.values.pop(key, None)


def lock(store: Store, run: str, timing: LockTiming = FAST) -> ApplyLock:
    me = Me(run=run, user="ci", host="runner-1", pid=4242)
    return ApplyLock(store, project="ATS", timing=timing, me=me)


def record(run: str = "other-run", *, expires_in: float = 60.0, **extra: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "run": run,
        "user": "bob",
        "host": "laptop",
        "pid": 77,
        "since": (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "expires": (now + timedelta(seconds=expires_in)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }


def test_take_hold_and_release() -> None:
    store = Store()
    held = lock(store, "run-a")
    assert held.acquire() is None
    mine = parse(store.values[LOCK_KEY])
    assert mine is not None and mine.run == "run-a"
    assert store.values[LOCK_KEY]["user"] == "ci" and store.values[LOCK_KEY]["pid"] == 4242
    assert timedelta(seconds=5) < mine.expires - mine.since <= timedelta(seconds=7)
    time.sleep(FAST.refresh * 2.5)
    assert store.writes.count("run-a") >= 2  # refreshed while held
    assert held.lost() is None
    assert held.release() is None
    assert LOCK_KEY not in store.values


def test_a_live_lock_is_refused_with_its_holder_and_since_when() -> None:
    store = Store()
    store.values[LOCK_KEY] = record(user="bob\x1b[2J\nmallory")  # text from Jira: anyone's
    with pytest.raises(LockError) as caught:
        lock(store, "run-a").acquire()
    message = str(caught.value)
    assert message.startswith("another apply holds the lock on ATS: bob?[2J?mallory@laptop ")
    assert "(pid 77, run other-ru) since " in message and " UTC (expires " in message
    assert message.endswith(
        "nothing was changed: run again once it has finished, or with --break-lock if it is no "
        "longer running"
    )
    assert "\n" not in message and "\x1b" not in message
    assert store.writes == []  # nothing written over it


def test_break_lock_takes_over_and_says_whose() -> None:
    store = Store()
    store.values[LOCK_KEY] = record()
    held = lock(store, "run-a")
    note = held.acquire(break_lock=True)
    assert note is not None
    assert note.startswith("Broke the apply lock of bob@laptop (pid 77, run other-ru) since ")
    assert store.values[LOCK_KEY]["run"] == "run-a"
    held.release()


def test_breaking_a_live_lock_waits_for_its_holder_to_see_it() -> None:
    """The run whose lock was broken may be alive: it must have stopped before this one starts.
    An expired lock, or a free one, needs only the usual settle."""
    waits: list[float] = []
    told: list[str] = []
    store = Store()
    store.values[LOCK_KEY] = record()
    me = Me(run="run-a", user="ci", host="runner-1", pid=4242)
    held = ApplyLock(store, project="ATS", timing=FAST, me=me, sleep=waits.append, tell=told.append)
    held.acquire(break_lock=True)
    held.release()
    assert waits == [FAST.refresh + 2 * FAST.settle]
    assert told[0].startswith("Broke the apply lock of bob@laptop")
    assert told[1] == "Waiting 1 s for that apply to see its lock is gone."

    waits.clear()
    store.values[LOCK_KEY] = record(expires_in=-5)
    held = ApplyLock(store, project="ATS", timing=FAST, me=me, sleep=waits.append)
    held.acquire()
    held.release()
    assert waits == [FAST.settle]


def test_a_run_slower_than_max_gap_says_why_it_waits_longer() -> None:
    waits: list[float] = []
    told: list[str] = []
    ticks = iter([0.0, 5.0])  # the read was sent at 0 s, the write answered at 5 s
    held = ApplyLock(
        Store(),
        project="ATS",
        timing=FAST,
        sleep=waits.append,
        clock=lambda: next(ticks, 5.0),
        tell=told.append,
    )
    held.acquire()
    held.release()
    assert waits == [FAST.refresh + 2 * FAST.settle]
    assert told == [
        "Jira took 5.0 s to take the apply lock; waiting 1 s to be sure no other apply holds it."
    ]


def test_an_expired_lock_is_taken_over_by_itself() -> None:
    store = Store()
    store.values[LOCK_KEY] = record(expires_in=-5)
    held = lock(store, "run-a")
    note = held.acquire()
    assert note is not None and note.startswith("Took over the expired apply lock of bob@laptop")
    held.release()


def test_expiry_is_judged_by_jiras_clock_not_ours() -> None:
    """Our clock runs 10 minutes ahead of Jira's: a lock Jira still holds is still held."""
    store = Store(skew=-600)
    record_ = record()
    record_["expires"] = (store.now() + timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.values[LOCK_KEY] = record_
    with pytest.raises(LockError, match=r"^another apply holds the lock"):
        lock(store, "run-a").acquire()


@pytest.mark.parametrize("value", ["locked", {"run": "x"}, {"run": "x", "since": "soon"}])
def test_a_value_accessq_did_not_write_is_not_guessed_at(value: Any) -> None:
    store = Store()
    store.values[LOCK_KEY] = value
    with pytest.raises(LockError) as caught:
        lock(store, "run-a").acquire()
    assert str(caught.value) == (
        "the apply lock of ATS (project property accessq.lock) holds something accessq did not "
        "write; nothing was changed: if no apply is running, run the same apply again with "
        "--break-lock"
    )
    held = lock(store, "run-a")
    assert held.acquire(break_lock=True) == (
        "Broke an apply lock accessq could not read (project property accessq.lock)."
    )
    held.release()


def test_two_runs_that_both_saw_it_free_one_wins() -> None:
    """Both read "free", both write: the last write wins, the other run backs off."""
    store = Store()
    both_read = threading.Barrier(2)
    first_read = {"run-a": True, "run-b": True}
    real_read = store.project_property

    def read_in_step(key: str) -> tuple[Any, datetime]:
        value = real_read(key)
        run = threading.current_thread().name
        if first_read.pop(run, False):
            both_read.wait(timeout=5)
        return value

    store.project_property = read_in_step  # type: ignore[method-assign,assignment]
    outcome: dict[str, str] = {}

    def take(run: str) -> None:
        try:
            lock(store, run).acquire()
            outcome[run] = "holds"
        except LockError as exc:
            outcome[run] = str(exc)

    threads = [threading.Thread(target=take, args=(run,), name=run) for run in ("run-a", "run-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    winner = store.writes[-1]
    loser = "run-b" if winner == "run-a" else "run-a"
    assert outcome[winner] == "holds"
    assert outcome[loser].startswith(
        "another apply took the lock on ATS at the same moment: ci@runner-1 (pid 4242, run "
    )
    assert store.values[LOCK_KEY]["run"] == winner


def test_a_write_slower_than_max_gap_waits_until_the_early_holder_has_stopped() -> None:
    """B read "free" before A wrote, but B's write lands after A confirmed: A holds and runs.
    B, having seen its own slowness, waits for A's next refresh to notice B's record (A then
    stops) before B confirms and starts: never two runs at once."""
    store = Store()
    early, late = lock(store, "run-a"), lock(store, "run-b")
    b_read = threading.Event()
    a_holds = threading.Event()
    real_read = store.project_property
    a_when_b_started: list[str | None] = []

    def read(key: str) -> tuple[Any, datetime]:
        value = real_read(key)
        if threading.current_thread().name == "run-b":
            b_read.set()
        return value

    store.project_property = read  # type: ignore[method-assign,assignment]
    # B's write is held back until A holds the lock.
    store.before_write["run-b"] = lambda: a_holds.wait(timeout=5)

    def take_late() -> None:
        late.acquire()
        a_when_b_started.append(early.lost())

    thread = threading.Thread(target=take_late, name="run-b")
    thread.start()
    assert b_read.wait(timeout=5)
    early.acquire()
    a_holds.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    [lost] = a_when_b_started  # A had stopped by the time B started
    assert lost is not None and lost.startswith("the apply lock on ATS was taken over by ci@")
    assert store.values[LOCK_KEY]["run"] == "run-b"
    assert early.release() is None
    assert store.values[LOCK_KEY]["run"] == "run-b"  # A's release leaves B's lock alone
    late.release()


def test_a_lock_that_cannot_be_refreshed_stops_the_run_before_it_expires() -> None:
    store = Store()
    timing = LockTiming(ttl=1.0, refresh=0.1, max_gap=0.05, settle=0.08)
    held = lock(store, "run-a", timing)
    held.acquire()
    store.fail = ConnectionError("Jira is down")
    deadline = time.monotonic() + 5
    while held.lost() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert held.lost() == (
        "the apply lock on ATS could not be refreshed before it expires (Jira is down)"
    )
    warning = held.release()
    assert warning is not None and warning.startswith(
        "warning: could not release the apply lock on ATS (Jira is down); it expires at "
    )


def test_a_lock_removed_by_someone_else_is_lost() -> None:
    store = Store()
    held = lock(store, "run-a")
    held.acquire()
    store.delete_project_property(LOCK_KEY)
    time.sleep(FAST.refresh * 2.5)
    assert held.lost() == "the apply lock on ATS was removed"
    with pytest.raises(LockError, match=r"; nothing was changed: run the same apply again$"):
        held.check()
    held.release()
    assert LOCK_KEY not in store.values  # not written back


def test_the_lock_says_its_times_in_jiras_clock() -> None:
    store = Store(skew=3600)  # Jira's clock one hour ahead of ours
    held = lock(store, "run-a")
    held.acquire()
    mine = parse(store.values[LOCK_KEY])
    assert mine is not None
    assert abs((mine.since - store.now()).total_seconds()) < 5
    held.release()


def test_timing_that_would_break_the_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="settle must exceed max_gap"):
        LockTiming(max_gap=3.0, settle=2.0)
    with pytest.raises(ValueError, match="refresh must be less than a third of ttl"):
        LockTiming(ttl=60.0, refresh=30.0)
