"""Running the sandbox: in the foreground (`serve`), from a background thread, and resetting it."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from accessq.sandbox.app import SandboxApp
from accessq.sandbox.client import SandboxControl
from accessq.sandbox.context import FLAVORS
from accessq.sandbox.faults import FaultConfig, FaultInjector
from accessq.sandbox.options import SandboxOptions, merged
from accessq.sandbox.seed import load_seed
from accessq.sandbox.stats import RequestStats
from accessq.sandbox.store import Store

SeedSource = Path | str | Mapping[str, Any] | None
WORKERS = 128  # requests served at once (more wait their turn: injected latency holds a worker)


class _Handler(WSGIRequestHandler):
    timeout = 30  # a connection that sends nothing is closed after this

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)  # type: ignore[attr-defined]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # quiet, and faster: the control endpoint's log has every request


class _Server(ThreadedWSGIServer):
    """Werkzeug's threaded server on a pool of worker threads, which closes its open
    connections when stopped.

    Werkzeug answers every request on a new connection; reusing threads (rather than starting
    one per connection) is a fifth of the cost of a request.
    """

    def __init__(self, host: str, port: int, app: SandboxApp) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="accessq-sandbox")
        try:
            super().__init__(host, port, app, handler=_Handler)
        except BaseException:
            self._workers.shutdown(wait=False)
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        self._workers.submit(self.process_request_thread, request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self._workers.shutdown(wait=False, cancel_futures=True)

    def track(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open.add(conn)

    def untrack(self, conn: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(conn)

    def close_connections(self, wait_s: float = 2.0) -> None:
        with self._open_lock:
            conns = list(self._open)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            with self._open_lock:
                if not self._open:
                    return
            time.sleep(0.005)


def _check_flavor(flavor: str) -> None:
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavour {flavor!r}: use cloud or dc")


def _check_address(host: str, port: int) -> None:
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is not between 0 and 65535 (0 picks a free one)")
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"refusing to listen on {host!r}: the sandbox serves loopback only (127.0.0.1, ::1)"
        )


def open_store(db: Path, flavor: str, seed: SeedSource) -> tuple[Store, bool]:
    """The store at db, seeded (with seed, or the demo seed) if it is new. (store, was_new)."""
    _check_flavor(flavor)
    parsed = None if db.exists() else load_seed(seed)  # a bad seed fails before a file appears
    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db)
    try:
        if store.is_seeded():
            return store, False
        return store, store.seed_if_new(parsed or load_seed(seed), flavor)
    except BaseException:
        store.close()
        raise


def _make_server(
    host: str,
    port: int,
    store: Store,
    flavor: str,
    faults: FaultConfig,
    db_label: str,
    options: Mapping[str, Any] | None = None,
) -> _Server:
    _check_address(host, port)
    settings = merged(store.options(), options)
    app = SandboxApp(store, flavor, FaultInjector(faults), RequestStats(), db_label, settings)
    # Werkzeug reports a busy port itself, on stderr in two lines, then exits; say it in one.
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            return _Server(host, port, app)
    except OSError as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except SystemExit:
        reason = said.getvalue().strip().splitlines()[0] if said.getvalue().strip() else "failed"
        raise OSError(f"cannot listen on {host}:{port}: {reason.lower()}") from None


def _url(server: _Server) -> str:
    host, port = server.server_address[:2]
    host = str(host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(
    *,
    host: str,
    port: int,
    db: Path,
    flavor: str,
    seed: Path | None,
    latency_ms: int,
    rate_limit: int,
    options: Mapping[str, Any] | None = None,
) -> None:
    """Serve in the foreground until Ctrl-C; print the URL and the sign-in accounts to stderr.

    options: sandbox options (see `SandboxOptions`) for this run, over the seed's.
    """
    _check_address(host, port)
    faults = FaultConfig.build(latency_ms=latency_ms, rate_limit=rate_limit)
    SandboxOptions.build(**dict(options or {}))  # a bad option fails before any file opens
    store, was_new = open_store(db, flavor, seed)
    try:
        server = _make_server(host, port, store, flavor, faults, str(db), options)
        url = _url(server)
        accounts = ", ".join(
            f"{login} / {token} ({role})" for login, token, role in store.accounts()
        )
        kind = "Jira Cloud" if flavor == "cloud" else "Jira Data Center"
        lines = [
            f"accessq sandbox ({kind}) on {url}  state: {db}",
            f"  sign in: {accounts}",
            f"  faults and request counts: {url}/_sandbox/faults, {url}/_sandbox/stats",
        ]
        chosen = server.app.options.to_dict()  # type: ignore[attr-defined]
        changed = {k: v for k, v in chosen.items() if SandboxOptions().to_dict()[k] != v}
        if changed:
            lines.append("  options: " + ", ".join(f"{k}={v}" for k, v in changed.items()))
        if not was_new and seed is not None:
            lines.append(
                f"  note: {db} already exists, so --seed was not used (sandbox reset re-seeds)"
            )
        lines.append("  Ctrl-C stops it")
        print("\n".join(lines), file=sys.stderr, flush=True)
        try:
            with _terminate_like_ctrl_c():
                server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            server.close_connections()
            server.server_close()
    finally:
        store.close()


@contextmanager
def _terminate_like_ctrl_c() -> Iterator[None]:
    """SIGTERM stops `serve` as Ctrl-C does, so CI jobs and service managers stop it cleanly."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def reset(*, db: Path, flavor: str, seed: Path | None) -> None:
    """Wipe the state at db and seed it again (the demo seed when seed is None)."""
    _check_flavor(flavor)
    parsed = load_seed(seed)  # a bad seed fails before anything is wiped
    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(db)
    try:
        store.wipe_and_seed(parsed, flavor)
    finally:
        store.close()


