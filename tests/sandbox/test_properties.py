"""Project entity properties: keys, values of any JSON type, Jira's errors, and permissions."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from accessq.sandbox import RunningSandbox, start_background
from tests.sandbox.conftest import session

VERSIONS = ("2", "3", "latest")


def _url(sandbox: RunningSandbox, tail: str = "", project: str = "ATS", version: str = "2") -> str:
    return f"{sandbox.url}/rest/api/{version}/project/{project}/properties{tail}"


def _messages(response: requests.Response) -> list[str]:
    body = response.json()
    assert set(body) == {"errorMessages", "errors"}, body
    return list(body["errorMessages"])


@pytest.mark.parametrize("version", VERSIONS)
def test_set_read_list_and_delete(
    sandbox: RunningSandbox, admin: requests.Session, version: str
) -> None:
    url = _url(sandbox, version=version)
    assert admin.get(url).json() == {"keys": []}
    created = admin.put(f"{url}/accessq.state", json={"plan": "abc", "queues": [1, 2]})
    assert created.status_code == 201
    updated = admin.put(f"{url}/accessq.state", json={"plan": "def"})
    assert updated.status_code == 200
    for key, value in (("b.number", 5), ("a.string", "text"), ("c.list", [True, None])):
        assert admin.put(f"{url}/{key}", json=value).status_code == 201
    got = admin.get(f"{url}/accessq.state").json()
    assert got == {"key": "accessq.state", "value": {"plan": "def"}}
    assert admin.get(f"{url}/b.number").json()["value"] == 5
    keys = admin.get(url).json()["keys"]
    assert [k["key"] for k in keys] == ["a.string", "accessq.state", "b.number", "c.list"]
    assert keys[0]["self"] == f"{sandbox.url}/rest/api/{version}/project/10000/properties/a.string"
    by_id = admin.get(_url(sandbox, "/a.string", project="10000", version=version)).json()
    assert by_id["value"] == "text"
    assert admin.delete(f"{url}/accessq.state").status_code == 204
    gone = admin.get(f"{url}/accessq.state")
    assert gone.status_code == 404
    assert _messages(gone) == ["The property with key 'accessq.state' does not exist."]
    assert admin.delete(f"{url}/accessq.state").status_code == 404


def test_keys_are_case_sensitive(sandbox: RunningSandbox, admin: requests.Session) -> None:
    admin.put(_url(sandbox, "/Key"), json=1).raise_for_status()
    admin.put(_url(sandbox, "/key"), json=2).raise_for_status()
    assert admin.get(_url(sandbox, "/Key")).json()["value"] == 1
    assert [k["key"] for k in admin.get(_url(sandbox)).json()["keys"]] == ["Key", "key"]


def test_jira_errors(sandbox: RunningSandbox, admin: requests.Session) -> None:
    missing = admin.get(_url(sandbox, project="NOPE"))
    assert missing.status_code == 404
    assert _messages(missing) == ["No project could be found with key 'NOPE'."]
    assert admin.put(_url(sandbox, "/k", project="ats"), json=1).status_code == 404  # case matters
    empty = admin.put(_url(sandbox, "/k"), data=b"", headers={"Content-Type": "application/json"})
    assert empty.status_code == 400 and "empty" in _messages(empty)[0]
    invalid = admin.put(
        _url(sandbox, "/k"), data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert invalid.status_code == 400 and "JSON" in _messages(invalid)[0]
    too_long = admin.put(_url(sandbox, "/k"), json="x" * 32767)  # 32769 bytes with the quotes
    assert too_long.status_code == 400 and "32768" in _messages(too_long)[0]
    assert admin.put(_url(sandbox, "/k"), json="x" * 32766).status_code == 201
    long_key = admin.put(_url(sandbox, "/" + "k" * 256), json=1)
    assert long_key.status_code == 400 and "255" in _messages(long_key)[0]
    assert admin.put(_url(sandbox, "/" + "k" * 255), json=1).status_code == 201
    text = admin.put(_url(sandbox, "/t"), data="1", headers={"Content-Type": "text/plain"})
    assert text.status_code == 415


def test_read_only_accounts_read_but_cannot_write(sandbox: RunningSandbox) -> None:
    with session(sandbox) as admin:
        admin.put(_url(sandbox, "/k"), json={"v": 1}).raise_for_status()
    with session(sandbox, ("viewer", "viewer")) as viewer:
        assert viewer.get(_url(sandbox, "/k")).json()["value"] == {"v": 1}
        assert viewer.get(_url(sandbox)).status_code == 200
        writes = (viewer.put(_url(sandbox, "/k"), json=2), viewer.delete(_url(sandbox, "/k")))
        for response in writes:
            assert response.status_code == 403
            assert _messages(response) == ["You cannot edit the configuration of this project."]
    with session(sandbox, None) as anonymous:
        assert anonymous.get(_url(sandbox)).status_code == 401
    with session(sandbox) as admin:
        assert admin.get(_url(sandbox, "/k")).json()["value"] == {"v": 1}


def test_properties_persist_and_a_reset_clears_them(tmp_path: Path) -> None:
    from accessq.sandbox import reset

    db = tmp_path / "state.sqlite"
    with start_background(db=db, flavor="dc") as first, session(first) as http:
        http.put(_url(first, "/kept"), json=["yes"]).raise_for_status()
    with start_background(db=db, flavor="dc") as again, session(again) as http:
        assert http.get(_url(again, "/kept")).json()["value"] == ["yes"]
    reset(db=db, flavor="dc", seed=None)
    with start_background(db=db, flavor="dc") as wiped, session(wiped) as http:
        assert http.get(_url(wiped)).json() == {"keys": []}
