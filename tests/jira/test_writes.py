"""Every write the gateway offers, in both flavours, checked by reading Jira back."""

from __future__ import annotations

import pytest

from accessq.jira.errors import GatewayError
from accessq.model.naming import encode_description, jsm_queue_jql
from accessq.sandbox import RunningSandbox
from tests.jira.conftest import connect

JANE = {"cloud": "712020:d3551473-22d8", "dc": "jdoe"}
RAJ = {"cloud": "712020:068f1bb2-17cf", "dc": "rpatel"}


def test_component_create_update_delete(sandbox: RunningSandbox) -> None:
    jane = JANE[sandbox.flavor]
    text = encode_description("ACO", ["confluence"])
    with connect(sandbox) as gateway:
        created = gateway.create_component(
            "ACCESS-ACO-Support", description=text, lead=jane, assignee_type="COMPONENT_LEAD"
        )
        assert created.lead is not None and created.lead.key == jane
        assert (created.description, created.assignee_type) == (text, "COMPONENT_LEAD")
        assert gateway.component(created.id) == created

        raj = RAJ[sandbox.flavor]
        renamed = gateway.update_component(
            created.id, name="ACCESS-ACO", description="new", lead=raj
        )
        assert (renamed.name, renamed.description) == ("ACCESS-ACO", "new")
        assert renamed.lead is not None and renamed.lead.key == raj

        cleared = gateway.update_component(created.id, lead=None, assignee_type="PROJECT_DEFAULT")
        assert cleared.lead is None and cleared.assignee_type == "PROJECT_DEFAULT"
        assert gateway.component(created.id) == cleared

        gateway.delete_component(created.id)
        assert gateway.component(created.id) is None
        assert [c.name for c in gateway.components()] == ["General Support"]


def test_group_create_members_delete(sandbox: RunningSandbox) -> None:
    jane, raj = JANE[sandbox.flavor], RAJ[sandbox.flavor]
    with connect(sandbox) as gateway:
        gateway.create_group("ats-delta-agents")
        assert gateway.group_exists("ats-delta-agents")
        assert gateway.group_members("ats-delta-agents") == ()
        gateway.add_member("ats-delta-agents", jane)
        gateway.add_member("ats-delta-agents", raj)
        assert [m.key for m in gateway.group_members("ats-delta-agents")] == sorted([jane, raj])
        gateway.remove_member("ats-delta-agents", jane)
        assert [m.key for m in gateway.group_members("ats-delta-agents")] == [raj]
        gateway.delete_group("ats-delta-agents")
        assert not gateway.group_exists("ats-delta-agents")
        assert gateway.find_groups("ats-") == []


def test_jsm_queue_create_update_delete(sandbox: RunningSandbox) -> None:
    with connect(sandbox) as gateway:
        before = gateway.jsm_queues()
        created = gateway.create_jsm_queue("Delta", jsm_queue_jql("Delta"))
        assert (created.name, created.jql) == (
            "Delta",
            'component = "Delta" AND resolution = Unresolved',
        )
        assert gateway.jsm_queues() == [*before, created]

        updated = gateway.update_jsm_queue(
            created.id, name="Delta GPU", jql=jsm_queue_jql("Delta GPU")
        )
        assert updated.id == created.id
        assert [q for q in gateway.jsm_queues() if q.id == created.id] == [updated]

        gateway.delete_jsm_queue(created.id)
        assert gateway.jsm_queues() == before


def test_unknown_person_is_a_clear_error(sandbox: RunningSandbox) -> None:
    with connect(sandbox) as gateway:
        gateway.create_group("ats-delta-agents")
        with pytest.raises(GatewayError) as caught:
            gateway.add_member("ats-delta-agents", "no-such-person")
    assert "\n" not in str(caught.value) and "HTTP 404" in str(caught.value)
