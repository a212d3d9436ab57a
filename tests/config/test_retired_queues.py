"""`retired_queues`: where a deleted queue's tickets go, checked offline where it can be."""

from __future__ import annotations

from tests.config.helpers import Load, only_error

HEAD = (
    "version: 1\nrp_queues:\n  - name: Delta\n    previously: [Old-Delta]\n"
    "    agents: [{name: A, email: a@rp.example.edu}]\n"
)


def test_a_retired_queue_with_a_move_target_loads(load: Load) -> None:
    result = load(HEAD + "retired_queues:\n  - {name: NCSA-Delta, move_tickets_to: Delta}\n")
    assert result.config is not None, result.errors
    retired = result.config.retired("ncsa-delta")
    assert retired is not None and retired.move_tickets_to == "Delta"


def test_a_retired_queue_needs_a_move_target(load: Load) -> None:
    assert only_error(load(HEAD + "retired_queues:\n  - {name: NCSA-Delta}\n")) == (
        "q.yaml:7:6: error: missing required key 'move_tickets_to' "
        "(retired_queues[0].move_tickets_to)"
    )


def test_a_retired_queue_cannot_still_be_configured(load: Load) -> None:
    result = load(HEAD + "retired_queues:\n  - {name: delta, move_tickets_to: Triage}\n")
    assert only_error(result) == (
        "q.yaml:7:12: error: retired queue 'delta' is still configured as queue 'Delta' at "
        "q.yaml:3; remove one of them (retired_queues[0].name)"
    )


def test_tickets_cannot_go_to_a_former_name(load: Load) -> None:
    result = load(HEAD + "retired_queues:\n  - {name: NCSA-Delta, move_tickets_to: Old-Delta}\n")
    assert only_error(result) == (
        "q.yaml:7:41: error: move_tickets_to 'Old-Delta' is a former name of queue 'Delta' at "
        "q.yaml:3; name the queue as it is now (retired_queues[0].move_tickets_to)"
    )


def test_tickets_cannot_go_to_another_retired_queue(load: Load) -> None:
    text = HEAD + (
        "retired_queues:\n  - {name: A-Old, move_tickets_to: B-Old}\n"
        "  - {name: B-Old, move_tickets_to: Delta}\n"
    )
    assert only_error(load(text)) == (
        "q.yaml:7:36: error: move_tickets_to 'B-Old' is itself a retired queue; name where its "
        "tickets go instead (retired_queues[0].move_tickets_to)"
    )


def test_tickets_cannot_go_to_the_queue_itself(load: Load) -> None:
    result = load(HEAD + "retired_queues:\n  - {name: Old, move_tickets_to: OLD}\n")
    assert "cannot move its tickets to itself" in only_error(result)


def test_a_retired_queue_is_listed_once(load: Load) -> None:
    text = HEAD + (
        "retired_queues:\n  - {name: Old, move_tickets_to: Delta}\n"
        "  - {name: old, move_tickets_to: Delta}\n"
    )
    assert only_error(load(text)) == (
        "q.yaml:8:12: error: retired queue 'old' is already listed at q.yaml:7 "
        "(retired_queues[1].name)"
    )
