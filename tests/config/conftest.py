"""Small queue files written to a temporary folder, loaded the way `accessq validate` loads them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from accessq.config.loader import LoadResult, load_config
from tests.config.helpers import Load, Write


@pytest.fixture
def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Write:
    """write(name, yaml_text) -> path; the test runs in that folder so messages say `name:`."""
    monkeypatch.chdir(tmp_path)

    def _write(name: str, text: str | bytes) -> Path:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def load(write: Write) -> Load:
    """load(yaml_text) -> LoadResult of a single file named q.yaml."""

    def _load(text: str | bytes, name: str = "q.yaml") -> LoadResult:
        write(name, text)
        return load_config([name])

    return _load
