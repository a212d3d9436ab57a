"""The apply record (accessq.plan.drift, accessq.apply.applied): its size on a 3,000-queue site,
parts that never mix across two writes, what a scoped apply keeps, and that a record which cannot
be read or written costs one line, never the plan or the apply."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from accessq.apply.applied import read_applied, write_applied
from accessq.config.naming import slug
from accessq.plan.diff import diff
from accessq.plan.drift import HEAD_KEY, MAX_PARTS, PART_BYTES, encode, merged, origins
from accessq.plan.fingerprint import desired_fingerprint
from accessq.sandbox.api_properties import VALUE_MAX
from tests.plan.builders import everything


class Store:
    """Project properties in memory, refusing what Jira refuses: values over 32,768 bytes."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.reads = 0
        self.fail_writes = False

    def project_property(
        self, key: str, *, clock: bool = True
    ) -> tuple[Any | None, datetime | None]:
        self.reads += 1
        return self.values.get(key), None

    def set_project_property(self, key: str, value: Any) -> datetime | None:
        if self.fail_writes:
            raise RuntimeError("403 Forbidden:\n you may not")
        assert len(json.dumps(value).encode()) <= VALUE_MAX
        self.values[key] = json.loads(json.dumps(value))
        return None

    def delete_project_property(self, key: str) -> None:
        self.values.pop(key, None)


def site(queues: int, slug_length: int = 24) -> dict[str, str]:
    return {f"{i:05d}".ljust(slug_length, "x"): f"{i:012x}" for i in range(queues)}


def test_three_thousand_queues_fit_in_a_few_properties_and_read_back() -> None:
    record = site(3000)
    parts = encode(record, "abc")
    assert 3 <= len(parts) <= 5
    assert all(len(json.dumps(p).encode()) <= PART_BYTES + 200 for p in parts)
    store = Store()
    assert write_applied(store, record, before=0) is None
    back = read_applied(store)
    assert back.queues == record and back.parts == len(parts) and back.note is None
    assert store.reads == len(parts)


def test_a_small_site_reads_in_one_request() -> None:
    store = Store()
    write_applied(store, site(300), before=0)
    store.reads = 0
    assert read_applied(store).queues == site(300)
    assert store.reads == 1


def test_a_shorter_record_deletes_the_parts_it_no_longer_needs() -> None:
    store = Store()
    write_applied(store, site(3000), before=0)
    before = read_applied(store).parts
    write_applied(store, site(10), before=before)
    assert set(store.values) == {HEAD_KEY}


def test_parts_of_two_writes_never_mix() -> None:
    store = Store()
    write_applied(store, site(3000), before=0)
    first_tail = store.values[f"{HEAD_KEY}.1"]
    write_applied(store, site(3000, slug_length=25), before=0)
    store.values[f"{HEAD_KEY}.1"] = first_tail  # a write that landed halfway
    back = read_applied(store)
    assert back.queues is None
    assert back.note is not None and "another apply" in back.note


def test_a_record_too_large_for_jira_is_not_written_and_says_so() -> None:
    store = Store()
    huge = site(MAX_PARTS * 1000, slug_length=60)
    warning = write_applied(store, huge, before=0)
    assert warning is not None and warning.startswith("warning: could not record")
    assert store.values == {}


def test_a_write_jira_refuses_is_one_warning_line() -> None:
    store = Store()
    store.fail_writes = True
    warning = write_applied(store, site(3), before=0)
    assert warning is not None and "\n" not in warning and "403 Forbidden" in warning


@pytest.mark.parametrize(
    "value",
    [
        [],
        {"version": 2, "write": "a", "parts": 1, "queues": {}},
        {"version": 1, "write": "not hex!", "parts": 1, "queues": {}},
        {"version": 1, "write": "a", "parts": 10**9, "queues": {}},
        {"version": 1, "write": "a", "parts": 1, "queues": {"delta": 5}},
        {"version": 1, "write": "a", "parts": 1, "queues": {"x" * 5000: "0" * 12}},
    ],
)
def test_a_record_accessq_did_not_write_is_ignored_with_a_note(value: Any) -> None:
    store = Store()
    store.values[HEAD_KEY] = value
    back = read_applied(store)
    assert back.queues is None
    assert back.note is not None and back.note.startswith("Ignored the record of the last apply")
    assert store.reads == 1  # a claim of a billion parts is not followed


def test_labels_and_what_a_scoped_apply_keeps() -> None:
    config, observed = everything()
    plan = diff(config, observed)
    assert plan.queues()
    recorded = {slug(q.name): desired_fingerprint(q, config) for q in config.queues}
    labels = origins(plan, config, recorded)
    configured = {q.name for q in config.queues}
    assert all(labels[q] == ("drift" if q in configured else "configuration") for q in labels)
    assert set(origins(plan, config, {}).values()) == {"configuration"}
    # An apply of one queue that failed: that queue is forgotten, the others kept.
    one = config.queues[0].name
    scoped = diff(config, observed, only={one})
    kept = merged({**recorded, "gone": "0" * 12}, config, scoped, confirmed=set())
    assert slug(one) not in kept and "gone" in kept
    # A full apply that confirmed every queue: exactly the configured queues.
    full = merged({"gone": "0" * 12}, config, plan, confirmed=configured)
    assert full == recorded
