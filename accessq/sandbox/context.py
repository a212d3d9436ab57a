"""What a handler gets: request, store, flavour, signed-in account, and typed parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request

from accessq.sandbox.errors import ApiError, bad_request
from accessq.sandbox.numbers import INT32_MAX, parse_int
from accessq.sandbox.options import SandboxOptions
from accessq.sandbox.rows import Account
from accessq.sandbox.store import Store

CLOUD = "cloud"
DC = "dc"
FLAVORS = (CLOUD, DC)


@dataclass
class RequestContext:
    request: Request
    store: Store
    flavor: str
    account: Account | None
    api_version: str = "2"
    options: SandboxOptions = field(default_factory=SandboxOptions)

    @property
    def cloud(self) -> bool:
        return self.flavor == CLOUD

    @property
    def base_url(self) -> str:
        return self.request.host_url.rstrip("/")

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/rest/api/{self.api_version}"

    # -- query parameters ------------------------------------------------------------------

    def arg(self, name: str) -> str | None:
        return self.request.args.get(name)

    def args(self, name: str) -> list[str]:
        return self.request.args.getlist(name)

    def int_arg(
        self, name: str, default: int, *, minimum: int = 0, maximum: int = INT32_MAX
    ) -> int:
        """A whole-number parameter (Jira's int32 unless maximum says otherwise); 400 if not."""
        raw = self.request.args.get(name)
        if raw is None or raw == "":
            return default
        value = parse_int(raw.strip())
        if value is None or value > maximum:
            raise bad_request(f"The value '{raw}' is not valid for the parameter '{name}'.")
        if value < minimum:
            raise bad_request(f"The parameter '{name}' must be at least {minimum}.")
        return value

    def bool_arg(self, name: str, default: bool) -> bool:
        raw = self.request.args.get(name)
        if raw is None or raw == "":
            return default
        lowered = raw.lower()
        if lowered not in ("true", "false"):
            raise bad_request(f"The value '{raw}' is not valid for the parameter '{name}'.")
        return lowered == "true"

    def page_url(self, **overrides: int) -> str:
        """This request's URL with some query parameters replaced (for `self` / `nextPage`)."""
        params: dict[str, Any] = {k: self.request.args.getlist(k) for k in self.request.args}
        for key, value in overrides.items():
            params[key] = [str(value)]
        query = urlencode([(k, v) for k, vs in params.items() for v in vs])
        return f"{self.base_url}{self.request.path}?{query}"

    # -- body ------------------------------------------------------------------------------

    def json_body(self) -> dict[str, Any]:
        content_type = self.request.mimetype
        if content_type and content_type != "application/json":
            raise ApiError(415, f"Unsupported media type {content_type!r}; send application/json.")
        raw = self.request.get_data(cache=True)
        if not raw.strip():
            raise bad_request("No content to map to Object due to end of input")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_request(f"Unexpected character in the request body: {exc}") from None
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.")
        return body


def string_field(body: dict[str, Any], name: str) -> str | None:
    """A string field of a JSON body; a non-string value is a 400 naming the field."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(**{name: f"The field '{name}' must be a string."})
    return value
