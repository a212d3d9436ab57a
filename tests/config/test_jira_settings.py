"""`jira:` values that would hand accessq other people's groups or leak a secret into plan files."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from accessq.config.models import JiraSettings
from tests.config.helpers import Load, only_error

PREFIX_RULE = (
    "is not a group prefix: lower-case letters, digits and '-', starting with a letter or digit "
    "and ending with '-' (e.g. ats-)"
)
URL_RULE = (
    "jira.url must be the bare site address, e.g. https://access-ci.atlassian.net: no user name "
    "or password; credentials come from the environment "
    "(ACCESSQ_JIRA_USER and ACCESSQ_JIRA_TOKEN, or ACCESSQ_JIRA_PAT)"
)
QUERY_RULE = (
    "jira.url must be the bare site address, e.g. https://access-ci.atlassian.net: no query or "
    "fragment"
)


@pytest.mark.parametrize("prefix", ['""', '"-"', "ATS-", "ats", "ats_", "-ats-", "ats.x-"])
def test_a_group_prefix_that_could_claim_other_groups_is_refused_at_its_value(
    load: Load, prefix: str
) -> None:
    result = load(f"version: 1\njira:\n  group_prefix: {prefix}\n")
    shown = prefix.strip('"')
    assert only_error(result) == (
        f"q.yaml:3:17: error: '{shown}' {PREFIX_RULE} (jira.group_prefix)"
    )


@pytest.mark.parametrize("prefix", ["ats-", "acc-", "x-", "access-ci-", "a1-"])
def test_usual_group_prefixes_are_fine(load: Load, prefix: str) -> None:
    result = load(f"version: 1\njira:\n  group_prefix: {prefix}\n")
    assert result.config is not None and result.config.jira.group_prefix == prefix


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("https://bob:s3cret@host.example.org", URL_RULE),
        ("https://bob@host.example.org", URL_RULE),
        ("https://host.example.org/?token=s3cret", QUERY_RULE),
        ("https://host.example.org/jira#s3cret", QUERY_RULE),
        ("https://host.example.org?", QUERY_RULE),
    ],
)
def test_a_url_carrying_credentials_query_or_fragment_is_refused_without_echoing_it(
    load: Load, url: str, rule: str
) -> None:
    result = load(f"version: 1\njira:\n  url: {url}\n")
    message = only_error(result)
    assert message == f"q.yaml:3:8: error: {rule} (jira.url)"
    assert "s3cret" not in message


def test_the_model_itself_refuses_credentials_so_no_plan_file_can_carry_them() -> None:
    with pytest.raises(ValidationError) as caught:
        JiraSettings(url="https://bob:s3cret@host.example.org")
    [error] = caught.value.errors()
    assert URL_RULE in error["msg"] and "s3cret" not in error["msg"]
    assert JiraSettings(url="https://host.example.org/jira/").url == (
        "https://host.example.org/jira/"
    )


@pytest.mark.parametrize("url", ["https://host.example.org:abc", "https://[::1"])
def test_a_malformed_url_is_one_plain_error(load: Load, url: str) -> None:
    result = load(f'version: 1\njira:\n  url: "{url}"\n')
    assert only_error(result) == (
        "q.yaml:3:8: error: jira.url must be a site address such as "
        "https://access-ci.atlassian.net (host, optional port and path) (jira.url)"
    )
