"""The seed's access sections: the demo's values, defaults, and one line naming file:line for
each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessq.sandbox import SeedError, load_seed
from accessq.sandbox.access import Access, IssueFacts
from accessq.sandbox.rows import Group, Project, User
from accessq.sandbox.schemes import AccessSnapshot, AppRole, Entry, ProjectRole, RoleActor, Scheme
from accessq.sandbox.seed_schemes import SeedEntry


def test_the_demo_seed_is_the_recommended_setup_with_one_unlicensed_agent() -> None:
    access = load_seed(None).access
    assert access is not None
    fields = {f.name: f.id for f in access.custom_fields}
    assert set(fields) == {"Queue agents", "Queue updaters", "Queue watchers"}
    grants = set(access.permission_scheme.entries)
    updaters = fields["Queue updaters"]
    for permission in ("EDIT_ISSUES", "ASSIGN_ISSUES", "ASSIGNABLE_USER", "TRANSITION_ISSUES"):
        assert SeedEntry(permission, "groupCustomField", updaters) in grants
    for field in fields.values():
        assert SeedEntry("BROWSE_PROJECTS", "groupCustomField", field) in grants
    assert SeedEntry("BROWSE_PROJECTS", "projectRole", "10100") in grants  # JSM's, kept
    notified = {
        e.subject
        for e in access.notification_scheme.entries
        if (e.type, e.parameter) == ("GroupCustomField", fields["Queue watchers"])
    }
    assert notified == {"1", "3", "4", "5", "6", "7"}
    desk = next(a for a in access.app_roles if a.key == "jira-servicedesk")
    assert desk.groups == ("jira-servicedesk-users",) and desk.seats == 25
    seed = load_seed(None)
    licensed = next(g for g in seed.groups if g.name == "jira-servicedesk-users").members
    assert "tbecker" not in licensed and "mgarcia" in licensed


def test_site_groups_stay_when_a_seed_replaces_its_groups() -> None:
    seed = load_seed(
        {
            "groups": [{"name": "ats-delta-agents"}],
            "site_groups": [{"name": "jira-software-users", "members": ["admin", "ADMIN"]}],
            "application_roles": [{"key": "jira-software", "groups": ["jira-software-users"]}],
        }
    )
    assert [(g.name, g.members) for g in seed.groups] == [
        ("ats-delta-agents", ()),
        ("jira-software-users", ("admin",)),
    ]
    replaced = load_seed(
        {
            "users": [{"name": "A", "email": "a@example.org"}],
            "groups": [{"name": "g", "members": ["a"]}],
            "site_groups": [{"name": "G", "members": ["viewer"]}, {"name": "h"}],
        }
    )
    assert [(g.name, g.members) for g in replaced.groups] == [("g", ("a",)), ("h", ())]
    with pytest.raises(SeedError, match=r"site_groups\[1\]: duplicate group name 'h'"):
        load_seed({"site_groups": [{"name": "h"}, {"name": "H"}]})


def test_grants_revoke_and_bases() -> None:
    seed = load_seed(
        {
            "groups": [{"name": "ats-delta-agents"}],
            "permission_scheme": {
                "name": "S",
                "base": "jsm-default",
                "grants": {"BROWSE_PROJECTS": ["group:ATS-DELTA-AGENTS", "applicationRole"]},
                "revoke": {"BROWSE_PROJECTS": ["sd.customer.portal.only"]},
            },
            "notification_scheme": {"name": "N", "base": "none", "events": {"13": ["Reporter"]}},
        }
    )
    assert seed.access is not None
    entries = seed.access.permission_scheme.entries
    assert SeedEntry("BROWSE_PROJECTS", "group", "ats-delta-agents") in entries
    assert SeedEntry("BROWSE_PROJECTS", "applicationRole") in entries
    assert SeedEntry("BROWSE_PROJECTS", "sd.customer.portal.only") not in entries
    assert SeedEntry("CREATE_ISSUES", "sd.customer.portal.only") in entries
    assert seed.access.notification_scheme.entries == (SeedEntry("13", "Reporter"),)
    bare = load_seed({"permission_scheme": {"name": "Empty", "base": "none"}})
    assert bare.access is not None and bare.access.permission_scheme.entries == ()


BAD = [
    (
        "permission_scheme:\n  name: S\n  grant: {}\n",
        r"seed\.yaml:2: permission_scheme: unknown key 'grant' \(known: id, name, description",
    ),
    (
        "permission_scheme: {name: S, grants: {BROWSE_PROJECTS: [groupe:x]}}\n",
        r"seed\.yaml:1: permission_scheme: grants\.BROWSE_PROJECTS: 'groupe:x': unknown holder",
    ),
    (
        "permission_scheme: {name: S, grants: {BROWSE_PROJECTS: [group:ghosts]}}\n",
        r"seed\.yaml:1: permission_scheme: grants\.BROWSE_PROJECTS: group 'ghosts' is not in",
    ),
    (
        "permission_scheme: {name: S, grants: {BROWSE_PROJECTS: [group]}}\n",
        r"group needs a group: group:<group>",
    ),
    (
        "permission_scheme: {name: S, grants: {BROWSE_PROJECTS: [reporter:x]}}\n",
        r"reporter takes no parameter",
    ),
    (
        "permission_scheme: {name: S, grants: {BROWSE: [anyone]}}\n",
        r"grants: 'BROWSE' is not a project permission",
    ),
    (
        "permission_scheme: {name: S, grants: {ADMINISTER: [anyone]}}\n",
        r"'ADMINISTER' is not a project permission \(a global permission\)",
    ),
    (
        "permission_scheme: {name: S, revoke: {BROWSE_PROJECTS: [anyone]}}\n",
        r"revoke\.BROWSE_PROJECTS: the base 'jsm-default' has no such grant",
    ),
    (
        "permission_scheme: {name: S, base: copy}\n",
        r"seed\.yaml:1: permission_scheme\.base: must be one of 'jsm-default' or 'none', not",
    ),
    (
        "custom_fields: [{name: Queue agents, type: userpicker}]\n"
        "permission_scheme: {name: S, grants: {ADD_COMMENTS: ['groupCustomField:Queue agents']}}\n",
        r"groupCustomField needs a group picker field; 'Queue agents' is a userpicker",
    ),
    (
        "permission_scheme: {name: S, grants: {BROWSE_PROJECTS: ['projectRole:Developers']}}\n",
        r"'Developers' is not a project role of this seed",
    ),
    (
        "project_roles: [{name: Team}]\n",
        r"permission_scheme: base 'jsm-default' grants to the project roles Administrators",
    ),
    (
        "custom_fields:\n  - {id: cf_1, name: X, type: grouppicker}\n",
        r"seed\.yaml:2: custom_fields\[0\]: id must look like customfield_10200",
    ),
    (
        "custom_fields:\n  - {name: X, type: select}\n",
        r"seed\.yaml:2: custom_fields\[0\]\.type: must be one of 'grouppicker'",
    ),
    (
        "notification_scheme: {name: N, events: {Issue Eaten: [Reporter]}}\n",
        r"notification_scheme: events: 'Issue Eaten' is not an event",
    ),
    (
        "notification_scheme: {name: N, events: {Issue Created: [Watchers]}}\n",
        r"events\.Issue Created: 'Watchers': unknown recipient type",
    ),
    (
        "notification_scheme: {name: N, events: {1: ['EmailAddress:nope']}}\n",
        r"'nope' is not an email address",
    ),
    (
        "notification_scheme: {name: N, base: none, remove: {1: [Reporter]}}\n",
        r"remove\.Issue Created: the base 'none' has no such notification",
    ),
    (
        "global_permissions: {USER_PICKER: ['projectRole:Administrators']}\n",
        r"USER_PICKER: 'projectRole:Administrators': global permissions are granted to group,",
    ),
    (
        "global_permissions: {BROWSE_PROJECTS: [anyone]}\n",
        r"'BROWSE_PROJECTS' is not a global permission",
    ),
    (
        "application_roles:\n  - {key: jira-servicedesk, groups: [nope]}\n",
        r"seed\.yaml:2: application_roles\[0\]: group 'nope' is not in the seed's groups",
    ),
    (
        "application_roles:\n  - {key: jira-servicedesk, seats: -1}\n",
        r"seed\.yaml:2: application_roles\[0\]\.seats: input should be greater than or equal to 0",
    ),
    (
        "application_roles:\n  - {key: a}\n  - {key: a}\n",
        r"seed\.yaml:3: application_roles\[1\]: duplicate key 'a'",
    ),
    (
        "project_roles:\n  - {name: A, users: [ghost]}\n",
        r"seed\.yaml:2: project_roles\[0\]: 'ghost' is not a user of this seed",
    ),
    (
        "project_roles:\n  - {name: A, id: 5}\n  - {name: a}\n",
        r"seed\.yaml:3: project_roles\[1\]: duplicate name 'a'",
    ),
    ("project_roles: {name: A}\n", r"seed\.yaml:1: project_roles: input should be a valid list"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_access_sections_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError, match=message) as caught:
        load_seed(path)
    assert "\n" not in str(caught.value)


def test_bad_access_in_seed_dicts() -> None:
    with pytest.raises(SeedError, match=r"^seed: permission_scheme: missing 'name'$"):
        load_seed({"permission_scheme": {"grants": {}}})


# -- ticket-dependent holders ---------------------------------------------------------------------


def _user(pk: int, active: bool = True) -> User:
    return User(pk, f"acc-{pk}", f"u{pk}", f"User {pk}", f"u{pk}@example.org", active, False, "UTC")


def test_ticket_dependent_holders_count_on_a_ticket_never_for_a_new_one() -> None:
    agents = Group(1, "g-1", "ats-delta-agents")
    field = "customfield_10200"
    grants = (
        Entry(1, "BROWSE_PROJECTS", "groupCustomField", field, None, None),
        Entry(2, "EDIT_ISSUES", "assignee", None, None, None),
        Entry(3, "CREATE_ISSUES", "reporter", None, None, None),
        Entry(4, "ASSIGNABLE_USER", "projectRole", "7", None, None),
    )
    jane, tom, other = _user(1), _user(2), _user(3)
    role = ProjectRole(7, "Team", "", (RoleActor(1, None, agents),))
    licensed = AppRole("jira-servicedesk", "JSM", None, False, (), (), frozenset({1, 2, 3}))
    snap = AccessSnapshot(
        app_roles=(licensed,),
        roles=(role,),
        permission_scheme=Scheme("permission", 1, "S", "", grants),
        memberships={1: frozenset({1}), 2: frozenset({1})},
    )
    project = Project(10000, "ATS", "ATS", None, 1)
    ticket = IssueFacts(reporter=3, assignee=2, field_groups={field: frozenset({1})})
    access = Access(snap, project, [ticket])
    assert access.project_permissions(jane) == {
        "BROWSE_PROJECTS",
        "CREATE_ISSUES",
        "ASSIGNABLE_USER",
    }
    assert access.project_permissions(tom) >= {"BROWSE_PROJECTS", "EDIT_ISSUES"}
    assert access.project_permissions(other) == {"CREATE_ISSUES"}
    assert access.project_permissions(jane, new_issue=True) == {"ASSIGNABLE_USER"}
    assert Access(snap, project).project_permissions(jane) == {"CREATE_ISSUES", "ASSIGNABLE_USER"}
    assert access.project_permissions(_user(1, active=False)) == frozenset()
