"""What `accessq export` writes, decided from the observed Jira: one record per queue.

Ownership is the plan's own (`plan.ownership.partition` with no queues configured), so whatever is
exported as managed is exactly what a plan of the export sees as managed. Every choice aims at a
plan of the export showing no changes; where the live state cannot be written so (a deactivated
member, a keyword or alias claimed twice, groups without a component), the record carries a note
saying what a plan will still change, and the YAML shows it as a comment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from accessq.config.models import USERNAME_PATTERN, Config, JiraSettings, Role, is_email
from accessq.config.naming import group_name, slug
from accessq.config.text import (
    cleaned,
    fold,
    has_letter_or_digit,
    nfc,
    problem,
    route_tokens,
    visible,
)
from accessq.model.naming import (
    LEAD_ASSIGNEE,
    decode_description,
    encode_description,
    jsm_queue_jql,
    parse_group_name,
)
from accessq.model.observed import Account, Observed, ObservedComponent, ObservedGroup, Target
from accessq.plan.ownership import Slot, partition

Kind = Literal["rp", "awardee"]
MAX_NAME = 255  # Jira's component name limit, and the language's
_USERNAME = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True)
class Person:
    """One member as the language names them: by email, username or account_id (one of them)."""

    key: str  # the Jira account key, to compare lists and find the default assignee
    name: str
    email: str | None = None
    username: str | None = None
    account_id: str | None = None

    @property
    def handle(self) -> str:
        """How `default_assignee` names this updater."""
        return self.username or self.account_id or self.key


@dataclass
class ExportedQueue:
    kind: Kind
    name: str
    description: str = ""
    adopt: bool = False
    agents: list[Person] = field(default_factory=list)
    watchers: list[Person] | None = None  # None: the same as the agents (key omitted)
    updaters: list[Person] = field(default_factory=list)
    default_assignee: str | None = None
    keywords: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a plan of the export still changes

    @property
    def slug(self) -> str:
        return slug(self.name)


@dataclass
class Export:
    target: Target
    jira: JiraSettings
    queues: list[ExportedQueue]  # sorted by name, ignoring case
    notes: list[str] = field(default_factory=list)  # about the site, not one queue


def collect(observed: Observed, jira: JiraSettings, *, adopt: bool) -> Export:
    """The queues to export: every managed queue, and with `adopt` the unmanaged look-alikes."""
    return _Collector(observed, jira).run(adopt=adopt)


def username_of(email: str, template: str) -> str | None:
    """The ACCESS username whose `username_email` is this email, or None (case-insensitive)."""
    literal = template.split("{username}")
    pattern = re.escape(literal[0]) + r"(?P<u>[A-Za-z0-9][A-Za-z0-9._-]*)"
    pattern += "".join(re.escape(part) + r"(?P=u)" for part in literal[1:-1])
    pattern += re.escape(literal[-1])
    found = re.fullmatch(pattern, email, flags=re.IGNORECASE)
    if found is None:
        return None
    username = found.group("u")
    same = template.replace("{username}", username).casefold() == email.casefold()
    return username if same and _USERNAME.fullmatch(username) else None


def _quoted(text: str) -> str:
    """Jira's text in a note: one line, anything hidden shown as its code."""
    return '"' + " ".join(visible(text, limit=None).split()).replace('"', "'") + '"'


