"""One rule decides colour (accessq.render.color): NO_COLOR, TERM=dumb, not a terminal.

Every coloured output follows it, and nothing else does: not rich reading FORCE_COLOR or
TTY_COMPATIBLE behind its back, which would put escape codes into a CI log or a saved report.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from accessq.apply.engine import ApplyResult, StepResult
from accessq.cli.progress import progress_bar
from accessq.plan.diff import diff
from accessq.plan.model import Change
from accessq.plan.payload import CreateGroup
from accessq.render.apply_report import render_result
from accessq.render.color import use_color
from accessq.render.plan_text import render_text
from accessq.render.queue_list import render_queue_list
from tests.jira.test_listing import observed
from tests.plan.builders import everything

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# What rich would otherwise obey on its own.
RICH_OVERRIDES = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "TERM": "xterm-256color"}


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environ", "expected"),
    [
        (_Tty(), {}, True),
        (_Tty(), {"NO_COLOR": ""}, True),  # no-color.org: set *and* not empty
        (_Tty(), {"NO_COLOR": "1"}, False),
        (_Tty(), {"NO_COLOR": "0"}, False),
        (_Tty(), {"TERM": "dumb"}, False),
        (io.StringIO(), {}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_the_rule(stream: io.StringIO, environ: dict[str, str], expected: bool) -> None:
    assert use_color(stream, environ) is expected


def _apply_result() -> ApplyResult:
    change = Change.of(
        CreateGroup(name="ats-delta-agents"),
        id="create_group:ats-delta-agents",
        queue="Delta",
        phase="create",
        target="ats-delta-agents",
    )
    return ApplyResult(steps=[StepResult(change=change, status="done")])


def test_renderers_colour_only_when_told_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in RICH_OVERRIDES.items():
        monkeypatch.setenv(name, value)
    config, site = everything()
    plan = diff(config, site)
    plain = {
        "plan": render_text(plan, color=False),
        "queue list": render_queue_list(observed(), "table", members=True, prefix="ats-"),
        "apply report": render_result(_apply_result()),
    }
    assert {what: ESCAPE.findall(text)[:3] for what, text in plain.items()} == {
        "plan": [],
        "queue list": [],
        "apply report": [],
    }
    assert ESCAPE.search(render_text(plan, color=True))
    assert ESCAPE.search(
        render_queue_list(observed(), "table", members=False, prefix="ats-", color=True)
    )


def test_a_renderer_told_to_colour_does_so_whatever_no_color_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The CLI asks use_color once; a renderer reading NO_COLOR again would be a second rule.
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESCAPE.search(
        render_queue_list(observed(), "table", members=False, prefix="ats-", color=True)
    )


@pytest.mark.parametrize(("no_color", "coloured"), [("", True), ("1", False)])
def test_the_progress_bar_follows_the_rule(
    monkeypatch: pytest.MonkeyPatch, no_color: str, coloured: bool
) -> None:
    monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.setenv("TERM", "xterm-256color")
    terminal = _Tty()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar("Reading groups") as update:
        update(1, 4)
        update(2, 4)
    colours = [code for code in ESCAPE.findall(terminal.getvalue()) if code != "\x1b[0m"]
    assert bool(colours) is coloured


def test_only_the_rule_reads_the_colour_settings() -> None:
    package = Path(__file__).resolve().parents[1] / "accessq"
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"[\"']NO_COLOR[\"']|\.isatty\(\)", path.read_text(encoding="utf-8"))
    )
    # progress.py asks isatty whether to draw a bar at all (not about colour); app.py whether to
    # wrap to the terminal's width and whether to ask for confirmation.
    assert readers == ["cli/app.py", "cli/progress.py", "render/color.py"]
