"""Which Jira to talk to and as whom: flags > ACCESSQ_* environment > the config's `jira:` section.

Secrets come from the environment only (never from files or flags, which end up in shell
history and CI logs) and are held in `Secret`, so no repr, log line or traceback shows them.
With no URL anywhere, accessq runs the sandbox in-process (DESIGN section 5).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from accessq.config.models import JiraSettings
from accessq.config.urls import UrlError, check_site_url
from accessq.jira.errors import ConfigurationError, GatewayError
from accessq.jira.gateway import Gateway
from accessq.jira.retry import Pacer, RetryPolicy, RetryWait
from accessq.jira.secret import Secret, header_problem

ENV_URL = "ACCESSQ_JIRA_URL"
ENV_USER = "ACCESSQ_JIRA_USER"
ENV_TOKEN = "ACCESSQ_JIRA_TOKEN"
ENV_PAT = "ACCESSQ_JIRA_PAT"
ENV_PROJECT = "ACCESSQ_JIRA_PROJECT"
ENV_RATE_LIMIT = "ACCESSQ_JIRA_RATE_LIMIT"
DEFAULT_SANDBOX_DB = Path(".accessq/sandbox.sqlite")
_PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]+")
# The URL that names the local sandbox explicitly (--jira-url sandbox, ACCESSQ_JIRA_URL=sandbox).
SANDBOX_TARGET = "sandbox"
SANDBOX_LOGIN = ("admin", "admin")  # the sandbox's default admin account (demo seed)


@dataclass(frozen=True)
class ConnectionSettings:
    """A resolved connection. `url` None means: the in-process sandbox."""

    url: str | None
    project: str
    user: str | None = None
    token: Secret | None = field(default=None, repr=False)
    pat: Secret | None = field(default=None, repr=False)
    url_source: str = "sandbox"  # where the URL came from, for messages
    rate_limit: float = RetryPolicy.rate_limit
    sandbox_db: Path = DEFAULT_SANDBOX_DB

    @property
    def sandbox(self) -> bool:
        return self.url is None

    @classmethod
    def resolve(
        cls,
        jira: JiraSettings | None = None,
        *,
        url: str | None = None,
        project: str | None = None,
        env: Mapping[str, str] | None = None,
        sandbox_db: Path = DEFAULT_SANDBOX_DB,
    ) -> ConnectionSettings:
        """Flags (`url`, `project`) > environment > `jira:` section. Raises `ConfigurationError`."""
        env = os.environ if env is None else env
        jira = jira or JiraSettings()
        chosen_url, source = _first(
            (url, "--jira-url"), (env.get(ENV_URL), ENV_URL), (jira.url, "jira.url in the config")
        )
        explicit_sandbox = (chosen_url or "").strip().lower() == SANDBOX_TARGET
        if explicit_sandbox:
            chosen_url = None
        elif not chosen_url and env.get("CI", "").strip().lower() not in ("", "0", "false"):
            # In CI a missing URL secret must not become a green run against a throwaway sandbox.
            raise ConfigurationError(
                f"no Jira URL and CI is set: set {ENV_URL} to your Jira's address "
                f"(or to {SANDBOX_TARGET!r} to use the local sandbox on purpose)"
            )
        chosen_project, _ = _first(
            (project, "--project"),
            (env.get(ENV_PROJECT), ENV_PROJECT),
            (jira.project, "jira.project"),
        )
        for name in (ENV_USER, ENV_TOKEN, ENV_PAT):
            _check_credential(name, env.get(name))
        settings = cls(
            url=check_url(chosen_url, source) if chosen_url else None,
            project=chosen_project or "ATS",
            user=env.get(ENV_USER) or None,
            token=Secret(env[ENV_TOKEN]) if env.get(ENV_TOKEN) else None,
            pat=Secret(env[ENV_PAT]) if env.get(ENV_PAT) else None,
            url_source=source if chosen_url or explicit_sandbox else "sandbox",
            rate_limit=_rate_limit(env.get(ENV_RATE_LIMIT)),
            sandbox_db=sandbox_db,
        )
        if settings.url is not None:
            settings.credentials()  # fail now, with one line, rather than at the first request
        elif not explicit_sandbox and (settings.user or settings.token or settings.pat):
            # Credentials mean a real Jira was meant: a missing URL secret in CI must not turn
            # into a green run against the throwaway local sandbox.
            given = ", ".join(
                name
                for name, value in (
                    (ENV_USER, settings.user),
                    (ENV_TOKEN, settings.token),
                    (ENV_PAT, settings.pat),
                )
                if value
            )
            raise ConfigurationError(
                f"{given} set but no Jira URL: set {ENV_URL} (or jira.url, or --jira-url); "
                f"to use the local sandbox, unset {given}"
            )
        if not _PROJECT_KEY.fullmatch(settings.project):
            raise ConfigurationError(
                f"{settings.project!r} is not a Jira project key (capital letters, e.g. ATS)"
            )
        return settings

    def credentials(self) -> tuple[tuple[str, Secret] | None, Secret | None]:
        """(basic_auth, pat): exactly one is set for a real Jira."""
        if self.pat and (self.user or self.token):
            raise ConfigurationError(
                f"both {ENV_PAT} and {ENV_USER}/{ENV_TOKEN} are set: keep {ENV_PAT} for "
                f"Data Center or {ENV_USER} + {ENV_TOKEN} for Cloud"
            )
        if self.pat:
            return None, self.pat
        if self.user and self.token:
            return (self.user, self.token), None
        if self.user or self.token:
            missing = ENV_TOKEN if self.user else ENV_USER
            raise ConfigurationError(
                f"{missing} is not set (Cloud needs {ENV_USER} and {ENV_TOKEN})"
            )
        raise ConfigurationError(
            f"no credentials for {self.url} (from {self.url_source}): set {ENV_USER} and "
            f"{ENV_TOKEN} (Jira Cloud) or {ENV_PAT} (Data Center)"
        )


def check_url(url: str, source: str) -> str:
    """The URL if it is usable (`accessq.config.urls`: the rules `jira.url` is validated by)."""
    raw = url.strip()
    try:
        check_site_url(raw)
    except UrlError as exc:
        raise ConfigurationError(f"{source} {exc}") from None
    return raw.rstrip("/")


@contextmanager
def open_gateway(
    settings: ConnectionSettings,
    *,
    policy: RetryPolicy | None = None,
    pacer: Pacer | None = None,
    on_wait: Callable[[RetryWait], None] | None = None,
) -> Iterator[Gateway]:
    """A connected `Gateway`; with no URL, a sandbox started in-process for the duration.

    `on_wait` is told of every long retry wait (`Pacer.on_wait`), from the first request on.
    """
    policy = policy or RetryPolicy(rate_limit=settings.rate_limit)
    pacer = pacer or Pacer(policy, on_wait=on_wait)
    if settings.url is not None:
        basic_auth, pat = settings.credentials()
        gateway = Gateway.connect(
            settings.url,
            project=settings.project,
            basic_auth=basic_auth,
            pat=pat,
            policy=policy,
            pacer=pacer,
        )
        with gateway:
            yield gateway
        return

    from accessq.sandbox import start_background  # imported lazily: only this path needs it

    try:
        running = start_background(db=settings.sandbox_db, flavor="cloud")
    except OSError as exc:  # e.g. an unwritable current folder
        raise GatewayError(
            f"cannot start the local sandbox ({settings.sandbox_db}): "
            f"{(exc.strerror or str(exc)).lower()}; run accessq from a folder you can write to"
        ) from None
    except ValueError as exc:  # a damaged state file
        raise GatewayError(
            f"cannot start the local sandbox ({settings.sandbox_db}): {exc}"
        ) from None
    try:
        login, token = running.auth or SANDBOX_LOGIN
        gateway = Gateway.connect(
            running.url,
            project=settings.project,
            basic_auth=(login, Secret(token)),
            sandbox=True,
            policy=policy,
            pacer=pacer,
        )
        # The port changes on every run; the state file is what identifies this sandbox, so a
        # plan saved against it can be applied by a later run.
        gateway.target = gateway.target.model_copy(update={"url": f"sandbox:{settings.sandbox_db}"})
        with gateway:
            yield gateway
    finally:
        running.stop()


def _check_credential(name: str, value: str | None) -> None:
    """One line naming the variable (never its value) when it cannot go into a header."""
    if not value:
        return
    problem = header_problem(value)
    if problem is None and name == ENV_USER and ":" in value:
        problem = "contains ':', which basic auth cannot carry in a user name"
    if problem is not None:
        raise ConfigurationError(f"{name} {problem}; nothing was sent")


def _first(*candidates: tuple[str | None, str]) -> tuple[str | None, str]:
    for value, source in candidates:
        if value is not None and value.strip():
            return value.strip(), source
    return None, ""


def _rate_limit(raw: str | None) -> float:
    if raw is None or not raw.strip():
        return RetryPolicy.rate_limit
    try:
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
    except ValueError:
        raise ConfigurationError(
            f"{ENV_RATE_LIMIT}={raw!r} is not a number of requests per second"
        ) from None
    if value < 0:
        raise ConfigurationError(f"{ENV_RATE_LIMIT} must be 0 (no limit) or more")
    return value
