"""The seed's mistakes as one line each: pydantic's ValidationError told in the seed's words.

The one place that turns a ValidationError of a seed model into `where: what`, used by every seed
section. Messages follow the model:

- an unknown key: `users[2]: unknown key 'mail' (known: name, email, ...)` (the model's fields);
- a missing key: `users[1]: missing 'name'`;
- a field with a `description`: `users[0]: active must be true or false` (the description says
  what the field must be; a wrong choice adds `, not 'robot'`);
- a validator's ValueError: its message, after the list item it is in (`users[0]: 'x' is not an
  email address`): a validator names its own field;
- a list item that is not a mapping: `users[3] must be a mapping, not int`;
- anything else: pydantic's words at the dotted path (`permission_scheme.base: ...`).

The line is the one of the innermost mapping along the error's path that knows it (`LineDict`), so
the offending item's line, as the rest of the seed reports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from accessq.config.annotations import bare

Fail = Callable[[Any, str], Exception]  # (the node whose line to name, message) -> the error


class SeedError(ValueError):
    """A seed that cannot be used; the message is one line that says where and why."""


def shape_error(exc: ValidationError, model: type[BaseModel], raw: Any, fail: Fail) -> Exception:
    """fail(...) for the first problem `model.model_validate(raw)` found."""
    error = _first(exc.errors(include_url=False))
    loc = tuple(error["loc"])
    kind: str = error["type"]
    about_key = kind in ("extra_forbidden", "missing")
    at = loc[:-1] if about_key else loc
    node, value = _located(raw, at)
    if kind == "extra_forbidden":
        owner = _owner(model, (*at, ""))[0]
        known = f" (known: {', '.join(owner.model_fields)})" if owner else ""
        return fail(node, f"{_dotted(at) or 'seed'}: unknown key {loc[-1]!r}{known}")
    if kind == "missing":
        return fail(node, _joined(_dotted(at), f"missing {loc[-1]!r}"))
    if kind == "value_error":
        raised = str((error.get("ctx") or {}).get("error", error["msg"]))
        return fail(node, _joined(_dotted(_item(loc)), raised))
    owner, depth, is_model = _owner(model, loc)
    field = owner.model_fields.get(str(loc[depth])) if owner and depth < len(loc) else None
    inside = is_model and depth < len(loc) - 1  # an item of the field, not the field itself
    if field is not None and field.description and not inside:
        told = f"{loc[depth]} {field.description}"
        if kind == "literal_error":
            told += f", not {value!r}"
        return fail(node, _joined(_dotted(loc[:depth]), told))
    if is_model:
        return fail(node, f"{_dotted(loc)} must be a mapping, not {type(value).__name__}")
    if kind == "literal_error":
        message = f"must be one of {error['ctx']['expected']}, not {value!r}"
    else:
        message = error["msg"][:1].lower() + error["msg"][1:]
    return fail(node, _joined(_dotted(loc), message))


def _first(errors: list[Any]) -> Any:
    """The first error, or an unknown key beside it: a misspelt key explains a missing one."""
    first = errors[0]
    return next(
        (
            e
            for e in errors
            if e["type"] == "extra_forbidden" and tuple(e["loc"][:-1]) == tuple(first["loc"][:-1])
        ),
        first,
    )


def _joined(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _item(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """loc up to the innermost list item in it (() when it is in none)."""
    last = max((i for i, part in enumerate(loc) if isinstance(part, int)), default=-1)
    return loc[: last + 1]


def _located(raw: Any, loc: Iterable[Any]) -> tuple[Any, Any]:
    """(the innermost mapping along loc that knows its line, else raw; the value at loc)."""
    where, node = raw, raw
    for part in loc:
        in_mapping = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            break
        node = node[part]
        if getattr(node, "line", 0):
            where = node
    return where, node


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _owner(
    model: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[type[BaseModel] | None, int, bool]:
    """(the innermost model along loc, how many parts of loc lead to it, is the value at loc one).

    The field of the error is then loc[depth], a field of that model.
    """
    owner: type[BaseModel] | None = None
    depth = 0
    annotation: Any = model
    for index, part in enumerate(loc):
        annotation = bare(annotation)
        origin = get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            owner, depth = annotation, index
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return owner, depth, False
            annotation = field.annotation
        elif origin in (list, tuple) and isinstance(part, int):
            annotation = get_args(annotation)[0]
        elif origin is dict:
            annotation = get_args(annotation)[1]
        else:
            return owner, depth, False
    annotation = bare(annotation)
    return owner, depth, isinstance(annotation, type) and issubclass(annotation, BaseModel)



__all__ = ["Fail", "SeedError", "shape_error"]
