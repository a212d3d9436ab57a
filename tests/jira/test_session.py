"""PolicySession as a unit: scripted HTTP answers through a fake transport adapter."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from accessq.jira.errors import (
    AuthenticationError,
    ConnectError,
    NotFound,
    PermissionDenied,
    RetriesExhausted,
    TransientError,
)
from accessq.jira.retry import Pacer, RetryPolicy
from accessq.jira.session import PolicySession

URL = "https://jira.example.org/rest/api/2/thing"


class Scripted(BaseAdapter):
    """Answers each request with the next scripted (status, headers, body), or raises it."""

    def __init__(self, script: Iterable[Any]) -> None:
        super().__init__()
        self.script = list(script)
        self.seen: list[requests.PreparedRequest] = []

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        self.seen.append(request)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        status, headers, body = step
        response = requests.Response()
        response.status_code = status
        response.headers.update(headers)
        response._content = json.dumps(body).encode() if body is not None else b""
        response.url = request.url or ""
        response.request = request
        response.reason = "scripted"
        return response

    def close(self) -> None:
        pass


def session(script: Iterable[Any], **policy: Any) -> tuple[PolicySession, Scripted, list[float]]:
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # fake time: a sleep moves the pacer's clock on
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(
        RetryPolicy(rate_limit=0, **policy),
        sleep=sleep,
        clock=lambda: now[0],
        uniform=lambda a, b: 1.0,
    )
    s = PolicySession(pacer, timeout=5, auth_hint="check ACCESSQ_JIRA_PAT")
    adapter = Scripted(script)
    s.mount("https://", adapter)
    return s, adapter, slept


def test_reads_retry_429_honouring_retry_after_and_count_every_attempt() -> None:
    s, adapter, slept = session(
        [(429, {"Retry-After": "3"}, None), (503, {}, None), (200, {}, {"ok": True})]
    )
    assert s.get(URL).json() == {"ok": True}
    assert slept == [3.0, 1.0]  # Retry-After exactly; then base backoff x2^1 x jitter 1.0
    assert s.request_count == 3 == len(adapter.seen)


def test_reads_give_up_after_max_retries_with_one_line() -> None:
    s, adapter, slept = session([(429, {"Retry-After": "1"}, None)] * 5, max_retries=4)
    with pytest.raises(RetriesExhausted) as caught:
        s.get(URL)
    assert len(adapter.seen) == 5 and len(slept) == 4
    message = str(caught.value)
    assert "\n" not in message and "429" in message and "4 retries" in message


def test_dropped_connection_on_a_read_is_retried() -> None:
    dropped = requests.ConnectionError(
        ConnectionResetError(104, "Connection reset by peer")  # no MaxRetryError: a lost connection
    )
    s, _, slept = session([dropped, (200, {}, [])])
    assert s.get(URL).json() == []
    assert len(slept) == 1


def test_writes_are_never_retried_by_the_session() -> None:
    s, adapter, slept = session([(503, {"Retry-After": "2"}, None)])
    with pytest.raises(TransientError) as caught:
        s.post(URL, json={"name": "x"})
    assert len(adapter.seen) == 1 and slept == []
    assert caught.value.status == 503 and caught.value.retry_after == "2"


def test_502_is_retried_on_reads() -> None:
    s, _, _ = session([(502, {}, None), (200, {}, {"x": 1})])
    assert s.get(URL).json() == {"x": 1}


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (401, {}, AuthenticationError, "ACCESSQ_JIRA_PAT"),
        (
            403,
            {"errorMessages": ["You do not have the permission to see the specified group."]},
            PermissionDenied,
            "You do not have the permission to see the specified group.",
        ),
        (404, {"errorMessage": "Service desk not found"}, NotFound, "Service desk not found"),
    ],
)
def test_client_errors_are_one_line_in_jiras_words(
    status: int, body: dict[str, Any], error: type[Exception], words: str
) -> None:
    s, adapter, _ = session([(status, {}, body)])
    with pytest.raises(error) as caught:
        s.get(URL)
    assert len(adapter.seen) == 1  # not retried
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_connection_refused_fails_at_once() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    slept: list[float] = []
    s = PolicySession(Pacer(RetryPolicy(rate_limit=0), sleep=slept.append), timeout=2, auth_hint="")
    with pytest.raises(ConnectError) as caught:
        s.get(f"http://127.0.0.1:{port}/rest/api/2/serverInfo")
    assert str(caught.value) == (
        f"cannot connect to Jira at http://127.0.0.1:{port}: connection refused "
        "(check --jira-url / ACCESSQ_JIRA_URL)"
    )
    assert slept == []
