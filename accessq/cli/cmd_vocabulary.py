"""`accessq vocabulary`: the routing words of every queue, for intake forms and bots."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from accessq.cli.app import PathsArg, _stopped, app


class VocabularyFormat(StrEnum):
    json = "json"
    yaml = "yaml"


@app.command()
def vocabulary(
    paths: PathsArg,
    fmt: Annotated[VocabularyFormat, typer.Option("--format", help="Output format.")] = (
        VocabularyFormat.json
    ),
) -> None:
    """Queue -> kind, keywords, aliases, default assignee (docs/routing.md); offline."""
    from accessq.cli import workflow as wf
    from accessq.routing.vocabulary import vocabulary_document

    try:
        document = vocabulary_document(wf.load(paths))
    except wf.Stop as exc:
        raise _stopped(exc) from None
    if fmt is VocabularyFormat.json:
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    import yaml

    sys.stdout.write(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
