"""JQL over the sandbox's tickets: check a parsed query as Jira does, then filter and sort.

The fields: `project`, `component`, `resolution`, `assignee` and `reporter` (`=`, `!=`, `IN`,
`NOT IN`, `IS [NOT] EMPTY`, and `currentUser()` for people), `text ~` (summary, description and
comments), `summary`/`description`/`comment` `~` and `!~`; `ORDER BY created`, `updated`, `key`.
Anything else is refused in Jira's words (`Field 'x' does not exist or you do not have permission
to view it.`, `The operator '~' is not supported by the 'component' field.`, ...). Names are
matched ignoring case; people by account id (Cloud) or username (Data Center), email or display
name. A person who does not exist is a warning, not an error, as in Jira: the clause matches
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from accessq.sandbox import jql
from accessq.sandbox.rows import Component, Project, User
from accessq.sandbox.tickets import Ticket, Tickets

if TYPE_CHECKING:
    from accessq.sandbox.store import Store

Predicate = Callable[[Ticket], bool]
_NOTHING: Predicate = lambda ticket: False  # noqa: E731
RESOLUTION_DONE = ("10000", "Done")
_THE_PROJECT = "project"


class JqlError(Exception):
    """A query Jira would refuse: `messages` are its errorMessages (syntax, or validation)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Directory:
    """What values in a query can name, and who `currentUser()` is."""

    project: Project
    components: Sequence[Component]
    users: Sequence[User]
    me: User | None
    cloud: bool

    @classmethod
    def of(cls, store: Store, me: User | None, cloud: bool) -> Directory:
        return cls(store.project(), store.components(), Tickets(store).users(), me, cloud)


@dataclass
class Search:
    """A checked query: `run(tickets)` is the matching tickets in the query's order."""

    query: jql.Query
    matches: Predicate
    sorts: list[tuple[Callable[[Ticket], object], bool]]  # (key, descending), first sort first
    warnings: list[str] = field(default_factory=list)
    needs_comments: bool = False

    def run(self, tickets: Sequence[Ticket]) -> list[Ticket]:
        found = [t for t in tickets if self.matches(t)]
        found.sort(key=lambda t: t.num, reverse=True)  # ties: newest key first
        for key, descending in reversed(self.sorts):
            found.sort(key=key, reverse=descending)  # type: ignore[arg-type]
        return found


def search(
    tickets: Tickets, text: str, directory: Directory, *, lenient: bool = False
) -> tuple[list[Ticket], list[str]]:
    """The tickets matching the JQL text, and Jira's warnings; raise JqlError if Jira would refuse.

    lenient: values that do not exist are warnings rather than errors (Data Center's
    `validateQuery=warn`).
    """
    compiled = compile_search(parse(text), directory, lenient=lenient)
    return compiled.run(tickets.all(with_comments=compiled.needs_comments)), compiled.warnings


def parse(text: str) -> jql.Query:
    try:
        return jql.parse(text)
    except jql.JqlSyntaxError as exc:
        raise JqlError([str(exc)]) from None


def compile_search(query: jql.Query, directory: Directory, *, lenient: bool = False) -> Search:
    """Check query against directory and build its predicate and order (raise JqlError)."""
    checker = _Checker(directory, lenient)
    matches = checker.clause(query.where) if query.where is not None else (lambda t: True)
    sorts = [checker.sort(s) for s in query.order_by]
    if checker.errors:
        raise JqlError(checker.errors)
    if not query.order_by:
        sorts = [(lambda t: t.created, True)]
    return Search(query, matches, sorts, checker.warnings, checker.needs_comments)


# -- checking and compiling clauses ------------------------------------------------------------

_PEOPLE = ("assignee", "reporter")
_TEXT_FIELDS = {"text": ("~",), "summary": ("~", "!~"), "description": ("~", "!~", "is", "is not")}
_TEXT_FIELDS["comment"] = ("~", "!~")
_VALUE_OPERATORS = ("=", "!=", "in", "not in", "is", "is not")
_LIST_OPERATORS = ("in", "not in")


