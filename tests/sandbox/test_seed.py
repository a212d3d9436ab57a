"""Seeds: the demo directory, defaults, and one clear line naming file:line for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessq.sandbox import DEMO_SEED, SeedError, load_seed


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
