"""Redirects are never followed: a redirected write is a failure, never a GET that "succeeded".

requests turns a redirected POST/PUT/DELETE into a GET (301/302) or re-sends it elsewhere
(307/308); either way the apply journal used to record a change that never happened.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accessq.jira.errors import RedirectRefused
from accessq.jira.gateway import Gateway
from accessq.jira.secret import Secret
from accessq.sandbox import RunningSandbox
from tests.cli_support import env_for, run
from tests.conftest import sign_in_secret
from tests.reliability.helpers import EXAMPLE, assert_no_crash, jira_state

REDIRECTS = [301, 302, 307, 308]


@pytest.mark.parametrize("status", REDIRECTS)
def test_an_apply_whose_writes_are_redirected_changes_nothing_and_journals_no_success(
    status: int, sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = jira_state(sandbox)
    # Back to the same site: a followed 301/302 is a GET on the same path, which answers 200.
    # Not the apply lock's property (that write is redirected in the test below): the queue
    # writes must reach the journal.
    sandbox.control.set_faults(
        redirect_writes=True,
        redirect_status=status,
        redirect_to=sandbox.url,
        paths=["*/group*", "*/component*", "*/servicedesk*"],
    )
    result = run(["apply", str(EXAMPLE), "--yes"], env_for(sandbox))
    assert_no_crash(result, (1,))
    sandbox.control.clear_faults()
    assert jira_state(sandbox) == before
    [journal] = Path(".accessq/journal").glob("apply-*.jsonl")
    steps = [json.loads(line) for line in journal.read_text().splitlines()]
    steps = [s for s in steps if s["event"] == "step"]
    assert steps and not [s for s in steps if s["result"] == "done"]
    failed = [s["error"] for s in steps if s["result"] == "failed"]
    assert failed and all(f"(HTTP {status}) to host 127.0.0.1;" in e for e in failed), failed
    assert "with a redirect" in result.stderr  # in the closing table, wrapped to fit
    assert f"{sandbox.url}/rest" not in result.stdout + result.stderr  # never the Location


def test_the_location_is_named_by_its_host_only(sandbox: RunningSandbox) -> None:
    hidden = "unregistered-sEcReT-71"  # not a Secret accessq holds: the host rule alone hides it
    sandbox.control.set_faults(
        redirect_writes=True, redirect_to=f"https://admin:{hidden}@evil.example.org:8443"
    )
    token = sign_in_secret(sandbox)
    basic = None if sandbox.flavor == "dc" else ("admin", Secret(token))
    pat = Secret(token) if sandbox.flavor == "dc" else None
    with (
        Gateway.connect(sandbox.url, project="ATS", basic_auth=basic, pat=pat) as gateway,
        pytest.raises(RedirectRefused) as caught,
    ):
        gateway.create_group("ats-redirected-agents")
    message = str(caught.value)
    assert message == (
        "Jira answered POST /rest/api/2/group with a redirect (HTTP 307) to host "
        "evil.example.org; accessq does not follow redirects: if the site moved, use its new "
        "address (--jira-url / ACCESSQ_JIRA_URL)"
    )
    assert hidden not in repr(caught.value)


class _Redirecting(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # http.server's naming
        type(self).hits += 1
        self.send_response(302)
        self.send_header("Location", "/login.jsp?os_destination=%2Frest%2Fapi%2F2%2FserverInfo")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirecting_site() -> Iterator[str]:
    """A site that redirects every read to a login page (an SSO front, a moved site)."""
    _Redirecting.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_reads_are_not_followed_either(redirecting_site: str) -> None:
    result = run(
        ["list-queues"],
        {"ACCESSQ_JIRA_URL": redirecting_site, "ACCESSQ_JIRA_PAT": "pat-0123456789"},
    )
    assert_no_crash(result, (1,))
    assert result.stderr == (
        "error: Jira answered GET /rest/api/2/serverInfo with a redirect (HTTP 302) to another "
        "path of the same site; accessq does not follow redirects: if the site moved, use its "
        "new address (--jira-url / ACCESSQ_JIRA_URL)\n"
    )
    assert _Redirecting.hits == 1


def test_a_redirected_apply_lock_stops_the_apply_before_any_queue_write(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = jira_state(sandbox)
    sandbox.control.set_faults(redirect_writes=True, redirect_to=sandbox.url)
    result = run(["apply", str(EXAMPLE), "--yes"], env_for(sandbox))
    assert_no_crash(result, (1,))
    sandbox.control.clear_faults()
    assert jira_state(sandbox) == before
    assert "to host 127.0.0.1" in result.stderr and f"{sandbox.url}/rest" not in result.stderr
