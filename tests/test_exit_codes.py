"""Exit codes: one IntEnum (accessq.cli.exit_codes) that every command uses and the README lists.

CI branches on them (2 is "changes present", 3 "blocked"): a command exiting with a number of
its own could make an error read as a green plan.
"""

from __future__ import annotations

import re
from pathlib import Path

from accessq.cli.exit_codes import ExitCode

ROOT = Path(__file__).resolve().parents[1]
# `sys.exit(1)`, `typer.Exit(3)`, `code=130`: an exit code written as a bare number.
BARE = re.compile(r"(?:\b(?:exit|Exit)\(\s*-?\d|\bcode\s*=\s*-?\d)")


def test_the_readme_lists_exactly_the_exit_codes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.MULTILINE)}
    assert listed == {code.value for code in ExitCode}


def test_no_command_exits_with_a_number_of_its_own() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "accessq" / "cli").rglob("*.py"))
        if path.name != "exit_codes.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE.search(line)
    ]
    assert found == []