class RunningSandbox:
    """A sandbox served from a daemon thread; a context manager that stops it on exit."""

    def __init__(
        self, server: _Server, store: Store, flavor: str, db: Path, temp_dir: Path | None
    ) -> None:
        self._server = server
        self._store = store
        self._temp_dir = temp_dir
        self.flavor = flavor
        self.db = db
        self.url = _url(server)
        self.control = SandboxControl(self.url)
        accounts = store.accounts()
        admin = next(((login, token) for login, token, role in accounts if role == "admin"), None)
        self.auth: tuple[str, str] | None = admin  # an admin account's (login, token)
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},  # how long stop() may wait for the loop
            name=f"accessq-sandbox-{self.url}",
            daemon=True,
        )
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._store.close()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RunningSandbox(url={self.url!r}, flavor={self.flavor!r}, db={str(self.db)!r})"


def start_background(
    *,
    db: Path | None = None,
    flavor: str = "cloud",
    seed: Path | Mapping[str, Any] | None = None,
    latency_ms: int = 0,
    rate_limit: int = 0,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
) -> RunningSandbox:
    """Serve a sandbox from a daemon thread on a free loopback port (port=0) and return it.

    db None: a temporary file, removed on stop. A new db is seeded with seed (or the demo seed);
    an existing one is reused as it is. `faults` are further FaultConfig settings; `options`
    sandbox options (`SandboxOptions`) for this run, over the seed's.
    """
    _check_address(host, port)
    settings = {"latency_ms": latency_ms, "rate_limit": rate_limit, **dict(faults or {})}
    config = FaultConfig.build(**settings)
    SandboxOptions.build(**dict(options or {}))  # a bad option fails before any file opens
    temp_dir = Path(tempfile.mkdtemp(prefix="accessq-sandbox-")) if db is None else None
    path = db if db is not None else temp_dir / "sandbox.sqlite"  # type: ignore[operator]
    try:
        store, _ = open_store(path, flavor, seed)
    except BaseException:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    try:
        server = _make_server(host, port, store, flavor, config, str(path), options)
    except BaseException:
        store.close()
        raise
    return RunningSandbox(server, store, flavor, path, temp_dir)
