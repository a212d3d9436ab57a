"""The YAML text `accessq export` writes, for a small hand-built live site (golden strings)."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from accessq.config.schema import json_schema
from accessq.export.collect import username_of
from accessq.export.write import export_files
from accessq.export.yaml_text import scalar, text_block
from tests.export.helpers import NO_SURROGATES, small_site
from tests.export.helpers import settings as jira

SINGLE = """\
# Exported by `accessq export` from https://access-ci.atlassian.net (Jira Cloud, project ATS).
# `accessq plan` on this export shows no changes while Jira stays as it is (a note says so where a
# plan would still change something).
# note: components accessq does not manage are not exported (`accessq export --adopt` adds those
# that look like queues): "General Support", "Legacy-HPC"
# note: groups with no component are not exported, and a plan deletes them: ats-legacy-hpc-agents,
# ats-retired-agents

version: 1

rp_queues:
  # note: Ben Carter [712020:bcarter] is deactivated in Jira and not exported; a plan removes them
  # from the agents
  - name: Bridges-2
    description: PSC Bridges-2
    agents:
      - {name: Li Wei, email: lwei@psc.edu}
      - {name: Sam Okafor, email: sokafor@psc.edu}
    watchers:
      - {name: Li Wei, email: lwei@psc.edu}

  - name: Delta
    description: |-
      NCSA Delta (CPU and GPU)

      See: https://delta.example.org
    agents:
      - {name: Jane Doe, email: jdoe@illinois.edu}
      - {name: Priya Nair, account_id: "712020:pnair"}

awardee_queues:
  - name: ACCESS-ACO-Support
    description: ACCESS Coordination Office
    updaters:
      - {name: Ada Lovelace, username: alovelace}
      - {name: Raj Patel, account_id: "712020:raj"}
    default_assignee: alovelace
    keywords: [wiki, cssn]
"""

HEADER = """\
# Exported by `accessq export` from https://access-ci.atlassian.net (Jira Cloud, project ATS).
"""

LEGACY = """\
# Exported by `accessq export` from https://access-ci.atlassian.net (Jira Cloud, project ATS).
# `accessq plan` on this export shows no changes but the adoptions while Jira stays as it is (a note
# says so where a plan would still change something).
# Queues with `adopt: true` are components accessq does not manage yet: a plan shows their adoption
# (the marker line added to the description), and apply performs it.

version: 1

rp_queues:
  # note: the watchers group does not exist; a plan creates it, empty
  - name: Legacy-HPC
    adopt: true
    description: The old cluster
    agents:
      - {name: Omar Haddad, email: ohaddad@sdsc.edu}
    watchers: []
"""

SETTINGS = """\
# Exported by `accessq export` from https://access-ci.atlassian.net (Jira Cloud, project ATS).
# `accessq plan` on this export shows no changes while Jira stays as it is (a note says so where a
# plan would still change something).
# note: components accessq does not manage are not exported (`accessq export --adopt` adds those
# that look like queues): "General Support", "Legacy-HPC"
# note: groups with no component are not exported, and a plan deletes them: ats-legacy-hpc-agents,
# ats-retired-agents

version: 1

jira:
  url: https://access-ci.atlassian.net
  username_email: "{username}@access.example.org"
  jsm_queues: true
