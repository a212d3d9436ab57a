"""The WSGI application: faults, then routing, sign-in and permissions, then the handler.

Every request under /rest is counted and logged (faulted ones too); /_sandbox is the control
endpoint and is neither counted nor faulted.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import logging
import socket
import time
from collections.abc import Iterable, Mapping
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from accessq.sandbox import (
    api_components,
    api_groups,
    api_issues,
    api_jsm,
    api_permissions,
    api_project,
    api_properties,
    api_users,
    echo,
)
from accessq.sandbox.auth import authenticate
from accessq.sandbox.context import CLOUD, RequestContext
from accessq.sandbox.control import PREFIX, ControlApp
from accessq.sandbox.errors import NOT_AUTHENTICATED_CLOUD, NOT_AUTHENTICATED_DC, ApiError
from accessq.sandbox.faults import FaultInjector, Verdict
from accessq.sandbox.options import SandboxOptions
from accessq.sandbox.routing import JSM, Endpoint, Reply, build_map, template
from accessq.sandbox.stats import RequestStats
from accessq.sandbox.store import Store

ALL_ROUTES = [
    *api_project.ROUTES,
    *api_properties.ROUTES,
    *api_components.ROUTES,
    *api_groups.ROUTES,
    *api_users.ROUTES,
    *api_jsm.ROUTES,
    *api_issues.ROUTES,
    *api_permissions.ROUTES,
]
_JSON = "application/json;charset=UTF-8"
_log = logging.getLogger("accessq.sandbox")


@functools.cache
def _url_map(flavor: str) -> Map:
    """Routes absent from a flavour are absent from its map: 404 or 405, as Jira answers.

    Built once per flavour: compiling the rules is most of a sandbox's start-up time.
    """
    return build_map(r for r in ALL_ROUTES if flavor in r.endpoint.flavors)


class DroppedConnection(ConnectionAbortedError):
    """Raised after closing the socket: werkzeug's server then writes nothing back."""


def _json_response(body: Any, status: int) -> Response:
    if body is None:
        return Response(status=status)
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(data, status=status, content_type=_JSON)


def _error_response(error: ApiError, family: str) -> Response:
    body = error.jsm_body() if family == JSM else error.platform_body()
    response = _json_response(body, error.status)
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def _redirect(verdict: Verdict, request: Request) -> Response:
    """A write answered with a redirect (a proxy's, or a site that moved), not performed."""
    base = verdict.redirect_to
    if not base:
        port = request.host.rpartition(":")[2] if request.host.rpartition(":")[0] else ""
        base = f"http://127.0.0.2:{port}" if port.isdigit() else "http://127.0.0.2"
    query = request.query_string.decode("latin-1")
    location = f"{base}{request.path}" + (f"?{query}" if query else "")
    phrase = {301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect"}.get(
        verdict.status or 0, "Permanent Redirect"
    )
    title = f"{verdict.status} {phrase}"
    page = f"<html><head><title>{title}</title></head><body>{phrase}</body></html>"
    response = Response(page, status=verdict.status, content_type="text/html; charset=utf-8")
    response.headers["Location"] = location
    response.autocorrect_location_header = False
    return response


