"""Identity resolution as a unit: which lookups happen, and how an exact-email hit is chosen."""

from __future__ import annotations

import threading

from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    JiraSettings,
    Location,
    RPQueue,
    Updater,
)
from accessq.jira.identity import pick_by_email, resolve_directory, unresolved
from accessq.model.observed import Account

JANE = Account(key="a-jane", display_name="Jane Doe", email="jdoe@illinois.edu")
HIDDEN = Account(key="a-priya", display_name="Priya Nair", email=None)
ADA = Account(key="a-ada", display_name="Ada Lovelace", email="alovelace@access-ci.org")
GONE = Account(key="a-ben", display_name="Ben Carter", email="bcarter@purdue.edu", active=False)


class FakeDirectory:
    def __init__(self, users: list[Account]) -> None:
        self.users = users
        self.searches: list[str] = []
        self.lookups: list[str] = []
        self._lock = threading.Lock()

    def search_users(self, text: str) -> list[Account]:
        with self._lock:
            self.searches.append(text)
        folded = text.casefold()
        # Like Jira: prefix match on email or display name; hidden emails still match exactly.
        return [
            u
            for u in self.users
            if (u.email and u.email.casefold().startswith(folded))
            or (u is HIDDEN and folded == "pnair@purdue.edu")
        ]

    def user(self, key: str) -> Account | None:
        with self._lock:
            self.lookups.append(key)
        return next((u for u in self.users if u.key == key), None)


def config() -> Config:
    at = Location("queues.yaml", 7)
    return Config(
        version=1,
        jira=JiraSettings(username_email="{username}@access-ci.org"),
        rp_queues=[
            RPQueue(
                name="Delta",
                agents=[
                    Contact(name="Jane Doe", email="JDoe@Illinois.edu").at(at),
                    Contact(name="Priya Nair", email="pnair@purdue.edu"),
                    Contact(name="Nobody", email="nobody@nowhere.org").at(Location("q.yaml", 9)),
                    Contact(name="Ben Carter", email="bcarter@purdue.edu"),
                ],
                watchers=[Contact(name="Jane Doe", email="jdoe@illinois.edu")],
            )
        ],
        awardee_queues=[
            AwardeeQueue(
                name="ACO",
                updaters=[
                    Updater(name="Ada Lovelace", username="alovelace"),
                    Updater(name="Pinned", username="pinned", account_id="a-jane"),
                ],
            )
        ],
    )


def test_people_seen_in_groups_need_no_search() -> None:
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    directory = resolve_directory(gateway, config(), seen=[JANE, ADA])
    assert directory["email:jdoe@illinois.edu"] == JANE
    assert directory["email:alovelace@access-ci.org"] == ADA
    assert directory["account:a-jane"] == JANE  # the override, answered by the seen member
    # Only people nobody has seen are searched, each once (Jane is named twice).
    assert sorted(gateway.searches) == [
        "bcarter@purdue.edu",
        "nobody@nowhere.org",
        "pnair@purdue.edu",
    ]
    assert gateway.lookups == []


def test_searches_resolve_hidden_and_inactive_and_skip_the_unknown() -> None:
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    directory = resolve_directory(gateway, config(), concurrency=3)
    assert directory["email:pnair@purdue.edu"] == HIDDEN
    assert directory["email:bcarter@purdue.edu"] == GONE  # inactive accounts are kept
    assert "email:nobody@nowhere.org" not in directory
    assert gateway.lookups == ["a-jane"]


def test_unresolved_and_inactive_people_are_reported_with_their_place() -> None:
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    cfg = config()
    messages = [str(d) for d in unresolved(cfg, resolve_directory(gateway, cfg))]
    assert (
        "q.yaml:9:1: error: queue Delta, agents: no Jira account for Nobody (nobody@nowhere.org)"
        in messages
    )
    assert any("Ben Carter (bcarter@purdue.edu) is deactivated" in m for m in messages)
    assert len(messages) == 2


def test_pick_by_email() -> None:
    assert pick_by_email("JDOE@illinois.edu", [JANE]) == JANE
    # A prefix match on somebody else is not an exact hit.
    longer = Account(key="x", email="jdoe@illinois.edu.au")
    assert pick_by_email("jdoe@illinois.edu", [longer]) is None
    assert pick_by_email("jdoe@illinois.edu", [longer, JANE]) == JANE
    # A single hit with a hidden email is the person; two hidden hits are ambiguous.
    assert pick_by_email("pnair@purdue.edu", [HIDDEN]) == HIDDEN
    assert pick_by_email("pnair@purdue.edu", [HIDDEN, Account(key="y")]) is None
    # Two accounts with the same email: the one active account.
    old = Account(key="old", email="jdoe@illinois.edu", active=False)
    assert pick_by_email("jdoe@illinois.edu", [old, JANE]) == JANE
