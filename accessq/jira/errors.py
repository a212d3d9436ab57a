"""What can go wrong talking to Jira, each as ONE clear line.

The CLI prints `error: <str(exc)>` and exits 1, so every message here must stand on its own: what
failed, where, and (when there is one) what to do about it. Messages are built only from the URL
(without any userinfo), the HTTP method, path and status, and Jira's own error text; never from
request headers. A server may still echo the credentials in its error text, so every message is
passed through `accessq.jira.secret.redact`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from requests import Response
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import ConnectTimeout, ReadTimeout, RequestException, SSLError
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from accessq.jira.secret import redact

_MAX_DETAIL = 300
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_HOST = re.compile(r"[A-Za-z0-9.:-]{1,255}")  # a name or address, nothing that needs quoting


class GatewayError(Exception):
    """A failure talking to Jira; `str()` is one line fit for `error: ...`."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        # Server text (Jira's words, a Content-Type, a Location) may echo the credentials.
        super().__init__(redact(one_line(message)))
        self.status = status

    def __str__(self) -> str:
        return str(self.args[0])


class ConfigurationError(GatewayError):
    """The connection settings themselves are wrong (URL scheme, missing credentials)."""


class ConnectError(GatewayError):
    """Jira could not be reached at all: wrong URL, DNS, connection refused, TLS."""


class AuthenticationError(GatewayError):
    """HTTP 401: the credentials were rejected."""


class PermissionDenied(GatewayError):
    """HTTP 403: the account lacks a permission; the message carries Jira's words."""


class NotFound(GatewayError):
    """HTTP 404 (the gateway turns it into 'missing project', 'no such group', ...)."""


class RequestRejected(GatewayError):
    """HTTP 400/409 and other client errors: Jira refused the request as such."""


class TransientError(GatewayError):
    """429/5xx or a dropped connection on a write: it may or may not have happened.

    The session never retries writes itself; the gateway re-reads first, then retries.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        retry_after: str | None,
        response: Response | None = None,
        request: str = "",
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after
        self.response = response  # None when the connection dropped (or the answer is not known)
        self.request = request  # `describe_request`: method and path, never host or query

    @property
    def headers(self) -> Mapping[str, str] | None:
        """What the retry policy reads (Retry-After): the whole answer's headers when known."""
        if self.response is not None:
            return self.response.headers
        return {"Retry-After": self.retry_after} if self.retry_after else None


class RedirectRefused(GatewayError):
    """HTTP 3xx: accessq never follows redirects.

    Following one would turn a POST/PUT/DELETE into a GET (301/302) that then "succeeds", so the
    journal would record a change that never happened; or re-send it to another host (307/308).
    """


class RetriesExhausted(GatewayError):
    """Jira kept answering 429/5xx (or dropping the connection) through every retry."""


def one_line(text: str) -> str:
    """Collapse whitespace so a message is exactly one line."""
    return " ".join(text.split())


def redact_url(url: str) -> str:
    """The URL without any `user:password@` part (and without query), safe to print.

    Works on URLs that do not parse too (a bad port, a broken IPv6 literal): the userinfo is
    cut by pattern first, so a message about a malformed URL never carries its token.
    """
    bare = _USERINFO.sub(r"\1", url).split("?", 1)[0].split("#", 1)[0]
    try:
        parts = urlsplit(bare)
        port = parts.port
    except ValueError:
        return bare
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def jira_words(response: Response) -> str:
    """Jira's own error text: platform `errorMessages`/`errors`, JSM `errorMessage`, `message`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    words: list[str] = []
    if isinstance(body, dict):
        messages = body.get("errorMessages")
        if isinstance(messages, list):
            words += [str(m) for m in messages if m]
        errors = body.get("errors")
        if isinstance(errors, dict):
            words += [f"{k}: {v}" for k, v in errors.items()]
        for key in ("errorMessage", "message"):
            if isinstance(body.get(key), str) and body[key]:
                words.append(body[key])
    if not words:
        denied = response.headers.get("X-Authentication-Denied-Reason")
        if denied:
            words.append(denied)
    # Masked before it is cut short: a cut through a token would leave a prefix no mask matches.
    text = redact(one_line("; ".join(words)))
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 3] + "..."


def describe_request(method: str, url: str) -> str:
    return f"{method.upper()} {urlsplit(url).path}"


def error_for_response(response: Response, *, auth_hint: str) -> GatewayError:
    """The error for a final (non-retried or retried-out) non-2xx response."""
    status = response.status_code
    request = response.request
    what = describe_request(request.method or "GET", response.url)
    words = jira_words(response)
    said = f": {words}" if words else ""
    if status == 401:
        site = redact_url(_site_of(response.url))
        return AuthenticationError(
            f"Jira at {site} rejected the credentials (HTTP 401){said}; {auth_hint}", status=status
        )
    if status == 403:
        return PermissionDenied(f"permission denied (HTTP 403) for {what}{said}", status=status)
    if status == 404:
        return NotFound(f"not found (HTTP 404): {what}{said}", status=status)
    if 400 <= status < 500:
        return RequestRejected(f"Jira refused {what} (HTTP {status}){said}", status=status)
    return GatewayError(f"Jira failed on {what} (HTTP {status}){said}", status=status)


def error_for_redirect(response: Response) -> RedirectRefused:
    """The line for a 3xx: the status and the Location's host only (its path or userinfo may
    carry anything, a token included)."""
    what = describe_request(response.request.method or "GET", response.url)
    where = _redirect_target(response.headers.get("Location"))
    return RedirectRefused(
        f"Jira answered {what} with a redirect (HTTP {response.status_code}) to {where}; "
        "accessq does not follow redirects: if the site moved, use its new address "
        "(--jira-url / ACCESSQ_JIRA_URL)",
        status=response.status_code,
    )


def _redirect_target(location: str | None) -> str:
    if not location:
        return "no Location"
    try:
        parts = urlsplit(location.strip())
        host = parts.hostname
    except ValueError:
        return "an unreadable Location"
    if not parts.netloc:
        return "another path of the same site"
    if not host or not _HOST.fullmatch(host):
        return "an unreadable Location"
    return f"host {host}"


def error_for_exception(exc: RequestException, *, method: str, url: str) -> GatewayError:
    """A clear line for a request that got no HTTP answer at all."""
    site = redact_url(_site_of(url))
    if isinstance(exc, SSLError):
        return ConnectError(f"TLS handshake with {site} failed: check the URL (--jira-url)")
    if isinstance(exc, ConnectTimeout):
        return ConnectError(f"cannot connect to Jira at {site}: timed out (check --jira-url)")
    if isinstance(exc, ReadTimeout):
        what = describe_request(method, url)
        return RetriesExhausted(f"Jira at {site} did not answer {what} in time")
    reason_exc = exc.args[0] if exc.args else None
    if isinstance(reason_exc, MaxRetryError):
        reason_exc = reason_exc.reason
    if isinstance(reason_exc, NameResolutionError):
        reason = "unknown host"
    elif isinstance(reason_exc, NewConnectionError) and "refused" in str(reason_exc).lower():
        reason = "connection refused"
    elif isinstance(exc, RequestsConnectionError):
        reason = "connection failed"
    else:
        reason = type(exc).__name__
    return ConnectError(
        f"cannot connect to Jira at {site}: {reason} (check --jira-url / ACCESSQ_JIRA_URL)"
    )


def _site_of(url: str) -> str:
    parts = urlsplit(url)
    # The site is what precedes /rest/ (Data Center may live under a context path).
    path = parts.path.split("/rest/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
