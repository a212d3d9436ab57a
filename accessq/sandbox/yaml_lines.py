"""YAML loading that remembers where each mapping started, so seed errors can name file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The C parser when present: the demo seed is loaded on every fresh sandbox.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the line it started on (1-based; 0 when built in Python)."""

    line: int = 0


class YamlError(ValueError):
    """A seed file that is not valid YAML, or has a duplicate key."""


class _LineLoader(_BaseLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise YamlError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        seen.add(key)
    data.update(loader.construct_mapping(node, deep=True))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; raise YamlError naming file:line for bad syntax or duplicate keys."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise YamlError(f"{path}: seed file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"{path}: cannot read seed file: {exc}") from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except YamlError as exc:
        raise YamlError(f"{path}:{str(exc).removeprefix('line ')}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise YamlError(f"{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{path}: invalid YAML: {exc}") from None
