"""Injected faults: latency, a request budget per window (429), 5xx bursts, dropped connections,
error answers that echo the caller's credentials, and writes answered with a redirect.

One `FaultInjector` per server decides, for each request under `/rest`, what happens to it. Its
configuration can be replaced at run time (the control endpoint). With `random_seed` set, the random
choices (jitter, fractions) are reproducible.
"""

from __future__ import annotations

import fnmatch
import math
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError, ValidationInfo
from pydantic.dataclasses import dataclass as pydantic_dataclass

ERROR_STATUSES = (500, 502, 503, 504)
REDIRECT_STATUSES = (301, 302, 307, 308)
ECHO_FORMATS = ("json", "html")
WRITE_METHODS = ("POST", "PUT", "DELETE")


def _whole(value: Any, info: ValidationInfo) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{info.field_name} must be a whole number >= 0")
    return value


def _whole_or_none(value: Any, info: ValidationInfo) -> int | None:
    return None if value is None else _whole(value, info)


def _fraction(value: Any, info: ValidationInfo) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"{info.field_name} must be a fraction between 0 and 1")
    return float(value)


def _seconds(value: Any, info: ValidationInfo) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{info.field_name} must be a positive number of seconds")
    return float(value)


def _flag(value: Any, info: ValidationInfo) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{info.field_name} must be true or false")
    return value


def _strings(value: Any, info: ValidationInfo) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{info.field_name} must be a list of strings")
    return tuple(v.upper() for v in value) if info.field_name == "methods" else tuple(value)


def _one_of(choices: tuple[Any, ...]) -> Callable[[Any, ValidationInfo], Any]:
    def check(value: Any, info: ValidationInfo) -> Any:
        if value not in choices:
            raise ValueError(f"{info.field_name} must be one of {', '.join(map(str, choices))}")
        return int(value) if isinstance(choices[0], int) else value

    return check


def _origin(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str) or (value and not re.fullmatch(r"https?://[^/?#\s]+", value)):
        raise ValueError("redirect_to must be scheme://host[:port] (or empty: 127.0.0.2)")
    return value


