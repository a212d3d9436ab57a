"""Paging edges: empty, one, exactly a page, a page plus one, and past the end."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.sandbox.conftest import api, session


def _seed(members: int) -> dict[str, Any]:
    people = [
        {"name": f"Person {i:03}", "email": f"p{i:03}@example.org", "username": f"p{i:03}"}
        for i in range(members)
    ]
    return {"users": people, "groups": [{"name": "g", "members": [p["username"] for p in people]}]}


def _walk(http: requests.Session, url: str) -> list[dict[str, Any]]:
    """Follow nextPage links to the end; every page but the last is full."""
    pages = [http.get(url).json()]
    while not pages[-1]["isLast"]:
        assert len(pages[-1]["values"]) == pages[-1]["maxResults"]
        pages.append(http.get(pages[-1]["nextPage"]).json())
        assert len(pages) < 10
    return pages


@pytest.mark.parametrize(("members", "pages"), [(0, 1), (1, 1), (50, 1), (51, 2), (101, 3)])
def test_group_member_pages(make_sandbox: Any, members: int, pages: int) -> None:
    sandbox = make_sandbox("cloud", _seed(members))
    with session(sandbox) as http:
        walked = _walk(http, api(sandbox, "group/member?groupname=g"))
        assert len(walked) == pages
        assert all(p["total"] == members and p["maxResults"] == 50 for p in walked)
        names = [u["displayName"] for p in walked for u in p["values"]]
        assert names == [f"Person {i:03}" for i in range(members)]
        assert ("nextPage" in walked[-1]) is False


def test_member_page_size_is_capped_at_fifty(make_sandbox: Any) -> None:
    sandbox = make_sandbox("dc", _seed(60))
    with session(sandbox) as http:
        page = http.get(api(sandbox, "group/member?groupname=g&maxResults=100")).json()
        assert page["maxResults"] == 50 and len(page["values"]) == 50
        small = http.get(api(sandbox, "group/member?groupname=g&maxResults=7&startAt=56")).json()
        assert [u["name"] for u in small["values"]] == ["p056", "p057", "p058", "p059"]
        assert small["isLast"] is True
        past = http.get(api(sandbox, "group/member?groupname=g&startAt=500")).json()
        assert past["values"] == [] and past["isLast"] is True and past["total"] == 60
        for bad in ("maxResults=0", "startAt=-1", "maxResults=lots"):
            assert http.get(api(sandbox, f"group/member?groupname=g&{bad}")).status_code == 400


@pytest.mark.parametrize("members", [0, 1, 50, 51])
def test_deprecated_group_listing_pages_like_the_jira_library_expects(
    make_sandbox: Any, members: int
) -> None:
    sandbox = make_sandbox("dc", _seed(members))
    with session(sandbox) as http:
        first = http.get(api(sandbox, "group?groupname=g&expand=users")).json()["users"]
        assert first["size"] == members
        assert len(first["items"]) == min(members, 50)
        assert first["end-index"] == max(0, min(members, 50) - 1)
        second = http.get(api(sandbox, "group?groupname=g&expand=users[50:99]")).json()["users"]
        assert [u["name"] for u in second["items"]] == [f"p{i:03}" for i in range(50, members)]
        assert second["start-index"] == 50


def test_component_and_user_pages(make_sandbox: Any) -> None:
    components = [{"name": f"C{i:02}"} for i in range(51)]
    sandbox = make_sandbox("cloud", {**_seed(3), "components": components})
    with session(sandbox) as http:
        walked = _walk(http, api(sandbox, "project/ATS/component"))
        assert [len(p["values"]) for p in walked] == [50, 1]
        matching = http.get(api(sandbox, "project/ATS/component?query=c4&orderBy=-name")).json()
        assert [c["name"] for c in matching["values"]][:3] == ["C49", "C48", "C47"]
        assert matching["total"] == 10
        users = http.get(api(sandbox, "users/search?startAt=1&maxResults=1")).json()
        assert len(users) == 1
        assert http.get(api(sandbox, "users/search?startAt=99")).json() == []
