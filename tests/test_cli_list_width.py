"""`list-queues` fits the width (issue 19: 169 columns were printed in a 100-column terminal)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import run_on

EXAMPLE = Path(__file__).parent.parent / "examples" / "queues.yaml"


@pytest.mark.parametrize("flavor", ["cloud", "dc"])
def test_list_queues_fits_the_width_and_keeps_every_name(make_sandbox: Any, flavor: str) -> None:
    sandbox = make_sandbox(flavor)
    assert run_on(sandbox, "apply", str(EXAMPLE), "--yes", "--quiet").exit_code == 0
    names = _names(sandbox)
    for width in (60, 100, 200):
        result = _run_at(sandbox, width)
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= width, result.stdout
        for name in names:  # whole, on one line, as the first cell of its row
            assert any(line.startswith(f"│ {name} ") for line in lines), (width, name)
        for kept in ("Kind", "Queue"):
            assert kept in result.stdout
    wide = _run_at(sandbox, 200).stdout
    assert "Keywords" in wide and "Left out" not in wide
    narrow = _run_at(sandbox, 60).stdout
    assert "Left out to fit 60 columns" in narrow and "updaters 2" in narrow


def test_members_fit_too(sandbox_cloud: Any) -> None:
    for width in (60, 100):
        result = _run_at(sandbox_cloud, width, "--members")
        assert max(len(line) for line in result.stdout.splitlines()) <= width


def _names(sandbox: Any) -> list[str]:
    import json

    listed = run_on(sandbox, "list-queues", "--format", "json", "--quiet")
    return [q["name"] for q in json.loads(listed.stdout)["queues"]]


def _run_at(sandbox: Any, width: int, *args: str) -> Any:
    from tests.cli_support import env_for, run

    return run(["list-queues", "--quiet", *args], {**env_for(sandbox), "COLUMNS": str(width)})
