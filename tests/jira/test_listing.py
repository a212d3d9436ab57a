"""`list-queues` rendering: every component, managed or not, in table, JSON and YAML."""

from __future__ import annotations

import json

import pytest
import yaml

from accessq.model.naming import encode_description
from accessq.model.observed import Account, Observed, ObservedComponent, ObservedGroup, Target
from accessq.render.queue_list import render_queue_list

JANE = Account(key="a1", display_name="Jane Doe", email="jdoe@illinois.edu")
PRIYA = Account(key="712020:ac5c", display_name="Priya Nair", email=None)
ADA = Account(key="a3", display_name="Ada Lovelace", email="alovelace@access-ci.org")
BEN = Account(key="a4", display_name="Ben Carter", email="bcarter@purdue.edu", active=False)


def observed() -> Observed:
    return Observed(
        target=Target(url="http://127.0.0.1:8080", flavor="cloud", project="ATS", sandbox=True),
        components=(
            ObservedComponent(id="3", name="General Support", description="Anything else."),
            ObservedComponent(
                id="1", name="Delta", description=encode_description("NCSA Delta", [])
            ),
            ObservedComponent(
                id="2",
                name="ACCESS-ACO-Support",
                description=encode_description("ACO", ["confluence", "access wiki"]),
                lead=ADA,
                assignee_type="COMPONENT_LEAD",
            ),
        ),
        groups=(
            ObservedGroup(name="ats-delta-agents", members=(JANE, PRIYA, BEN)),
            ObservedGroup(name="ats-delta-watchers", members=(JANE,)),
            ObservedGroup(name="ats-access-aco-support-updaters", members=(ADA,)),
        ),
    )


def test_json_lists_every_component_with_kind_counts_assignee_and_keywords() -> None:
    document = json.loads(render_queue_list(observed(), "json", members=False, prefix="ats-"))
    assert document["target"]["sandbox"] is True
    rows = {q["name"]: q for q in document["queues"]}
    assert [q["name"] for q in document["queues"]] == [
        "ACCESS-ACO-Support",
        "Delta",
        "General Support",
    ]
    assert rows["Delta"]["kind"] == "RP"
    assert rows["Delta"]["counts"] == {"agents": 3, "watchers": 1}
    assert rows["Delta"]["default_assignee"] == "project default"
    aco = rows["ACCESS-ACO-Support"]
    assert (aco["kind"], aco["counts"], aco["keywords"]) == (
        "awardee",
        {"updaters": 1},
        ["confluence", "access wiki"],
    )
    assert aco["default_assignee"] == "Ada Lovelace <alovelace@access-ci.org>"
    assert rows["General Support"]["kind"] == "unmanaged"
    assert rows["General Support"]["description"] == "Anything else."
    assert "members" not in rows["Delta"]


def test_members_name_people_by_email_or_key_when_hidden() -> None:
    document = yaml.safe_load(render_queue_list(observed(), "yaml", members=True, prefix="ats-"))
    delta = next(q for q in document["queues"] if q["name"] == "Delta")
    assert delta["members"]["agents"] == [  # by name
        {"name": "Ben Carter", "email": "bcarter@purdue.edu", "active": False},
        {"name": "Jane Doe", "email": "jdoe@illinois.edu"},
        {"name": "Priya Nair", "key": "712020:ac5c"},
    ]


def test_table_names_the_target_and_every_queue() -> None:
    text = render_queue_list(observed(), "table", members=True, prefix="ats-")
    assert "\x1b[" not in text  # no colour unless the caller asks (tests/test_color.py)
    assert "local sandbox" in text
    for expected in ("General Support", "unmanaged", "Delta", "ACCESS-ACO-Support", "awardee"):
        assert expected in text
    assert "Priya Nair [712020:ac5c]" in text
    assert "Ben Carter <bcarter@purdue.edu> (inactive)" in text


def test_table_in_colour_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in render_queue_list(
        observed(), "table", members=False, prefix="ats-", color=True
    )


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="use table, json or yaml"):
        render_queue_list(observed(), "csv", members=False, prefix="ats-")  # type: ignore[arg-type]
