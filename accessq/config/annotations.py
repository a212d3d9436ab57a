"""What a type annotation holds under `Annotated[...]` and `| None`.

Pure typing, no accessq imports: the queue language's error messages and the sandbox's seed
errors (which may import nothing else of accessq) both walk pydantic field annotations with it.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin


def bare(annotation: Any) -> Any:
    """`Annotated[X, ...]` -> X and `X | None` -> X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation
