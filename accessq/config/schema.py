"""The JSON Schema of the queue language, for editors (yaml-language-server) and other tools.

Generated from the pydantic models, so it cannot drift from what `accessq validate` accepts;
rules across files and queues (unique names, one `jira:`) are beyond a schema and stay in
`accessq validate`.
"""

from __future__ import annotations

from typing import Any

from accessq.config.models import Config

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    generated = Config.model_json_schema(mode="validation")
    generated.pop("title", None)
    generated.pop("description", None)
    return {
        "$schema": DIALECT,
        "title": "accessq queue configuration (version 1)",
        "description": "ACCESS ticket-routing queues in Jira Service Management: one file, or "
        "one of a folder of files. Run `accessq validate` for the rules across files.",
        **generated,
    }
