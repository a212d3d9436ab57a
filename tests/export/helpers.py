"""A small hand-built live site, and planning an export against it without Jira."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from accessq.config.loader import load_config
from accessq.config.models import Config, JiraSettings
from accessq.jira.identity import resolve_directory
from accessq.model.naming import encode_description
from accessq.model.observed import (
    Account,
    Flavor,
    Observed,
    ObservedComponent,
    ObservedGroup,
    Target,
)
from accessq.plan.diff import diff
from accessq.plan.model import Plan

# Hypothesis text without lone surrogates: they are not UTF-8 encodable.
NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
TARGET = Target(url="https://access-ci.atlassian.net", flavor="cloud", project="ATS")
RUNNER = Account(
    key="bot",
    display_name="accessq automation",
    email="bot@access-ci.org",
    account_type="atlassian",
)


def person(key: str, name: str, email: str | None, *, active: bool = True) -> Account:
    return Account(key=key, display_name=name, email=email, active=active, account_type="atlassian")


JDOE = person("712020:jdoe", "Jane Doe", "jdoe@illinois.edu")
PNAIR = person("712020:pnair", "Priya Nair", None)  # the directory hides her email
LWEI = person("712020:lwei", "Li Wei", "lwei@psc.edu")
SOKAFOR = person("712020:sokafor", "Sam Okafor", "sokafor@psc.edu")
BCARTER = person("712020:bcarter", "Ben Carter", "bcarter@purdue.edu", active=False)
ADA = person("712020:ada", "Ada Lovelace", "alovelace@access-ci.org")
RAJ = person("712020:raj", "Raj Patel", "raj.patel@gmail.com")  # not a username email
OMAR = person("712020:omar", "Omar Haddad", "ohaddad@sdsc.edu")


def group(name: str, *members: Account) -> ObservedGroup:
    return ObservedGroup(name=name, members=tuple(sorted(members, key=lambda a: a.key)))


def managed(
    cid: str,
    name: str,
    description: str,
    keywords: tuple[str, ...] = (),
    *,
    lead: Account | None = None,
) -> ObservedComponent:
    return ObservedComponent(
        id=cid,
        name=name,
        description=encode_description(description, keywords),
        lead=None if lead is None else lead.model_copy(update={"email": None}),  # as Cloud says
        assignee_type="COMPONENT_LEAD" if lead else "PROJECT_DEFAULT",
    )


def small_site() -> Observed:
    """Two RP queues, one awardee queue, an adoptable component, one that is not, an orphan."""
    return Observed(
        target=TARGET,
        components=(
            managed(
                "10", "ACCESS-ACO-Support", "ACCESS Coordination Office", ("wiki", "cssn"), lead=ADA
            ),
            managed("11", "Bridges-2", "PSC Bridges-2"),
            managed("12", "Delta", "NCSA Delta (CPU and GPU)\n\nSee: https://delta.example.org"),
            ObservedComponent(id="13", name="General Support", description="Anything else."),
            ObservedComponent(id="14", name="Legacy-HPC", description="The old cluster"),
        ),
        groups=(
            group("ats-access-aco-support-updaters", ADA, RAJ),
            group("ats-bridges-2-agents", LWEI, SOKAFOR, BCARTER),
            group("ats-bridges-2-watchers", LWEI),
            group("ats-delta-agents", JDOE, PNAIR),
            group("ats-delta-watchers", JDOE, PNAIR),
            group("ats-legacy-hpc-agents", OMAR),
            group("ats-retired-agents", JDOE),
        ),
        runner=RUNNER,
    )


class FakeDirectory:
    """The user lookups `resolve_directory` makes, answered from the accounts given."""

    flavor: Flavor = "cloud"

    def __init__(self, accounts: list[Account]) -> None:
        self.accounts = {a.key: a for a in accounts}

    def all_users(self) -> Iterator[Account]:
        return iter(self.accounts.values())

    def search_users(self, text: str) -> list[Account]:
        return [a for a in self.accounts.values() if (a.email or "").casefold() == text.casefold()]

    def user(self, key: str) -> Account | None:
        return self.accounts.get(key)


def load_texts(files: dict[str, str], folder: Path) -> Config:
    """Write the export into `folder` and load it as `accessq plan` would; fail on any error."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    paths = [folder] if len(files) > 1 else [folder / next(iter(files))]
    result = load_config(paths)
    assert result.config is not None, [str(e) for e in result.errors]
    return result.config


def plan_of(config: Config, observed: Observed) -> Plan:
    """The plan of `config` against `observed`, people resolved as the reader resolves them."""
    seen = [m for g in observed.groups for m in g.members]
    seen += [c.lead for c in observed.components if c.lead is not None]
    if observed.runner is not None:
        seen.insert(0, observed.runner)
    found = resolve_directory(FakeDirectory(seen), config, seen=seen)
    update = {"directory": found.directory, "ambiguous": found.ambiguous}
    return diff(config, observed.model_copy(update=update))


def settings(**values: object) -> JiraSettings:
    return JiraSettings.model_validate(values)
