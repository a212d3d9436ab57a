"""Every console example in README.md and docs/*.md runs on the sandbox and prints what it shows.

The convention (also in docs/architecture.md, "Console examples in the docs"):

- A fenced block marked ```console runs. A line starting with `$ ` is a command (a trailing
  `# comment` is ignored); the lines after it, up to the next command, are what it prints:
  stdout and stderr as a terminal shows them, interleaved. Blank lines between commands belong to
  the layout, not to the output. A line holding only `...` stands for any number of lines.
- Blocks not meant to run are marked ```sh (commands alone) or ```text (anything else).
- Commands are `accessq ...`, optionally after `NAME=value` settings and with `> FILE` at the
  end, or `export NAME=value ...` (for the block's later commands). They run in-process, in a
  fresh temporary folder holding a copy of the repository's `examples/`, with no Jira settings
  (so the implicit sandbox, fresh in each block).
- `<!-- console: setup=NAME -->` on the line before the fence prepares the folder first: the
  files of `tests/docs/setups/NAME/` are copied in, and the `accessq` commands in its
  `commands.txt` (one a line) run, silently. `<!-- console: serve -->` also starts a sandbox as
  `accessq sandbox serve` would: `http://127.0.0.1:8080` in the block stands for its address.
- Before comparing, both sides are normalised, only in what varies from run to run: timestamps,
  the pid in journal names, durations, loopback ports and the temporary folder.

On a mismatch the failure shows a unified diff and the block's file:line. After an intended change
of output, `ACCESSQ_UPDATE_DOCS=1 pytest tests/docs` rewrites the expected output in the .md files
in place (lines that still match are kept as written; `...` is kept where one elision still fits),
then read the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from accessq.sandbox import RunningSandbox, start_background
from tests.cli_support import run

ROOT = Path(__file__).resolve().parents[2]
SETUPS = Path(__file__).parent / "setups"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
UPDATE = os.environ.get("ACCESSQ_UPDATE_DOCS") == "1"
DIRECTIVE = re.compile(r"<!--\s*console:(?P<args>.*?)-->")
SERVE_URL = "http://127.0.0.1:8080"
ELLIPSIS = "..."


@dataclass
class Command:
    line: int  # 0-based line of the `$ ` line in the file
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    path: Path
    start: int  # 0-based line of the opening fence
    end: int  # 0-based line of the closing fence
    setup: str | None
    serve: bool
    commands: list[Command]

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.start + 1}"


def parse(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        setup, serve = None, False
        found = DIRECTIVE.search(lines[i - 1]) if i else None
        if found:
            for arg in found["args"].split():
                if arg == "serve":
                    serve = True
                elif arg.startswith("setup="):
                    setup = arg.removeprefix("setup=")
                else:
                    raise AssertionError(f"{path.name}:{i}: unknown console directive {arg!r}")
        start = i
        commands: list[Command] = []
        i += 1
        while lines[i].strip() != "```":
            if lines[i].startswith("$ "):
                commands.append(Command(i, lines[i][2:]))
            elif commands:
                commands[-1].expected.append(lines[i])
            i += 1
        for command in commands:  # a blank line before the next command is layout
            while command.expected and not command.expected[-1].strip():
                command.expected.pop()
        blocks.append(Block(path, start, i, setup, serve, commands))
        i += 1
    return blocks


BLOCKS = [block for doc in DOCS for block in parse(doc)]


def normalise(line: str, folder: Path) -> str:
    line = line.replace(f"{folder}/", "").replace(str(folder), ".")
    line = re.sub(r"\d{8}T\d{6}(\.\d+)?Z", "<TIME>", line)
    iso = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?"
    line = re.sub(iso, "<TIME>", line)
    line = re.sub(r"-\d+\.jsonl\b", "-<PID>.jsonl", line)
    line = re.sub(r"\b\d+(\.\d+)? ?(s|ms|min|h|d)\b", "<DURATION>", line)
    line = re.sub(r"(127\.0\.0\.1|localhost|\[::1\]):\d+", r"\1:<PORT>", line)
    return line.rstrip()


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, where a line `...` stands for any number of lines."""
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == ELLIPSIS else re.escape(line) + r"\n" for line in expected
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in actual)) is not None


