"""The corpus of bad configurations: each gets exactly its one expected first line, exit code 1,
no traceback and a bounded output, from `accessq validate` and from `accessq plan` alike.

The corpus lives in `corpus/` (files, and folders for rules across files); `corpus/expected.yaml`
says what each must print. Files too big to commit are generated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from accessq.config import yaml_source
from tests.reliability.helpers import EXAMPLE, assert_no_crash, output, run

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = CORPUS / "expected.yaml"
MAX_LINES = 12  # a bad file is a handful of lines, never an echo of the file or a dump
MAX_CHARS = 4000


@dataclass(frozen=True)
class Case:
    name: str  # a file or folder of the corpus
    line: str | None = None  # the exact first line, `{path}` standing for the path given
    regex: str | None = None  # ... or a pattern it must match in full
    xfail: str | None = None  # a known product bug: the test flips to XPASS when it is fixed

    def matches(self, first_line: str, path: str) -> bool:
        if self.line is not None:
            return first_line == self.line.replace("{path}", path)
        assert self.regex is not None, f"{self.name}: give a line or a regex"
        return re.fullmatch(self.regex.replace("{path}", re.escape(path)), first_line) is not None


def load_cases() -> list[Case]:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [
        Case(name, line=entry) if isinstance(entry, str) else Case(name, **entry)
        for name, entry in manifest.items()
    ]


def case_params() -> list[object]:
    return [
        pytest.param(
            case,
            id=case.name,
            marks=[pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else [],
        )
        for case in load_cases()
    ]


def first_line(text: str) -> str:
    lines = text.splitlines()
    return lines[0] if lines else ""


def test_manifest_names_every_corpus_entry_and_nothing_else() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p != MANIFEST}
    named = {case.name for case in load_cases()}
    assert on_disk == named
    assert len(named) >= 40


@pytest.mark.parametrize("case", case_params())
def test_validate_says_exactly_what_is_wrong(case: Case) -> None:
    path = str(CORPUS / case.name)
    result = run(["validate", path])
    assert_no_crash(result, codes=(1,))
    assert case.matches(first_line(result.stdout), path), result.stdout
    verdict = result.stdout.splitlines()[-1]
    assert re.match(rf"{re.escape(path)}( \(\d+ files\))?: invalid — ", verdict)
    assert len(output(result).splitlines()) <= MAX_LINES
    assert len(output(result)) <= MAX_CHARS


@pytest.mark.parametrize("case", case_params())
def test_plan_stops_at_the_same_line_before_any_connection(case: Case) -> None:
    path = str(CORPUS / case.name)
    result = run(["plan", path])
    assert_no_crash(result, codes=(1,))
    assert result.stdout == ""
    assert case.matches(first_line(result.stderr), path), result.stderr
    assert len(result.stderr.splitlines()) <= MAX_LINES
    assert not Path(".accessq").exists()  # no sandbox was started for a bad configuration


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "huge.yaml"
    padding = "# " + "x" * 1021 + "\n"  # 1 KiB a line
    big.write_text("version: 1\n" + padding * (yaml_source.MAX_FILE_BYTES // 1024 + 1))
    result = run(["validate", str(big)])
    assert_no_crash(result, codes=(1,))
    refused = f"{big}:1:1: error: the file is larger than 5 MiB, the limit"
    assert first_line(result.stdout) == refused


def test_a_file_of_too_many_values_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.yaml"
    many.write_text("version: 1\nrp_queues:\n" + "  - x\n" * (yaml_source.MAX_NODES + 10))
    result = run(["validate", str(many)])
    assert_no_crash(result, codes=(1,))
    assert re.fullmatch(
        rf"{re.escape(str(many))}:\d+:5: error: the file has more than "
        rf"{yaml_source.MAX_NODES} values; refusing to read it",
        first_line(result.stdout),
    )
    assert len(result.stdout.splitlines()) == 2


def test_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    with_bom = tmp_path / "bom.yaml"
    with_bom.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    result = run(["validate", str(with_bom)])
    assert_no_crash(result, codes=(0,))
    assert first_line(result.stdout).startswith(f"{with_bom}: valid — 6 RP queues")
