"""The CI examples in examples/ci/ work as written.

Every `accessq ...` command line of the GitHub Actions and GitLab CI examples is extracted and run
through the real CLI against a sandbox Jira, in the order of the jobs, with the environment its
job would get: the workflow's own variables, and the repository secrets / CI variables replaced by
sandbox accounts (the read-only `viewer` for plans, `admin` for applies; write secrets exist only
in the `jira-production` environment, as the examples tell adopters to set them up). The scripts
that keep the one sticky plan comment run against fakes of the GitHub and GitLab APIs. The markdown
reviewers see is a golden file; `ACCESSQ_UPDATE_GOLDEN=1 pytest tests/test_ci_examples.py`
rewrites it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml
from typer.testing import CliRunner, Result

from accessq.cli.app import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "queues.yaml"
GITHUB = REPO / "examples" / "ci" / "github-actions.yml"
GITLAB = REPO / "examples" / "ci" / "gitlab-ci.yml"
GOLDEN = Path(__file__).parent / "ci_golden" / "plan-examples.md"
MARKER = "<!-- accessq-plan -->"
SANDBOX_URL = "http://sandbox.invalid"  # what the golden file says instead of the random port
PRODUCTION = "jira-production"
JOBS = ["validate", "plan", "apply", "doctor", "drift"]
# Set only from the job's own environment, never inherited from whoever runs the tests.
ACCESSQ_ENV = [
    "ACCESSQ_JIRA_URL",
    "ACCESSQ_JIRA_USER",
    "ACCESSQ_JIRA_TOKEN",
    "ACCESSQ_JIRA_PAT",
    "ACCESSQ_JIRA_PROJECT",
    "GITHUB_STEP_SUMMARY",
]

# Secret name -> (test value, the environment it is scoped to, or None for every job).
Secrets = Mapping[str, tuple[str, str | None]]


def secrets_for(url: str) -> Secrets:
    """The repository secrets / CI variables the examples ask for, as sandbox accounts."""
    return {
        "ACCESSQ_JIRA_URL": (url, None),
        "ACCESSQ_PLAN_USER": ("viewer", None),
        "ACCESSQ_PLAN_TOKEN": ("viewer", None),
        "ACCESSQ_APPLY_USER": ("admin", PRODUCTION),
        "ACCESSQ_APPLY_TOKEN": ("admin", PRODUCTION),
        "ACCESSQ_NOTE_TOKEN": ("note-token", None),
    }


def visible(secrets: Secrets, environment: Any) -> dict[str, str]:
    name = environment.get("name") if isinstance(environment, dict) else environment
    return {key: value for key, (value, scope) in secrets.items() if scope in (None, name)}


# --- reading the examples -------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One `accessq ...` line of a job, with the environment the job gives it."""

    job: str
    line: str
    env: Mapping[str, str]


# A command starts a line or follows a shell operator; text that merely mentions accessq does not.
COMMAND = re.compile(
    r"(?:^|[;&|(]|\bthen\b|\bdo\b|\belse\b)\s*"
    r"(accessq\s+(?:validate|plan|apply|doctor|list-queues|export|schema|sandbox)\b.*)$"
)


def accessq_lines(script: str) -> list[str]:
    lines = script.replace("\\\n", " ").splitlines()
    found = (COMMAND.search(line) for line in lines if not line.lstrip().startswith("#"))
    return [match.group(1).strip() for match in found if match]


def load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path}: not a YAML mapping"
    return document


def github_value(value: str, secrets: Mapping[str, str]) -> str:
    """Evaluate the `${{ }}` expressions a push or pull request would see."""

    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if secret := re.fullmatch(r"(?:secrets|vars)\.(\w+)", expression):
            return secrets.get(secret.group(1), "")  # GitHub gives "" for a missing one
        if "inputs." in expression and not re.search(r"\b(?:secrets|steps|env)\.", expression):
            return ""  # no inputs outside a manual run
        raise AssertionError(f"the test cannot evaluate ${{{{ {expression} }}}}")

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def github_step_env(
    document: dict[str, Any], job: dict[str, Any], step: dict[str, Any], secrets: Secrets
) -> dict[str, str]:
    """The environment of one step: workflow, job and step `env:`, expressions evaluated."""
    shown = visible(secrets, job.get("environment"))
    raw = {**document.get("env", {}), **job.get("env", {}), **step.get("env", {})}
    return {key: github_value(str(value), shown) for key, value in raw.items()}


def github_commands(document: dict[str, Any], secrets: Secrets) -> list[Command]:
    commands: list[Command] = []
    for name, job in document["jobs"].items():
        for step in job.get("steps", []):
            if lines := accessq_lines(step.get("run", "")):
                env = github_step_env(document, job, step, secrets)
                commands += [Command(name, line, env) for line in lines]
    return commands


def gitlab_value(value: str, variables: Mapping[str, str]) -> str:
    """Expand `$NAME` as GitLab does in `variables:`; an unknown name expands to nothing."""
    return re.sub(r"\$\{?(\w+)\}?", lambda m: variables.get(m.group(1), ""), value)


GITLAB_KEYWORDS = {"workflow", "stages", "variables", "default", "include", "image", "services"}


def gitlab_job_env(
    document: dict[str, Any], job: dict[str, Any], secrets: Secrets
) -> dict[str, str]:
    """The project's CI/CD variables this job sees, then the file's and the job's `variables:`."""
    env = visible(secrets, job.get("environment"))
    for key, value in {**document.get("variables", {}), **job.get("variables", {})}.items():
        # A variable is a value, or {value:, description:} to prefill the Run pipeline form.
        value = value["value"] if isinstance(value, dict) else value
        env[key] = gitlab_value(str(value), env)
    return env


