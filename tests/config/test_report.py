"""The validation report: counts a reader can trust, and refusal of an unknown format."""

from __future__ import annotations

import json

import pytest

from accessq.config.loader import load_config
from accessq.config.report import render_validation
from tests.config.helpers import Load, Write


def test_people_are_counted_once_across_queues_and_roles(load: Load) -> None:
    result = load(
        """\
        version: 1
        jira: {username_email: "{username}@access.example.org"}
        rp_queues:
          - name: Delta
            agents:
              - {name: Jane Doe, email: jdoe@illinois.example.edu}
              - {name: Ada Lovelace, email: ALovelace@access.example.org}
            watchers: [{name: Jane Doe, email: JDOE@illinois.example.edu}]
          - name: Anvil
            agents: [{name: Priya Nair, account_id: "712020:ac5c"}]
        awardee_queues:
          - name: ACCESS-ACO-Support
            updaters: [{name: Ada Lovelace, username: alovelace}]
        """
    )
    assert render_validation(result, "text") == (
        "q.yaml: valid — 2 RP queues, 1 awardee queue, 3 people\n"
    )
    assert json.loads(render_validation(result, "json"))["summary"]["people"] == 3


def test_several_files_are_named_in_the_summary(write: Write) -> None:
    write("queues/a.yaml", "version: 1\n")
    write("queues/b.yaml", "version: 1\n")
    assert render_validation(load_config(["queues"]), "text") == (
        "queues (2 files): valid — 0 RP queues, 0 awardee queues, 0 people\n"
    )


def test_unknown_format_is_refused(load: Load) -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render_validation(load("version: 1\n"), "xml")
