"""The `echo_credentials` fault: error answers that repeat the caller's credentials.

Some servers and proxies do this (debug pages, verbose auth filters). A client that prints or
logs error bodies or headers then leaks its token; this fault lets tests prove it does not.
The credentials are repeated verbatim (not escaped), as such a server would.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from werkzeug.wrappers import Response

HEADER = "X-Authentication-Denied-Reason"
_PHRASES = {400: "Bad Request", 401: "Unauthorized", 500: "Internal Server Error"}


def echoes(status: int) -> bool:
    """The answers the fault applies to: 400, 401 and every 5xx."""
    return status in (400, 401) or status >= 500


def describe(authorization: str | None) -> str:
    """The header as sent, and what it decodes to."""
    if not authorization:
        return "no Authorization header was sent"
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return f"Authorization: {authorization} (not valid base64)"
        login, _, secret = decoded.partition(":")
        return f"Authorization: {authorization} (user '{login}', password '{secret}')"
    if scheme.lower() == "bearer":
        return f"Authorization: {authorization} (bearer token '{value.strip()}')"
    return f"Authorization: {authorization}"


def apply(response: Response, authorization: str | None, fmt: str, jsm: bool) -> Response:
    """`response` with the credentials echoed in a header and in the body (json or html)."""
    text = describe(authorization)
    message = _message(response)
    status = response.status_code
    if fmt == "html":
        phrase = _PHRASES.get(status, response.status.partition(" ")[2] or "Error")
        page = (
            f"<html><head><title>HTTP Status {status} - {phrase}</title></head><body>"
            f"<h1>HTTP Status {status} - {phrase}</h1><p>{message}</p><p>{text}</p>"
            "</body></html>"
        )
        echoed = Response(page, status=status, content_type="text/html;charset=UTF-8")
    else:
        echoed = Response(
            json.dumps(_json_body(response, message, text, jsm), ensure_ascii=False),
            status=status,
            content_type="application/json;charset=UTF-8",
        )
    for name, value in response.headers.items():
        if name.lower() not in ("content-type", "content-length"):
            echoed.headers.add(name, value)
    echoed.headers[HEADER] = _header_safe(text)
    return echoed


def _body_json(response: Response) -> Any:
    if response.mimetype != "application/json":
        return None
    try:
        return json.loads(response.get_data())
    except ValueError:
        return None


def _message(response: Response) -> str:
    body = _body_json(response)
    if isinstance(body, dict):
        if body.get("errorMessages"):
            return "; ".join(str(m) for m in body["errorMessages"])
        if body.get("errorMessage"):
            return str(body["errorMessage"])
        if body.get("errors"):
            return "; ".join(f"{k}: {v}" for k, v in body["errors"].items())
    return response.status


def _json_body(response: Response, message: str, text: str, jsm: bool) -> dict[str, Any]:
    body = _body_json(response)
    if jsm:
        original = body.get("errorMessage") if isinstance(body, dict) else None
        i18n = body.get("i18nErrorMessage") if isinstance(body, dict) else None
        return {
            "errorMessage": f"{original or message} {text}",
            "i18nErrorMessage": i18n or {"i18nKey": "sd.auth.error", "parameters": []},
        }
    if isinstance(body, dict) and isinstance(body.get("errorMessages"), list):
        return {**body, "errorMessages": [*body["errorMessages"], text]}
    return {"errorMessages": [message, text], "errors": {}}


def _header_safe(text: str) -> str:
    """As the header's bytes would be on the wire: latin-1, one line."""
    raw = text.encode("utf-8").decode("latin-1")
    return "".join(c if c >= " " and c != "\x7f" else "?" for c in raw)
