"""`apply --ticket KEY`, end to end in both flavours: the request ticket gets one comment saying
what was done (read back over HTTP), and nothing about the comment changes what the apply did
or the exit code it earned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from accessq.sandbox import DEMO_SEED, RunningSandbox
from tests.cli_support import env_for, run, run_on
from tests.conftest import MakeSandbox, sign_in_secret


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # journals stay in the test's folder


@pytest.fixture(params=["cloud", "dc"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


QUEUE = (
    "version: 1\nrp_queues:\n  - name: Delta\n"
    "    agents:\n"
    "      - {name: Jane Doe, email: jdoe@illinois.example.edu}\n"
    "      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n"
    "    watchers: [{name: Li Wei, email: lwei@psc.example.edu}]\n"
)
EVIL = "x|[click|https://evil.example]{html}<b>*b*</b>!img.png!"


def _seed_with_long_secrets() -> dict[str, Any]:
    """The demo seed, its admin signing in with secrets long enough to be masked."""
    seed: dict[str, Any] = yaml.safe_load(DEMO_SEED.read_text(encoding="utf-8"))
    for account in seed["accounts"]:
        if account["login"] == "admin":
            account.update(token="cloud-token-5ecret-0001", pat="dc-pat-5ecret-0002")
    return seed


def _write(text: str) -> str:
    Path("queues.yaml").write_text(text, encoding="utf-8")
    return "queues.yaml"


def _comments(sandbox: RunningSandbox, key: str) -> list[str]:
    """The ticket's comment bodies (v2: the wiki markup as posted), over HTTP."""
    secret = sign_in_secret(sandbox)
    with requests.Session() as http:
        http.trust_env = False
        if sandbox.flavor == "cloud":
            http.auth = ("admin", secret)
        else:
            http.headers["Authorization"] = f"Bearer {secret}"
        response = http.get(f"{sandbox.url}/rest/api/2/issue/{key}/comment", timeout=10)
    assert response.status_code == 200, response.text
    return [c["body"] for c in response.json()["comments"]]


def _components(sandbox: RunningSandbox) -> set[str]:
    listed = run_on(sandbox, "list-queues", "--format", "json", "--quiet")
    return {q["name"] for q in json.loads(listed.stdout)["queues"]}


def test_the_ticket_gets_a_table_of_what_was_done(sandbox_cloud: Any, sandbox_dc: Any) -> None:
    for sandbox in (sandbox_cloud, sandbox_dc):
        applied = run_on(sandbox, "apply", _write(QUEUE), "--yes", "--ticket", "ats-1")
        assert applied.exit_code == 0, applied.stdout + applied.stderr
        assert "Commented on ATS-1." in applied.stderr
        [body] = _comments(sandbox, "ATS-1")
        lines = body.splitlines()
        assert lines[0] == "*accessq* applied the queue change: 6 changes done."
        assert lines[1] == "Queues: 1 created. People: 3 added, 0 removed."
        assert "||Queue||Done||People added||People removed||" in lines
        row = next(line for line in lines if line.startswith("|Delta|"))
        assert row == (
            "|Delta|created|agents: Jane Doe <jdoe\\@illinois.example.edu>, "
            "Raj Patel <rpatel\\@illinois.example.edu>; "
            "watchers: Li Wei <lwei\\@psc.example.edu>| |"
        )
        # Removing someone is shown as the account itself, as the plan shows it.
        shrunk = QUEUE.replace(
            "      - {name: Raj Patel, email: rpatel@illinois.example.edu}\n", ""
        )
        again = run_on(sandbox, "apply", _write(shrunk), "--yes", "--ticket", "ATS-1")
        assert again.exit_code == 0, again.stdout + again.stderr
        row = next(line for line in _comments(sandbox, "ATS-1")[1].splitlines() if "Delta" in line)
        # The key as wiki text: `-` escaped, a zero-width space after `:`.
        key = "712020:\u200b068f1bb2\\-17cf" if sandbox.flavor == "cloud" else "rpatel"
        assert row == (
            f'|Delta|changed| |agents: "Raj Patel" <rpatel\\@illinois.example.edu> \\[{key}\\]|'
        )
        # Deleting the queue ends its groups' memberships: counted, not listed.
        gone = run_on(
            sandbox, "apply", _write("version: 1\n"), "--yes", "--allow-delete", "--ticket", "ATS-1"
        )
        assert gone.exit_code == 0, gone.stdout + gone.stderr
        third = _comments(sandbox, "ATS-1")[2].splitlines()
        assert third[1] == "Queues: 1 deleted. People: 0 added, 2 removed."
        assert (
            "|Delta|deleted| |agents: group deleted with 1 member; "
            "watchers: group deleted with 1 member|"
        ) in third


