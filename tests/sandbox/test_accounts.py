"""Kinds of accounts (Cloud's accountType) and how Cloud's user search treats hidden emails,
display names that look like emails, and inactive users."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import requests

from accessq.sandbox import RunningSandbox, start_background
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, session

JANE = "712020:d3551473-22d8"
PRIYA = "712020:ac5c6aa8-0aec"  # email hidden
CUSTOMER = "qm:5e0c7a1d-3b9f-4c2e-8d6a-0f4b2c9e7a13:6a1f0e93b2c4d5e6f7a8b9c0"
APP = "557058:0d5b7a3e-9c41-4f6e-8a2d-1b3c5e7f9a0c"


def _users_in(body: Any) -> list[dict[str, Any]]:
    """Every user object in a body: anything with a displayName and an avatar."""
    found: list[dict[str, Any]] = []
    if isinstance(body, dict):
        if "displayName" in body and "avatarUrls" in body:
            found.append(body)
        for value in body.values():
            found += _users_in(value)
    elif isinstance(body, list):
        for value in body:
            found += _users_in(value)
    return found


def _everywhere(sandbox: RunningSandbox, http: requests.Session) -> list[dict[str, Any]]:
    """The user objects of every kind of answer that has them."""
    cloud = sandbox.flavor == "cloud"
    http.post(api(sandbox, "group"), json={"name": "g"}).raise_for_status()
    add = {"accountId": CUSTOMER} if cloud else {"name": "qm-portal-7731"}
    http.post(api(sandbox, "group/user?groupname=g"), json=add).raise_for_status()
    lead = {"leadAccountId": JANE} if cloud else {"leadUserName": "jdoe"}
    http.post(
        api(sandbox, "component"),
        json={"name": "Led", "project": "ATS", "assigneeType": "COMPONENT_LEAD", **lead},
    ).raise_for_status()
    paths = [
        "myself",
        "project/ATS",
        "project/ATS/components",
        "project/ATS/component",
        "group?groupname=g&expand=users",
        "group/member?groupname=g",
        "user/search?" + ("query=jdoe" if cloud else "username=jdoe"),
        "user?" + (f"accountId={APP}" if cloud else "username=automation"),
    ]
    if cloud:
        paths.append("users/search?maxResults=100")
    users: list[dict[str, Any]] = []
    for path in paths:
        response = http.get(api(sandbox, path))
        assert response.status_code == 200, (path, response.text)
        found = _users_in(response.json())
        assert found, path
        users += found
    return users


def test_cloud_users_carry_their_account_type_and_dc_users_none(
    sandbox: RunningSandbox,
) -> None:
    with session(sandbox) as http:
        users = _everywhere(sandbox, http)
    if sandbox.flavor == "dc":
        assert all("accountType" not in u for u in users)
        return
    assert all(u.get("accountType") in ("atlassian", "customer", "app") for u in users)
    kinds = {u["accountId"]: u["accountType"] for u in users}
    assert (kinds[JANE], kinds[CUSTOMER], kinds[APP]) == ("atlassian", "customer", "app")


def test_a_seed_sets_account_types(make_sandbox: MakeSandbox) -> None:
    seed = {
        "users": [
            {"name": "Portal Pat", "email": "pat@example.org", "account_type": "customer"},
            {"name": "Robot", "email": "robot@example.org", "account_type": "app"},
            {"name": "Person", "email": "person@example.org"},
        ]
    }
    sandbox = make_sandbox("cloud", seed)
    with session(sandbox) as http:
        everyone = http.get(api(sandbox, "users/search")).json()
    kinds = {u["displayName"]: u["accountType"] for u in everyone}
    assert kinds["Portal Pat"] == "customer" and kinds["Robot"] == "app"
    assert kinds["Person"] == kinds["Sandbox Administrator"] == "atlassian"


def _search(sandbox: RunningSandbox, query: str) -> list[str]:
    with session(sandbox) as http:
        response = http.get(api(sandbox, "user/search"), params={"query": query})
    assert response.status_code == 200, response.text
    return [u["accountId"] for u in response.json()]


def test_an_email_query_finds_display_names_that_start_with_it(
    sandbox_cloud: RunningSandbox,
) -> None:
    # The demo customer's display name is Jane's email; its own email is hidden.
    assert _search(sandbox_cloud, "jdoe@illinois.example.edu") == [JANE, CUSTOMER]
    assert _search(sandbox_cloud, "JDOE@illinois") == [JANE, CUSTOMER]  # prefixes, any case
    assert _search(sandbox_cloud, "illinois.example.edu") == []  # not inside a word
    assert _search(sandbox_cloud, "portal-7731@mailbox.example.net") == [CUSTOMER]  # exact, hidden
    assert _search(sandbox_cloud, "portal-7731@mailbox") == []  # a hidden email: no prefixes


@pytest.mark.parametrize("how", ["seed", "start"])
def test_hidden_emails_can_be_unsearchable(make_sandbox: MakeSandbox, how: str) -> None:
    people = [
        {"name": "Priya Nair", "email": "pnair@purdue.example.edu", "email_hidden": True},
        {"name": "pnair@purdue.example.edu", "email": "x9@mail.example.net", "email_hidden": True},
    ]
    seed: dict[str, Any] = {"users": people}
    if how == "seed":
        seed["options"] = {"hidden_email_search": "never"}
        sandbox = make_sandbox("cloud", seed)
    else:
        sandbox = make_sandbox("cloud", seed, options={"hidden_email_search": "never"})
    assert sandbox.control.info()["options"] == {"hidden_email_search": "never"}
    with session(sandbox) as http:
        found = http.get(api(sandbox, "user/search"), params={"query": "pnair@purdue.example.edu"})
    # Only the impostor whose display name is the address; Priya is not found by her email.
    assert [u["displayName"] for u in found.json()] == ["pnair@purdue.example.edu"]
    assert "emailAddress" not in found.json()[0]


def test_the_default_finds_hidden_emails_by_the_whole_address(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud")
    assert sandbox.control.info()["options"] == {"hidden_email_search": "exact"}
    assert _search(sandbox, "pnair@PURDUE.example.edu") == [PRIYA]


def test_options_persist_with_the_state_and_a_start_overrides_them(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    seed = {"options": {"hidden_email_search": "never"}}
    with start_background(db=db, seed=seed) as first:
        assert first.control.info()["options"]["hidden_email_search"] == "never"
    with start_background(db=db) as again:  # the seed's options were stored with the state
        assert again.control.info()["options"]["hidden_email_search"] == "never"
    with start_background(db=db, options={"hidden_email_search": "exact"}) as overridden:
        assert overridden.control.info()["options"]["hidden_email_search"] == "exact"
    with pytest.raises(ValueError, match="unknown sandbox option"):
        start_background(db=db, options={"colour": "blue"})


def test_cloud_user_search_skips_inactive_users_whatever_is_asked(
    sandbox_cloud: RunningSandbox,
) -> None:
    with session(sandbox_cloud) as http:
        for params in (
            {"query": "Ben"},
            {"query": "bcarter@purdue.example.edu"},
            {"query": "Ben", "includeInactive": "true", "includeActive": "false"},
        ):
            assert http.get(api(sandbox_cloud, "user/search"), params=params).json() == []


def test_a_state_from_before_account_types_opens_with_atlassian_accounts(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with start_background(db=db):
        pass
    with sqlite3.connect(db) as conn:  # as an older sandbox left it: no account_type column
        conn.execute("ALTER TABLE users DROP COLUMN account_type")
    with start_background(db=db) as sandbox, session(sandbox) as http:
        customer = http.get(api(sandbox, "user"), params={"accountId": CUSTOMER}).json()
    assert customer["accountType"] == "atlassian"  # what the old state knew
