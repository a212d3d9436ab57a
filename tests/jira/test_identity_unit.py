"""Identity resolution as a unit: which lookups happen, and which account an answer means."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    JiraSettings,
    Location,
    RPQueue,
    Updater,
)
from accessq.jira.identity import Ambiguous, pick_by_email, resolve_directory
from accessq.model.observed import Account, Flavor, looks_like_email


def staff(key: str, name: str, email: str | None, *, active: bool = True) -> Account:
    return Account(key=key, display_name=name, email=email, active=active, account_type="atlassian")


JANE = staff("a-jane", "Jane Doe", "jdoe@illinois.edu")
HIDDEN = staff("a-priya", "Priya Nair", None)
ADA = staff("a-ada", "Ada Lovelace", "alovelace@access-ci.org")
GONE = staff("a-ben", "Ben Carter", "bcarter@purdue.edu", active=False)
# A JSM portal customer picks their own display name: here, Priya's email.
POSER = Account(key="qm:poser", display_name="pnair@purdue.edu", account_type="customer")


class FakeDirectory:
    """Like Cloud: `user/search` matches email and display-name prefixes, active users only
    (hidden emails only exactly); `users/search` lists everyone, inactive included."""

    def __init__(self, users: list[Account], flavor: Flavor = "cloud") -> None:
        self.users = users
        self.flavor = flavor
        self.searches: list[str] = []
        self.lookups: list[str] = []
        self.all_users_reads = 0
        self._lock = threading.Lock()

    def search_users(self, text: str) -> list[Account]:
        with self._lock:
            self.searches.append(text)
        folded = text.casefold()
        return [
            u
            for u in self.users
            if (u.active or self.flavor == "dc")
            and (
                (u.email and u.email.casefold().startswith(folded))
                or u.display_name.casefold().startswith(folded)
                or (u is HIDDEN and folded == "pnair@purdue.edu")
            )
        ]

    def user(self, key: str) -> Account | None:
        with self._lock:
            self.lookups.append(key)
        return next((u for u in self.users if u.key == key), None)

    def all_users(self) -> Iterator[Account]:
        with self._lock:
            self.all_users_reads += 1
        return iter(self.users)


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
    found = resolve_directory(gateway, config(), seen=[JANE, ADA, JANE])
    assert found.directory["email:jdoe@illinois.edu"] == JANE
    assert found.directory["email:alovelace@access-ci.org"] == ADA
    assert found.directory["account:a-jane"] == JANE  # the override, answered by the seen member
    # Only people nobody has seen are searched, each once (Jane is named twice).
    assert sorted(gateway.searches) == [
        "bcarter@purdue.edu",
        "nobody@nowhere.org",
        "pnair@purdue.edu",
    ]
    assert gateway.lookups == []


def test_searches_resolve_hidden_and_skip_the_unknown() -> None:
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    found = resolve_directory(gateway, config(), concurrency=3)
    assert found.directory["email:pnair@purdue.edu"] == HIDDEN
    assert "email:nobody@nowhere.org" not in found.directory
    assert gateway.lookups == ["a-jane"]


def test_cloud_finds_a_deactivated_person_the_search_skips_in_one_pass_over_all_users() -> None:
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    found = resolve_directory(gateway, config())
    # Cloud's user/search leaves Ben out; the pass over every account finds him, inactive.
    assert found.directory["email:bcarter@purdue.edu"] == GONE
    assert gateway.all_users_reads == 1  # one pass for Ben and Nobody together
    assert "email:nobody@nowhere.org" not in found.directory


def test_no_pass_over_all_users_when_everyone_is_found_or_seen() -> None:
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    cfg = config()
    cfg.rp_queues[0].agents = cfg.rp_queues[0].agents[:2]
    resolve_directory(gateway, cfg)
    assert gateway.all_users_reads == 0
    # Ben seen (deactivated) in a managed group needs no search and no pass either.
    cfg = config()
    del cfg.rp_queues[0].agents[2]
    resolve_directory(gateway, cfg, seen=[GONE])
    assert gateway.all_users_reads == 0
    assert "bcarter@purdue.edu" not in gateway.searches


def test_data_center_search_includes_the_inactive_and_needs_no_pass() -> None:
    dc = [a.model_copy(update={"account_type": None}) for a in (JANE, ADA, GONE)]
    gateway = FakeDirectory(dc, flavor="dc")
    found = resolve_directory(gateway, config())
    assert found.directory["email:bcarter@purdue.edu"].active is False
    assert gateway.all_users_reads == 0


def test_a_display_name_posing_as_an_email_never_wins_nor_hides_the_person() -> None:
    # Priya hides her email; the poser's display name is her email. Search matches only display
    # names and emails, so Priya (named otherwise) is there for her email: she is taken, and the
    # poser cannot make her ambiguous.
    found = resolve_directory(FakeDirectory([JANE, HIDDEN, POSER]), config())
    assert found.directory["email:pnair@purdue.edu"] == HIDDEN
    # Alone, the poser is never taken for her: an error that asks for the account_id.
    found = resolve_directory(FakeDirectory([JANE, POSER]), config())
    assert "email:pnair@purdue.edu" not in found.directory
    assert found.ambiguous["email:pnair@purdue.edu"] == (POSER,)


def test_a_visible_exact_email_wins_over_a_display_name_prefix() -> None:
    poser = Account(key="qm:x", display_name="jdoe@illinois.edu", account_type="customer")
    assert pick_by_email("jdoe@illinois.edu", [poser, JANE], "cloud") == JANE


def test_a_seen_customer_answers_no_email_without_a_search() -> None:
    # A portal customer showing Jane's email sits in a managed group: the search still runs and
    # finds Jane's staff account.
    portal = Account(
        key="qm:jane", display_name="Jane Doe", email="jdoe@illinois.edu", account_type="customer"
    )
    gateway = FakeDirectory([JANE, portal, HIDDEN, ADA])
    found = resolve_directory(gateway, config(), seen=[portal, ADA])
    assert "jdoe@illinois.edu" in gateway.searches
    assert found.directory["email:jdoe@illinois.edu"] == JANE


def test_a_seen_account_without_its_type_is_looked_up_whole() -> None:
    # A component lead as an older Cloud might embed it: no accountType, no email.
    brief = Account(key="a-jane", display_name="Jane Doe")
    gateway = FakeDirectory([JANE, HIDDEN, ADA, GONE])
    found = resolve_directory(gateway, config(), seen=[brief])
    assert gateway.lookups == ["a-jane"]
    assert found.directory["account:a-jane"] == JANE


def test_pick_by_email() -> None:
    assert pick_by_email("JDOE@illinois.edu", [JANE], "cloud") == JANE
    # A prefix match on somebody else is not an exact hit.
    longer = staff("x", "X", "jdoe@illinois.edu.au")
    assert pick_by_email("jdoe@illinois.edu", [longer], "cloud") is None
    assert pick_by_email("jdoe@illinois.edu", [longer, JANE], "cloud") == JANE
    # A single hit with a hidden email is the person; two hidden hits are ambiguous.
    assert pick_by_email("pnair@purdue.edu", [HIDDEN], "cloud") == HIDDEN
    other = staff("y", "Y", None)
    assert pick_by_email("pnair@purdue.edu", [HIDDEN, other], "cloud") == Ambiguous((HIDDEN, other))
    # Named like an email: set aside, whether alone, beside the person or beside two.
    assert pick_by_email("pnair@purdue.edu", [POSER, HIDDEN], "cloud") == HIDDEN
    assert pick_by_email("pnair@purdue.edu", [POSER], "cloud") == Ambiguous((POSER,))
    both = Ambiguous((HIDDEN, other))
    assert pick_by_email("pnair@purdue.edu", [POSER, HIDDEN, other], "cloud") == both
    # Data Center hides no email: an account without one is nobody's match.
    assert pick_by_email("pnair@purdue.edu", [HIDDEN], "dc") is None
    # Two accounts with the same email: the one active staff account; else ambiguous.
    old = staff("old", "Old", "jdoe@illinois.edu", active=False)
    assert pick_by_email("jdoe@illinois.edu", [old, JANE], "cloud") == JANE
    twin = staff("twin", "Twin", "jdoe@illinois.edu")
    assert isinstance(pick_by_email("jdoe@illinois.edu", [twin, JANE], "cloud"), Ambiguous)


@pytest.mark.parametrize(
    ("name", "shaped"),
    [
        ("pnair@purdue.edu", True),
        ("pnair@purdue.edu (Priya Nair)", True),
        ("pnair\uff20purdue.edu", True),  # a full-width at sign
        ("Priya Nair", False),
        ("", False),
    ],
)
def test_looks_like_email(name: str, shaped: bool) -> None:
    assert looks_like_email(name) is shaped
