"""Two keys `accessq export` needs: `adopt: true`, and an updater named by account_id alone."""

from __future__ import annotations

import jsonschema

from accessq.config.schema import json_schema
from tests.config.helpers import Load, only_error

AWARDEE = """\
version: 1
awardee_queues:
  - name: ACCESS-ACO-Support
    updaters:
      - {name: Ada Lovelace, username: alovelace}
      - {name: Raj Patel, account_id: "712020:068f1bb2"}
"""


def test_an_updater_may_be_named_by_account_id_and_be_the_default_assignee(load: Load) -> None:
    result = load(AWARDEE + '    default_assignee: "712020:068f1bb2"\n')
    assert result.ok, [str(e) for e in result.errors]
    assert result.config is not None
    [queue] = result.config.awardee_queues
    assert queue.updaters[1].username is None
    assert queue.default_assignee == "712020:068f1bb2"


def test_an_updater_needs_a_username_or_an_account_id(load: Load) -> None:
    result = load(
        "version: 1\nawardee_queues:\n  - name: ACCESS-ACO-Support\n"
        "    updaters:\n      - {name: Ada Lovelace}\n"
    )
    assert only_error(result) == (
        "q.yaml:5:10: error: updater 'Ada Lovelace' needs a 'username' (or an 'account_id' when "
        "their Jira email is not the username's) (awardee_queues[0].updaters[0])"
    )


def test_a_default_assignee_names_an_updater_by_username_or_account_id(load: Load) -> None:
    result = load(AWARDEE + "    default_assignee: 712020:other\n")
    assert only_error(result) == (
        "q.yaml:7:23: error: default assignee '712020:other' is not one of the updaters "
        "(alovelace, 712020:068f1bb2) (awardee_queues[0].default_assignee)"
    )


def test_the_same_account_id_twice_is_still_a_duplicate(load: Load) -> None:
    result = load(AWARDEE + '      - {name: Raj P., account_id: "712020:068f1bb2"}\n')
    assert "Raj P. is listed twice in 'updaters' (same account_id as Raj Patel" in (
        only_error(result)
    )


def test_adopt_is_a_queue_key(load: Load) -> None:
    result = load(
        "version: 1\nrp_queues:\n  - name: Delta\n    adopt: true\n"
        "awardee_queues:\n  - name: ACCESS-X-Support\n"
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.config is not None
    assert [q.adopt for q in result.config.queues] == [True, False]


def test_adopt_must_be_a_boolean(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n  - name: Delta\n    adopt: perhaps\n")
    assert "(rp_queues[0].adopt)" in only_error(result)


def test_the_schema_knows_adopt_and_account_only_updaters() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    good = {
        "version": 1,
        "awardee_queues": [
            {
                "name": "ACCESS-A-B",
                "adopt": True,
                "updaters": [{"name": "Raj", "account_id": "712020:x"}],
                "default_assignee": "712020:x",
            }
        ],
    }
    assert list(validator.iter_errors(good)) == []
    bad = {"version": 1, "awardee_queues": [{"name": "ACCESS-A-B", "updaters": [{"name": "R"}]}]}
    assert list(validator.iter_errors(bad)) != []
