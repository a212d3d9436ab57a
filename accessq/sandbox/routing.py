"""How handlers declare their routes, and what they return."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.routing import Map, Rule

from accessq.sandbox.context import FLAVORS

PLATFORM = "platform"
JSM = "jsm"
API = "/rest/api/<any('2','3','latest'):version>"


@dataclass(frozen=True)
class Reply:
    """A handler's answer: a JSON body (None: no body) and a status."""

    body: Any = None
    status: int = 200


Handler = Callable[..., Reply]


@dataclass(frozen=True)
class Endpoint:
    """A handler and the rules the app enforces before calling it."""

    handler: Handler
    family: str = PLATFORM  # which error body format
    write: bool = False  # read-only accounts get 403 with `denied`
    anonymous: bool = False  # answers without credentials (bad credentials are still 401)
    flavors: tuple[str, ...] = FLAVORS  # other flavours answer 404, as the endpoint is absent there
    denied: str = ""


@dataclass(frozen=True)
class Route:
    path: str
    methods: tuple[str, ...]
    endpoint: Endpoint


def route(path: str, *methods: str, **options: Any) -> Callable[[Handler], Route]:
    """Decorator: declare `handler(ctx, **path_args) -> Reply` at path for methods."""

    def wrap(handler: Handler) -> Route:
        return Route(path, methods or ("GET",), Endpoint(handler, **options))

    return wrap


def build_map(routes: Iterable[Route]) -> Map:
    return Map(
        [Rule(r.path, methods=list(r.methods), endpoint=r.endpoint) for r in routes],
        strict_slashes=False,
        merge_slashes=False,
    )


_CONVERTER = re.compile(r"<(?:[^:>]+(?:\([^)]*\))?:)?([^>]+)>")


def template(rule: str) -> str:
    """`/rest/api/<any(...):version>/component/<id>` -> `/rest/api/{version}/component/{id}`."""
    return _CONVERTER.sub(r"{\1}", rule)
