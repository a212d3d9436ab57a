"""Seeds: the demo directory, defaults, and one clear line naming file:line for each mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accessq.sandbox import DEMO_SEED, SeedError, load_seed
from tests.cli_support import run


def test_demo_seed_matches_its_promises() -> None:
    seed = load_seed(None)
    assert seed.project_key == "ATS"
    users = {u.username: u for u in seed.users}
    assert len(users) == 24  # 22 people of the site, a JSM customer and an app
    assert users["pnair"].email_hidden is True
    assert users["bcarter"].active is False
    kinds = {u.username: u.account_type for u in seed.users if u.account_type != "atlassian"}
    assert kinds == {"qm-portal-7731": "customer", "automation": "app"}
    customer = users["qm-portal-7731"]
    # Its display name is another person's email; its own email is nobody else's, and hidden.
    assert customer.name == users["jdoe"].email and customer.email_hidden
    emails = [u.email.lower() for u in seed.users]
    assert len(set(emails)) == len(emails)
    roles = {(a.login, a.token, a.pat, a.user, a.role) for a in seed.accounts}
    assert roles == {
        ("admin", "admin", "admin-pat", "accessq-bot", "admin"),
        ("viewer", "viewer", "viewer-pat", "viewer", "read-only"),
    }
    assert [c.name for c in seed.components] == ["General Support"]
    assert [q.name for q in seed.queues] == ["All open", "Assigned to me", "Unassigned issues"]
    assert load_seed(DEMO_SEED) == seed


def test_defaults_fill_what_a_seed_leaves_out() -> None:
    seed = load_seed({"users": [{"name": "Solo", "email": "Solo.One@example.org"}]})
    solo = seed.users[0]
    assert solo.username == "solo.one"
    assert solo.account_id.startswith("557058:")
    assert solo.active and not solo.email_hidden
    assert solo.account_type == "atlassian"
    assert seed.options.hidden_email_search == "exact"
    # no accounts given: admin/admin and read-only viewer/viewer, with users made for them
    assert [(a.login, a.role, a.pat) for a in seed.accounts] == [
        ("admin", "admin", "admin-pat"),
        ("viewer", "read-only", "viewer-pat"),
    ]
    assert {u.username for u in seed.users} == {"solo.one", "admin", "viewer"}
    assert load_seed({"queues": []}).queues == ()


def test_members_and_leads_resolve_by_username_account_id_or_email() -> None:
    seed = load_seed(
        {
            "users": [
                {"name": "A", "email": "a@example.org", "account_id": "acc-a", "username": "ua"}
            ],
            "groups": [{"name": "g", "members": ["ua", "acc-a", "A@example.org"]}],
            "components": [{"name": "c", "lead": "acc-a", "assignee_type": "component_lead"}],
        }
    )
    assert seed.groups[0].members == ("ua",)
    assert (seed.components[0].lead, seed.components[0].assignee_type) == ("ua", "COMPONENT_LEAD")


BAD_SEEDS = [
    ("users: [{name: X}\n", r"seed\.yaml:2: invalid YAML"),
    (
        "users:\n  - {name: X, email: x@example.org, mail: y}\n",
        r"seed\.yaml:2: users\[0\]: unknown key 'mail'",
    ),
    (
        "users:\n  - {name: X, email: not-an-email}\n",
        r"seed\.yaml:2: users\[0\]: 'not-an-email' is not",
    ),
    ("users: []\nusers: []\n", r"seed\.yaml:2: duplicate key 'users'"),
    (
        "groups:\n  - name: g\n    members: [ghost]\n",
        r"seed\.yaml:2: groups\[0\]: member 'ghost' is not a user",
    ),
    (
        "components:\n  - {name: c, assignee_type: NOBODY}\n",
        r"seed\.yaml:2: components\[0\]: assignee_type",
    ),
    (
        "accounts:\n  - {login: admin, token: t}\n",
        r"seed\.yaml:2: accounts\[0\]: user 'admin' is not",
    ),
    (
        "accounts:\n  - {login: admin, token: t, role: root}\n",
        r"seed\.yaml:2: accounts\[0\]: role must be admin or read-only, not 'root'$",
    ),
    ("project: {key: lower}\n", r"seed\.yaml:1: project key 'lower'"),
    (
        "users:\n  - {name: A, email: a@x.org}\n  - {name: B, email: a@y.org}\n",
        r"seed\.yaml:3: duplicate user username 'a'",
    ),
    (
        "users:\n  - {name: A, email: a@x.org, active: maybe}\n",
        r"seed\.yaml:2: users\[0\]: active must be",
    ),
    (
        "users:\n  - {name: A, email: a@x.org, account_type: robot}\n",
        r"seed\.yaml:2: users\[0\]: account_type must be one of atlassian, customer, app",
    ),
    ("options: {hidden_email_search: sometimes}\n", r"seed\.yaml:1: options: hidden_email_search"),
    ("options: {colour: blue}\n", r"seed\.yaml:1: options: unknown sandbox option"),
    ("options: [x]\n", r"seed\.yaml:1: options must be a mapping"),
    (
        "users:\n  - {name: A, email: a@x.org}\naccounts:\n  - {login: a, token: t, pat: t}\n",
        r"seed\.yaml:4: accounts\[0\]: pat must differ from token",
    ),
    (
        "users:\n  - {name: A, email: a@x.org}\n  - {name: B, email: b@x.org}\n"
        "accounts:\n  - {login: a, token: t, pat: p}\n  - {login: b, token: u, pat: p}\n",
        r"seed\.yaml:6: duplicate account pat 'p'",
    ),
    ("- just a list\n", r"seed\.yaml: the seed must be a mapping"),
    ("users: {}\n", r"seed\.yaml:1: users must be a list"),
]


# A wrong type, an unknown key and a duplicate in each section: the whole message, one line.
EVERY_SECTION = [
    ("colour: red\n", r"1: seed: unknown key 'colour' \(known: project, users, groups, .*\)"),
    ("project: ATS\n", r"1: project must be a mapping with key and name"),
    ("project: {key: [A]}\n", r"1: project: key must be a non-empty string"),
    ("project: {key: ATS, nmae: X}\n", r"1: project: unknown key 'nmae' \(known: key, name\)"),
    ("project: {name: X}\n", r"1: project: missing 'key'"),
    ("users:\n  - 5\n", r"1: users\[0\] must be a mapping, not int"),
    (
        'users:\n  - {name: A, email: a@x.org, active: "yes"}\n',
        r"2: users\[0\]: active must be true or false",
    ),
    (
        "users:\n  - {name: A, email: [a@x.org]}\n",
        r"2: users\[0\]: email must be a non-empty string",
    ),
    (
        "users:\n  - {name: '  ', email: a@x.org}\n",
        r"2: users\[0\]: name must be a non-empty string",
    ),
    (
        "users:\n  - {name: A, email: a@x.org, account_type: robot}\n",
        r"2: users\[0\]: account_type must be one of atlassian, customer, app, not 'robot'",
    ),
    (
        "users:\n  - {name: A, email: a@x.org}\n"
        "  - {name: B, email: A@x.org, username: b, account_id: b}\n",
        r"3: duplicate user email 'a@x.org'",
    ),
    (
        "groups:\n  - {name: g, colour: red}\n",
        r"2: groups\[0\]: unknown key 'colour' \(known: name, members, managed_by, children\)",
    ),
    (
        "groups:\n  - {name: g, members: jdoe}\n",
        r"2: groups\[0\]: members must be a list of usernames, account ids or emails",
    ),
    (
        "groups:\n  - {name: g, members: [[x]]}\n",
        r"2: groups\[0\]: members must be a list of usernames, account ids or emails",
    ),
    (
        "groups:\n  - {name: g, managed_by: okta}\n",
        r"2: groups\[0\]: managed_by must be one of jira, idp, not 'okta'",
    ),
    (
        "groups:\n  - {name: g, children: h}\n",
        r"2: groups\[0\]: children must be a list of group names",
    ),
    (
        "groups:\n  - {name: g, children: [h]}\n",
        r"2: groups\[0\]: child 'h' is not a group of this seed",
    ),
    ("groups:\n  - {name: g}\n  - {name: G}\n", r"3: duplicate group name 'g'"),
    ("components: {name: c}\n", r"1: components must be a list"),
    (
        "components:\n  - {name: c, description: [a]}\n",
        r"2: components\[0\]: description must be a string",
    ),
    (
        "components:\n  - {name: c, owner: x}\n",
        r"2: components\[0\]: unknown key 'owner' "
        r"\(known: name, description, lead, assignee_type\)",
    ),
    ("components:\n  - {name: c}\n  - {name: C}\n", r"3: duplicate component name 'c'"),
    ("accounts:\n  - {login: admin}\n", r"2: accounts\[0\]: missing 'token'"),
    (
        "accounts:\n  - {login: admin, token: t, password: x}\n",
        r"2: accounts\[0\]: unknown key 'password' \(known: login, token, user, role, pat\)",
    ),
    (
        "accounts:\n  - {login: admin, token: true}\n",
        r"2: accounts\[0\]: token must be a non-empty string",
    ),
    (
        "users:\n  - {name: A, email: a@x.org}\naccounts:\n  - {login: a, token: t}\n"
        "  - {login: A, token: u}\n",
        r"5: duplicate account login 'a'",
    ),
    ("queues: x\n", r"1: queues must be a list"),
    ("queues:\n  - {name: q}\n", r"2: queues\[0\]: missing 'jql'"),
    (
        "queues:\n  - {name: q, jql: x, fields: issuekey}\n",
        r"2: queues\[0\]: fields must be a list of field ids",
    ),
    (
        "queues:\n  - {name: q, jql: x, colour: red}\n",
        r"2: queues\[0\]: unknown key 'colour' \(known: name, jql, fields\)",
    ),
    ("queues:\n  - {name: q, jql: x}\n  - {name: Q, jql: y}\n", r"3: duplicate queue name 'q'"),
    (
        "options: {group_picker_limit: true}\n",
        r"1: options: group_picker_limit must be a whole number from 1 to 100000",
    ),
    ("issues: x\n", r"1: issues must be a list"),
    ("issues:\n  - {summary: [x]}\n", r"2: issues\[0\]: summary must be a non-empty string .*"),
    ("permission_scheme: [x]\n", r"1: permission_scheme must be a mapping, not list"),
]


@pytest.mark.parametrize(("text", "message"), EVERY_SECTION)
def test_every_section_checks_types_keys_and_duplicates(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    assert re.fullmatch(f"{re.escape(str(path))}:{message}", str(caught.value))


# One of each kind through the CLI: unknown key, wrong type, not a list item, duplicate, bad value.
THROUGH_THE_CLI = [
    case
    for case in EVERY_SECTION
    if case[0].startswith(
        ("colour", "project: {key: [", "users:\n  - 5", "groups:\n  - {name: g}", "options")
    )
]


@pytest.mark.parametrize(("text", "message"), THROUGH_THE_CLI)
def test_serve_with_a_bad_seed_says_one_line_and_makes_no_state(
    tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    db = tmp_path / "state" / "sandbox.sqlite"
    result = run(["sandbox", "serve", "--port", "0", "--db", str(db), "--seed", str(bad)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # not a crash
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert re.fullmatch(f"error: {re.escape(str(bad))}:{message}", line)
    assert not db.exists()


@pytest.mark.parametrize(("text", "message"), BAD_SEEDS)
def test_bad_seed_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError, match=message) as caught:
        load_seed(path)
    assert "\n" not in str(caught.value)


def test_bad_seed_dicts_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match=r"^seed: users\[1\]: missing 'name'$"):
        load_seed({"users": [{"name": "A", "email": "a@example.org"}, {"email": "b@example.org"}]})
    with pytest.raises(SeedError, match="seed file not found"):
        load_seed(tmp_path / "nope.yaml")
