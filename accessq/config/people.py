"""The people a configuration names, and the key each one's Jira account is looked up by."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from accessq.config.models import Contact, JiraSettings, Queue, Role, Updater

Person = Contact | Updater


def people(queues: Iterable[Queue]) -> Iterator[tuple[Queue, Role, Person]]:
    """(queue, role, person) for every person a queue names, omitted watchers as the agents."""
    for queue in queues:
        for role in queue.ROLES:
            for person in queue.members(role):
                yield queue, role, person


def lookup_key(person: Person, jira: JiraSettings) -> str:
    """The key under which `Observed.directory` holds the Jira account of a configured person.

    An explicit `account_id` wins; an RP contact is found by email; an awardee updater by the
    email its ACCESS username maps to through `jira.username_email`. Emails ignore case.
    """
    if person.account_id:
        return f"account:{person.account_id}"
    if isinstance(person, Updater):
        assert person.username is not None  # the model requires username or account_id
        return "email:" + jira.email_of(person.username).casefold()
    assert person.email is not None  # the model requires email or account_id
    return "email:" + person.email.casefold()
