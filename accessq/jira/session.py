"""The one place every HTTP request to Jira goes through: rate limit, retry policy, count, errors.

The `jira` library's `ResilientSession` retries on its own (429/503 and connection errors, with its
own sleeps). `PolicySession` replaces it on the `JIRA` client: it keeps the library's request
preparation but makes exactly one attempt per loop turn, so the library's retry loop never runs,
and applies `accessq.jira.retry` instead. Library calls and our own direct calls share it.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from jira.resilientsession import ResilientSession
from requests import Response
from requests.adapters import HTTPAdapter
from requests.exceptions import ConnectTimeout, ReadTimeout, RequestException, SSLError
from urllib3.exceptions import MaxRetryError, NewConnectionError

from accessq.jira.errors import (
    ConnectError,
    RetriesExhausted,
    TransientError,
    describe_request,
    error_for_exception,
    error_for_redirect,
    error_for_response,
    jira_words,
)
from accessq.jira.retry import READ_METHODS, TRANSIENT, Pacer


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
        idempotent = method in READ_METHODS
        retry_number = 0
        while True:
            self.pacer.acquire()
            with self._count_lock:
                self._count += 1
            response: Response | None = None
            try:
                # One attempt, straight to requests: ResilientSession's loop is bypassed.
                response = requests.Session.request(
                    self, method, url, timeout=self.timeout, **prepared
                )
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

            status = response.status_code if response is not None else None
            headers = response.headers if response is not None else None
            if not idempotent:
                # A write may have happened: the gateway re-reads before it retries.
                raise TransientError(
                    _transient_text(method, url, response),
                    status=status,
                    retry_after=headers.get("Retry-After") if headers else None,
                ) from None
            retry_number += 1
            delay = self.pacer.retry_delay(
                retry_number, status=status, headers=headers, idempotent=True
            )
            if delay is None:
                raise _exhausted(self.pacer, method, url, response, retry_number - 1) from None
            if status == 429:
                self.pacer.throttled(delay)  # the other threads wait it out in acquire()
            self.pacer.sleep(delay)


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
