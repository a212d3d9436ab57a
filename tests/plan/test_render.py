"""Renderers beyond the golden files: empty plans, colour, markdown safety."""

from __future__ import annotations

import io

from accessq.config.models import Config, JiraSettings, RPQueue
from accessq.model.observed import Observed
from accessq.plan.diff import diff
from accessq.render.color import use_color
from accessq.render.plan import render
from accessq.render.plan_markdown import MARKER, render_markdown
from accessq.render.plan_text import render_text
from tests.plan.builders import TARGET, at, contact, directory, everything, group, managed

ANSI = "\x1b["


def _empty_plan():
    config = Config(version=1, rp_queues=[RPQueue(name="Delta", agents=[contact("jdoe")])])
    observed = Observed(
        target=TARGET,
        components=(managed("1", "Delta"),),
        groups=(group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe")),
        directory=directory(config),
    )
    return diff(config, observed)


def test_an_empty_plan_says_so_and_names_its_target() -> None:
    plan = _empty_plan()
    assert plan.is_empty
    text = render_text(plan, color=False)
    assert text.splitlines()[0] == "Target: http://127.0.0.1:8080 (local sandbox, project ATS)"
    assert text.splitlines()[-1] == "No changes. Jira matches the configuration."
    markdown = render_markdown(plan)
    assert markdown.startswith(MARKER + "\n")
    assert "[!WARNING]" not in markdown and "<details>" not in markdown
    assert markdown.rstrip().endswith("No changes. Jira matches the configuration.")


def test_colour_only_when_asked() -> None:
    config, observed = everything()
    plan = diff(config, observed)
    coloured = render_text(plan, color=True)
    assert ANSI in coloured
    assert ANSI not in render_text(plan, color=False)
    # Same words either way.
    assert len(coloured.splitlines()) == len(render_text(plan, color=False).splitlines())


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_color_respects_no_color_and_terminals() -> None:
    assert use_color(_Tty(), {}) is True
    assert use_color(_Tty(), {"NO_COLOR": "1"}) is False
    assert use_color(_Tty(), {"TERM": "dumb"}) is False
    assert use_color(io.StringIO(), {}) is False


def test_the_markdown_banner_appears_only_when_something_is_taken_away() -> None:
    queue = RPQueue(name="Delta", agents=[contact("jdoe"), contact("rpatel")]).at(at(1))
    config = Config(
        version=1,
        jira=JiraSettings(username_email="{username}@access.example.org"),
        rp_queues=[queue],
    )
    base = Observed(target=TARGET, components=(managed("1", "Delta"),), directory=directory(config))
    adding = base.model_copy(
        update={"groups": (group("ats-delta-agents", "jdoe"), group("ats-delta-watchers", "jdoe"))}
    )
    assert "[!WARNING]" not in render_markdown(diff(config, adding))
    queue.agents.pop()
    removing = base.model_copy(
        update={
            "groups": (
                group("ats-delta-agents", "jdoe", "rpatel"),
                group("ats-delta-watchers", "jdoe", "rpatel"),
            )
        }
    )
    markdown = render_markdown(diff(config, removing))
    assert "> This plan removes 2 people from groups. Check every `-` line below." in markdown


def test_backticks_in_a_description_cannot_close_the_code_block() -> None:
    queue = RPQueue(name="Delta", description="use ```sh``` here", agents=[]).at(at(1))
    config = Config(version=1, rp_queues=[queue])
    markdown = render_markdown(diff(config, Observed(target=TARGET)))
    assert "````diff" in markdown


def test_render_dispatches_each_format() -> None:
    plan = _empty_plan()
    assert render(plan, "json").startswith('{\n  "format_version": 1,')
    assert render(plan, "markdown").startswith(MARKER)
    assert render(plan, "text").startswith("Target: ")