class _Collector:
    def __init__(self, observed: Observed, jira: JiraSettings) -> None:
        self.observed = observed
        self.jira = jira
        self.prefix = jira.group_prefix
        self.notes: list[str] = []
        # An email two accounts share cannot name either of them: those go by account_id.
        holders = {(a.key, a.email.casefold()) for a in self._accounts() if a.email}
        emails = Counter(email for _, email in holders)
        self.shared = {email for email, n in emails.items() if n > 1}
        self.names: set[str] = set()  # names and slugs taken, to keep the export valid
        # A routing term's form (RP queue name, alias, keyword; as validate compares them) -> its
        # queue: each is exported once, as validate allows.
        self.terms: dict[tuple[str, ...], str] = {}

    def _accounts(self) -> list[Account]:
        found = [m for g in self.observed.groups for m in g.members]
        found += [c.lead for c in self.observed.components if c.lead is not None]
        found += list(self.observed.directory.values())
        if self.observed.runner is not None:
            found.append(self.observed.runner)
        return found

    # -- the whole site -----------------------------------------------------------------------

    def run(self, *, adopt: bool) -> Export:
        part = partition(Config(version=1, jira=self.jira), self.observed)
        managed = [s for s in part.slots if s.component is not None]
        loose = {s.name: s for s in part.slots if s.component is None}  # groups only, by slug
        queues: list[ExportedQueue] = []
        for slot in sorted(managed, key=lambda s: _order(s.name)):
            assert slot.component is not None
            queue = self.queue(slot.component, slot.groups, adopt=False)
            if queue is not None:
                queues.append(queue)
        if adopt:
            queues += self.adoptable(part.unmanaged, loose)
        elif part.unmanaged:
            names = ", ".join(_quoted(c.name) for c in part.unmanaged)
            self.notes.append(
                "components accessq does not manage are not exported (`accessq export --adopt` "
                f"adds those that look like queues): {names}"
            )
        if loose:
            names = ", ".join(g.name for s in loose.values() for g in s.groups)
            self.notes.append(
                f"groups with no component are not exported, and a plan deletes them: {names}"
            )
        if self.observed.unowned_groups:
            names = ", ".join(
                _quoted(n) for n in sorted(self.observed.unowned_groups, key=str.casefold)
            )
            self.notes.append(
                "groups not named as accessq names its groups are not accessq's: not exported, "
                f"and a plan leaves them alone: {names}"
            )
        queues.sort(key=lambda q: _order(q.name))
        return Export(self.observed.target, self.jira, queues, self.notes)

    def adoptable(
        self, unmanaged: list[ObservedComponent], loose: dict[str, Slot]
    ) -> list[ExportedQueue]:
        """Unmanaged components that look like queues: their groups exist (taken from `loose`)."""
        found: list[ExportedQueue] = []
        left: list[str] = []
        for component in sorted(unmanaged, key=lambda c: (_order(c.name), c.id)):
            slot = loose.get(slug(component.name))
            if slot is None:
                left.append(component.name)
                continue
            queue = self.queue(component, slot.groups, adopt=True)
            if queue is not None:
                del loose[slot.name]
                found.append(queue)
        if left:
            self.notes.append(
                f"components without {self.prefix}<name>-agents/-watchers/-updaters groups do not "
                f"look like queues and are not adopted: {', '.join(_quoted(n) for n in left)}"
            )
        return found

    # -- one queue ----------------------------------------------------------------------------

    def queue(
        self, component: ObservedComponent, groups: list[ObservedGroup], *, adopt: bool
    ) -> ExportedQueue | None:
        name = component.name
        refused = self.bad_name(name)
        if refused is not None:
            then = "" if adopt else "; a plan deletes it"
            self.notes.append(
                f"component {_quoted(component.name)} is not exported: {refused}{then}"
            )
            return None
        self.names.update({fold(name), slug(name)})
        raw = decode_description(component.description)
        # What the component reads back as once written by accessq: the plan compares that.
        text = decode_description(encode_description(raw.description, raw.keywords, raw.aliases))
        notes: list[str] = []
        if nfc(name) != name:
            # The queue file is read in NFC; the plan then renames the component to that form.
            notes.append(
                "the name is written in Unicode's composed form (NFC), as queue files are read; "
                "a plan renames the component to it"
            )
            name = nfc(name)
        description = cleaned(text.description, one_line=False)
        if description != text.description:
            found = problem(text.description, one_line=False)
            why = f" ({found})" if found else ""
            notes.append(
                "the description is written in Unicode's composed form (NFC) and without hidden "
                f"characters{why}; a plan updates the component"
            )
        by_role = self.roles(name, groups)
        lead_routed = component.assignee_type == LEAD_ASSIGNEE
        if "updaters" in by_role:
            kind: Kind = "awardee"
        elif by_role:
            kind = "rp"
        else:  # no groups at all: what the component says decides
            kind = "awardee" if lead_routed or text.keywords else "rp"
        queue = ExportedQueue(kind=kind, name=name, description=description, adopt=adopt)
        queue.notes += notes
        # The routing terms this queue exports; an RP queue's name is one (validate counts it).
        taken: set[tuple[str, ...]] = set()
        if kind == "rp":
            taken.add(route_tokens(name))
            self.terms.setdefault(route_tokens(name), name)
        queue.aliases = self.own_terms(queue, text.aliases, "alias", taken)
        if not by_role:
            queue.notes.append("the queue has no groups in Jira; a plan creates them")
        if not self.has_view(name):
            queue.notes.append("its JSM queue view is missing or differs; a plan makes it")
        for role, extra in by_role.items():
            wrong_kind = (role == "updaters") != (kind == "awardee")
            for group in extra[1:] if not wrong_kind else extra:
                queue.notes.append(f"group {group.name} does not fit this queue; a plan deletes it")
        if kind == "rp":
            queue.agents = self.people(queue, by_role.get("agents", [None])[0], "agents")
            watchers = self.people(queue, by_role.get("watchers", [None])[0], "watchers")
            same = [p.key for p in watchers] == [p.key for p in queue.agents]
            queue.watchers = None if same and "watchers" in by_role else watchers
            missing = [r for r in ("agents", "watchers") if r not in by_role]
            if len(missing) == 1:
                queue.notes.append(
                    f"the {missing[0]} group does not exist; a plan creates it, empty"
                )
            if text.keywords:
                queue.notes.append(
                    f"keywords {', '.join(text.keywords)} are not exported (an RP queue has none); "
                    "a plan removes them from the component"
                )
            if lead_routed:
                queue.notes.append(
                    "the component routes to its lead; an RP queue routes to the project default, "
                    "which a plan sets"
                )
        else:
            queue.updaters = self.people(queue, by_role.get("updaters", [None])[0], "updaters")
            queue.keywords = self.own_terms(queue, text.keywords, "keyword", taken)
            if lead_routed:
                queue.default_assignee = self.assignee(queue, component.lead)
        return queue

    def has_view(self, name: str) -> bool:
        """With `jsm_queues` on: whether the queue's JSM view is there as the plan wants it."""
        views = self.observed.jsm_queues
        if not self.jira.jsm_queues or views is None:
            return True
        return any((v.name, v.jql) == (name, jsm_queue_jql(name)) for v in views)

    def bad_name(self, name: str) -> str | None:
        """Why the loader would refuse `name` (the same rules), or None."""
        if not name or len(name) > MAX_NAME or name != name.strip():
            return f"a queue name is one line of 1 to {MAX_NAME} characters, without outer spaces"
        found = problem(name, one_line=True)
        if found is not None:
            return f"the name {found}" if found.startswith("must ") else found
        if not has_letter_or_digit(name):
            return "the name has no letters or digits, so it gives no Jira group name"
        if fold(name) in self.names or slug(name) in self.names:
            return (
                f"another exported queue has the same name or groups ({self.prefix}{slug(name)}-*)"
            )
        return None

    def roles(self, name: str, groups: list[ObservedGroup]) -> dict[Role, list[ObservedGroup]]:
        """The queue's groups per role; the one named exactly as the plan names it comes first."""
        by_role: dict[Role, list[ObservedGroup]] = {}
        for group in groups:
            parsed = parse_group_name(self.prefix, group.name)
            if parsed is not None:
                by_role.setdefault(parsed[1], []).append(group)
        for role, found in by_role.items():
            exact = group_name(self.prefix, name, role).casefold()
            found.sort(key=lambda g: (g.name.casefold() != exact, g.name.casefold()))
        return {role: by_role[role] for role in sorted(by_role)}

    def people(self, queue: ExportedQueue, group: ObservedGroup | None, role: Role) -> list[Person]:
        if group is None:
            return []
        found: list[Person] = []
        for account in group.members:
            who = f"{account.display_name or account.key} [{account.key}]"
            if not account.active:
                queue.notes.append(
                    f"{who} is deactivated in Jira and not exported; a plan removes them "
                    f"from the {role}"
                )
                continue
            person = self.person(account, role)
            if person is None:
                queue.notes.append(
                    f"{who} cannot be written as a person (an account key with spaces); "
                    f"a plan removes them from the {role}"
                )
                continue
            found.append(person)
        return sorted(found, key=lambda p: (p.name.casefold(), p.name, p.key))

    def person(self, account: Account, role: Role) -> Person | None:
        name = cleaned(account.display_name) or account.key
        email = (
            account.email if account.email and account.email.casefold() not in self.shared else None
        )
        if email is not None and role == "updaters":
            username = username_of(email, self.jira.username_email)
            if username is not None:
                return Person(account.key, name, username=username)
        elif email is not None and is_email(email):
            return Person(account.key, name, email=email)
        if not account.key or any(ch.isspace() for ch in account.key):
            return None
        return Person(account.key, name, account_id=account.key)

    def own_terms(
        self,
        queue: ExportedQueue,
        terms: tuple[str, ...],
        what: Literal["keyword", "alias"],
        taken: set[tuple[str, ...]],
    ) -> list[str]:
        """The keywords or aliases this queue may claim: each once, and not another queue's.

        `taken`: the terms this queue already exports (its RP name, its aliases); grows."""
        kept: list[str] = []
        for term in terms:
            found = problem(term, one_line=True)
            if found is not None:  # a stray line break or hidden character: the loader refuses it
                queue.notes.append(
                    f"{what} {_quoted(term)} cannot be written ({found}); it is left out, and "
                    "a plan removes it from the component"
                )
                continue
            if nfc(term) != term:
                queue.notes.append(
                    f"{what} {_quoted(term)} is written in Unicode's composed form (NFC); "
                    "a plan updates the component"
                )
                term = nfc(term)
            if not has_letter_or_digit(term):
                queue.notes.append(
                    f"{what} {_quoted(term)} has no letters or digits, so it routes no "
                    "ticket; it is left out, and a plan removes it from the component"
                )
                continue
            folded = route_tokens(term)  # compared as validate and routing compare them
            owner = self.terms.setdefault(folded, queue.name)
            if owner == queue.name and folded not in taken:
                kept.append(term)
                taken.add(folded)
                continue
            where = "this queue" if owner == queue.name else f"queue {_quoted(owner)}"
            queue.notes.append(
                f"{what} {_quoted(term)} is already claimed by {where}; it is left out, "
                "and a plan removes it from the component"
            )
        return kept

    def assignee(self, queue: ExportedQueue, lead: Account | None) -> str | None:
        updater = next((p for p in queue.updaters if lead and p.key == lead.key), None)
        if updater is not None:
            return updater.handle
        who = f"{lead.display_name or lead.key} [{lead.key}]" if lead else "nobody"
        queue.notes.append(
            f"the component lead ({who}) is not one of the updaters, so there is no "
            "default_assignee; a plan routes to the project default"
        )
        return None


def _order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)
