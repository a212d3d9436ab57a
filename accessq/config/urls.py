"""The rules for a Jira site URL, in one place: `jira.url` (validate) and the connection use them.

A site URL is `http(s)://HOST[:PORT][/context/path]`, nothing more. The token travels with every
request, so:

- no userinfo, however it is spelled: `user:token@host`, `https://TOKEN/x@host` (which `urlsplit`
  reads as host TOKEN, and a resolver would send to DNS), `%40`, a fullwidth `＠`, backslashes
  (browsers read `\\` as `/`). Any `@` or `%40` anywhere is refused, and nothing of the URL is
  echoed, because whatever surrounds the `@` may be the secret;
- plain `http://` only to loopback (`is_loopback`), where nothing leaves the machine;
- ASCII only and no whitespace or control characters (`urlsplit` silently drops tabs and
  newlines, so what it parses would not be what the reader saw).

`check_site_url` raises `UrlError`, whose text is a phrase to put after the setting's name
("jira.url must ..."), one line, never carrying the URL's secret parts.
"""

from __future__ import annotations

import re
import unicodedata
from ipaddress import IPv6Address, ip_address

EXAMPLE_URL = "https://access-ci.atlassian.net"
CREDENTIALS_FROM = (
    "credentials come from the environment "
    "(ACCESSQ_JIRA_USER and ACCESSQ_JIRA_TOKEN, or ACCESSQ_JIRA_PAT)"
)

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = rf"({_LABEL}(\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]+\])"
# RFC 3986 path characters, without `%` (no encoded `@` or `/` to get past the rules) and `@`.
_PATH = r"(/[A-Za-z0-9._~!$&'()*+,;=:-]*)*"
# The whole accepted shape; also the JSON Schema's pattern (so it stays ECMAScript-compatible).
URL_PATTERN = rf"^https?://{_HOST}(:[0-9]{{1,5}})?{_PATH}$"
_URL = re.compile(
    rf"(?P<scheme>https?)://(?P<host>{_HOST})(:(?P<port>[0-9]{{1,5}}))?{_PATH}", re.IGNORECASE
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Names that never leave the machine without a resolver's say (RFC 6761 reserves `localhost`).
# Deliberately not `localhost.localdomain` or `*.localhost`: the resolver may ask DNS for them.
LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


class UrlError(ValueError):
    """A site URL accessq will not use; `str()` is a phrase such as 'must use https ...'."""


def is_loopback(host: str) -> bool:
    """`localhost` or a loopback IP literal (127.0.0.0/8, ::1, ::ffff:127.x); brackets allowed.

    The one definition: `jira.url`, the connection (plain http, no proxy) and the sandbox's
    `--host` all ask this.
    """
    if host.casefold() in LOOPBACK_NAMES:
        return True
    try:
        address = ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def check_site_url(url: str) -> None:
    """Raise `UrlError` unless `url` is a bare site address accessq may send a token to."""
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        raise UrlError("must not contain spaces or control characters")
    # NFKC folds look-alikes (fullwidth @, small reverse solidus) into the characters they mimic.
    folded = unicodedata.normalize("NFKC", url)
    if "@" in folded or "%40" in folded.lower() or "\\" in folded:
        raise UrlError(
            f"must be the bare site address, e.g. {EXAMPLE_URL}: no user name or password; "
            f"{CREDENTIALS_FROM}"
        )
    if not url.isascii():
        raise UrlError("must be ASCII: write an international domain name in its xn-- form")
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() not in ("http", "https"):
        shown = f" ({scheme.group(1)}:)" if scheme else ""
        raise UrlError(f"must be an http(s) URL{shown}, e.g. {EXAMPLE_URL}")
    if "?" in url or "#" in url:
        raise UrlError(f"must be the bare site address, e.g. {EXAMPLE_URL}: no query or fragment")
    match = _URL.fullmatch(url)
    port = match.group("port") if match else None
    if match is None or (port is not None and not 0 < int(port) < 65536):
        raise UrlError(
            f"must be a site address such as {EXAMPLE_URL} (host, optional port and path)"
        )
    host = match.group("host")
    if host.startswith("[") and not _is_ipv6(host[1:-1]):
        raise UrlError(f"must be a site address such as {EXAMPLE_URL}: [{host[1:-1]}] is not IPv6")
    # Credentials travel on every request: plain http only where nothing leaves the machine.
    if match.group("scheme").lower() == "http" and not is_loopback(host):
        raise UrlError(
            "must use https (plain http is only for loopback: localhost, 127.0.0.1, ::1), "
            f"e.g. https://{host}"
        )


def _is_ipv6(text: str) -> bool:
    try:
        return isinstance(ip_address(text), IPv6Address)
    except ValueError:
        return False
