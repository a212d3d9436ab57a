"""The one place every HTTP request to Jira goes through: rate limit, retry policy, count, errors.

The `jira` library's `ResilientSession` retries on its own (429/503 and connection errors, with its
own sleeps). `PolicySession` replaces it on the `JIRA` client: it keeps the library's request
preparation but makes exactly one attempt per loop turn, so the library's retry loop never runs,
and applies `accessq.jira.retry` instead. Library calls and our own direct calls share it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from jira.resilientsession import ResilientSession
from requests import Response
from requests.adapters import HTTPAdapter
from requests.exceptions import ConnectTimeout, ReadTimeout, RequestException, SSLError
from urllib3.exceptions import MaxRetryError, NewConnectionError

from accessq.jira.errors import (
    ConnectError,
    GatewayError,
    RetriesExhausted,
    TransientError,
    describe_request,
    error_for_exception,
    error_for_redirect,
    error_for_response,
    jira_words,
)
from accessq.jira.retry import READ_METHODS, TRANSIENT, Pacer, RetryWait

T = TypeVar("T")


class PolicySession(ResilientSession):
    def __init__(
        self,
        pacer: Pacer,
        *,
        timeout: float | tuple[float, float] | None,
        auth_hint: str,
        pool_size: int = 16,
    ) -> None:
        super().__init__(timeout=timeout, max_retries=0)
        self.pacer = pacer
        self.auth_hint = auth_hint
        self._count = 0
        self._count_lock = threading.Lock()
        self._local = threading.local()  # per thread: the apply journal asks right after a call
        # Enough pooled connections for the reader's thread pool (requests defaults to 10).
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    @classmethod
    def replacing(
        cls,
        library_session: requests.Session,
        pacer: Pacer,
        *,
        timeout: float | tuple[float, float] | None,
        auth_hint: str,
        pool_size: int = 16,
    ) -> PolicySession:
        """A policy session carrying over what the `JIRA` client set up (auth, headers, TLS)."""
        session = cls(pacer, timeout=timeout, auth_hint=auth_hint, pool_size=pool_size)
        session.auth = library_session.auth
        session.headers.update(library_session.headers)
        session.verify = library_session.verify
        session.cert = library_session.cert
        session.proxies = library_session.proxies
        session.cookies.update(library_session.cookies)
        return session

    @property
    def request_count(self) -> int:
        """HTTP attempts made so far, retries included."""
        return self._count

    def last_request_id(self) -> str | None:
        """Jira's id (`X-AREQUESTID`) of this thread's last response, for the journal."""
        return getattr(self._local, "request_id", None)

    def reset_count(self) -> None:
        with self._count_lock:
            self._count = 0

    def request(  # type: ignore[override]  # same override shape as ResilientSession's
        self, method: str, url: str | bytes, _prepare_retry_class: Any = None, **kwargs: Any
    ) -> Response:
        method = method.upper()
        url = url.decode() if isinstance(url, bytes) else url
        prepared = self._jira_prepare(**kwargs)
        # Never follow a redirect, reads included: requests turns a redirected POST/PUT/DELETE
        # into a GET (301/302) that "succeeds", or re-sends it elsewhere (307/308).
        prepared["allow_redirects"] = False

        def attempt() -> Response:
            return self._attempt(method, url, prepared)

        if method not in READ_METHODS:
            # A write may have happened: the gateway re-reads (`retrying` with `after_transient`)
            # before it retries.
            return attempt()
        return retrying(
            self.pacer,
            attempt,
            after_transient=_retry_at_once,
            give_up=lambda exc, retries: _exhausted(self.pacer, method, url, exc.response, retries),
        )

    def _attempt(self, method: str, url: str, prepared: dict[str, Any]) -> Response:
        """One HTTP attempt; a 429/5xx or dropped connection raises `TransientError`."""
        self.pacer.acquire()
        with self._count_lock:
            self._count += 1
        response: Response | None = None
        try:
            # One attempt, straight to requests: ResilientSession's loop is bypassed.
            response = requests.Session.request(self, method, url, timeout=self.timeout, **prepared)
        except (SSLError, ConnectTimeout) as exc:
            raise error_for_exception(exc, method=method, url=url) from None
        except RequestException as exc:
            if not _dropped(exc):
                raise error_for_exception(exc, method=method, url=url) from None
        if response is not None:
            self._local.request_id = response.headers.get("X-AREQUESTID")
            self.pacer.observe(response.headers)  # the budget Jira states, 429 or not
        if response is not None and 300 <= response.status_code < 400:
            raise error_for_redirect(response) from None  # `ok` would count it a success
        if response is not None and response.ok:
            return response
        if response is not None and response.status_code not in TRANSIENT:
            raise error_for_response(response, auth_hint=self.auth_hint) from None
        raise TransientError(
            _transient_text(method, url, response),
            status=response.status_code if response is not None else None,
            retry_after=response.headers.get("Retry-After") if response is not None else None,
            response=response,
            request=describe_request(method, url),
        ) from None


def retrying(
    pacer: Pacer,
    attempt: Callable[[], T],
    *,
    after_transient: Callable[[], T | None],
    give_up: Callable[[TransientError, int], GatewayError],
) -> T:
    """The one retry loop, for reads (the session) and writes (the gateway).

    `attempt` raises `TransientError` on a 429/5xx or dropped connection; the loop waits as the
    pacer says (every thread waits out a 429), then asks `after_transient`: a result ends the
    loop with it (a write that the re-read shows did happen), None tries again (a read, or a
    write that did not happen: then a retry is as safe as a read's). `give_up(error, retries)`
    is raised once the pacer says stop.
    """
    retry_number = 0
    while True:
        try:
            return attempt()
        except TransientError as exc:
            retry_number += 1
            delay = pacer.retry_delay(
                retry_number, status=exc.status, headers=exc.headers, idempotent=True
            )
            if delay is None:
                raise give_up(exc, retry_number - 1) from None
            if exc.status == 429:
                pacer.throttled(delay)  # the other threads wait it out in acquire()
            pacer.announce(
                RetryWait.of(
                    exc.status, delay, exc.headers, retry_number, pacer.policy, exc.request
                )
            )
            pacer.sleep(delay)
            result = after_transient()
            if result is not None:
                return result


def _retry_at_once() -> None:
    """A read changes nothing: after a transient failure, simply try again."""
    return None


def _dropped(exc: RequestException) -> bool:
    """A connection that was open and then lost (or a read timeout), worth retrying on reads.

    Refused connections and unknown hosts are not: the URL is wrong, say so at once.
    """
    if isinstance(exc, ReadTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    return not isinstance(_root_cause(exc), NewConnectionError)


def _root_cause(exc: RequestException) -> object:
    reason = exc.args[0] if exc.args else None
    return reason.reason if isinstance(reason, MaxRetryError) else reason


def _transient_text(method: str, url: str, response: Response | None) -> str:
    what = describe_request(method, url)
    if response is None:
        return f"connection dropped during {what}"
    return f"Jira answered HTTP {response.status_code} to {what}"


def _exhausted(
    pacer: Pacer, method: str, url: str, response: Response | None, retries: int
) -> RetriesExhausted | ConnectError:
    what = describe_request(method, url)
    if response is None:
        return RetriesExhausted(f"connection to Jira kept dropping on {what} ({retries} retries)")
    status = response.status_code
    too_long = pacer.asked_too_long(response.headers)
    if too_long is not None:
        return RetriesExhausted(
            f"Jira answered HTTP {status} to {what} and asked to wait {too_long:.0f} s "
            "(Retry-After); try again later"
        )
    words = jira_words(response)
    said = f" ({words})" if words else ""
    hint = "; try again later or lower ACCESSQ_JIRA_RATE_LIMIT" if status == 429 else ""
    return RetriesExhausted(
        f"Jira kept answering HTTP {status}{said} to {what}; gave up after {retries} retries{hint}",
        status=status,
    )