def regenerate(expected: list[str], actual: list[str], folder: Path) -> list[str]:
    """The new expected output: actual, keeping expected lines that still match and one `...`."""
    if matches([normalise(x, folder) for x in expected], [normalise(a, folder) for a in actual]):
        return expected
    elided = [n for n, line in enumerate(expected) if line.strip() == ELLIPSIS]
    if len(elided) == 1:
        head, tail = elided[0], len(expected) - elided[0] - 1
        if head + tail < len(actual):
            actual = [*actual[:head], expected[head], *actual[len(actual) - tail :]]
    kept = {normalise(x, folder): x for x in expected}
    return [kept.get(normalise(a, folder), a) for a in actual]


def execute(text: str, folder: Path, serve_url: str | None, exported: dict[str, str]) -> str:
    if serve_url is not None:
        text = text.replace(SERVE_URL, serve_url)
    words = shlex.split(text, comments=True)
    if words[:1] == ["export"]:  # settings for the rest of the block
        exported.update(word.partition("=")[::2] for word in words[1:])
        return ""
    env = dict(exported)
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    out: Path | None = None
    if len(words) >= 2 and words[-2] == ">":
        out = folder / words[-1]
        words = words[:-2]
    assert words and words[0] == "accessq", f"a console example runs accessq, not {text!r}"
    result = run(words[1:], env)
    output = result.output
    if out is not None:  # the redirected stdout goes to the file; stderr stays on screen
        out.write_text(result.stdout, encoding="utf-8")
        output = result.stderr
    if serve_url is not None:
        output = output.replace(serve_url, SERVE_URL)
    return output


def prepare(block: Block, folder: Path) -> None:
    shutil.copytree(ROOT / "examples", folder / "examples")
    if block.setup is None:
        return
    setup = SETUPS / block.setup
    assert setup.is_dir(), f"{block.where}: no setup {setup}"
    for item in setup.iterdir():
        if item.name == "commands.txt":
            continue
        if item.is_dir():
            shutil.copytree(item, folder / item.name)
        else:
            shutil.copy(item, folder / item.name)
    commands = setup / "commands.txt"
    for line in commands.read_text().splitlines() if commands.exists() else []:
        if line.strip():
            result = run(shlex.split(line))
            assert result.exit_code in (0, 2), f"setup {line!r} failed:\n{result.output}"


def test_the_docs_have_console_examples() -> None:
    assert {b.path.name for b in BLOCKS} >= {"README.md", "language.md"}
    assert all(b.commands for b in BLOCKS), [b.where for b in BLOCKS if not b.commands]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_console_example(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path.resolve()
    monkeypatch.chdir(folder)
    prepare(block, folder)
    failures: list[str] = []
    updates: dict[int, list[str]] = {}
    exported: dict[str, str] = {}
    with _maybe_serve(block, folder) as serve_url:
        for command in block.commands:
            actual = execute(command.text, folder, serve_url, exported).rstrip("\n").splitlines()
            actual = [line.rstrip() for line in actual]
            want = [normalise(line, folder) for line in command.expected]
            got = [normalise(line, folder) for line in actual]
            if matches(want, got):
                continue
            if UPDATE:
                updates[command.line] = regenerate(command.expected, actual, folder)
                continue
            diff = "\n".join(
                difflib.unified_diff(want, got, "expected", "actual", lineterm="", n=2)
            )
            failures.append(
                f"{block.path.relative_to(ROOT)}:{command.line + 1}: $ {command.text}\n{diff}"
            )
    if updates:
        _rewrite(block, updates)
    assert not failures, f"console example at {block.where} differs:\n" + "\n\n".join(failures)


def _rewrite(block: Block, updates: dict[int, list[str]]) -> None:
    """Replace each updated command's output in the file (re-read: other blocks may have moved)."""
    lines = block.path.read_text(encoding="utf-8").splitlines()
    current = {b.start: b for b in parse(block.path)}
    # Find this block again by its commands, since earlier rewrites may have shifted lines.
    texts = [c.text for c in block.commands]
    fresh = next(b for b in current.values() if [c.text for c in b.commands] == texts)
    for old, new in zip(reversed(block.commands), reversed(fresh.commands), strict=True):
        if old.line not in updates:
            continue
        first = new.line + 1
        lines[first : first + len(new.expected)] = updates[old.line]
    block.path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class _maybe_serve:
    """`<!-- console: serve -->`: a sandbox on a free port, its state in the block's folder."""

    def __init__(self, block: Block, folder: Path) -> None:
        self.block, self.folder = block, folder
        self.sandbox: RunningSandbox | None = None

    def __enter__(self) -> str | None:
        if not self.block.serve:
            return None
        self.sandbox = start_background(db=self.folder / ".accessq" / "served.sqlite")
        return self.sandbox.url

    def __exit__(self, *exc: object) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
