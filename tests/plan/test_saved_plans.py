"""Saved plans: the JSON round trip, clear one-line errors for bad files, and staleness."""

from __future__ import annotations

import json

import pytest

from accessq.model.observed import ObservedComponent
from accessq.plan.diff import diff
from accessq.plan.fingerprint import describe_drift, fingerprint_parts, observed_fingerprint
from accessq.plan.serialize import PlanFileError, plan_from_json, plan_to_json
from tests.plan.builders import account, everything, group


def test_a_saved_plan_reads_back_equal_and_byte_identical() -> None:
    config, observed = everything()
    plan = diff(config, observed)
    text = plan_to_json(plan)
    again = plan_from_json(text)
    assert again == plan
    assert plan_to_json(again) == text
    assert list(json.loads(text))[:5] == [
        "format_version",
        "target",
        "fingerprint",
        "changes",
        "summary",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not a JSON plan file (Expecting property name enclosed in double quotes at line 1)"),
        ("[1, 2]", "not an accessq plan file (no format_version)"),
        (
            '{"format_version": 2}',
            "plan file format_version 2 is not supported (this accessq reads 1); "
            "make the plan again with this version",
        ),
        ('{"format_version": 1}', "malformed plan file: target: Field required (and 1 more)"),
    ],
)
def test_a_bad_plan_file_is_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(PlanFileError) as caught:
        plan_from_json(text)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_a_change_with_an_unknown_action_is_refused() -> None:
    config, observed = everything()
    data = json.loads(plan_to_json(diff(config, observed)))
    data["changes"][0]["action"] = "drop_table"
    with pytest.raises(PlanFileError, match=r"^malformed plan file: changes\.0\.action: "):
        plan_from_json(json.dumps(data))


def test_the_plan_records_the_fingerprint_apply_recomputes() -> None:
    config, observed = everything()
    plan = diff(config, observed)
    assert plan.fingerprint == observed_fingerprint(observed, config)
    assert plan.fingerprint_parts == fingerprint_parts(observed, config)
    assert plan.fingerprint.startswith("sha256:")


def test_drift_since_a_saved_plan_is_said_in_words() -> None:
    config, observed = everything()
    plan = diff(config, observed)
    groups = tuple(
        group("ats-delta-agents", "jdoe") if g.name == "ats-delta-agents" else g
        for g in observed.groups
    )
    moved = observed.model_copy(
        update={"groups": groups, "runner": account("viewer")},
    )
    config.rp_queues[0].description = "Purdue Anvil (CPU)"
    fresh = fingerprint_parts(moved, config)
    assert observed_fingerprint(moved, config) != plan.fingerprint
    assert describe_drift(plan.fingerprint_parts, fresh) == [
        "Anvil: configuration changed",
        "Delta: agents group ats-delta-agents changed",
        "the account accessq runs as changed",
    ]


def test_queues_appearing_and_disappearing_are_named() -> None:
    config, observed = everything()
    before = fingerprint_parts(observed, config)
    removed = config.rp_queues.pop(0)  # Anvil leaves the configuration
    assert removed.name == "Anvil"
    after = fingerprint_parts(observed, config)
    assert describe_drift(before, after) == ["Anvil: removed from the configuration"]
    assert describe_drift(after, before) == ["Anvil: added to the configuration"]


def test_objects_accessq_does_not_manage_do_not_stale_a_plan() -> None:
    config, observed = everything()
    other = ObservedComponent(id="99", name="Hand-made", description="not ours")
    busier = observed.model_copy(update={"components": (*observed.components, other)})
    assert observed_fingerprint(busier, config) == observed_fingerprint(observed, config)


def test_with_only_drift_elsewhere_does_not_count() -> None:
    config, observed = everything()
    groups = tuple(g for g in observed.groups if g.name != "ats-delta-agents")
    elsewhere = observed.model_copy(update={"groups": groups})
    only = {"Anvil"}
    assert observed_fingerprint(elsewhere, config, only=only) == observed_fingerprint(
        observed, config, only=only
    )
    assert diff(config, observed, only=only).fingerprint == observed_fingerprint(
        observed, config, only=only
    )
