"""`accessq schema`: a JSON Schema an editor can use, agreeing with the loader on the example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from accessq.config.schema import json_schema

EXAMPLE = Path(__file__).parents[2] / "examples" / "queues.yaml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_header() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"]
    assert schema["required"] == ["version"]
    assert schema["additionalProperties"] is False


def test_every_property_has_a_description() -> None:
    schema = json_schema()
    objects = [schema, *schema["$defs"].values()]
    missing = [
        f"{obj.get('title', 'top')}.{name}"
        for obj in objects
        for name, prop in obj.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []


def test_the_example_validates(validator: jsonschema.Draft202012Validator) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []


def test_the_example_points_editors_at_the_schema() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")


def _errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize(
    "data",
    [
        {"version": 2},
        {"version": 1, "rp_queue": []},
        {"version": 1, "rp_queues": [{"name": "Delta", "agnets": []}]},
        {"version": 1, "rp_queues": [{"name": "Delta", "agents": [{"name": "Jane"}]}]},
        {"version": 1, "rp_queues": [{"name": "Delta", "agents": [{"name": "J", "email": "j@"}]}]},
        {"version": 1, "awardee_queues": [{"name": "ACCESS-A-B", "keywords": ["a\nb"]}]},
        {"version": 1, "safety": {"max_removal_fraction": 2}},
    ],
)
def test_the_schema_rejects_what_validate_rejects(
    validator: jsonschema.Draft202012Validator, data: dict[str, Any]
) -> None:
    assert _errors(validator, data) != []


def test_the_committed_example_schema_is_current() -> None:
    """examples/queues.yaml points editors at examples/queues.schema.json; keep it in step.

    Regenerate with: accessq schema > examples/queues.schema.json
    """
    committed = EXAMPLE.with_name("queues.schema.json")
    assert json.loads(committed.read_text(encoding="utf-8")) == json_schema()