def test_a_long_apply_is_a_short_comment(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("cloud")
    agents = "".join(
        f"      - {{name: {n}, email: {e}}}\n"
        for n, e in [
            ("Jane Doe", "jdoe@illinois.example.edu"),
            ("Raj Patel", "rpatel@illinois.example.edu"),
            ("Maria Garcia", "mgarcia@iu.example.edu"),
            ("Tom Becker", "tbecker@iu.example.edu"),
            ("Li Wei", "lwei@psc.example.edu"),
            ("Sam Okafor", "sokafor@psc.example.edu"),
            ("Emma Novak", "enovak@sdsc.example.edu"),
        ]
    )
    queues = "".join(f"  - name: Q{i:02}\n    agents:\n{agents}" for i in range(25))
    applied = run_on(
        sandbox, "apply", _write(f"version: 1\nrp_queues:\n{queues}"), "--yes", "--ticket", "ATS-2"
    )
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    [body] = _comments(sandbox, "ATS-2")
    rows = [line for line in body.splitlines() if line.startswith("|") and line[1] != "|"]
    assert len(rows) == 21  # 20 queues and one row for the rest
    assert rows[0].startswith("|Q00|created|agents: Emma Novak <enovak\\@sdsc.example.edu>, ")
    assert rows[0].endswith(" and 2 more| |")
    assert rows[-1] == "|and 5 more queues|5 created|70 more|0 more|"  # agents and watchers
    assert len(body) < 10000


def test_a_missing_ticket_is_a_warning_and_the_apply_goes_ahead(
    flavor: str, make_sandbox: Any
) -> None:
    sandbox = make_sandbox(flavor)
    applied = run_on(sandbox, "apply", _write(QUEUE), "--yes", "--ticket", "ATS-999")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    warning = (
        "warning: ticket ATS-999: it does not exist or this account cannot see it; the apply "
        "may go ahead, but the ticket will not be commented"
    )
    assert warning in applied.stderr
    assert applied.stderr.index(warning) < applied.stderr.index("Apply: 6 done")
    assert applied.stderr.rstrip().endswith(
        "warning: ATS-999 was not commented: it does not exist or this account cannot see it."
    )
    assert "Delta" in _components(sandbox)


def test_a_failing_comment_leaves_the_apply_result_alone(flavor: str, make_sandbox: Any) -> None:
    # Every comment POST fails, and the error page repeats the credentials.
    sandbox = make_sandbox(
        flavor,
        _seed_with_long_secrets(),
        error_rate=1.0,
        error_status=500,
        methods=["POST"],
        paths=["*/issue/*/comment"],
        echo_credentials=True,
    )
    applied = run_on(sandbox, "apply", _write(QUEUE), "--yes", "--ticket", "ATS-1")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    last = applied.stderr.rstrip().splitlines()[-1]
    assert last.startswith("warning: ATS-1 was not commented: ")
    assert "500" in last
    assert "***" in last  # the echoed credentials, masked
    assert sign_in_secret(sandbox) not in applied.stdout + applied.stderr
    sandbox.control.clear_faults()
    assert _comments(sandbox, "ATS-1") == []
    assert "Delta" in _components(sandbox)


def test_a_failed_apply_keeps_its_exit_code_and_is_reported_on_the_ticket(
    flavor: str, make_sandbox: Any
) -> None:
    # Every membership write fails (a 503, sent once: a write is not retried blind).
    sandbox = make_sandbox(
        flavor, error_rate=1.0, error_status=503, methods=["POST"], paths=["*/group/user"]
    )
    applied = run_on(sandbox, "apply", _write(QUEUE), "--yes", "--ticket", "ATS-1")
    assert applied.exit_code == 1, applied.stdout + applied.stderr
    assert "Commented on ATS-1." in applied.stderr
    [body] = _comments(sandbox, "ATS-1")
    assert "Not done (3):" in body
    assert "|Delta|created; 3 changes not done| | |" in body


def test_markup_in_names_is_shown_as_text(flavor: str, make_sandbox: Any) -> None:
    sandbox = make_sandbox(flavor)
    queue = QUEUE.replace("name: Jane Doe,", f"name: {json.dumps(EVIL)},")
    applied = run_on(sandbox, "apply", _write(queue), "--yes", "--ticket", "ATS-1")
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    [body] = _comments(sandbox, "ATS-1")
    row = next(line for line in body.splitlines() if line.startswith("|Delta|"))
    assert (
        ", x\\|\\[click\\|https:\u200b//evil.example\\]\\{html\\}<b>\\*b\\*</b>"
        "\\!img.png\\! <jdoe\\@illinois.example.edu>; "
    ) in row
    assert row.count("|") - row.count("\\|") == 5  # still four cells


def test_a_malformed_key_is_refused_before_anything(flavor: str, make_sandbox: Any) -> None:
    sandbox = make_sandbox(flavor)
    before = sandbox.control.count()
    for bad in ("ATS123", "ATS-", "ATS-1 OR 1=1", "../ATS-1", "ATS-0"):
        refused = run_on(sandbox, "apply", _write(QUEUE), "--yes", "--ticket", bad)
        assert refused.exit_code == 1, refused.stdout + refused.stderr
        assert refused.stderr.strip().splitlines() == [
            f"error: --ticket {bad!r} is not a ticket key: give PROJECT-NUMBER, e.g. ATS-123"
        ]
    assert sandbox.control.count() == before  # not even a read


def test_nothing_to_change_posts_no_comment(flavor: str, make_sandbox: Any) -> None:
    sandbox = make_sandbox(flavor)
    assert run_on(sandbox, "apply", _write(QUEUE), "--yes").exit_code == 0
    again = run_on(sandbox, "apply", "queues.yaml", "--yes", "--ticket", "ATS-1")
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "ATS-1 was not commented: there was nothing to change." in again.stderr
    assert _comments(sandbox, "ATS-1") == []


def test_a_saved_plan_and_the_environment_variable(flavor: str, make_sandbox: Any) -> None:
    sandbox = make_sandbox(flavor)
    planned = run_on(sandbox, "plan", _write(QUEUE), "--out", "saved.json")
    assert planned.exit_code == 0, planned.stdout + planned.stderr
    env = {**env_for(sandbox), "ACCESSQ_TICKET": "ATS-3"}
    applied = run(["apply", "--plan", "saved.json", "--yes"], env)
    assert applied.exit_code == 0, applied.stdout + applied.stderr
    assert "Commented on ATS-3." in applied.stderr
    [body] = _comments(sandbox, "ATS-3")
    assert "|Delta|created|" in body
