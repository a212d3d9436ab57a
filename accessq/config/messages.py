"""pydantic validation errors, told in plain words at their place in the file.

pydantic reports `('rp_queues', 2, 'agnets')` and "Extra inputs are not permitted"; a queue
owner should read `queues.yaml:14:5: error: unknown key 'agnets' (did you mean 'agents'?)`.
"""

from __future__ import annotations

from datetime import date
from difflib import get_close_matches
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from accessq.config.annotations import bare
from accessq.config.diagnostics import Diagnostic
from accessq.config.models import Contact, Updater
from accessq.config.origins import format_key_path
from accessq.config.yaml_source import KeyPath, YamlDocument

_SHAPES: dict[type[BaseModel], str] = {
    Contact: "{name: ..., email: ...}",
    Updater: "{name: ..., username: ...}",
}


def diagnostics_for(
    exc: ValidationError, model: type[BaseModel], doc: YamlDocument, prefix: KeyPath = ()
) -> list[Diagnostic]:
    """One Diagnostic per error of `model.model_validate(...)` on the data at `prefix` of `doc`."""
    found: list[Diagnostic] = []
    for error in exc.errors(include_url=False):
        loc: KeyPath = tuple(error["loc"])
        found.append(_diagnostic(error, model, loc, doc, prefix))
    return found


def _diagnostic(
    error: Any, model: type[BaseModel], loc: KeyPath, doc: YamlDocument, prefix: KeyPath
) -> Diagnostic:
    kind: str = error["type"]
    full = (*prefix, *loc)
    key_path = format_key_path(full) or None
    if kind == "extra_forbidden":
        return Diagnostic(_unknown_key(model, loc), doc.key_at(full), key_path)
    if kind == "missing":
        name = loc[-1]
        hint = " (write 'version: 1')" if full == ("version",) else ""
        return Diagnostic(f"missing required key '{name}'{hint}", doc.item_at(full[:-1]), key_path)
    where = doc.item_at(full) if _model_at(model, loc) else doc.value_at(full)
    return Diagnostic(_plain(error, model, loc), where, key_path)


def _unknown_key(model: type[BaseModel], loc: KeyPath) -> str:
    key = str(loc[-1])
    parent = _model_at(model, loc[:-1])
    if parent is None:
        return f"unknown key '{key}'"
    allowed = list(parent.model_fields)
    close = get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}' (allowed here: {', '.join(allowed)})"


def _subject(loc: KeyPath) -> str:
    """What the user calls the value: `'email'`, `'keywords[2]'`, `the top level`."""
    text = ""
    for part in reversed(loc):
        if isinstance(part, int):
            text = f"[{part}]{text}"
        else:
            return f"'{part}{text}'"
    return f"'{text}'" if text else "the top level"


def _plain(error: Any, model: type[BaseModel], loc: KeyPath) -> str:
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value = error.get("input")
    what = _subject(loc)
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        return f"{what} {message}" if message.startswith("must ") else message
    if loc == ("version",):
        return "'version' must be 1"
    if value is None and kind.endswith("_type"):
        return f"{what} has no value; give one or remove the key"
    target = _model_at(model, loc)
    if kind in ("model_type", "model_attributes_type", "dict_type") and target is not None:
        shape = _SHAPES.get(target)
        like = f" like {shape}" if shape else ""
        return f"{what} must be a mapping{like}, not {_describe(value)}"
    simple = {
        "string_type": f"{what} must be text, not {_describe(value)}",
        "list_type": f"{what} must be a list, not {_describe(value)}",
        "bool_type": f"{what} must be true or false, not {_describe(value)}",
        "bool_parsing": f"{what} must be true or false, not {_describe(value)}",
        "int_type": f"{what} must be a whole number, not {_describe(value)}",
        "int_parsing": f"{what} must be a whole number, not {_describe(value)}",
        "int_from_float": f"{what} must be a whole number, not {_describe(value)}",
        "float_type": f"{what} must be a number, not {_describe(value)}",
        "float_parsing": f"{what} must be a number, not {_describe(value)}",
        "string_too_short": f"{what} must not be empty",
        "too_short": f"{what} must not be empty",
        "string_too_long": f"{what} is longer than {ctx.get('max_length')} characters",
        "greater_than_equal": f"{what} must be at least {ctx.get('ge')}",
        "less_than_equal": f"{what} must be at most {ctx.get('le')}",
    }
    if kind in simple:
        return simple[kind]
    message = str(error["msg"])
    return f"{what}: {message[:1].lower()}{message[1:]}"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (quote it if you meant text)"
    if isinstance(value, int | float):
        return f"the number {value} (quote it if you meant text)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, date):
        return f"the date {value.isoformat()} (quote it if you meant text)"
    return f"a {type(value).__name__}"


def _model_at(model: type[BaseModel], loc: KeyPath) -> type[BaseModel] | None:
    """The pydantic model that validates the value at `loc`, if that value is a model."""
    current: Any = model
    for part in loc:
        current = bare(current)
        if isinstance(part, int):
            if get_origin(current) is not list:
                return None
            current = get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            current = field.annotation
        else:
            return None
    current = bare(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


