"""Validate JSON bodies against the response schemas of the shared Jira OpenAPI descriptions.

The files are OpenAPI 3.0: schemas are JSON Schema (draft 7 is close enough) except `nullable`,
which is turned into a `null` type here. `$ref`s resolve within the same file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

PLATFORM = "jira-platform-v3.subset.json"
JSM = "jsm-cloud.subset.json"


def _allow_null(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _allow_null(v) for k, v in node.items()}
        if out.pop("nullable", False) and "type" in out:
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [_allow_null(v) for v in node]
    return node


# Where Jira answers more than its Cloud description says. With `expand=group|user|projectRole|
# field`, a permission grant's holder carries the expanded object (Data Center's REST beans and
# Cloud's answers have it); the description's PermissionHolder forbids any such property.
KNOWN_GAPS: dict[str, dict[str, Any]] = {
    "PermissionHolder": {
        "group": {"$ref": "#/components/schemas/GroupName"},
        "user": {"$ref": "#/components/schemas/UserDetails"},
        "projectRole": {"$ref": "#/components/schemas/ProjectRole"},
        "field": {"$ref": "#/components/schemas/FieldDetails"},
    },
}


def with_known_gaps(doc: dict[str, Any]) -> dict[str, Any]:
    """doc with the KNOWN_GAPS properties added to the schemas it has (in place).

    Also drops `format: date-time`: Jira writes times as `2025-01-15T00:00:00.000+0000`, with no
    colon in the offset, which JSON Schema's date-time (RFC 3339) rejects. (The plain validator
    here checks no formats; schemathesis does.)
    """
    schemas = doc.get("components", {}).get("schemas", {})
    for name, extra in KNOWN_GAPS.items():
        if name in schemas:
            schemas[name].setdefault("properties", {}).update(extra)
    _drop_date_time_format(doc)
    return doc


def _drop_date_time_format(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            del node["format"]
        for value in node.values():
            _drop_date_time_format(value)
    elif isinstance(node, list):
        for value in node:
            _drop_date_time_format(value)


@cache
def _document(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = _allow_null(json.loads(path.read_text(encoding="utf-8")))
    return with_known_gaps(loaded)


class OpenApi:
    """One OpenAPI file: look up an operation's response schema and validate a body against it."""

    def __init__(self, path: Path) -> None:
        self.doc = _document(path)

    def schema(self, path: str, method: str, status: int) -> dict[str, Any]:
        operation = self.doc["paths"][path][method.lower()]
        response = operation["responses"][str(status)]
        schema: dict[str, Any] = response["content"]["application/json"]["schema"]
        return schema

    def errors(self, body: Any, schema: dict[str, Any]) -> list[str]:
        """Every way body breaks schema, as 'at <path>: <message>' lines (empty: it conforms)."""
        root = {**schema, "components": self.doc["components"]}
        validator = Draft7Validator(root)
        return [
            f"at /{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        ]

    def check(self, body: Any, path: str, method: str, status: int) -> list[str]:
        return self.errors(body, self.schema(path, method, status))

    def check_component(self, body: Any, name: str) -> list[str]:
        return self.errors(body, {"$ref": f"#/components/schemas/{name}"})
