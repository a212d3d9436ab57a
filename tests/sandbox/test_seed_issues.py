"""The seed's `issues:` section: what it accepts, its defaults, its one-line errors, the state."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from accessq.sandbox import SeedError, load_seed
from accessq.sandbox.store import Store
from accessq.sandbox.tickets import Tickets

PEOPLE = [
    {"name": "Jane Doe", "email": "jdoe@example.org", "account_id": "acc-jane", "username": "jdoe"},
    {"name": "Ben Carter", "email": "ben@example.org", "active": False},
]
COMPONENTS = [{"name": "Delta"}, {"name": "General Support"}]


def _seed(*issues: Any) -> dict[str, Any]:
    return {"users": PEOPLE, "components": COMPONENTS, "issues": list(issues)}


def test_issues_resolve_people_and_components_and_default_the_rest() -> None:
    seed = load_seed(
        _seed(
            {
                "summary": "  Cannot log in  ",
                "description": "Key rejected.",
                "components": ["delta", "General Support", "DELTA"],
                "assignee": "acc-jane",
                "reporter": "ben@example.org",
                "status": "resolved",
                "created": "2025-03-03T14:05:00-06:00",
            },
            {"summary": "Bare"},
        )
    )
    full, bare = seed.issues
    assert full.summary == "Cannot log in"
    assert full.components == ("Delta", "General Support")
    assert (full.assignee, full.reporter) == ("jdoe", "ben")
    assert full.resolved is True
    assert full.created == datetime(2025, 3, 3, 20, 5, tzinfo=UTC)
    assert (bare.description, bare.components, bare.assignee, bare.reporter) == (
        None,
        (),
        None,
        None,
    )
    assert bare.resolved is False and bare.created is None


def test_a_date_alone_is_nine_in_the_morning_utc() -> None:
    (issue,) = load_seed(_seed({"summary": "x", "created": "2025-01-15"})).issues
    assert issue.created == datetime(2025, 1, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("issue", "message"),
    [
        ({"summary": "x", "labels": []}, "issues[0]: unknown key 'labels' (known: summary, "),
        ({"description": "no summary"}, "issues[0]: missing 'summary'"),
        ({"summary": ""}, "issues[0]: summary must be a non-empty string"),
        ({"summary": "x" * 256}, "issues[0]: summary must be a non-empty string of at most 255"),
        ({"summary": "x", "status": "closed"}, "issues[0]: status must be open or resolved"),
        (
            {"summary": "x", "created": "last week"},
            "issues[0]: created must be a date or date-time",
        ),
        ({"summary": "x", "components": "Delta"}, "components must be a list of component names"),
        ({"summary": "x", "components": ["Nope"]}, "component 'Nope' is not a component of this"),
        (
            {"summary": "x", "assignee": "ghost"},
            "issues[0]: assignee 'ghost' is not a user of this",
        ),
        (
            {"summary": "x", "reporter": "ghost"},
            "issues[0]: reporter 'ghost' is not a user of this",
        ),
        ("just text", "issues[0] must be a mapping, not str"),
    ],
)
def test_mistakes_are_one_line(issue: Any, message: str) -> None:
    with pytest.raises(SeedError) as caught:
        load_seed(_seed(issue))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_errors_in_a_file_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(
        "users:\n  - {name: A, email: a@example.org}\nissues:\n  - summary: fine\n"
        "  - summary: bad\n    status: done\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match=r"seed\.yaml:5: issues\[1\]: status must be open"):
        load_seed(path)


def test_the_demo_seed_has_a_realistic_handful() -> None:
    issues = load_seed(None).issues
    assert len(issues) >= 8
    assert any(i.components for i in issues) and any(not i.components for i in issues)
    assert any(i.resolved for i in issues) and any(not i.resolved for i in issues)
    assert any(i.assignee is None for i in issues)
    assert len({i.created for i in issues}) == len(issues)
    assert all(i.reporter for i in issues)


def test_seeded_tickets_get_keys_in_order_and_ids_from_10000(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    try:
        store.seed_if_new(
            load_seed(
                _seed(
                    {"summary": "first", "components": ["Delta"], "assignee": "jdoe"},
                    {"summary": "second", "status": "resolved", "created": "2024-12-01"},
                )
            ),
            "cloud",
        )
        first, second = Tickets(store).all()
        assert (first.key, first.id, second.key, second.id) == ("ATS-1", 10000, "ATS-2", 10001)
        assert [c.name for c in first.components] == ["Delta"]
        assert first.assignee is not None and first.assignee.username == "jdoe"
        assert second.resolved and second.resolutiondate == second.created
        assert second.created == datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
        assert Tickets(store).get("ats-2") == second
        assert Tickets(store).get("10000") == first
        assert Tickets(store).get("ATS-3") is None and Tickets(store).get("XYZ-1") is None
        # reseeding starts the keys and ids again
        store.wipe_and_seed(load_seed(_seed({"summary": "again"})), "cloud")
        (again,) = Tickets(store).all()
        assert (again.key, again.id) == ("ATS-1", 10000)
    finally:
        store.close()


def test_a_state_file_from_before_tickets_gets_them_with_jiras_ids(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = Store(path)
    try:
        store.seed_if_new(load_seed(_seed()), "dc")
        # as a state file seeded before tickets existed: no id counters for them
        with store._write() as conn:
            conn.execute("DELETE FROM sqlite_sequence WHERE name IN ('issues', 'comments')")
        created = Tickets(store).create(
            summary="new",
            description=None,
            description_adf=None,
            component_ids=[],
            assignee=None,
            reporter=None,
        )
        assert (created.id, created.key) == (10000, "ATS-1")
        author = Tickets(store).users()[0]
        comment = Tickets(store).add_comment(created.id, author, "hi", None, public=True)
        assert comment.id == 10000
    finally:
        store.close()
