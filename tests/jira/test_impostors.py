"""Who an email names when someone else's display name is that email address.

A JSM portal customer (or anyone) can choose a display name; Cloud's user search matches display
name prefixes, so an exact-email search for a person whose email is hidden can also return an
account whose display name *is* that email. Such an account is never taken for the person and
never hides them (`identity.pick_by_email`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accessq.config.loader import load_config_or_raise
from accessq.jira.identity import resolve_directory
from tests.conftest import MakeSandbox
from tests.jira.conftest import connect
from tests.people import demo_seed

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "queues.yaml"
PRIYA = "712020:ac5c6aa8-0aec"  # the demo seed's person with a hidden email
IMPOSTOR = "qm:00000000-0000-4000-8000-000000000001:000000000000000000000001"


def _seed_with_impostor() -> dict[str, Any]:
    seed = demo_seed()
    seed["users"].append(
        {
            "name": "pnair@purdue.example.edu",  # Priya's address, as a display name
            "email": "someone@mailbox.example.net",
            "email_hidden": True,
            "account_id": IMPOSTOR,
            "account_type": "customer",
        }
    )
    return seed


def _priya(make_sandbox: MakeSandbox, mode: str) -> str | None:
    sandbox = make_sandbox("cloud", _seed_with_impostor(), options={"hidden_email_search": mode})
    with connect(sandbox) as gateway:
        found = resolve_directory(gateway, load_config_or_raise([EXAMPLE])).directory.get(
            "email:pnair@purdue.example.edu"
        )
    return None if found is None else found.key


def test_an_impostor_is_never_taken_for_the_person(make_sandbox: MakeSandbox) -> None:
    # Hidden emails not searchable: only the impostor answers, and it is not taken.
    assert _priya(make_sandbox, "never") is None


def test_an_impostor_does_not_hide_the_person(make_sandbox: MakeSandbox) -> None:
    assert _priya(make_sandbox, "exact") == PRIYA
