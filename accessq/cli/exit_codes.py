"""The exit codes of every `accessq` command: one definition, as the README's table lists them.

CI pipelines branch on these (docs/ci.md): 2 must only ever mean "a plan with changes", so no
error may exit 2 (click's usage errors would; `app._OneLineErrors` maps them to 1).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # success; for `plan`, no changes
    ERROR = 1  # bad configuration or flags, unreachable Jira, a failed step, a cancel
    CHANGES = 2  # `plan --detailed-exitcode`: changes present
    BLOCKED = 3  # a safety rule blocks the plan
    INTERRUPTED = 130  # Ctrl-C during apply (128 + SIGINT, as shells report it)


MEANINGS = {
    ExitCode.OK: "success; for plan: no changes",
    ExitCode.ERROR: "an error: bad files or flags, Jira unreachable, a step failed, cancelled",
    ExitCode.CHANGES: "plan --detailed-exitcode: there are changes",
    ExitCode.BLOCKED: "a safety rule blocks the plan; nothing was changed",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C) during apply; run it again to finish",
}


def exit_code_help() -> str:
    """The exit codes as `--help` lists them."""
    return "\n".join(f"  {int(code):<4} {MEANINGS[code]}" for code in ExitCode)
