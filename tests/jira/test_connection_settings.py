"""Connection settings: precedence, URL rules, credentials, and secrets that never show."""

from __future__ import annotations

import pickle

import pytest

from accessq.config.models import JiraSettings
from accessq.jira.connection import ConnectionSettings, check_url
from accessq.jira.errors import ConfigurationError
from accessq.jira.secret import Secret

TOKEN = "s3cr3t-api-token-value"
CLOUD_ENV = {"ACCESSQ_JIRA_USER": "bot@access-ci.org", "ACCESSQ_JIRA_TOKEN": TOKEN}


def test_flag_beats_environment_beats_config() -> None:
    config = JiraSettings(url="https://config.example.org", project="CFG")
    env = {**CLOUD_ENV, "ACCESSQ_JIRA_URL": "https://env.example.org"}
    assert ConnectionSettings.resolve(config, env=env).url == "https://env.example.org"
    flagged = ConnectionSettings.resolve(config, url="https://flag.example.org/", env=env)
    assert flagged.url == "https://flag.example.org"
    assert flagged.url_source == "--jira-url"
    from_config = ConnectionSettings.resolve(config, env=CLOUD_ENV)
    assert (from_config.url, from_config.project) == ("https://config.example.org", "CFG")
    assert ConnectionSettings.resolve(config, project="OVR", env=CLOUD_ENV).project == "OVR"


def test_nothing_configured_means_the_sandbox() -> None:
    settings = ConnectionSettings.resolve(JiraSettings(), env={})
    assert settings.sandbox and settings.url is None and settings.project == "ATS"


def test_cloud_and_data_center_credentials() -> None:
    cloud = ConnectionSettings.resolve(JiraSettings(url="https://a.atlassian.net"), env=CLOUD_ENV)
    basic, pat = cloud.credentials()
    assert pat is None and basic is not None and basic[0] == "bot@access-ci.org"
    assert basic[1].reveal() == TOKEN
    dc = ConnectionSettings.resolve(
        JiraSettings(url="https://jira.example.org"), env={"ACCESSQ_JIRA_PAT": TOKEN}
    )
    assert dc.credentials() == (None, Secret(TOKEN))


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({}, "no credentials for https://jira.example.org (from jira.url in the config)"),
        ({"ACCESSQ_JIRA_USER": "bot"}, "ACCESSQ_JIRA_TOKEN is not set"),
        ({"ACCESSQ_JIRA_TOKEN": TOKEN}, "ACCESSQ_JIRA_USER is not set"),
        ({**CLOUD_ENV, "ACCESSQ_JIRA_PAT": "pat"}, "both ACCESSQ_JIRA_PAT and"),
    ],
)
def test_missing_or_conflicting_credentials_are_one_line(env: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ConnectionSettings.resolve(JiraSettings(url="https://jira.example.org"), env=env)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value) and TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://localhost:9000/jira", "http://[::1]:8080", "https://x.org"],
)
def test_allowed_urls(url: str) -> None:
    assert check_url(url, "--jira-url") == url


def test_plain_http_to_a_remote_host_is_refused() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ConnectionSettings.resolve(url="http://jira.example.org", env=CLOUD_ENV)
    assert str(caught.value) == (
        "--jira-url must use https (plain http is only for loopback: localhost, 127.0.0.1, ::1), "
        "e.g. https://jira.example.org"
    )


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://jira.example.org", "must be an http(s) URL (ftp:)"),
        ("jira.example.org", "must be an http(s) URL"),
        ("https://bot:hunter2@jira.example.org", "no user name or password"),
        ("https://jira.example.org:notaport", "must be a site address"),
    ],
)
def test_bad_urls_are_one_line(url: str, words: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        check_url(url, "ACCESSQ_JIRA_URL")
    assert words in str(caught.value) and "hunter2" not in str(caught.value)


def test_rate_limit_from_environment() -> None:
    env = {**CLOUD_ENV, "ACCESSQ_JIRA_RATE_LIMIT": "5"}
    assert ConnectionSettings.resolve(url="https://x.org", env=env).rate_limit == 5
    with pytest.raises(ConfigurationError, match="not a number"):
        ConnectionSettings.resolve(url="https://x.org", env={**env, "ACCESSQ_JIRA_RATE_LIMIT": "x"})


def test_secrets_never_show_in_repr_str_format_or_pickle() -> None:
    settings = ConnectionSettings.resolve(
        JiraSettings(url="https://jira.example.org"), env={**CLOUD_ENV}
    )
    secret = settings.token
    assert secret is not None
    shown = [
        repr(settings),
        str(settings),
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r:>40}",
    ]
    assert all(TOKEN not in text for text in shown)
    assert repr(secret) == "***"
    with pytest.raises(TypeError):
        pickle.dumps(settings)


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_in_ci_no_url_is_refused_naming_the_variable(ci: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ConnectionSettings.resolve(JiraSettings(), env={"CI": ci})
    assert "ACCESSQ_JIRA_URL" in str(caught.value) and "\n" not in str(caught.value)


def test_in_ci_the_sandbox_named_explicitly_is_used() -> None:
    by_env = ConnectionSettings.resolve(env={"CI": "true", "ACCESSQ_JIRA_URL": "sandbox"})
    by_flag = ConnectionSettings.resolve(url="Sandbox", env={"CI": "true"})
    assert by_env.sandbox and by_flag.sandbox
    assert (by_env.url_source, by_flag.url_source) == ("ACCESSQ_JIRA_URL", "--jira-url")
    # CI=false (or empty) is not CI.
    assert ConnectionSettings.resolve(env={"CI": "false"}).sandbox
