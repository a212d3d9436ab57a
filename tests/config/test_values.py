"""A bad value or key: a plain-words message at the key or value, with its key path."""

from __future__ import annotations

import pytest

from tests.config.helpers import Load, lines, only_error

RP = "version: 1\nrp_queues:\n  - name: Delta\n    agents:\n"


def test_unknown_key_suggests_the_close_one(load: Load) -> None:
    result = load(
        RP + "      - {name: Jane Doe, email: jdoe@illinois.example.edu}\n    agnets: []\n"
    )
    assert only_error(result) == (
        "q.yaml:6:5: error: unknown key 'agnets' (did you mean 'agents'?) (rp_queues[0].agnets)"
    )


def test_unknown_key_without_a_close_one_lists_the_allowed(load: Load) -> None:
    result = load("version: 1\nflavour: cloud\n")
    assert only_error(result) == (
        "q.yaml:2:1: error: unknown key 'flavour' "
        "(allowed here: version, jira, safety, rp_queues, awardee_queues, retired_queues) (flavour)"
    )


def test_unknown_key_in_a_person(load: Load) -> None:
    result = load(RP + "      - {name: Jane Doe, mail: jdoe@illinois.example.edu}\n")
    # The unknown key is the whole story: no second error about the missing email.
    assert lines(result.errors) == [
        "q.yaml:5:26: error: unknown key 'mail' (did you mean 'email'?) "
        "(rp_queues[0].agents[0].mail)",
    ]


@pytest.mark.parametrize(("version", "column"), [("2", 10), ('"1"', 10), ("1.0", 10)])
def test_version_must_be_1(load: Load, version: str, column: int) -> None:
    result = load(f"version: {version}\n")
    assert only_error(result) == f"q.yaml:1:{column}: error: 'version' must be 1 (version)"


def test_version_is_required(load: Load) -> None:
    result = load("rp_queues: []\n")
    assert only_error(result) == (
        "q.yaml:1:1: error: missing required key 'version' (write 'version: 1') (version)"
    )


