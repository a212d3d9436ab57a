"""Caps that sites choose and no public source pins down: the group picker's
(jira.ajax.autocomplete.limit) and Data Center's user search (Jira 9: 1000, Jira 10: 100)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from accessq.sandbox import RunningSandbox
from tests.conftest import MakeSandbox
from tests.sandbox.conftest import api, session


def _picker(sandbox: RunningSandbox, http: requests.Session, **params: Any) -> dict[str, Any]:
    response = http.get(api(sandbox, "groups/picker"), params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_the_picker_cap_cuts_the_answer_but_not_the_total(
    make_sandbox: MakeSandbox, flavor: str
) -> None:
    seed = {"groups": [{"name": f"ats-g{i:02d}-agents"} for i in range(12)]}
    sandbox = make_sandbox(flavor, seed, options={"group_picker_limit": 5})
    with session(sandbox) as http:
        capped = _picker(sandbox, http, query="ats-", maxResults=1000)
        assert [g["name"] for g in capped["groups"]] == [f"ats-g{i:02d}-agents" for i in range(5)]
        assert capped["total"] == 12
        assert capped["header"] == "Showing 5 of 12 matching groups"
        assert len(_picker(sandbox, http, query="ats-", maxResults=3)["groups"]) == 3
        assert len(_picker(sandbox, http, query="ats-")["groups"]) == 5  # the default 20, capped
        narrow = _picker(sandbox, http, query="ats-g1", maxResults=1000)
        assert narrow["total"] == 2 and len(narrow["groups"]) == 2


def test_the_default_cap_is_1000(make_sandbox: MakeSandbox) -> None:
    seed = {"groups": [{"name": f"g{i:04d}"} for i in range(1005)]}
    sandbox = make_sandbox("cloud", seed)
    assert sandbox.control.info()["options"]["group_picker_limit"] == 1000
    with session(sandbox) as http:
        body = _picker(sandbox, http, query="g", maxResults=5000)
    assert (len(body["groups"]), body["total"]) == (1000, 1005)


def _people(count: int) -> dict[str, Any]:
    return {
        "users": [
            {"name": f"Person {i:04d}", "email": f"person{i:04d}@example.org"} for i in range(count)
        ]
    }


@pytest.mark.parametrize(("cap", "found"), [(None, 150), (1000, 150), (100, 100)])
def test_dc_user_search_cap(make_sandbox: MakeSandbox, cap: int | None, found: int) -> None:
    options = None if cap is None else {"dc_user_search_limit": cap}
    sandbox = make_sandbox("dc", _people(150), options=options)
    search: dict[str, Any] = {"username": "person", "maxResults": 1000}
    with session(sandbox) as http:
        response = http.get(api(sandbox, "user/search"), params=search)
        assert len(response.json()) == found
        second = http.get(api(sandbox, "user/search"), params={**search, "startAt": found})
        assert len(second.json()) == 150 - found  # paging reaches the rest


def test_cloud_user_search_ignores_the_dc_cap(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud", _people(150), options={"dc_user_search_limit": 100})
    with session(sandbox) as http:
        search: dict[str, Any] = {"query": "person", "maxResults": 1000}
        response = http.get(api(sandbox, "user/search"), params=search)
    assert len(response.json()) == 150


@pytest.mark.parametrize("bad", [0, -1, "many", True, 100_001])
def test_caps_must_be_sensible(make_sandbox: MakeSandbox, bad: object) -> None:
    with pytest.raises(ValueError, match="group_picker_limit must be a whole number"):
        make_sandbox("cloud", options={"group_picker_limit": bad})
