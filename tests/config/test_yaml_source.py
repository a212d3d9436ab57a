"""Files that are not usable YAML: one error each, with the position, never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from accessq.config import yaml_source
from accessq.config.loader import load_config
from tests.config.helpers import Load, Write, only_error


def test_duplicate_key_is_an_error_not_last_one_wins(load: Load) -> None:
    result = load(
        """\
        version: 1
        rp_queues:
          - name: Delta
            description: one
            description: two
        """
    )
    assert only_error(result) == "q.yaml:5:5: error: duplicate key 'description' (first at line 4)"


def test_syntax_error_names_line_and_column(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n  - name: Delta\n   agents: []\n")
    assert only_error(result) == (
        "q.yaml:4:4: error: invalid YAML: expected <block end>, but found '<block mapping start>' "
        "(while parsing a block collection at line 3); check the indentation"
    )


def test_unclosed_quote_points_back_at_where_it_started(load: Load) -> None:
    result = load('version: 1\nrp_queues:\n  - name: "Delta\n')
    assert only_error(result) == (
        "q.yaml:4:1: error: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar at line 3)"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object/apply:os.system ['true']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!custom x", "!custom"),
        ("!!binary aGVsbG8=", "!!binary"),
    ],
)
def test_only_plain_yaml_tags(load: Load, value: str, shown: str) -> None:
    result = load(f"version: 1\nrp_queues:\n  - name: {value}\n")
    assert only_error(result) == (
        f"q.yaml:3:11: error: the YAML tag '{shown}' is not allowed; queue files are plain YAML"
    )


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(load: Load, text: str) -> None:
    assert only_error(load(text)) == (
        "q.yaml:1:1: error: the file is empty; a queue file starts with 'version: 1'"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- Delta\n- Expanse\n", "a list"), ("just words\n", "the single value 'just words'")],
)
def test_top_level_must_be_a_mapping(load: Load, text: str, kind: str) -> None:
    assert only_error(load(text)) == (
        "q.yaml:1:1: error: the top level must be a mapping of keys "
        f"(version, jira, safety, rp_queues, awardee_queues, retired_queues), not {kind}"
    )


def test_second_document_is_refused(load: Load) -> None:
    result = load("version: 1\n---\nversion: 1\n")
    assert only_error(result) == (
        "q.yaml:2:1: error: a queue file holds one YAML document, "
        "but a second one starts here (---)"
    )


def test_non_utf8_text_names_the_byte_and_where(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n  - name: Caf\xe9\n".encode("latin-1"))
    assert only_error(result) == "q.yaml:3:14: error: the file is not UTF-8 text (byte 0xe9)"


def test_binary_file(load: Load) -> None:
    result = load(b"version: 1\n\x89PNG\x00\x00\x01")
    assert only_error(result) == "q.yaml:2:5: error: this is a binary file, not YAML text"


def test_control_character_is_refused(load: Load) -> None:
    result = load("version: 1\ndescription: bell\x07\n")
    assert only_error(result) == "q.yaml:2:18: error: invalid YAML: character #x0007 is not allowed"


def test_utf8_bom_is_accepted(load: Load) -> None:
    assert load("\ufeffversion: 1\n").ok


def test_billion_laughs_fails_fast(load: Load) -> None:
    lines = ["version: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    # 9**10 values once expanded: refused after counting nodes as written, never expanding them.
    assert only_error(load("\n".join(lines) + "\n")) == (
        f"q.yaml:7:5: error: aliases here expand to more than {yaml_source.MAX_EXPANDED} values "
        "(a 'billion laughs' file?); refusing to read it"
    )


def test_too_many_aliases(load: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_ALIASES", 3)
    text = "version: 1\nx: &x a\ny: [*x, *x, *x, *x]\n"
    assert only_error(load(text)) == (
        "q.yaml:3:17: error: the file has more than 3 aliases (*name); refusing to read it"
    )


def test_too_many_values(load: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_NODES", 5)
    text = "version: 1\nx: [a, b, c, d]\n"
    assert only_error(load(text)) == (
        "q.yaml:2:5: error: the file has more than 5 values; refusing to read it"
    )


def test_alias_that_contains_itself(load: Load) -> None:
    assert only_error(load("version: 1\nx: &loop [1, *loop]\n")) == (
        "q.yaml:2:4: error: invalid YAML: an alias refers to a value that contains it (a loop)"
    )


def test_undefined_alias(load: Load) -> None:
    assert only_error(load("version: 1\nx: *nowhere\n")) == (
        "q.yaml:2:4: error: invalid YAML: found undefined alias 'nowhere'"
    )


def test_deep_nesting_is_refused_without_recursion_error(load: Load) -> None:
    result = load("version: 1\nx: " + "[" * 50_000 + "\n")
    message = only_error(result)
    assert message.startswith("q.yaml:2:")
    assert message.endswith(
        f"error: the file has values nested more than {yaml_source.MAX_DEPTH} levels deep; "
        "refusing to read it"
    )


def test_file_size_limit(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    write("big.yaml", "version: 1\n" + "# padding\n" * 220_000)
    assert only_error(load_config(["big.yaml"])) == (
        "big.yaml:1:1: error: the file is larger than 2 MiB, the limit"
    )


def test_missing_file(write: Write) -> None:
    assert only_error(load_config(["nope.yaml"])) == "error: nope.yaml: no such file or folder"


def test_folder_without_yaml(write: Write) -> None:
    write("queues/notes.txt", "not yaml")
    write("queues/sub/deep.yaml", "version: 1\n")
    assert only_error(load_config(["queues"])) == (
        "error: queues: no *.yaml or *.yml files in this folder (subfolders are not read)"
    )


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(write: Write) -> None:
    path = write("secret.yaml", "version: 1\n")
    path.chmod(0)
    try:
        assert only_error(load_config(["secret.yaml"])) == (
            "error: secret.yaml: cannot read the file: permission denied"
        )
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_not_a_regular_file(write: Write) -> None:
    os.mkfifo("pipe.yaml")  # reading it would block forever
    assert only_error(load_config(["pipe.yaml"])) == "error: pipe.yaml: not a regular file"


def test_read_failure_is_one_line(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    write("q.yaml", "version: 1\n")

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert only_error(load_config(["q.yaml"])) == (
        "error: q.yaml: cannot read the file: permission denied"
    )


def test_merge_keys_and_anchors_work_and_keep_positions(load: Load) -> None:
    result = load(
        """\
        version: 1
        rp_queues:
          - &base
            name: Delta
            agents: &team
              - {name: Jane Doe, email: jdoe@illinois.example.edu}
          - <<: *base
            name: Expanse
            agents: *team
        """
    )
    assert result.ok, result.errors
    assert result.config is not None
    _, expanse = result.config.rp_queues
    assert expanse.name == "Expanse"
    assert [a.email for a in expanse.agents] == ["jdoe@illinois.example.edu"]
    assert str(expanse.location) == "q.yaml:8:5"


def test_duplicate_key_inside_a_merge_source_is_still_caught(load: Load) -> None:
    result = load("version: 1\nbase: &b {a: 1, a: 2}\n")
    assert only_error(result) == "q.yaml:2:17: error: duplicate key 'a' (first at line 2)"
