"""The gateway: every read and write accessq makes against Jira, over the `jira` library.

The library provides the client (auth, headers, URL layout) and the calls it gets right for both
flavours (`myself`, project components). Where it is wrong for a flavour we call the documented
endpoint through the same session (`../shared/jira-openapi` beside the repository):

- group membership: the library posts `{"name": ...}` to `/rest/api/latest/...`; Cloud needs
  `accountId`, so both flavours use `/rest/api/2/group/user` with the right field;
- group members: the library reads the deprecated `group?expand=users`; we page `group/member`;
- user search: Cloud searches by `query`, Data Center by `username` (inactive users included);
  Cloud lists inactive users only in `users/search` (every account, paged);
- JSM: the library does not page service desks or queues, and Cloud's public API cannot write
  queues (we use the internal `/rest/servicedesk/1/...`, Data Center its public API);
- serverInfo: the library's `server_info()` re-requests on an empty answer; we call it once;
- project entity properties (the apply lock): the library has none; we also need Jira's clock
  from each answer's `Date` header.

Every request goes through `PolicySession` (rate limit, retries, request count, one-line errors).
Writes are never retried blindly: after a transient failure the gateway re-reads to see whether the
write happened, and only retries when it did not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests
from jira import JIRA
from requests import Response

from accessq.config.urls import is_loopback
from accessq.jira.errors import (
    ConnectError,
    GatewayError,
    NotFound,
    RequestRejected,
    RetriesExhausted,
    redact_url,
)
from accessq.jira.retry import Pacer, RetryPolicy
from accessq.jira.secret import Secret, register_basic
from accessq.jira.session import PolicySession, retrying
from accessq.model.access import Grant, Holder, Notice, RoleGroups
from accessq.model.naming import parse_group_name
from accessq.model.observed import Account, Flavor, ObservedComponent, ObservedJsmQueue, Target
from accessq.model.ticket import TicketText

T = TypeVar("T")

API = "/rest/api/2"
JSM_API = "/rest/servicedeskapi"
JSM_INTERNAL = "/rest/servicedesk/1"
MEMBER_PAGE = 50  # group/member allows at most 50 per page
JSM_PAGE = 50
USER_SEARCH_LIMIT = 50
ALL_USERS_PAGE = 1000  # users/search allows at most 1000
PICKER_CONCURRENCY = 8  # the reader's bound on parallel requests
PICKER_LIMIT = 1000  # sites cap it (jira.ajax.autocomplete.limit); a capped answer is refined
# Characters that can follow the prefix in a managed group name (slugs are [a-z0-9-]).
_REFINE = "abcdefghijklmnopqrstuvwxyz0123456789-"
# Columns of a JSM queue accessq creates (Cloud's internal API requires some).
JSM_COLUMNS = ("issuetype", "issuekey", "summary", "reporter", "assignee", "status", "created")

# The ticket fields routing reads.
TICKET_FIELDS = ("summary", "description", "components", "assignee", "resolution")

_UNSET: Any = object()
TICKET_PAGE_CLOUD = 100  # search/jql allows at most 100 issues a page with fields
TICKET_PAGE_DC = 1000  # Data Center's default cap (jira.search.views.default.max)


@dataclass(frozen=True)
class OpenTicket:
    """An open ticket as the counts see it."""

    components: tuple[str, ...]  # component ids
    assigned: bool
    created: datetime | None


def _open_ticket(raw: Any) -> OpenTicket:
    fields = raw.get("fields") or {} if isinstance(raw, dict) else {}
    components = tuple(
        str(c["id"]) for c in fields.get("components") or [] if isinstance(c, dict) and "id" in c
    )
    return OpenTicket(components, bool(fields.get("assignee")), _jira_time(fields.get("created")))


def _jira_time(value: Any) -> datetime | None:
    """Jira's `2024-01-05T10:00:00.000+0000`; None when absent or unreadable."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        return None