Whole = Annotated[int, BeforeValidator(_whole)]
WholeOrNone = Annotated[int | None, BeforeValidator(_whole_or_none)]
Fraction = Annotated[float, BeforeValidator(_fraction)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Strings = Annotated[tuple[str, ...], BeforeValidator(_strings)]


@pydantic_dataclass(frozen=True)
class FaultConfig:
    """Every fault knob; the defaults inject nothing. Each field's type says what it accepts."""

    latency_ms: Whole = 0  # added to every request
    jitter_ms: Whole = 0  # plus a uniform random 0..jitter_ms
    # Cloud: rate_limit requests per fixed window of rate_window_s. Data Center: a token bucket
    # per user (per Authorization header; anonymous requests are not limited) that gets
    # rate_limit tokens every rate_window_s and holds at most rate_bucket (0: rate_limit).
    rate_limit: Whole = 0  # 0 = unlimited
    rate_window_s: Annotated[float, BeforeValidator(_seconds)] = 1.0
    rate_bucket: Whole = 0
    rate_retry_after_s: WholeOrNone = None  # Retry-After of a 429; default: until it refills
    error_status: Annotated[int, BeforeValidator(_one_of(ERROR_STATUSES))] = 503
    error_next: Whole = 0  # the next N matching requests fail with error_status
    error_rate: Fraction = 0.0  # ... or this fraction of them
    error_retry_after_s: WholeOrNone = None  # Retry-After sent with injected 503s
    drop_next: Whole = 0  # the next N matching requests get their connection closed, no answer
    drop_rate: Fraction = 0.0  # ... or this fraction of them
    # Error answers (400, 401, 5xx) echo the request's Authorization header and what it decodes
    # to: in the body (json: Jira's error body; html: an HTML error page) and in an
    # X-Authentication-Denied-Reason header. For checking that clients never repeat them.
    echo_credentials: Flag = False
    echo_format: Annotated[str, BeforeValidator(_one_of(ECHO_FORMATS))] = "json"
    # Writes (POST, PUT, DELETE) are answered with a redirect and not performed.
    redirect_writes: Flag = False
    redirect_status: Annotated[int, BeforeValidator(_one_of(REDIRECT_STATUSES))] = 307
    redirect_to: Annotated[str, BeforeValidator(_origin)] = ""  # "": 127.0.0.2, same port
    methods: Strings = ()  # faults other than latency and 429s: only these methods
    paths: Strings = ()  # ... and paths matching these fnmatch patterns (empty: all)
    random_seed: WholeOrNone = None  # seeds the random choices, for reproducible runs

    @classmethod
    def build(cls, base: FaultConfig | None = None, **changes: Any) -> FaultConfig:
        """A validated config: base (or the defaults) with the given fields changed."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(
                f"unknown fault setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        config = base or cls()
        # One at a time: the first bad setting in the order given is the one reported.
        for name, value in changes.items():
            try:
                config = replace(config, **{name: value})
            except ValidationError as exc:
                raise ValueError(first_reason(exc)) from None
        return config

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["methods"] = list(self.methods)
        out["paths"] = list(self.paths)
        return out


def first_reason(exc: ValidationError) -> str:
    """The one-line message our validators raised (without pydantic's `Value error, `)."""
    error = exc.errors()[0]
    raised = (error.get("ctx") or {}).get("error")
    return str(raised) if raised is not None else error["msg"]


@dataclass
class Verdict:
    """What to do with one request: wait, then drop it, answer for it, or let it through."""

    delay_s: float = 0.0
    drop: bool = False
    status: int | None = None  # an injected answer (429, 5xx, or a redirect)
    reason: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    echo: str = ""  # an error answer echoes the credentials: "json" or "html" ("": no)
    redirect_to: str = ""  # with a redirect status: the Location's scheme://host[:port]


class FaultInjector:
    """Thread-safe fault decisions against a replaceable FaultConfig."""

    def __init__(
        self,
        config: FaultConfig | None = None,
        clock: Callable[[], float] = time.time,
        flavor: str = "cloud",
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._flavor = flavor
        self._buckets: dict[str, tuple[float, float]] = {}  # DC: who -> (tokens, last fill)
        self._config = config or FaultConfig()
        self._rng = random.Random(self._config.random_seed)
        self._error_left = self._config.error_next
        self._drop_left = self._config.drop_next
        self._window_start = 0.0
        self._window_count = 0

    @property
    def config(self) -> FaultConfig:
        with self._lock:
            return replace(self._config, error_next=self._error_left, drop_next=self._drop_left)

    def update(self, changes: Mapping[str, Any]) -> FaultConfig:
        """Change some settings (validated); counters and the RNG restart from what is given."""
        with self._lock:
            current = replace(self._config, error_next=self._error_left, drop_next=self._drop_left)
            config = FaultConfig.build(current, **changes)
            self._install(config)
        return self.config

    def clear(self) -> FaultConfig:
        with self._lock:
            self._install(FaultConfig())
        return self.config

    def _install(self, config: FaultConfig) -> None:
        self._config = config
        self._error_left = config.error_next
        self._drop_left = config.drop_next
        self._rng = random.Random(config.random_seed)
        self._window_start, self._window_count = 0.0, 0
        self._buckets = {}

    def decide(self, method: str, path: str, who: str | None = None) -> Verdict:
        """The fate of one request; `who` is its Authorization header (DC's buckets are per
        user)."""
        with self._lock:
            config = self._config
            verdict = Verdict()
            if config.latency_ms or config.jitter_ms:
                jitter = self._rng.uniform(0, config.jitter_ms) if config.jitter_ms else 0.0
                verdict.delay_s = (config.latency_ms + jitter) / 1000
            matches = self._matches(config, method, path)
            if matches and config.echo_credentials:
                verdict.echo = config.echo_format
            if matches and self._take(config.drop_rate, "_drop_left"):
                verdict.drop, verdict.reason = True, "dropped"
                return verdict
            if config.rate_limit:
                if self._flavor == "dc":
                    if who:  # Data Center limits signed-in (basic or bearer) requests only
                        self._token_bucket(config, verdict, who)
                else:
                    self._rate_limit(config, verdict)
                if verdict.status is not None:
                    return verdict
            if matches and self._take(config.error_rate, "_error_left"):
                verdict.status, verdict.reason = (
                    config.error_status,
                    f"injected {config.error_status}",
                )
                if config.error_status == 503 and config.error_retry_after_s is not None:
                    verdict.headers["Retry-After"] = str(config.error_retry_after_s)
            elif matches and config.redirect_writes and method.upper() in WRITE_METHODS:
                verdict.status, verdict.reason = config.redirect_status, "redirected"
                verdict.redirect_to = config.redirect_to
            return verdict

    @staticmethod
    def _matches(config: FaultConfig, method: str, path: str) -> bool:
        if config.methods and method.upper() not in config.methods:
            return False
        return not config.paths or any(fnmatch.fnmatchcase(path, p) for p in config.paths)

    def _take(self, rate: float, counter: str) -> bool:
        left = getattr(self, counter)
        if left > 0:
            setattr(self, counter, left - 1)
            return True
        return rate > 0 and self._rng.random() < rate

    def _rate_limit(self, config: FaultConfig, verdict: Verdict) -> None:
        """A fixed window of rate_window_s seconds allowing rate_limit requests."""
        now = self._clock()
        if now - self._window_start >= config.rate_window_s:
            self._window_start, self._window_count = now, 0
        reset_at = self._window_start + config.rate_window_s
        headers = {
            "X-RateLimit-Limit": str(config.rate_limit),
            "X-RateLimit-Reset": datetime.fromtimestamp(reset_at, UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.%f"
            )[:-3]
            + "Z",
        }
        if self._window_count >= config.rate_limit:
            retry_after = config.rate_retry_after_s
            if retry_after is None:
                retry_after = max(1, math.ceil(reset_at - now))
            headers.update(
                {
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-NearLimit": "true",
                    "Retry-After": str(retry_after),
                    "RateLimit-Reason": "jira-burst-based",
                }
            )
            verdict.status, verdict.reason = 429, "rate limited"
        else:
            self._window_count += 1
            remaining = config.rate_limit - self._window_count
            headers["X-RateLimit-Remaining"] = str(remaining)
            if remaining < config.rate_limit * 0.2:
                headers["X-RateLimit-NearLimit"] = "true"
        verdict.headers.update(headers)

    def _token_bucket(self, config: FaultConfig, verdict: Verdict, who: str) -> None:
        """Data Center's limiter: a bucket per user, refilled in batches of rate_limit tokens
        every rate_window_s, holding at most rate_bucket; a request takes a token or gets 429.
        Every answer carries the bucket's headers; Retry-After is 0 while tokens are left."""
        now = self._clock()
        size = config.rate_bucket or config.rate_limit
        interval = config.rate_window_s
        tokens, last_fill = self._buckets.get(who, (float(size), now))
        batches = math.floor((now - last_fill) / interval)
        if batches > 0:
            tokens = min(float(size), tokens + batches * config.rate_limit)
            last_fill += batches * interval
        headers = {
            "X-RateLimit-Limit": str(size),
            "X-RateLimit-Interval-Seconds": f"{interval:g}",
            "X-RateLimit-FillRate": str(config.rate_limit),
        }
        if tokens >= 1:
            tokens -= 1
            headers["X-RateLimit-Remaining"] = str(int(tokens))
            headers["Retry-After"] = "0"
        else:
            retry_after = config.rate_retry_after_s
            if retry_after is None:
                retry_after = max(1, math.ceil(last_fill + interval - now))
            headers["X-RateLimit-Remaining"] = "0"
            headers["Retry-After"] = str(retry_after)
            verdict.status, verdict.reason = 429, "rate limited"
        if len(self._buckets) >= 10_000 and who not in self._buckets:
            self._buckets.clear()  # a flood of made-up credentials must not grow it for ever
        self._buckets[who] = (tokens, last_fill)
        verdict.headers.update(headers)
