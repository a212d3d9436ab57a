"""Finding what accessq owns: group discovery past the picker's cap, any case; JSM paging."""

from __future__ import annotations

import pytest

from accessq.jira import gateway as gateway_module
from accessq.sandbox import RunningSandbox
from tests.jira.conftest import connect

MANAGED = ["ats-a-agents", "ats-aa-updaters", "ats-ab-agents", "ATS-Upper-watchers", "ats-c-agents"]


def test_groups_are_found_when_the_picker_cuts_its_answer(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    with connect(sandbox) as gateway:
        for name in [*MANAGED, "other-ats-a-agents", "jira-users"]:
            gateway.create_group(name)
        assert gateway.find_groups("ats-") == sorted(MANAGED, key=str.casefold)
        one_request = gateway.request_count
        # A site whose picker shows only 2 groups at a time: queries get refined until complete.
        monkeypatch.setattr(gateway_module, "PICKER_LIMIT", 2)
        assert gateway.find_groups("ats-") == sorted(MANAGED, key=str.casefold)
        assert gateway.request_count - one_request > 1


def test_jsm_queues_are_paged(sandbox: RunningSandbox) -> None:
    with connect(sandbox) as gateway:
        before = len(gateway.jsm_queues())
        for i in range(52):
            gateway.create_jsm_queue(f"Queue {i:02d}", f'component = "Queue {i:02d}"')
        sandbox.control.reset_stats()
        queues = gateway.jsm_queues()
    assert len(queues) == before + 52
    assert sandbox.control.count("GET /rest/servicedeskapi/servicedesk/{sd}/queue") == 2
