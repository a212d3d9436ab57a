"""A small client of a running sandbox's control endpoint (stdlib only, proxies bypassed)."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
from typing import Any

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SandboxControl:
    """Faults and request statistics of the sandbox at `url` (e.g. `http://127.0.0.1:54321`)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, action: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_sandbox/{action}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            with contextlib.suppress(ValueError):
                detail = json.loads(detail).get("error", detail)
            raise ValueError(f"sandbox control {method} {action}: {detail}") from None
        return json.loads(raw) if raw else None

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change fault settings (see FaultConfig); returns all current settings."""
        result: dict[str, Any] = self._call("PUT", "faults", settings)
        return result

    def clear_faults(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("DELETE", "faults")
        return result

    def faults(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "faults")
        return result

    def stats(self) -> dict[str, Any]:
        """Counts and log: {"total", "by_route" (e.g. "GET /rest/api/{version}/group/member"),
        "by_status", "log"}."""
        result: dict[str, Any] = self._call("GET", "stats")
        return result

    def reset_stats(self) -> None:
        self._call("DELETE", "stats")

    def count(self, route: str | None = None) -> int:
        """Requests so far: all of them, or those of one "METHOD /route/{template}"."""
        stats = self.stats()
        return int(stats["total"] if route is None else stats["by_route"].get(route, 0))

    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "info")
        return result