class _Checker:
    def __init__(self, directory: Directory, lenient: bool) -> None:
        self.dir = directory
        self.lenient = lenient
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.needs_comments = False

    def error(self, message: str) -> Predicate:
        if message not in self.errors:
            self.errors.append(message)
        return _NOTHING

    def clause(self, clause: jql.Clause) -> Predicate:
        if isinstance(clause, jql.Not):
            inner = self.clause(clause.clause)
            return lambda t: not inner(t)
        if isinstance(clause, jql.And):
            parts = [self.clause(c) for c in clause.clauses]
            return lambda t: all(p(t) for p in parts)
        if isinstance(clause, jql.Or):
            parts = [self.clause(c) for c in clause.clauses]
            return lambda t: any(p(t) for p in parts)
        return self.terminal(clause)

    def terminal(self, clause: jql.Terminal) -> Predicate:
        name, op = clause.field, clause.operator
        kind = name.lower()
        if kind in _TEXT_FIELDS:
            allowed: Sequence[str] = _TEXT_FIELDS[kind]
        elif kind in ("project", "component", "resolution", *_PEOPLE):
            allowed = _VALUE_OPERATORS
        else:
            return self.error(
                f"Field '{name}' does not exist or you do not have permission to view it."
            )
        if op not in allowed:
            return self.error(f"The operator '{op}' is not supported by the '{name}' field.")
        if not self.operator_usage(clause):
            return _NOTHING
        if kind in _TEXT_FIELDS:
            return self.text(clause, kind)
        values = self.values(clause, kind)
        if values is None:
            return _NOTHING
        has = _has_value(kind)
        if op in ("is", "=", "in") and None in values:
            named = values - {None}
            return lambda t: not has(t) or bool(named & _ticket_values(kind, t))
        if op in ("is not", "!=", "not in") and None in values:
            named = values - {None}
            return lambda t: has(t) and not (named & _ticket_values(kind, t))
        if op in ("=", "in"):
            return lambda t: bool(values & _ticket_values(kind, t))
        # != and NOT IN match only tickets that have a value, none of them named (as Jira does)
        return lambda t: has(t) and not (values & _ticket_values(kind, t))

    def operator_usage(self, clause: jql.Terminal) -> bool:
        """Jira's checks of an operator against the shape of its operand."""
        name, op, operand = clause.field, clause.operator, clause.operand
        shown = jql.display_operand(operand)
        if op in _LIST_OPERATORS and isinstance(operand, jql.Empty):
            self.error(
                f"Operator '{op}' does not support the empty value representation 'EMPTY' for "
                f"field '{name}'."
            )
            return False
        if op in _LIST_OPERATORS and not isinstance(operand, jql.ValueList):
            self.error(
                f"Operator '{op}' does not support the non-list value '{shown}' for field '{name}'."
            )
            return False
        if op not in _LIST_OPERATORS and isinstance(operand, jql.ValueList):
            self.error(
                f"Operator '{op}' does not support the list value '{shown}' for field '{name}'."
            )
            return False
        if op in ("is", "is not") and not isinstance(operand, jql.Empty):
            self.error(
                f"Operator '{op}' does not support searching for non-empty values for field "
                f"'{name}'."
            )
            return False
        return True

    # -- values --------------------------------------------------------------------------------

    def values(self, clause: jql.Terminal, kind: str) -> set[object] | None:
        """The ids (None for EMPTY) the operand names, or None after an error."""
        operands = (
            clause.operand.items if isinstance(clause.operand, jql.ValueList) else (clause.operand,)
        )
        out: set[object] = set()
        for operand in operands:
            if isinstance(operand, jql.Empty):
                out.add(None)
            elif isinstance(operand, jql.Function):
                found = self.function(operand, clause.field, kind)
                if found is None:
                    return None
                out.update(found)
            elif isinstance(operand, jql.Value):
                found = self.value(operand.text, clause.field, kind)
                if found is None:
                    return None
                out.update(found)
            else:  # a list in a list
                self.error(
                    f"Operator '{clause.operator}' does not support the list value "
                    f"'{jql.display_operand(operand)}' for field '{clause.field}'."
                )
                return None
        return out

    def function(self, function: jql.Function, name: str, kind: str) -> set[object] | None:
        if function.name.lower() != "currentuser":
            self.error(f"Unable to find JQL function '{jql.display_operand(function)}'.")
            return None
        if function.args:
            self.error(
                "Function 'currentUser' expected '0' arguments but received "
                f"'{len(function.args)}'."
            )
            return None
        if kind not in _PEOPLE:
            self.error(
                f"A value provided by the function 'currentUser' is invalid for the field '{name}'."
            )
            return None
        return {self.dir.me.pk} if self.dir.me is not None else set()

    def value(self, text: str, name: str, kind: str) -> set[object] | None:
        lowered = text.lower()
        if kind == "project":
            project = self.dir.project
            if lowered in (project.key.lower(), str(project.id), project.name.lower()):
                return {_THE_PROJECT}
            return self.missing(text, name)
        if kind == "component":
            found: set[object] = {
                c.id for c in self.dir.components if lowered in (c.name.lower(), str(c.id))
            }
            return found or self.missing(text, name)
        if kind == "resolution":
            if lowered in ("unresolved", "-1"):
                return {None}
            if lowered in (RESOLUTION_DONE[1].lower(), RESOLUTION_DONE[0]):
                return {RESOLUTION_DONE[0]}
            return self.missing(text, name)
        people: set[object] = {
            u.pk for u in self.dir.users if lowered in _names_of(u, self.dir.cloud)
        }
        if not people:  # an unknown person is a warning: the clause matches nobody
            self.warn(f"The value '{text}' does not exist for the field '{name}'.")
        return people

    def missing(self, text: str, name: str) -> set[object] | None:
        if text.isdigit():
            message = f"A value with ID '{text}' does not exist for the field '{name}'."
        else:
            message = f"The value '{text}' does not exist for the field '{name}'."
        if self.lenient:
            self.warn(message)
            return set()
        self.error(message)
        return None

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # -- text ----------------------------------------------------------------------------------

    def text(self, clause: jql.Terminal, kind: str) -> Predicate:
        operand = clause.operand
        texts = _TEXTS[kind]
        if kind in ("text", "comment"):
            self.needs_comments = True
        if isinstance(operand, jql.Empty):
            empty = lambda t: not any(texts(t))  # noqa: E731
            return empty if clause.operator in ("~", "is") else (lambda t: not empty(t))
        if not isinstance(operand, jql.Value):
            return self.error(
                f"A value provided by the function '{getattr(operand, 'name', '')}' is invalid "
                f"for the field '{clause.field}'."
            )
        matcher = _text_matcher(operand.text)
        if matcher is None:
            return self.error(
                f"The field '{clause.field}' does not support searching for an empty string."
            )
        found: Predicate = lambda t: any(matcher(_words(s)) for s in texts(t))  # noqa: E731
        return found if clause.operator == "~" else (lambda t: not found(t))

    # -- order -----------------------------------------------------------------------------------

    def sort(self, sort: jql.Sort) -> tuple[Callable[[Ticket], object], bool]:
        by = sort.field.lower()
        keys: dict[str, tuple[Callable[[Ticket], object], bool]] = {
            "created": (lambda t: t.created, True),
            "updated": (lambda t: t.updated, True),
            "key": (lambda t: t.num, False),
            "issuekey": (lambda t: t.num, False),
        }
        if by not in keys:
            self.error(f"Not able to sort using field '{sort.field}'.")
            return (lambda t: 0, False)
        key, default_descending = keys[by]
        descending = default_descending if sort.direction is None else sort.direction == "DESC"
        return key, descending