def test_queue_name_is_required(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n  - description: no name\n")
    assert only_error(result) == (
        "q.yaml:3:5: error: missing required key 'name' (rp_queues[0].name)"
    )


@pytest.mark.parametrize("name", ['""', '"   "'])
def test_empty_queue_name(load: Load, name: str) -> None:
    result = load(f"version: 1\nrp_queues:\n  - name: {name}\n")
    assert only_error(result) == "q.yaml:3:11: error: 'name' must not be empty (rp_queues[0].name)"


def test_empty_person_name(load: Load) -> None:
    result = load(RP + '      - {name: "", email: jdoe@illinois.example.edu}\n')
    assert only_error(result) == (
        "q.yaml:5:16: error: 'name' must not be empty (rp_queues[0].agents[0].name)"
    )


@pytest.mark.parametrize(
    "email",
    [
        "jdoe",
        "jdoe@",
        "@illinois.edu",
        "jdoe@illinois",
        "j doe@illinois.edu",
        "jdoe@@x.edu",
        "jdoe@illinois..edu",
        ".jdoe@illinois.edu",
        "jdoe@-illinois.edu",
    ],
)
def test_malformed_email(load: Load, email: str) -> None:
    result = load(RP + f'      - {{name: Jane Doe, email: "{email}"}}\n')
    assert only_error(result) == (
        f"q.yaml:5:33: error: '{email}' is not a valid email address (rp_queues[0].agents[0].email)"
    )


@pytest.mark.parametrize(
    "email", ["jdoe@illinois.edu", "j.doe+access@ncsa.illinois.edu", "O'Neil@psc.example.edu"]
)
def test_well_formed_email(load: Load, email: str) -> None:
    assert load(RP + f'      - {{name: Jane Doe, email: "{email}"}}\n').ok


def test_contact_needs_email_or_account_id(load: Load) -> None:
    result = load(RP + "      - {name: Priya Nair}\n")
    assert only_error(result) == (
        "q.yaml:5:10: error: contact 'Priya Nair' needs an 'email' (or an 'account_id' when the "
        "directory hides the email) (rp_queues[0].agents[0])"
    )


def test_account_id_alone_is_enough(load: Load) -> None:
    assert load(RP + '      - {name: Priya Nair, account_id: "712020:ac5c6aa8-0aec"}\n').ok


def test_person_given_as_text_not_a_mapping(load: Load) -> None:
    result = load(RP + "      - jdoe@illinois.example.edu\n")
    assert only_error(result) == (
        "q.yaml:5:9: error: 'agents[0]' must be a mapping like {name: ..., email: ...}, "
        "not the text 'jdoe@illinois.example.edu' (rp_queues[0].agents[0])"
    )


def test_empty_value_points_at_its_key(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n  - name: Delta\n    agents:\n\n")
    assert only_error(result) == (
        "q.yaml:4:5: error: 'agents' has no value; give one or remove the key (rp_queues[0].agents)"
    )


def test_number_where_text_is_expected(load: Load) -> None:
    result = load(
        "version: 1\nawardee_queues:\n  - name: ACCESS-ACO-Support\n    keywords: [wiki, no]\n"
    )
    assert only_error(result) == (
        "q.yaml:4:22: error: 'keywords[1]' must be text, not false (quote it if you meant text) "
        "(awardee_queues[0].keywords[1])"
    )


def test_a_date_where_text_is_expected(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n  - name: Delta\n    description: 2024-01-05\n")
    assert only_error(result) == (
        "q.yaml:4:18: error: 'description' must be text, not the date 2024-01-05 "
        "(quote it if you meant text) (rp_queues[0].description)"
    )


def test_text_that_only_looks_like_a_date_is_text(load: Load) -> None:
    result = load("version: 1\nawardee_queues:\n  - name: ACCESS-X-Y\n    keywords: [2024-13-45]\n")
    assert result.config is not None
    assert result.config.awardee_queues[0].keywords == ["2024-13-45"]


AWARDEE = "version: 1\nawardee_queues:\n  - name: ACCESS-ACO-Support\n"


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        ('"++"', "'++' has no letters or digits, so it matches no ticket"),
        ('"wiki\\nconfluence"', "'keywords[1]' must be on one line"),
        ('"  "', "'keywords[1]' must not be empty"),
    ],
)
def test_bad_keyword(load: Load, keyword: str, message: str) -> None:
    result = load(AWARDEE + f"    keywords: [ok, {keyword}]\n")
    assert only_error(result) == f"q.yaml:4:20: error: {message} (awardee_queues[0].keywords[1])"


def test_keywords_may_hold_commas_and_punctuation(load: Load) -> None:
    result = load(AWARDEE + '    keywords: ["C, C++", "C#", "R (language)"]\n')
    assert result.ok
    assert result.config is not None
    assert result.config.awardee_queues[0].keywords == ["C, C++", "C#", "R (language)"]


def test_bad_username(load: Load) -> None:
    result = load(AWARDEE + "    updaters:\n      - {name: Ada Lovelace, username: ada@access}\n")
    assert only_error(result) == (
        "q.yaml:5:40: error: 'ada@access' is not an ACCESS username (letters, digits, '.', '_' "
        "and '-' only) (awardee_queues[0].updaters[0].username)"
    )


def test_queue_name_on_one_line(load: Load) -> None:
    result = load('version: 1\nrp_queues:\n  - name: "Delta\\nGPU"\n')
    assert only_error(result) == (
        "q.yaml:3:11: error: 'name' must be on one line (rp_queues[0].name)"
    )


@pytest.mark.parametrize(
    ("jira", "column", "message"),
    [
        (
            "url: http://jira.example.org",
            8,
            "jira.url must use https (plain http is only for loopback: localhost, 127.0.0.1, ::1), "
            "e.g. https://jira.example.org",
        ),
        (
            "url: jira.example.org",
            8,
            "jira.url must be an http(s) URL, e.g. https://access-ci.atlassian.net",
        ),
        ("project: ats", 12, "'ats' is not a Jira project key (capital letters, e.g. ATS)"),
        (
            'username_email: "{user}@access-ci.org"',
            19,
            "'{user}@access-ci.org' must be an email address containing {username}, "
            "e.g. {username}@access-ci.org",
        ),
        (
            "jsm_queues: sometimes",
            15,
            "'jsm_queues' must be true or false, not the text 'sometimes'",
        ),
    ],
)
def test_bad_jira_settings(load: Load, jira: str, column: int, message: str) -> None:
    result = load(f"version: 1\njira:\n  {jira}\n")
    key = jira.split(":")[0]
    assert only_error(result) == f"q.yaml:3:{column}: error: {message} (jira.{key})"


def test_loopback_http_is_fine(load: Load) -> None:
    assert load("version: 1\njira:\n  url: http://127.0.0.1:8080\n").ok


@pytest.mark.parametrize(
    ("safety", "column", "message"),
    [
        ("max_removal_fraction: 1.5", 25, "'max_removal_fraction' must be at most 1.0"),
        ("min_agents: -1", 15, "'min_agents' must be at least 0"),
        (
            "min_agents: 1.5",
            15,
            "'min_agents' must be a whole number, not the number 1.5 (quote it if you meant text)",
        ),
    ],
)
def test_bad_safety(load: Load, safety: str, column: int, message: str) -> None:
    result = load(f"version: 1\nsafety:\n  {safety}\n")
    key = safety.split(":")[0]
    assert only_error(result) == f"q.yaml:3:{column}: error: {message} (safety.{key})"
