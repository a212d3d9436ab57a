"""State: survives restarts, resets on demand, stays consistent under concurrent writes."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from accessq.sandbox import reset, serve, start_background
from tests.sandbox.conftest import api, session


def test_state_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "state" / "sandbox.sqlite"
    with start_background(db=db, flavor="cloud") as first, session(first) as http:
        http.post(
            api(first, "component"), json={"name": "Delta", "project": "ATS"}
        ).raise_for_status()
        http.post(api(first, "group"), json={"name": "ats-delta-agents"}).raise_for_status()
        http.post(
            api(first, "group/user?groupname=ats-delta-agents"),
            json={"accountId": "712020:d3551473-22d8"},
        ).raise_for_status()
    with start_background(db=db, flavor="cloud") as second, session(second) as http:
        names = [c["name"] for c in http.get(api(second, "project/ATS/components")).json()]
        assert names == ["Delta", "General Support"]
        members = http.get(api(second, "group/member?groupname=ats-delta-agents")).json()
        assert [m["displayName"] for m in members["values"]] == ["Jane Doe"]


def test_an_existing_state_is_not_reseeded(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    with start_background(db=db) as first, session(first) as http:
        assert http.delete(api(first, "component/10000")).status_code == 204
    other_seed = {"components": [{"name": "Only in the seed"}]}
    with start_background(db=db, seed=other_seed) as second, session(second) as http:
        assert http.get(api(second, "project/ATS/components")).json() == []


def test_reset_wipes_and_reseeds(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    with start_background(db=db) as sandbox, session(sandbox) as http:
        http.post(api(sandbox, "group"), json={"name": "scratch"}).raise_for_status()
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "project: {key: XYZ, name: Elsewhere}\n"
        "users:\n  - {name: Solo, email: solo@example.org}\n"
        "components:\n  - {name: Only}\n",
        encoding="utf-8",
    )
    reset(db=db, flavor="dc", seed=seed)
    with start_background(db=db, flavor="dc") as sandbox, session(sandbox) as http:
        assert http.get(api(sandbox, "group/member?groupname=scratch")).status_code == 404
        project = http.get(api(sandbox, "project/XYZ")).json()
        assert (project["key"], project["name"]) == ("XYZ", "Elsewhere")
        assert [c["name"] for c in project["components"]] == ["Only"]
        assert http.get(api(sandbox, "project/ATS")).status_code == 404
        queues = http.get(f"{sandbox.url}/rest/servicedeskapi/servicedesk/XYZ/queue").json()
        assert all(q["jql"].startswith("project = XYZ") for q in queues["values"])


def test_reset_with_a_bad_seed_keeps_the_state(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    with start_background(db=db) as sandbox, session(sandbox) as http:
        http.post(api(sandbox, "group"), json={"name": "keep-me"}).raise_for_status()
    bad = tmp_path / "bad.yaml"
    bad.write_text("users: [{name: X}]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml:1: users\[0\]: missing 'email'"):
        reset(db=db, flavor="cloud", seed=bad)
    with start_background(db=db) as sandbox, session(sandbox) as http:
        assert http.get(api(sandbox, "group/member?groupname=keep-me")).status_code == 200


def test_temporary_state_is_removed_on_stop() -> None:
    sandbox = start_background()
    assert sandbox.db.exists()
    sandbox.stop()
    assert not sandbox.db.parent.exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(api(sandbox, "serverInfo"), timeout=5)
    sandbox.stop()  # stopping twice is harmless


def test_refuses_non_loopback_hosts(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.10", "example.org"):
        with pytest.raises(ValueError, match="loopback"):
            serve(
                host=host,
                port=0,
                db=tmp_path / "x.sqlite",
                flavor="cloud",
                seed=None,
                latency_ms=0,
                rate_limit=0,
            )
        with pytest.raises(ValueError, match="loopback"):
            start_background(host=host)
    assert not (tmp_path / "x.sqlite").exists()


def test_a_file_that_is_not_a_sandbox_state_is_one_clear_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    with pytest.raises(ValueError, match=r"notes\.txt: cannot use this file as the sandbox state"):
        reset(db=notes, flavor="cloud", seed=None)
    with pytest.raises(ValueError, match="cannot use this file"):
        start_background(db=tmp_path)  # a folder
    assert notes.read_text(encoding="utf-8").startswith("not a database")


def test_refuses_unknown_flavours(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cloud or dc"):
        start_background(db=tmp_path / "x.sqlite", flavor="server")


def test_concurrent_writes_stay_consistent(make_sandbox: Any) -> None:
    people = [
        {"name": f"Person {i:03}", "email": f"p{i:03}@example.org", "account_id": f"acc-{i:03}"}
        for i in range(80)
    ]
    sandbox = make_sandbox("cloud", {"users": people})
    with session(sandbox) as http:
        http.post(api(sandbox, "group"), json={"name": "crowd"}).raise_for_status()

    def add(i: int) -> int:
        with session(sandbox) as http:
            url = api(sandbox, "group/user?groupname=crowd")
            return http.post(url, json={"accountId": f"acc-{i % 80:03}"}).status_code

    def create(i: int) -> int:
        with session(sandbox) as http:
            name = f"Queue {i % 10}"  # ten names, each tried four times at once
            return http.post(
                api(sandbox, "component"), json={"name": name, "project": "ATS"}
            ).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        adds = list(pool.map(add, range(160)))  # every person twice
        creates = list(pool.map(create, range(40)))

    assert sorted(adds) == [201] * 80 + [400] * 80
    assert sorted(creates) == [201] * 10 + [400] * 30
    with session(sandbox) as http:
        total = http.get(api(sandbox, "group/member?groupname=crowd")).json()["total"]
        components = http.get(api(sandbox, "project/ATS/components")).json()
    assert total == 80
    assert sorted(c["name"] for c in components) == [f"Queue {i}" for i in range(10)]
    with sqlite3.connect(sandbox.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
