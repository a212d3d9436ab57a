"""`--queue OLDNAME` against a live (sandbox) Jira: the read and the plan pick the same queue."""

from __future__ import annotations

from accessq.config.models import Config, Contact, JiraSettings, RPQueue
from accessq.jira.reader import read_observed
from accessq.model.naming import encode_description
from accessq.plan.diff import diff
from tests.conftest import MakeSandbox
from tests.jira.conftest import connect
from tests.people import demo_seed

JANE = Contact(name="Jane Doe", email="jdoe@illinois.example.edu")
CONFIG = Config(
    version=1,
    jira=JiraSettings(username_email="{username}@access.example.org"),
    rp_queues=[
        RPQueue(name="Delta", previously=["NCSA-Delta"], agents=[JANE]),
        RPQueue(name="Anvil", agents=[JANE]),
    ],
)


def _seed() -> dict[str, object]:
    demo = demo_seed()
    return {
        "users": demo["users"],
        "accounts": demo["accounts"],
        "components": [{"name": "NCSA-Delta", "description": encode_description("NCSA")}],
        "groups": [
            {"name": "ats-ncsa-delta-agents", "members": ["jdoe"]},
            {"name": "ats-ncsa-delta-watchers", "members": ["jdoe"]},
        ],
    }


def test_a_former_name_selects_the_queue_in_the_read_and_in_the_plan(
    make_sandbox: MakeSandbox,
) -> None:
    only = {"ncsa-DELTA"}
    with connect(make_sandbox("cloud", _seed())) as gateway:
        observed = read_observed(gateway, CONFIG, only=only)
    assert [g.name for g in observed.groups] == ["ats-ncsa-delta-agents", "ats-ncsa-delta-watchers"]
    plan = diff(CONFIG, observed, only=only)
    assert plan.errors == []
    assert {c.queue for c in plan.changes} == {"Delta"}  # Anvil is not planned
    rename = plan.change("update_component:Delta")
    assert rename is not None
    assert rename.after == {"name": "Delta", "description": "", "keywords": []}
    assert plan.change("delete_group:ats-ncsa-delta-agents") is not None


def test_one_definition_of_which_queue_a_name_selects() -> None:
    from accessq.config.selection import is_selected

    delta, anvil = CONFIG.rp_queues
    assert is_selected(delta, {"Delta"}) and is_selected(delta, {"ncsa-delta"})
    assert is_selected(delta, None) and not is_selected(anvil, {"NCSA-Delta"})
