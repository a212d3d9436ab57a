"""`redact`: every spelling of a secret this process holds is masked, and nothing else is."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote

from requests import PreparedRequest, Response

from accessq.jira.errors import _MAX_DETAIL, GatewayError, error_for_response, jira_words
from accessq.jira.secret import MASK, Secret, redact, register_basic

TOKEN = "tok/REDACT+é=7c41&'x"  # characters every escaping changes


def _spellings() -> list[str]:
    return [
        TOKEN,
        quote(TOKEN, safe=""),
        re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), quote(TOKEN, safe="")),
        quote(TOKEN),
        json.dumps(TOKEN)[1:-1],
        json.dumps(TOKEN, ensure_ascii=False)[1:-1],
        "tok/REDACT+é=7c41&amp;&#x27;x",
        base64.b64encode(f"bot@example.org:{TOKEN}".encode()).decode(),
        base64.b64encode(f"bot@example.org:{TOKEN}".encode("latin-1")).decode(),
    ]


def test_every_spelling_of_a_secret_is_masked_once_it_is_held() -> None:
    before = [redact(f"said {s} here") for s in _spellings()]
    secret = Secret(TOKEN)
    register_basic("bot@example.org", secret)
    for spelling, unmasked in zip(_spellings(), before, strict=True):
        assert unmasked == f"said {spelling} here"  # not masked before accessq held it
        assert redact(f"said {spelling} here") == f"said {MASK} here", spelling


def test_short_values_are_not_masked_everywhere() -> None:
    Secret("admin")  # the sandbox's demo login; masking it would garble "admin" in every line
    assert redact("signed in as admin") == "signed in as admin"


def _response(status: int, body: object, headers: dict[str, str] | None = None) -> Response:
    response = Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update({"Content-Type": "application/json", **(headers or {})})
    response.url = "https://jira.example.org/rest/api/2/group"
    request = PreparedRequest()
    request.prepare(method="POST", url=response.url)
    response.request = request
    return response


def test_a_long_echoed_token_is_masked_before_jiras_words_are_cut_short() -> None:
    long_token = "pat-" + "0123456789abcdef" * 12  # 196 characters, like a Cloud API token
    Secret(long_token)
    padding = "x" * (_MAX_DETAIL - 40)
    words = jira_words(_response(400, {"errorMessages": [f"{padding} Bearer {long_token}"]}))
    assert long_token[:16] not in words and "Bearer ***" in words


def test_errors_mask_what_the_server_echoed_in_body_and_headers() -> None:
    token = "tok-echo-5e1b20c9"
    Secret(token)
    body = {"errorMessages": [f"bad token {token}"]}
    for status in (400, 401, 403, 404, 409, 500):
        error = error_for_response(_response(status, body), auth_hint="check the token")
        assert token not in str(error) and MASK in str(error), status
    denied = _response(401, {}, {"X-Authentication-Denied-Reason": f"token {token} expired"})
    assert token not in str(error_for_response(denied, auth_hint=""))
    assert token not in str(GatewayError(f"anything at all {token}"))