def _names_of(user: User, cloud: bool) -> tuple[str, ...]:
    own = user.account_id if cloud else user.username
    return (own.lower(), user.email.lower(), user.display_name.lower())


def _has_value(kind: str) -> Predicate:
    return lambda t: bool(_ticket_values(kind, t) - {None})


def _ticket_values(kind: str, ticket: Ticket) -> set[object]:
    if kind == "project":
        return {_THE_PROJECT}  # every ticket is in the sandbox's one project
    if kind == "component":
        return {c.id for c in ticket.components} or {None}
    if kind == "resolution":
        return {RESOLUTION_DONE[0]} if ticket.resolved else {None}
    person = ticket.assignee if kind == "assignee" else ticket.reporter
    return {person.pk} if person is not None else {None}


_TEXTS: dict[str, Callable[[Ticket], Sequence[str]]] = {
    "text": lambda t: [t.summary, t.description or "", *t.comment_text],
    "summary": lambda t: [t.summary],
    "description": lambda t: [t.description or ""],
    "comment": lambda t: list(t.comment_text),
}
_WORD = re.compile(r"\w+")
_TERM = re.compile(r'"([^"]*)"|(\S+)')


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _text_matcher(query: str) -> Callable[[list[str]], bool] | None:
    """Jira's text search, simply: terms AND-ed, `OR` between them, `-term` excluded, `term*` a
    prefix, "a phrase" (or a-hyphenated-term) adjacent words; ignoring case, without stemming."""
    groups: list[list[tuple[bool, list[str], bool]]] = [[]]  # (negated, words, prefix)
    for phrase, word in _TERM.findall(query):
        if word in ("OR", "||"):
            groups.append([])
            continue
        if word in ("AND", "&&"):
            continue
        negated = word.startswith("-") or word.startswith("!")
        raw = phrase or word.lstrip("+-!")
        prefix = not phrase and raw.endswith("*")
        words = _words(raw)
        if words:
            groups[-1].append((negated, words, prefix))
    groups = [g for g in groups if g]
    if not groups:
        return None

    def term_in(text: list[str], words: list[str], prefix: bool) -> bool:
        n = len(words)
        for i in range(len(text) - n + 1):
            if text[i : i + n - 1] == words[:-1] and (
                text[i + n - 1].startswith(words[-1]) if prefix else text[i + n - 1] == words[-1]
            ):
                return True
        return False

    def matches(text: list[str]) -> bool:
        return any(
            all(term_in(text, words, prefix) != negated for negated, words, prefix in group)
            for group in groups
        )

    return matches


# -- JSM queues ------------------------------------------------------------------------------


def queue_tickets(tickets: Tickets, queue_jql: str, directory: Directory) -> list[Ticket] | None:
    """The tickets a JSM queue shows, in its order; None if its JQL is not one the sandbox runs."""
    try:
        found, _ = search(tickets, queue_jql, directory)
    except JqlError:
        return None
    return found


def queue_counts(tickets: Tickets, queues: Sequence[str], directory: Directory) -> list[int]:
    """How many tickets each JQL (of JSM queues) matches: 0 for JQL the sandbox does not run."""
    searches: list[Search | None] = []
    for text in queues:
        try:
            searches.append(compile_search(parse(text), directory))
        except JqlError:
            searches.append(None)
    if not any(searches):
        return [0] * len(searches)
    found = tickets.all(with_comments=any(s.needs_comments for s in searches if s))
    return [sum(1 for t in found if s.matches(t)) if s else 0 for s in searches]


__all__ = [
    "Directory",
    "JqlError",
    "Search",
    "compile_search",
    "parse",
    "queue_counts",
    "queue_tickets",
    "search",
]