def gitlab_jobs(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: job
        for name, job in document.items()
        if name not in GITLAB_KEYWORDS and not name.startswith(".") and isinstance(job, dict)
    }


def gitlab_commands(document: dict[str, Any], secrets: Secrets) -> list[Command]:
    commands: list[Command] = []
    for name, job in gitlab_jobs(document).items():
        env = gitlab_job_env(document, job, secrets)
        before = job.get("before_script", document.get("default", {}).get("before_script", []))
        for item in [*before, *job.get("script", [])]:
            commands += [Command(name, line, env) for line in accessq_lines(item)]
    return commands


CI: dict[str, tuple[Path, Callable[..., list[Command]]]] = {
    "github": (GITHUB, github_commands),
    "gitlab": (GITLAB, gitlab_commands),
}


def commands_of(ci: str, url: str) -> list[Command]:
    path, extract = CI[ci]
    return extract(load(path), secrets_for(url))


# --- running a command line as the shell would -----------------------------------------------


@dataclass(frozen=True)
class Ran:
    command: Command
    args: list[str]
    result: Result

    @property
    def allowed(self) -> set[int]:
        return {0, 2} if "--detailed-exitcode" in self.args else {0}

    def __str__(self) -> str:
        return (
            f"[{self.command.job}] {self.command.line}\n-> exit {self.result.exit_code}\n"
            f"{self.result.stdout[-2000:]}{self.result.stderr[-2000:]}"
        )


def shell_words(command: Command) -> tuple[list[str], dict[str, str]]:
    """The words after variable expansion, cut at the first shell operator; and the redirects."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in command.env, f"{command.line}: ${name} is not set in job {command.job}"
        return command.env[name]

    words = shlex.split(re.sub(r"\$\{?([A-Za-z_]\w*)\}?", value, command.line))
    args: list[str] = []
    redirects: dict[str, str] = {}
    rest = iter(words)
    for word in rest:
        if word in {">", "1>", "2>"}:
            redirects["stderr" if word == "2>" else "stdout"] = next(rest)
        elif word in {"||", "&&", ";", "|", "&"}:
            break
        else:
            assert ">" not in word, f"{command.line}: write redirections with spaces around"
            args.append(word)
    return args, redirects


def run(command: Command, **extra_env: str | None) -> Ran:
    args, redirects = shell_words(command)
    assert args[0] == "accessq", command.line
    env: dict[str, str | None] = {name: None for name in ACCESSQ_ENV}
    env.update(command.env)
    env.update(extra_env)
    result = CliRunner().invoke(app, args[1:], env=env)
    for stream, target in redirects.items():
        Path(target).write_text(getattr(result, stream), encoding="utf-8")
    return Ran(command, args, result)


@pytest.fixture
def queue_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout of a queue repository as the examples expect it: the queue files in queues/."""
    checkout = tmp_path / "checkout"
    (checkout / "queues").mkdir(parents=True)
    shutil.copy(EXAMPLE, checkout / "queues" / "queues.yaml")
    monkeypatch.chdir(checkout)
    return checkout


# --- the examples parse, and say what the workstream promises --------------------------------


@pytest.mark.parametrize("ci", sorted(CI))
def test_example_parses_as_yaml_with_the_three_jobs(ci: str) -> None:
    document = load(CI[ci][0])
    jobs = document["jobs"] if ci == "github" else document
    assert set(JOBS) <= set(jobs)
    assert {c.job for c in commands_of(ci, "https://jira.invalid")} == set(JOBS)


@pytest.mark.parametrize("ci", sorted(CI))
def test_each_job_gets_only_the_jira_account_it_needs(ci: str) -> None:
    accounts: dict[str, set[tuple[str | None, str | None]]] = {job: set() for job in JOBS}
    for command in commands_of(ci, "https://jira.invalid"):
        env = command.env
        accounts[command.job].add((env.get("ACCESSQ_JIRA_USER"), env.get("ACCESSQ_JIRA_TOKEN")))
    assert accounts == {
        "validate": {(None, None)},  # offline: no Jira account at all
        "plan": {("viewer", "viewer")},  # the read-only account
        "apply": {("admin", "admin")},  # the write account, from the environment only
        "doctor": {("viewer", "viewer")},  # nightly, read-only: no approval needed
        "drift": {("viewer", "viewer")},  # nightly, read-only
    }


def test_github_validate_job_sees_no_secret() -> None:
    validate = load(GITHUB)["jobs"]["validate"]
    assert "secrets." not in json.dumps(validate)