class Gateway:
    """A connected Jira: call `Gateway.connect(...)`, or `accessq.jira.connection.open_gateway`."""

    def __init__(self, client: JIRA, session: PolicySession, target: Target) -> None:
        self._client = client
        self._session = session
        self.target = target
        self._base = client.server_url.rstrip("/")
        self._service_desk: str | None = None

    # -- connection ----------------------------------------------------------------------------

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        project: str,
        basic_auth: tuple[str, Secret] | None = None,
        pat: Secret | None = None,
        sandbox: bool = False,
        policy: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        pool_size: int = 16,
    ) -> Gateway:
        """Sign in and read serverInfo (which decides the flavour). Raises `GatewayError`."""
        if basic_auth is not None:
            register_basic(*basic_auth)  # the header's form, should a server echo it back
            client = JIRA(
                url,
                basic_auth=(basic_auth[0], basic_auth[1].reveal()),
                get_server_info=False,  # read below, through our policy, exactly once
                max_retries=0,
                timeout=timeout,
            )
            hint = "check ACCESSQ_JIRA_USER and ACCESSQ_JIRA_TOKEN (an API token, not a password)"
        elif pat is not None:
            client = JIRA(
                url, token_auth=pat.reveal(), get_server_info=False, max_retries=0, timeout=timeout
            )
            hint = "check ACCESSQ_JIRA_PAT (a personal access token)"
        else:
            raise GatewayError(
                "no Jira credentials: set ACCESSQ_JIRA_USER and ACCESSQ_JIRA_TOKEN (Cloud) "
                "or ACCESSQ_JIRA_PAT (Data Center)"
            )
        pacer = pacer or Pacer(policy or RetryPolicy())
        session = PolicySession.replacing(
            _library_session(client), pacer, timeout=timeout, auth_hint=hint, pool_size=pool_size
        )
        if is_loopback(urlsplit(url).hostname or ""):
            session.trust_env = False  # never send loopback traffic through an HTTP(S)_PROXY
        not_jira = f"{redact_url(url)} does not look like a Jira site (check --jira-url)"
        try:
            try:
                answer = session.get(f"{client.server_url}{API}/serverInfo")
            except NotFound:
                raise ConnectError(f"{not_jira}: it has no {API}/serverInfo") from None
            info = _expect_object(_json(answer, "serverInfo"), not_jira)
        except BaseException:
            session.close()
            client.close()
            raise
        _install(client, session, info)
        flavor: Flavor = "cloud" if info.get("deploymentType") == "Cloud" else "dc"
        target = Target(
            url=redact_url(url).rstrip("/"), flavor=flavor, project=project, sandbox=sandbox
        )
        return cls(client, session, target)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gateway({self.target.describe()})"

    def last_request_id(self) -> str | None:
        """Jira's request id of the calling thread's last response (for the apply journal)."""
        return self._session.last_request_id()

    @property
    def flavor(self) -> Flavor:
        return self.target.flavor

    @property
    def project(self) -> str:
        return self.target.project

    @property
    def request_count(self) -> int:
        """HTTP requests made through this gateway, retries included."""
        return self._session.request_count

    @property
    def pacer(self) -> Pacer:
        return self._session.pacer

    @property
    def client(self) -> JIRA:
        """The underlying `jira.JIRA` client (its session is ours)."""
        return self._client

    # -- plumbing ------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self._base}{path}"

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return _json(self._session.get(self._url(path), params=dict(params or {})), path)

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        response = self._session.request(
            method, self._url(path), params=dict(params or {}), json=body
        )
        return _json(response, path) if response.content else None

    def _platform_pages(
        self, path: str, params: Mapping[str, Any], page_size: int
    ) -> Iterator[dict[str, Any]]:
        """Values of a platform page bean (`startAt`, `maxResults`, `isLast`, `total`)."""
        start = 0
        while True:
            page = self._get(path, {**params, "startAt": start, "maxResults": page_size})
            values = page.get("values") or []
            yield from values
            start += len(values)
            total = page.get("total")
            if not values or page.get("isLast") is True:
                return
            if page.get("isLast") is None and (total is None or start >= total):
                return

    def _jsm_pages(
        self, path: str, params: Mapping[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Values of a JSM page (`start`, `limit`, `size`, `isLastPage`)."""
        start = 0
        while True:
            page = self._get(path, {**(params or {}), "start": start, "limit": JSM_PAGE})
            values = page.get("values") or []
            yield from values
            start += len(values)
            if not values or page.get("isLastPage", True):
                return

    def _write(self, do: Callable[[], T], happened: Callable[[], T | None]) -> T:
        """Run a write; after a transient failure, re-read (`happened`) before any retry.

        `happened` returns the write's result when it took effect, None when it did not.
        """
        retried = False

        def attempt() -> T:
            try:
                return do()
            except RequestRejected:
                # After a transient failure, "already exists" / "already a member" may only mean
                # the first attempt did land and the re-read lagged: look once more.
                result = happened() if retried else None
                if result is None:
                    raise
                return result

        def after_transient() -> T | None:
            nonlocal retried
            retried = True
            return happened()

        return retrying(
            self.pacer,
            attempt,
            after_transient=after_transient,
            give_up=lambda exc, retries: RetriesExhausted(
                f"{exc}; gave up after {retries} retries", status=exc.status
            ),
        )

    def _account(self, raw: Mapping[str, Any]) -> Account:
        return account_from_json(raw, self.flavor)

    # -- reads ---------------------------------------------------------------------------------

    def myself(self) -> Account:
        return self._account(self._client.myself())

    def project_info(self) -> dict[str, str]:
        """Key, id and name of the configured project (the reader does not need it)."""
        try:
            project = self._client.project(self.project)
        except NotFound:
            raise self._missing_project() from None
        return {"key": project.key, "id": str(project.id), "name": project.name}

    def _missing_project(self) -> NotFound:
        return NotFound(
            f"project {self.project} not found at {self.target.url} "
            "(or this account cannot browse it): check jira.project",
            status=404,
        )

    def components(self) -> list[ObservedComponent]:
        """Every component of the project, managed or not (one request, unpaged endpoint)."""
        try:
            found = self._client.project_components(self.project)
        except NotFound:
            raise self._missing_project() from None
        return [self._component(c.raw) for c in found]

    def component(self, component_id: str) -> ObservedComponent | None:
        try:
            return self._component(self._get(f"{API}/component/{component_id}"))
        except NotFound:
            return None

    def _component(self, raw: Mapping[str, Any]) -> ObservedComponent:
        lead = raw.get("lead")
        return ObservedComponent(
            id=str(raw["id"]),
            name=raw.get("name", ""),
            description=raw.get("description") or "",
            lead=self._account(lead) if isinstance(lead, Mapping) and lead else None,
            assignee_type=raw.get("assigneeType") or "PROJECT_DEFAULT",
        )

    def find_groups(self, prefix: str) -> list[str]:
        """Names of every group starting with `prefix` (case-insensitive), via `groups/picker`.

        The picker matches substrings and sites cap its answer; when it reports more matches
        than it returned, the query is refined one character at a time until nothing is cut off.
        """
        folded = prefix.casefold()
        names: set[str] = set()

        def pick(query: str) -> tuple[list[str], bool]:
            found = self._get(
                f"{API}/groups/picker",
                {"query": query, "maxResults": PICKER_LIMIT, "caseInsensitive": "true"},
            )
            groups = [g["name"] for g in found.get("groups") or []]
            total = found.get("total")
            return groups, isinstance(total, int) and total > len(groups) and len(query) < 255

        # Refinements of one level are independent: ask them side by side, not one by one.
        level = [prefix]
        with ThreadPoolExecutor(PICKER_CONCURRENCY, thread_name_prefix="accessq-picker") as pool:
            while level:
                refined: list[str] = []
                whole: list[str] = []
                for query, (groups, cut_off) in zip(level, pool.map(pick, level), strict=True):
                    names.update(g for g in groups if g.casefold().startswith(folded))
                    if cut_off:
                        refined += [query + c for c in _REFINE]
                        # No refinement matches a group named exactly `query`, and the answer
                        # may have cut it off behind names that contain it: ask for it by name
                        # when it is one accessq could own (rarely: a cut-off answer that
                        # ends on a role suffix).
                        if parse_group_name(prefix, query) is not None:
                            whole.append(query)
                known = {n.casefold() for n in names}
                whole = [q for q in whole if q.casefold() not in known]
                found = zip(whole, pool.map(self.group_exists, whole), strict=True)
                names.update(q for q, ok in found if ok)
                level = refined
        return sorted(names, key=str.casefold)

    def group_exists(self, name: str) -> bool:
        try:
            self._get(f"{API}/group/member", {"groupname": name, "maxResults": 1})
        except NotFound:
            return False
        return True

    def group_members(self, name: str) -> tuple[Account, ...]:
        """Every member, inactive ones included, sorted by key; pages of 50."""
        pages = self._platform_pages(
            f"{API}/group/member",
            {"groupname": name, "includeInactiveUsers": "true"},
            MEMBER_PAGE,
        )
        members = {a.key: a for a in map(self._account, pages)}
        return tuple(members[k] for k in sorted(members))

    def search_users(self, text: str) -> list[Account]:
        """Users matching `text` (an email): the documented search of each flavour."""
        if self.flavor == "cloud":
            params = {"query": text, "maxResults": USER_SEARCH_LIMIT}
        else:
            params = {"username": text, "maxResults": USER_SEARCH_LIMIT, "includeInactive": "true"}
        found = self._get(f"{API}/user/search", params)
        return [self._account(u) for u in found or []]

    def all_users(self) -> Iterator[Account]:
        """Every account of the Cloud site, deactivated ones included (`users/search`).

        The answer is a bare list, and Atlassian does not promise full pages (privacy filtering
        happens after paging), so only an empty page ends it, or one with nobody new (a server
        that ignores `startAt` would otherwise be read forever).
        """
        start = 0
        keys: set[str] = set()
        while True:
            page = self._get(
                f"{API}/users/search", {"startAt": start, "maxResults": ALL_USERS_PAGE}
            )
            accounts = [self._account(u) for u in page] if isinstance(page, list) else []
            new = [a for a in accounts if a.key not in keys]
            if not new:
                return
            keys.update(a.key for a in new)
            yield from new
            start += len(accounts)

    def user(self, key: str) -> Account | None:
        """The account with this accountId (Cloud) or username (Data Center), or None."""
        param = "accountId" if self.flavor == "cloud" else "username"
        try:
            return self._account(self._get(f"{API}/user", {param: key}))
        except NotFound:
            return None

    def service_desk_id(self) -> str:
        if self._service_desk is None:
            wanted = self.project.casefold()
            for desk in self._jsm_pages(f"{JSM_API}/servicedesk"):
                if str(desk.get("projectKey", "")).casefold() == wanted:
                    self._service_desk = str(desk["id"])
                    break
            else:
                raise NotFound(
                    f"project {self.project} is not a Jira Service Management service desk "
                    f"at {self.target.url}: set jira.jsm_queues to false",
                    status=404,
                )
        return self._service_desk

    def jsm_queues(self) -> list[ObservedJsmQueue]:
        desk = self.service_desk_id()
        return [
            ObservedJsmQueue(id=str(q["id"]), name=q.get("name", ""), jql=q.get("jql", ""))
            for q in self._jsm_pages(f"{JSM_API}/servicedesk/{desk}/queue")
        ]

    # -- writes: components --------------------------------------------------------------------

    def _lead_field(self, lead: str | None) -> dict[str, str]:
        # The library only knows leadUserName, which Cloud no longer accepts.
        field = "leadAccountId" if self.flavor == "cloud" else "leadUserName"
        return {field: lead or ""}

    def create_component(
        self,
        name: str,
        *,
        description: str = "",
        lead: str | None = None,
        assignee_type: str = "PROJECT_DEFAULT",
    ) -> ObservedComponent:
        """Create a component; `lead` is an accountId (Cloud) or username (Data Center)."""
        body: dict[str, Any] = {
            "name": name,
            "project": self.project,
            "description": description,
            "assigneeType": assignee_type,
        }
        if lead:
            body.update(self._lead_field(lead))

        def happened() -> ObservedComponent | None:
            # Only our own component counts: one made by hand meanwhile with the same name is
            # not ours to take over (the retry then fails on Jira's duplicate-name check).
            folded = name.casefold()
            return next(
                (
                    c
                    for c in self.components()
                    if c.name.casefold() == folded and c.description == description
                ),
                None,
            )

        return self._write(
            lambda: self._component(self._send("POST", f"{API}/component", body=body)), happened
        )

    def update_component(
        self,
        component_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        lead: str | None = _UNSET,
        assignee_type: str | None = None,
    ) -> ObservedComponent:
        """Change the given fields; `lead=None` removes the lead."""
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if description is not None:
            body["description"] = description
        if lead is not _UNSET:
            body.update(self._lead_field(lead))
        if assignee_type is not None:
            body["assigneeType"] = assignee_type

        def happened() -> ObservedComponent | None:
            now = self.component(component_id)
            if now is None:
                return None
            lead_key = now.lead.key if now.lead else None
            same = (
                (name is None or now.name == name)
                and (description is None or now.description == description)
                and (lead is _UNSET or lead_key == (lead or None))
                and (assignee_type is None or now.assignee_type == assignee_type)
            )
            return now if same else None

        return self._write(
            lambda: self._component(
                self._send("PUT", f"{API}/component/{component_id}", body=body)
            ),
            happened,
        )

    def delete_component(self, component_id: str, *, move_issues_to: str | None = None) -> None:
        """Delete it; its tickets get `move_issues_to` (a component id) instead, when given."""
        params = {"moveIssuesTo": move_issues_to} if move_issues_to else None

        def do() -> bool:
            self._send("DELETE", f"{API}/component/{component_id}", params=params)
            return True

        self._write(do, lambda: True if self.component(component_id) is None else None)

    # -- writes: groups ------------------------------------------------------------------------

    def create_group(self, name: str) -> None:
        """Create an empty group. One that appeared since the plan was made is not taken over.

        Jira refuses a name that exists (400). Such a group was made outside this apply (by
        hand, or by another run) and may be granted anything anywhere: adding the planned
        people to it would give them what nobody reviewed, so the step fails with one line and
        the additions that depend on it are skipped. Only after a transient failure does an
        existing, empty group count as our own first attempt having landed.
        """

        def do() -> bool:
            self._send("POST", f"{API}/group", body={"name": name})
            return True

        def ours() -> bool | None:
            try:
                return True if self.group_members(name) == () else None
            except NotFound:
                return None

        try:
            self._write(do, ours)
        except RequestRejected:
            try:
                members = self.group_members(name)
            except NotFound:
                raise  # refused for another reason: Jira's words say which
            raise RequestRejected(
                f"group {name} already exists (made outside this apply since the plan, "
                f"{_count(len(members), 'member')}): accessq does not take over a group it did "
                "not create, so nobody was added to it; run `accessq plan` again to review it",
                status=400,
            ) from None

    def delete_group(self, name: str) -> None:
        def do() -> bool:
            self._send("DELETE", f"{API}/group", params={"groupname": name})
            return True

        self._write(do, lambda: None if self.group_exists(name) else True)

    def add_member(self, group: str, key: str) -> bool:
        """Add the account `key` (accountId on Cloud, username on Data Center) to `group`.

        False when they already were a member: Jira refuses that (Data Center: 400 "Cannot add
        user 'jdoe', user is already a member of 'g'"), and the goal is reached all the same.
        """
        field = "accountId" if self.flavor == "cloud" else "name"

        def do() -> bool:
            self._send("POST", f"{API}/group/user", params={"groupname": group}, body={field: key})
            return True

        try:
            return self._write(do, lambda: True if self._is_member(group, key) else None)
        except (RequestRejected, NotFound):
            if self._membership_is(group, key, member=True):
                return False
            raise

    def remove_member(self, group: str, key: str) -> bool:
        """Remove `key` from `group`; False when they were not a member (the goal, reached).

        Data Center refuses that with 400 "Cannot remove user 'jdoe' from group 'g' since user
        is not a member of 'g'"; Cloud's answer is not documented.
        """
        param = "accountId" if self.flavor == "cloud" else "username"

        def do() -> bool:
            self._send("DELETE", f"{API}/group/user", params={"groupname": group, param: key})
            return True

        try:
            return self._write(do, lambda: None if self._is_member(group, key) else True)
        except (RequestRejected, NotFound):
            if self._membership_is(group, key, member=False):
                return False
            raise

    def _is_member(self, group: str, key: str) -> bool:
        return any(m.key == key for m in self.group_members(group))

    def _membership_is(self, group: str, key: str, *, member: bool) -> bool:
        """After Jira refused a membership change: does a fresh read show the goal reached?

        Jira's wording differs by flavour, version and the account's language, so it is the
        group's members that decide, never the text. A group that is gone reaches no goal.
        """
        try:
            return self._is_member(group, key) is member
        except NotFound:
            return False

    # -- writes: JSM queue views ---------------------------------------------------------------

    def _find_jsm_queue(
        self, *, queue_id: str | None = None, name: str | None = None
    ) -> ObservedJsmQueue | None:
        for queue in self.jsm_queues():
            if queue.id == queue_id or (name is not None and queue.name == name):
                return queue
        return None

    def create_jsm_queue(self, name: str, jql: str) -> ObservedJsmQueue:
        if self.flavor == "cloud":
            path = f"{JSM_INTERNAL}/servicedesk/{self.project}/queues"
            body: dict[str, Any] = {
                "name": name,
                "jql": jql,
                "columns": list(JSM_COLUMNS),
                "canBeHidden": False,
                "favourite": False,
            }
        else:
            path = f"{JSM_API}/servicedesk/{self.service_desk_id()}/queue"
            body = {"name": name, "jql": jql, "fields": list(JSM_COLUMNS)}

        def do() -> ObservedJsmQueue:
            raw = self._send("POST", path, body=body) or {}
            if "id" not in raw:  # some versions answer without the queue: read it back
                found = self._find_jsm_queue(name=name)
                if found is None:
                    raise GatewayError(f"created JSM queue {name!r} but cannot find it")
                return found
            return ObservedJsmQueue(
                id=str(raw["id"]), name=raw.get("name", name), jql=raw.get("jql", jql)
            )

        return self._write(do, lambda: self._find_jsm_queue(name=name))

    def update_jsm_queue(self, queue_id: str, *, name: str, jql: str) -> ObservedJsmQueue:
        if self.flavor == "cloud":
            method, path = "PUT", f"{JSM_INTERNAL}/servicedesk/{self.project}/queues/{queue_id}"
            body: dict[str, Any] = {"name": name, "jql": jql, "columns": list(JSM_COLUMNS)}
        else:
            method = "POST"
            path = f"{JSM_API}/servicedesk/{self.service_desk_id()}/queue/{queue_id}"
            body = {"name": name, "jql": jql, "fields": list(JSM_COLUMNS)}
        updated = ObservedJsmQueue(id=queue_id, name=name, jql=jql)

        def do() -> ObservedJsmQueue:
            self._send(method, path, body=body)
            return updated

        def happened() -> ObservedJsmQueue | None:
            now = self._find_jsm_queue(queue_id=queue_id)
            return updated if now == updated else None

        return self._write(do, happened)

    def delete_jsm_queue(self, queue_id: str) -> None:
        def do() -> bool:
            if self.flavor == "cloud":
                path = f"{JSM_INTERNAL}/servicedesk/{self.project}/queues"
                self._send("PUT", path, body={"deleted": [_int_or_str(queue_id)]})
            else:
                path = f"{JSM_API}/servicedesk/{self.service_desk_id()}/queue/{queue_id}"
                self._send("DELETE", path)
            return True

        self._write(do, lambda: True if self._find_jsm_queue(queue_id=queue_id) is None else None)

    # -- project properties (the apply lock, accessq.apply.lock) -------------------------------

    def _property_path(self, key: str) -> str:
        return f"{API}/project/{quote(self.project, safe='')}/properties/{quote(key, safe='')}"

    def project_property(
        self, key: str, *, clock: bool = True
    ) -> tuple[Any | None, datetime | None]:
        """The project property's value (None when unset) and Jira's clock at the answer.

        Jira answers 404 both for a missing property and a missing project, and an error answer
        does not reach us with its Date: the list of property keys tells them apart and gives
        the clock. `clock=False` (a reader that already knows the project is there and needs no
        clock) takes the 404 as unset and spares that second request.
        """
        path = self._property_path(key)
        try:
            response = self._session.get(self._url(path))
        except NotFound:
            if not clock:
                return None, None
            try:
                response = self._session.get(self._url(path.rsplit("/", 1)[0]))
            except NotFound:
                raise self._missing_project() from None
            return None, server_time(response)
        body = _expect_object(_json(response, path), f"Jira answered {path} without a property")
        return body.get("value"), server_time(response)

    def set_project_property(self, key: str, value: Any) -> datetime | None:
        """Write the property (Jira keeps the last write); Jira's clock at the answer."""
        path = self._property_path(key)

        def do() -> tuple[datetime | None]:
            try:
                response = self._session.request("PUT", self._url(path), json=value)
            except NotFound:
                raise self._missing_project() from None
            return (server_time(response),)

        def happened() -> tuple[datetime | None] | None:
            now, when = self.project_property(key)
            return (when,) if now == value else None

        return self._write(do, happened)[0]

    def delete_project_property(self, key: str) -> None:
        """Delete the property; one that is already gone is fine."""
        path = self._property_path(key)

        def do() -> bool:
            with contextlib.suppress(NotFound):
                self._session.request("DELETE", self._url(path))
            return True

        self._write(do, lambda: True if self.project_property(key)[0] is None else None)

    # -- tickets: queue ticket counts and request comments (issue 14) --------------------------

    def open_tickets(self) -> Iterator[OpenTicket]:
        """Every open (unresolved) ticket of the project, with only what the counts need.

        One JQL search, paged, rather than one per queue: the requests grow with open tickets
        (100 a page on Cloud, 1000 on Data Center), not with queues. Cloud pages `search/jql` by
        `nextPageToken`; Data Center, which has no such endpoint, pages `search` by `startAt`.
        """
        key = self.project.replace("\\", "\\\\").replace('"', '\\"')
        params = {
            "jql": f'project = "{key}" AND resolution = Unresolved ORDER BY created ASC',
            "fields": "components,assignee,created",
        }
        if self.flavor == "cloud":
            token: str | None = None
            seen: set[str] = set()
            while True:
                page = self._get(
                    f"{API}/search/jql",
                    {**params, "maxResults": TICKET_PAGE_CLOUD}
                    | ({"nextPageToken": token} if token else {}),
                )
                yield from map(_open_ticket, page.get("issues") or [])
                token = page.get("nextPageToken")
                if page.get("isLast", True) or not token or token in seen:
                    return
                seen.add(token)  # a token seen before would loop forever
        start = 0
        while True:
            page = self._get(
                f"{API}/search", {**params, "startAt": start, "maxResults": TICKET_PAGE_DC}
            )
            issues = page.get("issues") or []
            yield from map(_open_ticket, issues)
            start += len(issues)
            if not issues or start >= int(page.get("total") or 0):
                return


    def related_issue_count(self, component_id: str) -> int:
        """Every ticket with the component, resolved ones too."""
        raw = self._get(f"{API}/component/{quote(component_id, safe='')}/relatedIssueCounts")
        return int(raw.get("issueCount") or 0)

    def add_comment(self, issue_key: str, body: str) -> str:
        """Comment on a ticket (v2: the body is plain text, wiki markup); returns its id.

        Sent once: a comment cannot be told apart from an identical earlier one, so a retry
        could post it twice.
        """
        raw = self._send(
            "POST", f"{API}/issue/{quote(issue_key, safe='')}/comment", body={"body": body}
        )
        return str((raw or {}).get("id", ""))

    # -- site access (accessq doctor; read-only, accessq.jira.site_access) ---------------------

    def my_permissions(self, keys: Sequence[str]) -> dict[str, bool]:
        """The runner's permissions in the project (global ones too): key -> held."""
        body = self._get(
            f"{API}/mypermissions", {"projectKey": self.project, "permissions": ",".join(keys)}
        )
        held = _expect_object(body, "Jira answered mypermissions without permissions")
        found = held.get("permissions") or {}
        return {k: bool((found.get(k) or {}).get("havePermission")) for k in keys}

    def permission_grants(self) -> list[Grant]:
        """Every grant of the project's permission scheme, holders with their names."""
        path = f"{API}/project/{quote(self.project, safe='')}/permissionscheme"
        scheme = _expect_object(self._get(path, {"expand": "all"}), f"{path}: not a scheme")
        return [
            Grant(permission=str(g.get("permission", "")), holder=_holder(g.get("holder") or {}))
            for g in scheme.get("permissions") or []
        ]

    def notifications(self) -> list[Notice]:
        """Every recipient of every event of the project's notification scheme."""
        path = f"{API}/project/{quote(self.project, safe='')}/notificationscheme"
        scheme = _expect_object(self._get(path, {"expand": "all"}), f"{path}: not a scheme")
        out: list[Notice] = []
        for item in scheme.get("notificationSchemeEvents") or []:
            event = item.get("event") or {}
            for raw in item.get("notifications") or []:
                holder = _holder({**raw, "type": raw.get("notificationType", "")})
                out.append(
                    Notice(
                        event_id=int(event.get("id", 0)),
                        event=str(event.get("name", "")),
                        recipient=holder,
                    )
                )
        return out

    def project_role_groups(self, role_id: str) -> RoleGroups:
        """A project role of the project and the groups among its actors."""
        path = f"{API}/project/{quote(self.project, safe='')}/role/{quote(role_id, safe='')}"
        role = _expect_object(self._get(path), f"{path}: not a project role")
        groups = [
            (a.get("actorGroup") or {}).get("name") or a.get("name") or ""
            for a in role.get("actors") or []
            if a.get("type") == "atlassian-group-role-actor"
        ]
        return RoleGroups(
            id=role_id, name=str(role.get("name", role_id)), groups=tuple(g for g in groups if g)
        )

    def application_roles_of(self, key: str) -> tuple[str, ...]:
        """Keys of the product access (application roles) the account holds."""
        who = {"accountId": key} if self.flavor == "cloud" else {"username": key}
        user = _expect_object(
            self._get(f"{API}/user", {**who, "expand": "applicationRoles"}),
            "Jira answered user without a user",
        )
        items = (user.get("applicationRoles") or {}).get("items") or []
        return tuple(sorted(str(i.get("key", "")) for i in items if i.get("key")))

    def is_assignable(self, key: str) -> bool:
        """Whether a new ticket of the project may be assigned to the account."""
        params: dict[str, Any] = {"project": self.project, "maxResults": 1000}
        if self.flavor == "cloud":
            params["accountId"] = key
        else:
            params["username"] = key  # a prefix search: the exact name is picked below
        found = self._get(f"{API}/user/assignable/search", params)
        if not isinstance(found, list):
            raise GatewayError("Jira answered user/assignable/search without a list of users")
        return any(self._account(u).key == key for u in found if isinstance(u, dict))

    # -- tickets (routing: accessq route / triage) ---------------------------------------------
    # Cloud searches with /search/jql (token pages; /search is gone there), Data Center with
    # /search (startAt pages). Fields are named, so a page is as large as each flavour allows.

    def search_tickets(self, jql: str) -> Iterator[TicketText]:
        """Every ticket `jql` finds, in the fewest pages the flavour allows."""
        body: dict[str, Any] = {"jql": jql, "fields": list(TICKET_FIELDS)}
        if self.flavor == "cloud":
            token: str | None = None
            seen: set[str] = set()
            while True:
                more = {"nextPageToken": token} if token else {}
                page = self._send(
                    "POST",
                    f"{API}/search/jql",
                    body={**body, "maxResults": TICKET_PAGE_CLOUD, **more},
                )
                yield from (self._ticket(raw) for raw in page.get("issues") or [])
                token = page.get("nextPageToken")
                if not token or page.get("isLast", True) or not page.get("issues"):
                    return
                if token in seen:  # a token seen before would loop forever
                    return
                seen.add(token)
        start = 0
        while True:
            page = self._send(
                "POST",
                f"{API}/search",
                body={**body, "startAt": start, "maxResults": TICKET_PAGE_DC},
            )
            issues = page.get("issues") or []
            yield from (self._ticket(raw) for raw in issues)
            start += len(issues)
            if not issues or start >= int(page.get("total") or 0):
                return

    def ticket(self, key: str) -> TicketText:
        """One ticket (NotFound when it does not exist or is hidden from us)."""
        raw = self._get(f"{API}/issue/{quote(key, safe='')}", {"fields": ",".join(TICKET_FIELDS)})
        return self._ticket(_expect_object(raw, f"issue {key}: not an issue"))

    def _ticket(self, raw: Mapping[str, Any]) -> TicketText:
        fields = raw.get("fields") or {}
        description = fields.get("description")
        assignee = fields.get("assignee")
        return TicketText(
            key=str(raw.get("key", "")),
            summary=str(fields.get("summary") or ""),
            description=description if isinstance(description, str) else "",
            components=tuple(str(c.get("name", "")) for c in fields.get("components") or []),
            assignee=self._account(assignee) if isinstance(assignee, dict) else None,
            resolved=fields.get("resolution") is not None,
        )

    def set_ticket_component(self, key: str, component_id: str) -> None:
        """Make `component_id` the ticket's one component (a PUT: safe to repeat)."""
        body = {"fields": {"components": [{"id": component_id}]}}
        self._send("PUT", f"{API}/issue/{quote(key, safe='')}", body=body)

    def assign_ticket(self, key: str, account_key: str | None) -> None:
        """Assign the ticket to an account, or (None) leave it unassigned."""
        field = "accountId" if self.flavor == "cloud" else "name"
        path = f"{API}/issue/{quote(key, safe='')}/assignee"
        self._send("PUT", path, body={field: account_key})

    # -- the request ticket of `apply --ticket` (accessq.cli.ticket) -------------------------

    def issue_key(self, key: str) -> str | None:
        """The ticket's own key when the runner can read it; None when Jira says there is none.

        Jira answers 404 both for a ticket that does not exist and for one the runner may not
        see. Other failures (network, credentials) raise as usual.
        """
        try:
            raw = self._get(f"{API}/issue/{quote(key, safe='')}", {"fields": "summary"})
        except NotFound:
            return None
        found = _expect_object(raw, f"Jira answered issue/{key} without an issue")
        return str(found.get("key") or key)


def account_from_json(raw: Mapping[str, Any], flavor: Flavor) -> Account:
    """An `Account` from a Jira user bean (Cloud: accountId; Data Center: name)."""
    key = raw.get("accountId") if flavor == "cloud" else (raw.get("name") or raw.get("key"))
    if not key:
        raise GatewayError(
            f"Jira returned a user without {'accountId' if flavor == 'cloud' else 'name'}"
        )
    kind = raw.get("accountType") if flavor == "cloud" else None
    return Account(
        key=str(key),
        display_name=raw.get("displayName") or "",
        email=raw.get("emailAddress") or None,  # absent or "" when the profile hides it
        active=bool(raw.get("active", True)),
        account_type=str(kind) if kind else None,
    )


# -- the `jira` client's private fields ----------------------------------------------------------
# The one place accessq touches them. The library offers no public way to give a `JIRA` client
# a session: its constructor always builds its own `ResilientSession` (`_session`, with a retry
# loop of its own) and every library call goes through it. Its `get_server_info=True` would read
# serverInfo through that session (re-requesting on an empty answer) before we could swap it, so
# we read serverInfo through ours and record what the library would have (`_version`, which some
# library calls branch on, and the public `deploymentType`).


def _library_session(client: JIRA) -> requests.Session:
    """The session the `JIRA` constructor set up: its auth, headers and TLS settings are copied."""
    return client._session


def _install(client: JIRA, session: PolicySession, info: Mapping[str, Any]) -> None:
    """Make `session` the one every library call uses; record serverInfo as the library would."""
    client._session.close()
    client._session = session
    client._version = tuple(info.get("versionNumbers") or (0, 0, 0))
    client.deploymentType = info.get("deploymentType")


def server_time(response: Response) -> datetime | None:
    """Jira's clock from the `Date` header of an answer, or None when it sent none."""
    try:
        when = parsedate_to_datetime(response.headers.get("Date", ""))
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _json(response: Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise GatewayError(
            f"{redact_url(response.url)} answered {kind} where Jira answers JSON ({what}): "
            "is the URL a Jira site?"
        ) from None


def _expect_object(value: Any, message: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise GatewayError(message)
    return value


def _holder(raw: Mapping[str, Any]) -> Holder:
    """A permission holder or notification recipient, named from whichever expansion Jira gave."""
    parameter = raw.get("parameter")
    named = raw.get("group") or raw.get("projectRole") or raw.get("field") or {}
    name = named.get("name") if isinstance(named, Mapping) else None
    return Holder(
        type=str(raw.get("type", "")),
        parameter=str(parameter) if parameter is not None else None,
        name=str(name) if name else None,
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _int_or_str(value: str) -> int | str:
    return int(value) if value.isdigit() else value