"""


def test_one_file_golden() -> None:
    files = export_files(small_site(), jira(), adopt=False, split=False)
    assert list(files) == ["queues.yaml"]
    assert files["queues.yaml"] == SINGLE


def test_split_gives_one_file_per_queue_named_by_slug_and_settings_only_when_needed() -> None:
    files = export_files(small_site(), jira(), adopt=True, split=True)
    assert list(files) == [
        "access-aco-support.yaml",
        "bridges-2.yaml",
        "delta.yaml",
        "legacy-hpc.yaml",
        "settings.yaml",  # here: for the notes about the site
    ]
    assert files["legacy-hpc.yaml"] == LEGACY
    for text in files.values():
        assert text.startswith(HEADER)
        assert "\nversion: 1\n" in text
    assert "jira:" not in files["settings.yaml"]


def test_non_default_jira_settings_are_written_once() -> None:
    settings_ = jira(
        url="https://access-ci.atlassian.net",
        username_email="{username}@access.example.org",
        jsm_queues=True,
    )
    files = export_files(small_site(), settings_, adopt=False, split=True)
    assert list(files) == [
        "access-aco-support.yaml",
        "bridges-2.yaml",
        "delta.yaml",
        "settings.yaml",
    ]
    assert files["settings.yaml"] == SETTINGS
    assert sum("jira:" in text for text in files.values()) == 1
    # Ada's email is no longer her username's: she is named by account.
    assert '{name: Ada Lovelace, account_id: "712020:ada"}' in files["access-aco-support.yaml"]
    assert 'default_assignee: "712020:ada"' in files["access-aco-support.yaml"]


def test_a_group_prefix_is_written_and_decides_which_groups_are_the_queues() -> None:
    [text] = export_files(small_site(), jira(group_prefix="x-"), adopt=False, split=False).values()
    assert "\njira:\n  group_prefix: x-\n" in text
    # No group has the prefix x-: every queue is exported without people, and says so.
    assert text.count("# note: the queue has no groups in Jira; a plan creates them") == 3
    assert "agents: []" in text and "updaters: []" in text


def test_the_same_site_exports_the_same_bytes_and_the_time_only_when_asked() -> None:
    first = export_files(small_site(), jira(), adopt=True, split=False)
    again = export_files(small_site(), jira(), adopt=True, split=False)
    assert first == again
    stamped = export_files(
        small_site(),
        jira(),
        adopt=True,
        split=False,
        exported_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
    )
    header = stamped["queues.yaml"].splitlines()[1]
    assert header == "# Exported at 2025-03-01T12:00:00+00:00."


def test_every_export_is_valid_against_the_json_schema() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for adopt in (False, True):
        for split in (False, True):
            files = export_files(small_site(), jira(), adopt=adopt, split=split)
            for text in files.values():
                assert list(validator.iter_errors(yaml.safe_load(text))) == []


# -- scalars -------------------------------------------------------------------------------------


def test_plain_where_plain_reads_back_quoted_where_not() -> None:
    assert scalar("Jane Doe") == "Jane Doe"
    assert scalar("jdoe@illinois.edu") == "jdoe@illinois.edu"
    assert scalar("O'Brien") == "O'Brien"
    assert scalar("712020:ac5c6aa8") == '"712020:ac5c6aa8"'
    for word in ("yes", "No", "null", "true", "1e3", "0x1F", "2024-01-01", "1:20", "~", ""):
        assert scalar(word).startswith('"'), word
    assert scalar("a, b") == '"a, b"'  # in a flow list a comma separates items
    assert scalar("a, b", flow=False) == "a, b"
    assert scalar("#1 queue") == '"#1 queue"'
    assert scalar("tab\there") == '"tab\\there"'


printable_text = st.text(
    st.characters(blacklist_categories=NO_SURROGATES),  # no lone surrogates: not UTF-8 encodable
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(printable_text, st.booleans())
def test_any_text_reads_back_exactly(text: str, flow: bool) -> None:
    document = f"value: {scalar(text, flow=flow)}\n"
    if flow:
        document = f"value: [{scalar(text, flow=flow)}]\n"
        assert yaml.safe_load(document) == {"value": [text]}
    else:
        assert yaml.safe_load(document) == {"value": text}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(st.characters(blacklist_categories=NO_SURROGATES), max_size=15), max_size=4)
)
def test_descriptions_of_several_lines_read_back_exactly(lines: list[str]) -> None:
    text = "\n".join(lines).strip()
    document = "\n".join(["queue:", *text_block("description", text, "  ")]) + "\n"
    assert yaml.safe_load(document) == {"queue": {"description": text}}


def test_a_clean_multi_line_description_is_a_literal_block() -> None:
    assert text_block("description", "one\n\ntwo", "    ") == [
        "    description: |-",
        "      one",
        "",
        "      two",
    ]
    assert text_block("description", "one  \ntwo", "") == ['description: "one  \\ntwo"']


def test_usernames_are_recovered_from_the_username_email_template() -> None:
    template = "{username}@access-ci.org"
    assert username_of("alovelace@access-ci.org", template) == "alovelace"
    assert username_of("ALovelace@ACCESS-CI.org", template) == "ALovelace"
    assert username_of("a.lovelace_2@access-ci.org", template) == "a.lovelace_2"
    assert username_of("alovelace@gmail.com", template) is None
    assert username_of("al+x@access-ci.org", template) is None  # not an ACCESS username
    assert username_of("x-alovelace@y.org", "x-{username}@y.org") == "alovelace"
    assert username_of("ada.ada@y.org", "{username}.{username}@y.org") == "ada"
    assert username_of("ada.bob@y.org", "{username}.{username}@y.org") is None