def test_github_actions_are_pinned_to_full_commits() -> None:
    uses = [
        step["uses"]
        for job in load(GITHUB)["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]
    assert uses, "the workflow uses no action?"
    for use in uses:
        assert re.fullmatch(r"actions/[\w.-]+@[0-9a-f]{40}", use), f"not pinned to a commit: {use}"


def test_github_applies_only_main_one_at_a_time_after_approval() -> None:
    document = load(GITHUB)
    triggers: Any = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    apply = document["jobs"]["apply"]
    assert "refs/heads/main" in apply["if"]
    assert apply["environment"] == PRODUCTION
    group = apply["concurrency"]["group"]
    assert "${{" not in group, "one group for every run, or two applies could overlap"
    assert apply["concurrency"]["cancel-in-progress"] is False


def test_github_plan_comment_is_one_sticky_comment() -> None:
    plan = load(GITHUB)["jobs"]["plan"]
    assert plan["permissions"]["pull-requests"] == "write"
    script = comment_script()
    assert MARKER in script
    assert "updateComment" in script and "createComment" in script


def test_gitlab_plans_merge_requests_and_applies_the_default_branch_alone() -> None:
    document = load(GITLAB)
    plan, apply = document["plan"], document["apply"]
    assert [r["if"] for r in plan["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert all("$CI_DEFAULT_BRANCH" in r["if"] for r in apply["rules"])
    assert apply["resource_group"] == PRODUCTION
    assert apply["environment"]["name"] == PRODUCTION
    assert plan["artifacts"]["reports"]["terraform"] == "accessq-report.json"
    assert "ACCESSQ_APPLY" not in json.dumps(document["validate"])


# --- every command runs, job after job, against one sandbox ----------------------------------


@pytest.mark.parametrize("ci", sorted(CI))
def test_every_accessq_command_runs_as_written(
    ci: str, make_sandbox: Any, queue_repository: Path
) -> None:
    sandbox = make_sandbox("cloud")
    summary = queue_repository / "step-summary.md"
    extra = {"GITHUB_STEP_SUMMARY": str(summary)} if ci == "github" else {}
    commands = commands_of(ci, sandbox.url)
    ran: list[Ran] = []
    for job in JOBS:
        for command in (c for c in commands if c.job == job):
            ran.append(outcome := run(command, **extra))
            assert outcome.result.exit_code in outcome.allowed, str(outcome)
        if job == "plan":
            check_what_reviewers_get(ci, summary)

    # A first merge on the demo site: the pull request plans changes, the apply makes them.
    assert [(r.command.job, r.args[1], r.result.exit_code) for r in ran] == [
        ("validate", "validate", 0),
        ("plan", "plan", 2),
        ("apply", "plan", 2),
        ("apply", "apply", 0),
        ("apply", "doctor", 0),  # after every apply: the members can do their job
        ("doctor", "doctor", 0),  # nightly, as the read-only account
        ("drift", "plan", 0),  # nightly: Jira is as the apply left it, no drift
    ]
    assert "0 failed, 0 skipped" in ran[3].result.stderr
    assert "0 failed, 0 not checked" in ran[4].result.stdout
    assert "read-only plan account" in ran[5].result.stdout
    assert list(Path(".accessq/journal").glob("apply-*.jsonl")), "the apply keeps its journal"

    # The next pull request's plan: Jira now matches, nothing to review.
    again = run(next(c for c in commands if c.job == "plan"), **extra)
    assert again.result.exit_code == 0, str(again)
    assert "No changes" in Path("plan.md").read_text(encoding="utf-8")


OVERRIDE_VARIABLE = {"github": "OVERRIDES", "gitlab": "ACCESSQ_OVERRIDES"}


@pytest.mark.parametrize("ci", sorted(CI))
def test_a_queue_deletion_is_applied_only_with_the_override(
    ci: str, make_sandbox: Any, queue_repository: Path
) -> None:
    sandbox = make_sandbox("cloud")
    plan, apply = [c for c in commands_of(ci, sandbox.url) if c.job == "apply"][:2]
    assert [run(plan).result.exit_code, run(apply).result.exit_code] == [2, 0]
    queues = queue_repository / "queues" / "queues.yaml"
    text = queues.read_text(encoding="utf-8")
    start = text.index("  - name: Anvil")
    queues.write_text(text[:start] + text[text.index("\n\n", start) + 2 :], encoding="utf-8")

    blocked = run(plan)  # a merge that deletes a queue stops at the plan: nothing is deleted
    assert blocked.result.exit_code == 3, str(blocked)
    assert "--allow-delete" in blocked.result.stdout

    variable = OVERRIDE_VARIABLE[ci]
    assert variable in apply.env and apply.env[variable] == "", "no override on a merge"
    approved = Command(apply.job, apply.line, {**apply.env, variable: "--allow-delete"})
    assert run(approved).result.exit_code == 0
    assert run(plan).result.exit_code == 0


def check_what_reviewers_get(ci: str, summary: Path) -> None:
    markdown = Path("plan.md").read_text(encoding="utf-8")
    assert markdown.startswith(MARKER + "\n"), markdown[:200]
    assert "Plan: 10 queues to create" in markdown
    if ci == "github":  # accessq itself writes the plan to the job summary
        assert summary.read_text(encoding="utf-8").startswith(MARKER)
    else:  # the merge-request widget's counts, from the saved plan
        subprocess.run([sys.executable, "-c", report_snippet()], check=True)
        report = json.loads(Path("accessq-report.json").read_text(encoding="utf-8"))
        assert report == {"create": 10, "update": 0, "delete": 0}


def test_a_read_only_plan_of_broken_queue_files_fails_with_one_line(
    make_sandbox: Any, queue_repository: Path
) -> None:
    sandbox = make_sandbox("cloud")
    (queue_repository / "queues" / "queues.yaml").write_text("version: 1\nrp_queues: 7\n")
    plan = next(c for c in commands_of("github", sandbox.url) if c.job == "plan")
    outcome = run(plan)
    assert outcome.result.exit_code == 1
    error = Path("plan.err").read_text(encoding="utf-8")
    assert "queues/queues.yaml:2" in error and "Traceback" not in error


# --- the markdown reviewers see (golden) ------------------------------------------------------


def test_ci_markdown_of_the_example_matches_golden_file(
    make_sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = make_sandbox("cloud")
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "examples" / "queues.yaml")
    monkeypatch.chdir(tmp_path)  # so sources read examples/queues.yaml:LINE, as in a checkout
    env: dict[str, str | None] = {name: None for name in ACCESSQ_ENV}
    env |= {"ACCESSQ_JIRA_URL": sandbox.url, "ACCESSQ_JIRA_USER": "viewer"}
    env |= {"ACCESSQ_JIRA_TOKEN": "viewer", "NO_COLOR": "1"}
    args = ["plan", "examples/queues.yaml", "--format", "markdown", "--detailed-exitcode"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 2, result.stderr
    rendered = result.stdout.replace(sandbox.url, SANDBOX_URL)
    assert "127.0.0.1" not in rendered
    if os.environ.get("ACCESSQ_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert GOLDEN.exists(), f"missing {GOLDEN}; run with ACCESSQ_UPDATE_GOLDEN=1 to create it"
    assert rendered == GOLDEN.read_text(encoding="utf-8")


# --- the sticky comment: GitHub's script under node, against a fake `github` ------------------


def comment_script() -> str:
    steps = load(GITHUB)["jobs"]["plan"]["steps"]
    scripts = [s["with"]["script"] for s in steps if "github-script" in s.get("uses", "")]
    assert len(scripts) == 1, "one github-script step posts the plan"
    return scripts[0]


NODE_HARNESS = """
const state = JSON.parse(process.env.HARNESS_STATE);
const calls = [];
const github = {
  paginate: async (method, params) => { calls.push({method, ...params}); return state.comments; },
  rest: { issues: {
    listComments: 'listComments',
    updateComment: async (params) => { calls.push({method: 'updateComment', ...params}); },
    createComment: async (params) => { calls.push({method: 'createComment', ...params}); },
  } },
};
const context = state.context;
(async () => {
%s
})().then(
  () => process.stdout.write(JSON.stringify(calls)),
  (error) => { console.error(error); process.exit(1); },
);
"""


def post_comment(workdir: Path, comments: list[dict[str, Any]], exit_code: int) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run the github-script step")
    harness = workdir / "harness.js"
    harness.write_text(NODE_HARNESS % comment_script(), encoding="utf-8")
    context = {
        "serverUrl": "https://github.com",
        "repo": {"owner": "access-ci", "repo": "ats-queues"},
        "runId": 42,
        "issue": {"number": 7},
        "sha": "f" * 40,
        "payload": {"pull_request": {"head": {"sha": "abc1234" + "0" * 33}}},
    }
    state = json.dumps({"comments": comments, "context": context})
    env = {"PATH": os.environ.get("PATH", ""), "HARNESS_STATE": state, "PLAN_EXIT": str(exit_code)}
    done = subprocess.run(
        [node, str(harness)], cwd=workdir, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [c for c in json.loads(done.stdout) if c["method"] != "listComments"]


def test_github_first_plan_creates_the_comment(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(f"{MARKER}\n### accessq plan\n\n**Plan: 1 to create**\n")
    human = {"id": 3, "user": {"type": "User"}, "body": f"why is {MARKER} here?"}
    [call] = post_comment(tmp_path, [human], exit_code=2)
    assert call["method"] == "createComment" and call["issue_number"] == 7
    assert call["body"].startswith(MARKER + "\n### accessq plan")
    assert "Plan of abc1234" in call["body"]


def test_github_next_plan_updates_the_same_comment(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text(f"{MARKER}\nNo changes. Jira matches the configuration.\n")
    comments = [
        {"id": 3, "user": {"type": "User"}, "body": f"quoting {MARKER}"},
        {"id": 9, "user": {"type": "Bot"}, "body": f"{MARKER}\nold plan"},
    ]
    [call] = post_comment(tmp_path, comments, exit_code=0)
    assert call["method"] == "updateComment" and call["comment_id"] == 9
    assert "No changes" in call["body"]


def test_github_failed_plan_still_tells_reviewers_why(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("")
    line = "error: Jira at https://x.atlassian.net rejected the credentials (HTTP 401)"
    (tmp_path / "plan.err").write_text(f"Reading ...\n{line}\n")
    [call] = post_comment(tmp_path, [], exit_code=1)
    assert call["body"].startswith(MARKER + "\n### accessq plan failed (exit 1)")
    assert line in call["body"]


def test_github_huge_plan_is_cut_to_fit_a_comment(tmp_path: Path) -> None:
    queue = "<details>\n<summary>Q</summary>\n\n```diff\n" + "+ agents: someone\n" * 50
    huge = f"{MARKER}\n### accessq plan\n\n| table |\n\n" + (queue + "```\n</details>\n") * 200
    (tmp_path / "plan.md").write_text(huge + "\n**Plan: 200 queues to create.**\n")
    [call] = post_comment(tmp_path, [], exit_code=2)
    assert len(huge) > 65536 > len(call["body"])
    assert "| table |" in call["body"] and "**Plan: 200 queues to create.**" in call["body"]
    assert "too long for a comment" in call["body"]


# --- the sticky note: GitLab's script against a fake GitLab API -----------------------------


def note_script() -> str:
    items = [i for i in load(GITLAB)["plan"]["script"] if "<<'EOF'" in i]
    assert len(items) == 1, "one script item posts the note"
    return items[0].split("<<'EOF'\n", 1)[1].split("\nEOF", 1)[0]


def report_snippet() -> str:
    [item] = [i for i in load(GITLAB)["plan"]["script"] if "accessq-report.json" in i]
    match = re.search(r"python3 -c '([^']*)'", item)
    assert match, item
    return match.group(1)


class FakeGitLab(BaseHTTPRequestHandler):
    """Just the notes API of one merge request (project 5, MR 3), as the token's bot (id 42)."""

    notes: list[dict[str, Any]]
    calls: list[str]

    def _reply(self, body: Any, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> str:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

    def do_GET(self) -> None:
        assert self.headers["PRIVATE-TOKEN"] == "note-token"
        self.calls.append(f"GET {self.path}")
        if self.path == "/api/v4/user":
            self._reply({"id": 42})
        else:
            self._reply(self.notes)

    def do_POST(self) -> None:
        self.calls.append(f"POST {self.path}")
        note = {"id": 100 + len(self.notes), "author": {"id": 42}, "body": self._body()}
        self.notes.append(note)
        self._reply(note, 201)

    def do_PUT(self) -> None:
        self.calls.append(f"PUT {self.path}")
        note_id = int(self.path.rsplit("/", 1)[1])
        note = next(n for n in self.notes if n["id"] == note_id)
        note["body"] = self._body()
        self._reply(note)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@pytest.fixture
def gitlab_api() -> Iterator[type[FakeGitLab]]:
    handler = type("Handler", (FakeGitLab,), {"notes": [], "calls": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_port}/api/v4"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def post_note(workdir: Path, api: Any, plan: str) -> None:
    (workdir / "plan.md").write_text(plan, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "CI_API_V4_URL": api.url,
        "CI_PROJECT_ID": "5",
        "CI_MERGE_REQUEST_IID": "3",
        "ACCESSQ_NOTE_TOKEN": "note-token",
        "PLAN_EXIT": "2",
        "CI_COMMIT_SHORT_SHA": "abc12345",
        "CI_PIPELINE_URL": "https://gitlab.example/p/1",
    }
    done = subprocess.run(
        [sys.executable, "-"],
        input=note_script(),
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_gitlab_note_is_created_once_then_updated_in_place(tmp_path: Path, gitlab_api: Any) -> None:
    person = {"id": 7, "author": {"id": 5}, "body": f"is {MARKER} ours?"}
    gitlab_api.notes.append(person)

    post_note(tmp_path, gitlab_api, f"{MARKER}\nfirst plan\n")
    post_note(tmp_path, gitlab_api, f"{MARKER}\nsecond plan\n")

    writes = [c for c in gitlab_api.calls if not c.startswith("GET")]
    notes_url = "/api/v4/projects/5/merge_requests/3/notes"
    assert writes == [f"POST {notes_url}", f"PUT {notes_url}/101"]
    ours = [n for n in gitlab_api.notes if n["author"]["id"] == 42]
    assert len(ours) == 1 and ours[0]["body"].startswith(f"{MARKER}\nsecond plan")
    assert "Plan of abc12345" in ours[0]["body"]
    assert person["body"] == f"is {MARKER} ours?"  # a person's note is never touched


# --- the job scripts as the runners run them: bash, with the real `accessq` on PATH ----------


def all_scripts() -> Iterator[tuple[str, str]]:
    github = load(GITHUB)
    for name, job in github["jobs"].items():
        for step in job.get("steps", []):
            if "run" in step:
                yield f"github {name}: {step.get('name', step['run'][:30])}", step["run"]
    gitlab = load(GITLAB)
    for name, job in gitlab_jobs(gitlab).items():
        yield f"gitlab {name}", "\n".join(job["script"])


def test_every_script_is_valid_bash() -> None:
    for where, script in all_scripts():
        checked = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert checked.returncode == 0, f"{where}: {checked.stderr}"


def bash(
    script: str, env: Mapping[str, str], *, flags: tuple[str, ...] = ("-e",)
) -> subprocess.CompletedProcess:
    """A job script under bash (GitHub runs `bash -e`, GitLab `set -eo pipefail`)."""
    tools = Path(sys.executable).parent
    if not (tools / "accessq").exists():
        pytest.skip(f"no accessq console script in {tools}")
    base = {"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    return subprocess.run(
        ["bash", *flags, "-c", script],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def github_step(job: str, name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    document = load(GITHUB)
    steps = document["jobs"][job]["steps"]
    return document, document["jobs"][job], next(s for s in steps if s.get("name") == name)


def test_github_plan_step_keeps_the_exit_code_and_the_verdict_step_judges_it(
    make_sandbox: Any, queue_repository: Path
) -> None:
    sandbox = make_sandbox("cloud")
    document, job, step = github_step("plan", "Plan against the live Jira")
    output = queue_repository / "github-output"
    env = github_step_env(document, job, step, secrets_for(sandbox.url))
    done = bash(step["run"], {**env, "GITHUB_OUTPUT": str(output)})
    assert done.returncode == 0, done.stderr  # the comment must be posted whatever the plan says
    assert output.read_text() == "exitcode=2\n"
    assert "Reading" in done.stderr  # plan.err is shown in the log

    _, _, verdict = github_step("plan", "Check the plan's exit code")
    outcomes = {code: bash(verdict["run"], {"PLAN_EXIT": code}) for code in "0231"}
    assert {code: done.returncode for code, done in outcomes.items()} == {
        "0": 0,
        "2": 0,  # changes to review: a success
        "3": 3,
        "1": 1,
    }
    assert "::error::Blocked by a safety rule" in outcomes["3"].stdout


GITLAB_SHELL = ("-e", "-o", "pipefail")


def gitlab_ci_env(api: Any) -> dict[str, str]:
    return {
        "CI_API_V4_URL": api.url,
        "CI_PROJECT_ID": "5",
        "CI_MERGE_REQUEST_IID": "3",
        "CI_COMMIT_SHORT_SHA": "abc12345",
        "CI_PIPELINE_URL": "https://gitlab.example/p/1",
    }


def test_gitlab_plan_job_posts_its_note_and_judges_the_exit_code(
    make_sandbox: Any, queue_repository: Path, gitlab_api: Any
) -> None:
    sandbox = make_sandbox("cloud")
    document = load(GITLAB)
    job = document["plan"]
    env = {**gitlab_job_env(document, job, secrets_for(sandbox.url)), **gitlab_ci_env(gitlab_api)}
    script = "\n".join(job["script"])

    changes = bash(script, env, flags=GITLAB_SHELL)
    assert changes.returncode == 0, changes.stderr  # exit 2 of the plan: a success
    assert json.loads(Path("accessq-report.json").read_text())["create"] == 10
    [note] = gitlab_api.notes
    assert note["body"].startswith(MARKER) and "Plan: 10 queues to create" in note["body"]

    (queue_repository / "queues" / "queues.yaml").write_text("version: 1\nrp_queues: 7\n")
    broken = bash(script, env, flags=GITLAB_SHELL)
    assert broken.returncode == 1
    [note] = gitlab_api.notes  # the same note, now saying why the plan failed
    assert note["body"].startswith(f"{MARKER}\n### accessq plan failed (exit 1)")
    assert "queues/queues.yaml:2" in note["body"]


def test_docs_name_every_secret_the_examples_use() -> None:
    docs = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    github = set(re.findall(r"(?:secrets|vars)\.(\w+)", GITHUB.read_text(encoding="utf-8")))
    gitlab = set(re.findall(r"\$(ACCESSQ_\w+)", GITLAB.read_text(encoding="utf-8")))
    assert github and gitlab
    for name in sorted(github | gitlab - {"ACCESSQ_OVERRIDES"}):
        assert f"`{name}`" in docs, f"docs/ci.md does not tell adopters to set {name}"


# --- the nightly drift check: one tracking issue, opened, updated and closed ----------------


def fake_accessq(where: Path, exit_code: int, body: str) -> dict[str, str]:
    """PATH with an `accessq` whose plan prints `body` and exits `exit_code`."""
    tools = where / "bin"
    tools.mkdir(exist_ok=True)
    script = tools / "accessq"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' {shlex.quote(body)}\nexit {exit_code}\n")
    script.chmod(0o755)
    return {"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"}


FAKE_GH = r'''#!/usr/bin/env python3
"""`gh issue/label` against a JSON file of issues; every call is logged."""
import json, os, sys
state = os.environ["GH_STATE"]
issues = json.load(open(state)) if os.path.exists(state) else []
args = sys.argv[1:]
open(state + ".log", "a").write(" ".join(args[:2]) + "\n")
def opt(name):
    return args[args.index(name) + 1] if name in args else None
if args[:2] == ["issue", "list"]:
    found = [i for i in issues if i["open"] and opt("--label") in i["labels"]]
    print(found[0]["number"] if found else "")
elif args[:2] == ["issue", "view"]:
    print(next(i for i in issues if i["number"] == int(args[2]))["body"])
elif args[:2] == ["issue", "create"]:
    body = open(opt("--body-file")).read()
    issue = {"number": len(issues) + 1, "open": True, "labels": [opt("--label")]}
    issues.append({**issue, "body": body})
elif args[:2] == ["issue", "edit"]:
    edited = next(i for i in issues if i["number"] == int(args[2]))
    edited["body"] = open(opt("--body-file")).read()
elif args[:2] == ["issue", "close"]:
    next(i for i in issues if i["number"] == int(args[2]))["open"] = False
json.dump(issues, open(state, "w"))
'''


def test_github_drift_job_opens_updates_and_closes_one_issue(tmp_path: Path) -> None:
    _, job, plan_step = github_step("drift", "Plan for drift")
    _, _, issue_step = github_step("drift", "Open, update or close the drift issue")
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "gh").write_text(FAKE_GH)
    (tools / "gh").chmod(0o755)
    state = tmp_path / "issues.json"

    def night(exit_code: int, body: str = "") -> int:
        output = tmp_path / "output"
        output.write_text("")
        env = {**fake_accessq(tmp_path, exit_code, body), "QUEUES": "queues/"}
        ran = subprocess.run(
            ["bash", "-e", "-c", plan_step["run"]],
            env={**env, "GITHUB_OUTPUT": str(output)},
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        if ran.returncode:
            return ran.returncode
        code = github_outputs(output)["exitcode"]
        done = subprocess.run(
            ["bash", "-e", "-c", issue_step["run"]],
            env={**env, "GH_STATE": str(state), "DRIFT_EXIT": code},
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return 0

    def issues() -> list[dict[str, Any]]:
        return json.loads(state.read_text()) if state.exists() else []

    assert night(0) == 0 and issues() == []  # no drift, no issue
    assert night(2, "Delta drifted") == 0
    assert [(i["open"], i["body"]) for i in issues()] == [(True, "Delta drifted\n")]
    assert night(2, "Delta drifted") == 0  # the same drift: no edit
    assert night(2, "Delta and Anvil drifted") == 0
    assert [(i["open"], i["body"]) for i in issues()] == [(True, "Delta and Anvil drifted\n")]
    assert night(0) == 0
    assert [i["open"] for i in issues()] == [False]
    assert night(1) == 1  # a plan that failed fails the job and leaves the issue alone
    assert night(2, "again") == 0  # new drift after a closed issue: a new one
    assert [i["open"] for i in issues()] == [False, True]
    calls = Path(f"{state}.log").read_text().splitlines()
    assert calls.count("issue edit") == 1 and calls.count("issue create") == 2


class FakeIssues(BaseHTTPRequestHandler):
    """Just the issues API of project 5, behind the project token."""

    issues: list[dict[str, Any]]

    def _reply(self, body: Any, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str]:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def do_GET(self) -> None:
        assert self.headers["PRIVATE-TOKEN"] == "issue-token"
        query = parse_qs(self.path.split("?", 1)[1])
        assert query == {"labels": ["accessq-drift"], "state": ["opened"]}
        self._reply([i for i in self.issues if i["state"] == "opened"])

    def do_POST(self) -> None:
        form = self._form()
        issue = {"iid": len(self.issues) + 1, "state": "opened", **form}
        self.issues.append(issue)
        self._reply(issue, 201)

    def do_PUT(self) -> None:
        issue = next(i for i in self.issues if i["iid"] == int(self.path.rsplit("/", 1)[1]))
        form = self._form()
        if form.pop("state_event", None) == "close":
            issue["state"] = "closed"
        issue.update(form)
        self._reply(issue)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_gitlab_drift_job_opens_updates_and_closes_one_issue(tmp_path: Path) -> None:
    document = load(GITLAB)
    job = document["drift"]
    assert [r["if"] for r in job["rules"]] == ['$CI_PIPELINE_SOURCE == "schedule"']

    class Handler(FakeIssues):
        issues: list[dict[str, Any]] = []  # noqa: RUF012  (this test's own fake site)

    handler = Handler
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    script = "\n".join(job["script"])
    try:

        def night(exit_code: int, body: str = "") -> int:
            env = {
                **fake_accessq(tmp_path, exit_code, body),
                "QUEUES": "queues/",
                "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4",
                "CI_PROJECT_ID": "5",
                "ACCESSQ_ISSUE_TOKEN": "issue-token",
            }
            return subprocess.run(
                ["bash", *GITLAB_SHELL, "-c", script], env=env, cwd=tmp_path, capture_output=True
            ).returncode

        assert night(0) == 0 and handler.issues == []
        assert night(2, "Delta drifted") == 0
        [issue] = handler.issues
        assert issue["labels"] == "accessq-drift" and issue["description"] == "Delta drifted\n"
        assert night(2, "Delta and Anvil drifted") == 0
        assert [i["description"] for i in handler.issues] == ["Delta and Anvil drifted\n"]
        assert night(3) == 3  # blocked, or any failure: the job fails, the issue stays
        assert night(0) == 0
        assert [i["state"] for i in handler.issues] == ["closed"]
    finally:
        server.shutdown()
        server.server_close()


# --- the apply jobs' control flow: sequences of pushes to main, runs in any order ------------
#
# A git origin, pushes to main, and the apply runs those pushes trigger (the workflow's own push
# filter), run later and in the order a test chooses, the way runs wait for approval and for the
# one apply group. Every step runs as written (bash, the real accessq, a sandbox Jira); only the
# checkout (a clone of the origin), setup and install steps are simulated. Whatever the order,
# every queue change that reached main must end up in Jira.


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@dataclass
class Push:
    sha: str
    changed: list[str]


class Origin:
    """A bare repository with a main branch, and a working clone that pushes to it."""

    def __init__(self, root: Path) -> None:
        self.bare, self.work = root / "origin.git", root / "work"
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(self.bare))
        git(root, "clone", "--quiet", str(self.bare), str(self.work))
        git(self.work, "config", "user.email", "ci@example.org")
        git(self.work, "config", "user.name", "CI")
        git(self.work, "checkout", "--quiet", "-b", "main")

    def push(self, files: Mapping[str, str]) -> Push:
        for name, text in files.items():
            (self.work / name).parent.mkdir(parents=True, exist_ok=True)
            (self.work / name).write_text(text, encoding="utf-8")
        git(self.work, "add", "--all")
        git(self.work, "commit", "--quiet", "-m", "change")
        git(self.work, "push", "--quiet", "origin", "main")
        return Push(git(self.work, "rev-parse", "HEAD"), sorted(files))

    def checkout(self, where: Path, ref: str) -> Path:
        """A clone at `ref` (a commit, or a branch name: its tip now), origin set as CI does."""
        git(where.parent, "clone", "--quiet", str(self.bare), str(where))
        git(where, "checkout", "--quiet", ref if len(ref) == 40 else f"origin/{ref}")
        return where


def glob_matches(pattern: str, path: str) -> bool:
    # `**/` is any number of folders, none included; `**` anything; `*` within one name.
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
    regex = regex.replace(r"\*", "[^/]*")
    return re.fullmatch(regex, path) is not None


def github_expression(expression: str, context: Mapping[str, Any]) -> bool:
    """The few `if:` expressions the example uses: ==, !=, &&, ||, (), always(), contexts."""
    python = expression.replace("&&", " and ").replace("||", " or ").replace("always()", "True")
    python = re.sub(r"!(?!=)", " not ", python)

    def lookup(match: re.Match[str]) -> str:
        value: Any = context
        for part in match.group(0).split("."):
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return repr(value)

    python = re.sub(r"\b(?:github|steps|env|inputs)(?:\.[\w-]+)+", lookup, python)
    return bool(eval(python, {"__builtins__": {}}, {"True": True}))  # the test's own input


def github_outputs(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def job_shell(script: str, env: Mapping[str, str], cwd: Path, flags: tuple[str, ...]) -> int:
    tools = Path(sys.executable).parent
    base = {"PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    base |= {"HOME": os.environ.get("HOME", str(cwd)), "CI": "true"}
    done = subprocess.run(
        ["bash", *flags, "-c", script],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(done.stdout, done.stderr)  # shown when a sequence test fails
    return done.returncode


def github_triggers(push: Push) -> bool:
    document = load(GITHUB)
    triggers = document.get("on", document.get(True))
    assert isinstance(triggers, dict)
    paths = triggers["push"].get("paths")
    return paths is None or any(glob_matches(p, f) for p in paths for f in push.changed)


def github_apply_run(origin: Origin, push: Push, url: str, where: Path) -> int:
    """The apply job of the run a push to main started, step by step."""
    document = load(GITHUB)
    job = document["jobs"]["apply"]
    github = {"ref": "refs/heads/main", "event_name": "push", "sha": push.sha}
    assert github_expression(job["if"], {"github": github})
    secrets = secrets_for(url)
    workflow_env = github_step_env(document, job, {}, secrets)
    steps: dict[str, Any] = {}
    checkout: Path | None = None
    failed = 0
    for step in job["steps"]:
        condition = step.get("if", "success()")
        condition = condition.replace("success()", "True" if not failed else "False")
        context = {"github": github, "steps": steps, "env": workflow_env}
        if not github_expression(condition, context):
            continue
        uses = step.get("uses", "")
        if "actions/checkout" in uses:
            checkout = origin.checkout(where, step.get("with", {}).get("ref", push.sha))
        elif uses or "pip install" in step.get("run", ""):
            continue  # setup-python, upload-artifact, installing accessq: already done here
        else:
            assert checkout is not None, "a step runs before the checkout"
            output = where.parent / f"{where.name}-output-{len(steps)}"
            env = github_step_env(document, job, step, secrets)
            env |= {
                "GITHUB_OUTPUT": str(output),
                "GITHUB_SHA": push.sha,
                "GITHUB_REF": "refs/heads/main",
            }
            code = job_shell(step["run"], env, checkout, ("-e",))
            if "id" in step:
                steps[step["id"]] = {"outputs": github_outputs(output)}
            failed = failed or code
    return failed


def gitlab_triggers(push: Push) -> bool:
    for rule in load(GITLAB)["apply"]["rules"]:
        if '"push"' in rule["if"]:
            patterns = rule.get("changes")
            return patterns is None or any(
                glob_matches(p, f) for p in patterns for f in push.changed
            )
    return False


def gitlab_apply_run(origin: Origin, push: Push, url: str, where: Path) -> int:
    document = load(GITLAB)
    job = document["apply"]
    checkout = origin.checkout(where, push.sha)  # GitLab checks out the pipeline's commit
    env = gitlab_job_env(document, job, secrets_for(url))
    env |= {
        "CI_COMMIT_SHA": push.sha,
        "CI_COMMIT_SHORT_SHA": push.sha[:8],
        "CI_COMMIT_BRANCH": "main",
        "CI_DEFAULT_BRANCH": "main",
        "CI_PIPELINE_SOURCE": "push",
    }
    return job_shell("\n".join(job["script"]), env, checkout, GITLAB_SHELL)


RUNS = {
    "github": (github_triggers, github_apply_run),
    "gitlab": (gitlab_triggers, gitlab_apply_run),
}


def edited(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text


def jira_matches(origin: Origin, url: str, where: Path) -> bool:
    """A read-only plan of main's tip against Jira: no changes left to make."""
    tip = origin.checkout(where, "main")
    env = {"ACCESSQ_JIRA_URL": url, "ACCESSQ_JIRA_USER": "viewer", "ACCESSQ_JIRA_TOKEN": "viewer"}
    script = "accessq plan queues/ --detailed-exitcode"
    return job_shell(script, env, tip, ("-e",)) == 0


EXPANSE = ("SDSC Expanse\n", "SDSC Expanse (CPU and GPU)\n")
STAMPEDE = ("TACC Stampede3\n", "TACC Stampede3 (CPU)\n")


@pytest.mark.parametrize("ci", sorted(RUNS))
@pytest.mark.parametrize(
    "story",
    [
        # A queue change, then a README-only merge before the apply ran (it waited for approval).
        "queue-change-then-readme",
        # Two queue changes whose runs start in the reverse order (the second one approved first).
        "two-changes-applied-newest-first",
    ],
)
def test_every_queue_change_that_reaches_main_is_applied(
    ci: str, story: str, make_sandbox: Any, tmp_path: Path
) -> None:
    sandbox = make_sandbox("cloud")
    triggers, apply_run = RUNS[ci]
    origin = Origin(tmp_path)
    base = EXAMPLE.read_text(encoding="utf-8")
    first = origin.push({"queues/queues.yaml": base, "README.md": "queues\n"})
    assert triggers(first)
    assert apply_run(origin, first, sandbox.url, tmp_path / "run-0") == 0
    assert jira_matches(origin, sandbox.url, tmp_path / "check-0")

    if story == "queue-change-then-readme":
        change = origin.push({"queues/queues.yaml": edited(base, EXPANSE)})
        readme = origin.push({"README.md": "queues, as code\n"})
        runs = [push for push in (change, readme) if triggers(push)]
        assert runs == [change], "a README-only merge asks for no apply"
    else:
        one = origin.push({"queues/queues.yaml": edited(base, EXPANSE)})
        two = origin.push({"queues/queues.yaml": edited(base, EXPANSE, STAMPEDE)})
        runs = [two, one]
    for number, push in enumerate(runs, start=1):
        assert apply_run(origin, push, sandbox.url, tmp_path / f"run-{number}") == 0
    assert jira_matches(origin, sandbox.url, tmp_path / "check-1"), "an approved change was dropped"


def test_github_jira_url_is_a_variable_so_logs_show_it() -> None:
    text = GITHUB.read_text(encoding="utf-8")
    assert "secrets.ACCESSQ_JIRA_URL" not in text
    # plan, apply plan, apply, both doctors and the drift check
    assert text.count("vars.ACCESSQ_JIRA_URL") == 6


@pytest.mark.parametrize("ci", sorted(CI))
def test_accessq_is_installed_pinned_and_hash_checked(ci: str) -> None:
    text = CI[ci][0].read_text(encoding="utf-8")
    installs = [line for line in text.splitlines() if "pip install" in line and "#" not in line]
    assert installs
    for line in installs:
        assert "--require-hashes" in line and '-r "$ACCESSQ_REQUIREMENTS"' in line, line