class SandboxApp:
    def __init__(
        self,
        store: Store,
        flavor: str,
        faults: FaultInjector,
        stats: RequestStats,
        db_label: str,
        options: SandboxOptions | None = None,
    ) -> None:
        self.store = store
        self.flavor = flavor
        self.options = options if options is not None else store.options()
        self.faults = faults
        self.stats = stats
        self.url_map = _url_map(flavor)
        self.control = ControlApp(faults, stats, self.info)
        self.db_label = db_label
        self._request_ids = itertools.count(1)  # next() is atomic under the GIL

    def info(self) -> dict[str, Any]:
        project = self.store.project()
        pats = self.store.account_pats()
        return {
            "flavor": self.flavor,
            "db": self.db_label,
            "project": {"key": project.key, "name": project.name, "id": project.id},
            "service_desk_id": project.service_desk_id,
            "options": self.options.to_dict(),
            "accounts": [
                {"login": login, "token": token, "pat": pats.get(login), "role": role}
                for login, token, role in self.store.accounts()
            ],
        }

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == PREFIX or path.startswith(PREFIX + "/"):
            return self.control(environ, start_response)
        started = time.perf_counter()
        request = Request(environ)
        rule, args = self._match(environ)
        route = template(rule.rule) if rule is not None else "(unmatched)"
        family = JSM if path.startswith("/rest/servicedesk") else "platform"
        verdict = self.faults.decide(request.method, path, request.headers.get("Authorization"))
        if verdict.delay_s:
            time.sleep(verdict.delay_s)
        if verdict.drop:
            self._record(request, route, "dropped", None, verdict, started)
            self._drop(environ)
        account: str | None = None
        if verdict.status is not None:
            response = self._injected(verdict, family, request)
        else:
            try:
                response, account = self._dispatch(request, rule, args)
            finally:
                self.store.release()
        if verdict.echo and echo.echoes(response.status_code):
            authorization = request.headers.get("Authorization")
            response = echo.apply(response, authorization, verdict.echo, family == JSM)
        for name, value in verdict.headers.items():
            response.headers.setdefault(name, value)
        # Jira tags every answer with a request id; accessq's journal records it.
        response.headers["X-AREQUESTID"] = f"{int(started) % 1440}x{next(self._request_ids)}x1"
        self._record(request, route, response.status_code, account, verdict, started)
        return response(environ, start_response)

    # -- the pieces ------------------------------------------------------------------------

    def _match(self, environ: dict[str, Any]) -> tuple[Rule | None, Mapping[str, Any] | Exception]:
        adapter = self.url_map.bind_to_environ(environ)
        try:
            rule, args = adapter.match(return_rule=True)
        except (NotFound, MethodNotAllowed) as exc:
            return None, exc
        return rule, args

    def _dispatch(
        self, request: Request, rule: Rule | None, args: Mapping[str, Any] | Exception
    ) -> tuple[Response, str | None]:
        if rule is None:
            if isinstance(args, MethodNotAllowed):
                return Response(
                    status=405, headers={"Allow": ", ".join(args.valid_methods or [])}
                ), None
            body = {"message": f"null for uri: {request.url}", "status-code": 404}
            return _json_response(body, 404), None
        assert isinstance(args, dict)
        endpoint: Endpoint = rule.endpoint
        credentials = authenticate(request.headers.get("Authorization"), self.store, self.flavor)
        account = credentials.account
        try:
            if credentials.refused or (account is None and not endpoint.anonymous):
                message = NOT_AUTHENTICATED_CLOUD if self.flavor == CLOUD else NOT_AUTHENTICATED_DC
                raise ApiError(
                    401,
                    message,
                    i18n_key="sd.auth.error",
                    headers={"WWW-Authenticate": 'Basic realm="protected-area"'},
                )
            if endpoint.write and account is not None and not account.is_admin:
                raise ApiError(403, endpoint.denied, i18n_key="sd.permission.error")
            ctx = RequestContext(
                request, self.store, self.flavor, account, args.get("version", "2"), self.options
            )
            reply: Reply = endpoint.handler(ctx, **args)
            response = _json_response(reply.body, reply.status)
        except ApiError as error:
            response = _error_response(error, endpoint.family)
        except Exception:  # a sandbox bug: answer like Jira does, and say so on stderr
            _log.exception("sandbox error on %s %s", request.method, request.full_path)
            response = _error_response(ApiError(500, "Internal server error"), endpoint.family)
        return response, account.login if account else None

    @staticmethod
    def _injected(verdict: Verdict, family: str, request: Request) -> Response:
        status = verdict.status or 500
        if 300 <= status < 400:
            return _redirect(verdict, request)
        if status == 429:
            return _error_response(
                ApiError(429, "Rate limit exceeded.", i18n_key="sd.rate.limit"), family
            )
        if status in (502, 503, 504):  # what a proxy in front of Jira sends: not Jira's JSON
            phrase = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}[
                status
            ]
            page = (
                f"<html><head><title>{status} {phrase}</title></head><body>{phrase}</body></html>"
            )
            return Response(page, status=status, content_type="text/html; charset=utf-8")
        return _error_response(ApiError(500, "Internal server error", i18n_key="sd.error"), family)

    def _record(
        self,
        request: Request,
        route: str,
        status: int | str,
        account: str | None,
        verdict: Verdict,
        started: float,
    ) -> None:
        self.stats.record(
            method=request.method,
            path=request.path,
            query=request.query_string.decode("latin-1"),
            route=route,
            status=status,
            account=account,
            fault=verdict.reason or None,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _drop(environ: dict[str, Any]) -> None:
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        raise DroppedConnection("sandbox fault: connection dropped without an answer")
