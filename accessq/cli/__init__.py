"""The command line: each `accessq` command, the steps they share (`workflow`), and progress bars.

The only package that talks to the terminal: it parses flags, calls the layers below, picks a
renderer, and maps outcomes to exit codes. Nothing below it prints or exits.
"""

from accessq.cli.app import main

__all__ = ["main"]
