"""The control endpoint outside /rest: read and change faults, read and reset request stats.

GET    /_sandbox/faults        current fault settings
PUT    /_sandbox/faults        change some settings (JSON object of FaultConfig fields)
DELETE /_sandbox/faults        back to no faults
GET    /_sandbox/stats         {"total", "by_route", "by_status", "log"}
DELETE /_sandbox/stats         zero the counters and the log
GET    /_sandbox/info          flavour, project, database, sign-in accounts
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from accessq.sandbox.faults import FaultInjector
from accessq.sandbox.stats import RequestStats

PREFIX = "/_sandbox"


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


class ControlApp:
    def __init__(
        self, faults: FaultInjector, stats: RequestStats, info: Callable[[], dict[str, Any]]
    ) -> None:
        self.faults = faults
        self.stats = stats
        self.info = info

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        return self.respond(request)(environ, start_response)

    def respond(self, request: Request) -> Response:
        action = (request.path.removeprefix(PREFIX).strip("/"), request.method)
        if action == ("faults", "GET"):
            return _json(self.faults.config.to_dict())
        if action in (("faults", "PUT"), ("faults", "POST"), ("faults", "PATCH")):
            try:
                changes = json.loads(request.get_data() or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("send a JSON object of fault settings")
                return _json(self.faults.update(changes).to_dict())
            except ValueError as exc:
                return _json({"error": str(exc)}, 400)
        if action == ("faults", "DELETE"):
            return _json(self.faults.clear().to_dict())
        if action == ("stats", "GET"):
            return _json(self.stats.snapshot())
        if action == ("stats", "DELETE"):
            self.stats.reset()
            return Response(status=204)
        if action == ("info", "GET"):
            return _json(self.info())
        return _json({"error": f"no control action {request.method} {request.path}"}, 404)
