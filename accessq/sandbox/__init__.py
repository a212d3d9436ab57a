"""A Jira-compatible HTTP server over SQLite, for tests and first steps.

Imports nothing else of accessq.

Public API (imported lazily, so `import accessq.sandbox` stays cheap):

- `serve(*, host, port, db, flavor, seed, latency_ms, rate_limit)`: the foreground server.
- `reset(*, db, flavor, seed)`: wipe and re-seed a state file.
- `start_background(*, db=None, flavor="cloud", seed=None, latency_ms=0, rate_limit=0,
  host="127.0.0.1", port=0, faults=None, options=None) -> RunningSandbox`.
- `RunningSandbox` (`.url`, `.flavor`, `.db`, `.auth`, `.control`, `.stop()`, context manager),
  `SandboxControl` (its `.control`), `FaultConfig`, `SandboxOptions`, `DEMO_SEED`, `SeedError`.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

DEMO_SEED: Path = Path(__file__).with_name("demo_seed.yaml")

_LAZY = {
    "serve": "accessq.sandbox.server",
    "reset": "accessq.sandbox.server",
    "start_background": "accessq.sandbox.server",
    "RunningSandbox": "accessq.sandbox.server",
    "SandboxControl": "accessq.sandbox.client",
    "FaultConfig": "accessq.sandbox.faults",
    "SandboxOptions": "accessq.sandbox.options",
    "SeedError": "accessq.sandbox.seed",
    "load_seed": "accessq.sandbox.seed",
}

__all__ = [
    "DEMO_SEED",
    "FaultConfig",
    "RunningSandbox",
    "SandboxControl",
    "SandboxOptions",
    "SeedError",
    "load_seed",
    "reset",
    "serve",
    "start_background",
]

if TYPE_CHECKING:
    from accessq.sandbox.client import SandboxControl
    from accessq.sandbox.faults import FaultConfig
    from accessq.sandbox.options import SandboxOptions
    from accessq.sandbox.seed import SeedError, load_seed
    from accessq.sandbox.server import RunningSandbox, reset, serve, start_background


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'accessq.sandbox' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
