"""A sandbox seed and a queue configuration that exercise the live side.

Demo people (accessq/sandbox/demo_seed.yaml) plus 120 generated staff, so one group pages past 50
members. Priya Nair hides her email (Cloud), Ben Carter is deactivated.
"""

from __future__ import annotations

from typing import Any

from accessq.config.models import AwardeeQueue, Config, Contact, JiraSettings, RPQueue, Updater
from accessq.model.naming import encode_description
from tests.people import demo_seed

BIG = 120
ACCESS_EMAIL = "{username}@access.example.org"
GHOPPER = {"cloud": "712020:8ca1c094-e77c", "dc": "ghopper"}


def staff(i: int) -> dict[str, str]:
    return {
        "name": f"Staff Member {i:03d}",
        "email": f"staff{i:03d}@big.example.edu",
        "account_id": f"712020:big-{i:03d}",
        "username": f"staff{i:03d}",
    }


def seed() -> dict[str, Any]:
    demo = demo_seed()
    return {
        "users": [*demo["users"], *(staff(i) for i in range(BIG))],
        "accounts": demo["accounts"],
        "components": [
            *demo["components"],
            {"name": "Delta", "description": encode_description("NCSA Delta")},
            {
                "name": "ACCESS-ACO-Support",
                "description": encode_description("ACO", ["confluence", "access wiki"]),
                "lead": "alovelace",
                "assignee_type": "COMPONENT_LEAD",
            },
            {"name": "Big", "description": encode_description("")},
        ],
        "groups": [
            {"name": "ats-delta-agents", "members": ["jdoe", "rpatel", "pnair", "bcarter"]},
            {"name": "ats-delta-watchers", "members": ["jdoe"]},
            {"name": "ats-access-aco-support-updaters", "members": ["alovelace"]},
            {"name": "ats-big-agents", "members": [f"staff{i:03d}" for i in range(BIG)]},
            {"name": "ats-big-watchers", "members": []},
            # A queue deleted from the configuration leaves its group behind: still read.
            {"name": "ats-retired-agents", "members": ["lwei"]},
            # Not accessq's: the prefix without a role suffix, or another prefix.
            {"name": "ats-admins", "members": ["accessq-bot"]},
            {"name": "jira-servicedesk-users", "members": ["jdoe"]},
        ],
    }


def config(flavor: str) -> Config:
    return Config(
        version=1,
        jira=JiraSettings(username_email=ACCESS_EMAIL),
        rp_queues=[
            RPQueue(
                name="Delta",
                agents=[
                    Contact(name="Jane Doe", email="JDoe@Illinois.example.edu"),
                    Contact(name="Raj Patel", email="rpatel@illinois.example.edu"),
                    Contact(name="Priya Nair", email="pnair@purdue.example.edu"),
                    Contact(name="Ben Carter", email="bcarter@purdue.example.edu"),
                ],
                watchers=[
                    Contact(name="Jane Doe", email="jdoe@illinois.example.edu"),
                    Contact(name="Maria Garcia", email="mgarcia@iu.example.edu"),
                    Contact(name="Nobody", email="nobody@nowhere.example.org"),
                ],
            ),
            RPQueue(name="Big", agents=[Contact(**_contact(staff(i))) for i in range(BIG)]),
        ],
        awardee_queues=[
            AwardeeQueue(
                name="ACCESS-ACO-Support",
                updaters=[
                    Updater(name="Ada Lovelace", username="alovelace"),
                    Updater(name="Alan Turing", username="aturing"),
                    Updater(name="Grace Hopper", account_id=GHOPPER[flavor]),
                ],
                default_assignee="alovelace",
                keywords=["confluence", "access wiki"],
            )
        ],
    )


def _contact(user: dict[str, str]) -> dict[str, str]:
    return {"name": user["name"], "email": user["email"]}
