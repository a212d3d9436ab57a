"""Which Jira account a configured person's access goes to, or why it may go to none.

The directory (`Observed.directory`) says which account Jira gives for each person; this decides
whether the plan may grant it, so that what a reviewer reads is who gets access:

- the account must agree with the configuration: an `account_id` whose account shows an email
  other than the configured one (or the one the ACCESS username maps to) is refused, never
  silently granted under the configured name;
- it must be a staff account: on Cloud `accountType` `atlassian`, never a JSM portal `customer`
  (who chooses their own display name) nor an `app`;
- it must be active; a deactivated account stays in its groups until the entry is deleted.

A granted person records how the account was established (`PlanPerson.match`), and the plan shows
the account itself whenever that was not a matching email.
"""

from __future__ import annotations

from dataclasses import dataclass

from accessq.config.models import Config, Contact, Updater
from accessq.config.people import Person, lookup_key
from accessq.model.observed import Account, Observed, looks_like_email
from accessq.plan.model import ErrorKind, Match, PlanPerson, account_text

MAX_CANDIDATES = 5  # listed in an ambiguity error; the rest are counted


@dataclass(frozen=True)
class Refusal:
    """Why a configured person is granted nothing; `keep` is an account left in its groups."""

    kind: ErrorKind
    message: str
    keep: str | None = None


def describe_person(person: Person, config: Config) -> str:
    """How an error names a configured person: the identity the lookup used."""
    if person.account_id:
        return f"{person.name} [account {person.account_id}]"
    if isinstance(person, Updater):
        assert person.username is not None  # the model requires username or account_id
        email = config.jira.email_of(person.username)
        return f"{person.name} <{email}> (ACCESS username {person.username})"
    return f"{person.name} <{person.email}>"


def offboard_handle(person: Person) -> str:
    """How `accessq offboard` is told who: the account id, username or email the file gives."""
    if person.account_id:
        return person.account_id
    if isinstance(person, Updater):
        return person.username or ""
    return person.email or ""


def configured_email(person: Person, config: Config) -> str | None:
    """The email the configuration gives: a contact's, or the one an ACCESS username maps to."""
    if isinstance(person, Updater):
        return config.jira.email_of(person.username) if person.username else None
    return person.email


def identify(
    person: Person, config: Config, observed: Observed, where: str
) -> PlanPerson | Refusal:
    """The person to grant, or the refusal; `where` is `<queue> <role>` for the messages."""
    key = lookup_key(person, config.jira)
    account = observed.directory.get(key)
    who = describe_person(person, config)
    if account is None:
        candidates = observed.ambiguous.get(key)
        if candidates:
            return Refusal("ambiguous_person", _ambiguous(who, where, candidates))
        return Refusal("unresolved_person", _unresolved(person, who, where, observed))
    configured = configured_email(person, config)
    match: Match
    if configured and account.email and account.email.casefold() == configured.casefold():
        match = "email"
    elif account.email and configured:
        return Refusal("account_mismatch", _mismatch(person, who, where, account, configured))
    elif key.startswith("account:"):
        match = "account_id"
    else:
        match = "hidden_email"
    if not account.is_staff(observed.target.flavor):
        return Refusal(
            "account_type",
            f"the Jira account of {who} is {_kind(account)} {account_text(account)}, not a staff "
            f"account, so it gets no queue access ({where}); name the person's own staff account",
        )
    if not account.active:
        return Refusal(
            "inactive_person",
            f"the Jira account of {who} is deactivated ({where}): if they have left, "
            f"`accessq offboard <queue files> {offboard_handle(person)}` deletes them from every "
            "queue, and apply then takes the account out of the groups",
            keep=account.key,
        )
    email = person.email if isinstance(person, Contact) and person.email else None
    return PlanPerson(
        account=account,
        name=person.name,
        email=email or account.email or configured,
        username=person.username if isinstance(person, Updater) else None,
        match=match,
    )


SANDBOX_PEOPLE_HINT = (
    "the local sandbox knows only its demo people (Jane Doe <jdoe@illinois.example.edu>, "
    "Raj Patel, Maria Garcia and the others of examples/queues.yaml); to try someone else, add "
    "them under users: in a seed file and run `accessq sandbox reset --seed FILE` "
    "(docs/sandbox.md, Seed format)"
)


def _unresolved(person: Person, who: str, where: str, observed: Observed) -> str:
    if observed.target.sandbox:
        # A real colleague is never in the sandbox: checking their email or account_id would
        # send the team hunting for a mistake they did not make.
        return f"no Jira account found for {who} ({where}): {SANDBOX_PEOPLE_HINT}"
    if person.account_id:
        hint = "check the account_id"
    elif isinstance(person, Updater):
        hint = "check the username and jira.username_email"
    else:
        hint = "check the email"
    if observed.target.flavor == "cloud" and not person.account_id:
        hint += ", or give the person's account_id: if Jira hides their email"
    return f"no Jira account found for {who} ({where}): {hint}"


def _ambiguous(who: str, where: str, candidates: tuple[Account, ...]) -> str:
    shown = ", ".join(account_text(a) for a in candidates[:MAX_CANDIDATES])
    more = len(candidates) - MAX_CANDIDATES
    shown += f" and {more} more" if more > 0 else ""
    if len(candidates) == 1 and looks_like_email(candidates[0].display_name):
        why = (
            "the only account Jira's search finds hides its email and has a display name like "
            f"an email, which anyone can choose: {shown}"
        )
    elif all(looks_like_email(a.display_name) for a in candidates):
        why = (
            "the only accounts Jira's search finds hide their email and have display names like "
            f"an email, which anyone can choose: {shown}"
        )
    else:
        why = f"Jira's search finds {len(candidates)} accounts that could be them: {shown}"
    return (
        f"no Jira account can be taken for {who} ({where}): {why}; give the person's "
        "account_id: to name their account"
    )


def _mismatch(person: Person, who: str, where: str, account: Account, configured: str) -> str:
    if not person.account_id:  # an email lookup the directory answered with another email
        return (
            f"the Jira account given for {who} shows another email: {account_text(account)} "
            f"({where})"
        )
    if isinstance(person, Updater):
        named = f"{configured}, the email of ACCESS username {person.username}"
        fix = "fix the account_id, or give it without the username"
    else:
        named = configured
        fix = "fix the account_id or the email"
    return (
        f"{person.name}: account_id {person.account_id} is the Jira account "
        f"{account_text(account)}, not {named} ({where}); {fix}"
    )


def _kind(account: Account) -> str:
    if account.account_type == "customer":
        return "a JSM customer account (accountType customer)"
    if account.account_type == "app":
        return "an app account (accountType app)"
    if account.account_type:
        return f"an account of type {account.account_type}"
    return "an account whose type Jira does not say"
