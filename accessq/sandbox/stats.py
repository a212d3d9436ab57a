"""The request counter and log that tests and benchmarks read through the control endpoint."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from typing import Any

LOG_SIZE = 2000


class RequestStats:
    """Counts every request under /rest (faulted ones too) by method + route template."""

    def __init__(self, log_size: int = LOG_SIZE) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._by_route: Counter[str] = Counter()
        self._by_status: Counter[str] = Counter()
        self._log: deque[dict[str, Any]] = deque(maxlen=log_size)

    def record(
        self,
        *,
        method: str,
        path: str,
        query: str,
        route: str,
        status: int | str,
        account: str | None,
        fault: str | None,
        elapsed_ms: float,
    ) -> None:
        with self._lock:
            self._total += 1
            self._by_route[f"{method} {route}"] += 1
            self._by_status[str(status)] += 1
            self._log.append(
                {
                    "seq": self._total,
                    "time": time.time(),
                    "method": method,
                    "path": path,
                    "query": query,
                    "route": route,
                    "status": status,
                    "account": account,
                    "fault": fault,  # "injected 503", "rate limited", "dropped", or None
                    "ms": round(elapsed_ms, 2),
                }
            )

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "by_route": dict(self._by_route),
                "by_status": dict(self._by_status),
                "log": list(self._log),
            }

    def reset(self) -> None:
        with self._lock:
            self._total = 0
            self._by_route.clear()
            self._by_status.clear()
            self._log.clear()
