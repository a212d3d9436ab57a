"""Configs and observed snapshots for the plan tests, built directly (no loader, no Jira)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    JiraSettings,
    Location,
    RPQueue,
    Updater,
)
from accessq.config.people import lookup_key
from accessq.model.naming import encode_description, jsm_queue_jql
from accessq.model.observed import (
    Account,
    Observed,
    ObservedComponent,
    ObservedGroup,
    ObservedJsmQueue,
    Target,
    TicketCounts,
)
from tests.people import DEMO_USERS

TARGET = Target(url="http://127.0.0.1:8080", flavor="cloud", project="ATS", sandbox=True)
FILE = "queues.yaml"


USERS = DEMO_USERS


def account(username: str) -> Account:
    """The Jira account of a demo-directory user (Cloud: keyed by accountId)."""
    user = USERS[username]
    return Account(
        key=str(user["account_id"]),
        display_name=str(user["name"]),
        email=None if user.get("email_hidden") else str(user["email"]),
        active=bool(user.get("active", True)),
        account_type=str(user.get("account_type", "atlassian")),  # TARGET is Cloud
    )


def at(line: int) -> Location:
    return Location(FILE, line, 7)


def contact(username: str, line: int = 1, *, by_id: bool = False) -> Contact:
    user = USERS[username]
    if by_id:
        return Contact(name=str(user["name"]), account_id=str(user["account_id"])).at(at(line))
    return Contact(name=str(user["name"]), email=str(user["email"])).at(at(line))


def updater(username: str, line: int = 1) -> Updater:
    return Updater(name=str(USERS[username]["name"]), username=username).at(at(line))


JIRA = JiraSettings(username_email="{username}@access.example.org", jsm_queues=True)


def directory(config: Config, usernames: list[str] | None = None) -> dict[str, Account]:
    """Lookup key -> account for every configured person the demo directory knows."""
    known = usernames if usernames is not None else list(USERS)
    by_email = {str(USERS[u]["email"]).casefold(): u for u in known}
    by_id = {str(USERS[u]["account_id"]): u for u in known}
    result: dict[str, Account] = {}
    for queue in config.queues:
        people = (
            [*queue.agents, *(queue.watchers or [])]
            if isinstance(queue, RPQueue)
            else queue.updaters
        )
        for person in people:
            key = lookup_key(person, config.jira)
            kind, _, value = key.partition(":")
            username = by_id.get(value) if kind == "account" else by_email.get(value)
            if username is not None:
                result[key] = account(username)
    return result


def managed(
    cid: str, name: str, description: str = "", keywords: tuple[str, ...] = (), **kw: Any
) -> ObservedComponent:
    kw.setdefault("tickets", TicketCounts())  # counted, as the reader does: no open tickets
    return ObservedComponent(
        id=cid, name=name, description=encode_description(description, keywords), **kw
    )


def group(name: str, *usernames: str) -> ObservedGroup:
    members = sorted((account(u) for u in usernames), key=lambda a: a.key)
    return ObservedGroup(name=name, members=tuple(members))


def view(vid: str, name: str, jql: str | None = None) -> ObservedJsmQueue:
    return ObservedJsmQueue(id=vid, name=name, jql=jql or jsm_queue_jql(name))


def everything() -> tuple[Config, Observed]:
    """A configuration and live state with every kind of change, errors and a conflict."""
    config = Config(
        version=1,
        jira=JIRA,
        rp_queues=[
            RPQueue(
                name="Anvil",
                description="Purdue Anvil",
                agents=[contact("pnair", 4, by_id=True), contact("jdoe", 5)],
            ).at(at(2)),
            RPQueue(
                name="Bridges-2",
                description="PSC Bridges-2",
                agents=[
                    contact("lwei", 9),
                    contact("bcarter", 10),
                    Contact(name="Nobody Known", email="nobody@psc.example.edu").at(at(11)),
                ],
                watchers=[contact("lwei", 13)],
            ).at(at(7)),
            RPQueue(
                name="Delta",
                description="NCSA Delta (CPU and GPU)",
                agents=[contact("jdoe", 17), contact("rpatel", 18)],
                watchers=[contact("jdoe", 20)],
            ).at(at(15)),
            RPQueue(
                name="General Support",
                agents=[contact("lwei", 24)],
            ).at(at(22)),
            RPQueue(
                name="Jetstream-2",
                description="Indiana University Jetstream2 cloud",
                previously=["IU-Jetstream"],
                # Priya hides her email: the one account an exact-email search finds.
                agents=[contact("mgarcia", 29), contact("tbecker", 30), contact("pnair", 31)],
            ).at(at(26)),
        ],
        awardee_queues=[
            AwardeeQueue(
                name="ACCESS-ACO-Support",
                description="ACCESS Coordination Office",
                updaters=[updater("alovelace", 35), updater("aturing", 36)],
                default_assignee="alovelace",
                keywords=["confluence", "access wiki"],
            ).at(at(33)),
            AwardeeQueue(
                name="ACCESS-CSSN-Support",
                description="Computational Science Support Network",
                updaters=[updater("edijkstra", 42), updater("bliskov", 43)],
                default_assignee="bliskov",
                keywords=["cssn", "community forum"],
            ).at(at(40)),
            AwardeeQueue(
                name="ACCESS-MATCH-Support",
                description="MATCH services",
                updaters=[updater("kjohnson", 49)],
                default_assignee="kjohnson",
            ).at(at(47)),
        ],
    )
    observed = Observed(
        target=TARGET,
        components=(
            ObservedComponent(id="10000", name="General Support", description="Anything else."),
            managed("10001", "Delta", "NCSA Delta"),
            managed("10002", "IU-Jetstream", "Indiana University Jetstream2 cloud"),
            managed(
                "10003",
                "ACCESS-CSSN-Support",
                "Computational Science Support Network",
                ("cssn",),
                lead=account("edijkstra"),
                assignee_type="COMPONENT_LEAD",
            ),
            managed(
                "10004",
                "ACCESS-MATCH-Support",
                "MATCH services",
                lead=account("kjohnson"),
                assignee_type="PROJECT_DEFAULT",
            ),
            managed("10005", "Old-Cluster", "Retired in 2025"),
            managed("10006", "Bridges-2", "PSC Bridges-2"),
        ),
        groups=(
            group("ats-delta-agents", "jdoe", "mgarcia"),
            group("ats-delta-watchers", "jdoe", "tbecker"),
            group("ats-iu-jetstream-agents", "mgarcia", "tbecker"),
            group("ats-iu-jetstream-watchers", "mgarcia"),
            group("ats-access-cssn-support-updaters", "edijkstra"),
            group("ats-access-match-support-updaters", "kjohnson"),
            group("ats-old-cluster-agents", "sokafor", "lwei"),
            group("ats-old-cluster-watchers", "sokafor"),
            group("ats-bridges-2-agents", "lwei"),
            group("ats-bridges-2-watchers", "lwei"),
            group("ats-stray-watchers", "ohaddad"),
        ),
        jsm_queues=(
            view("20", "All open", "resolution = Unresolved"),
            # A view accessq did not write, on a queue that is a conflict already.
            view("21", "General Support", 'component = "General Support"'),
            view("22", "IU-Jetstream"),
            view("23", "Old-Cluster"),
            view("24", "Bridges-2"),
        ),
        runner=account("accessq-bot"),
    )
    observed = observed.model_copy(update={"directory": directory(config)})
    return config, observed


NO_JSM = JiraSettings(username_email="{username}@access.example.org")


def config_of(*queues: RPQueue | AwardeeQueue, jira: JiraSettings = NO_JSM) -> Config:
    """A configuration of these queues (JSM views off unless `jira` says otherwise)."""
    return Config(
        version=1,
        jira=jira,
        rp_queues=[q for q in queues if isinstance(q, RPQueue)],
        awardee_queues=[q for q in queues if isinstance(q, AwardeeQueue)],
    )


def observed_of(
    config: Config,
    *components: ObservedComponent,
    groups: Iterable[ObservedGroup] = (),
    views: tuple[ObservedJsmQueue, ...] | None = None,
) -> Observed:
    """A live state with these objects, the config's people resolved, run as accessq-bot."""
    return Observed(
        target=TARGET,
        components=components,
        groups=tuple(groups),
        jsm_queues=views,
        directory=directory(config),
        runner=account("accessq-bot"),
    )
