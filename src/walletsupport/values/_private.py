"""Small helpers shared by the value modules (not public)."""

from __future__ import annotations

from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

__all__: list[str] = []


def model_schema(
    core_schema: CoreSchema,
    handler: GetJsonSchemaHandler,
    string_schema: dict[str, Any] | None = None,
) -> JsonSchemaValue:
    """A model's JSON schema, described by its docstring's first paragraph (no doctests).

    With ``string_schema``, validation mode also accepts the model's string shorthand.
    """
    json_schema = handler(core_schema)
    resolved = handler.resolve_ref_schema(json_schema)
    if isinstance(resolved.get("description"), str):
        resolved["description"] = " ".join(resolved["description"].split("\n\n")[0].split())
    if string_schema is None or handler.mode == "serialization":
        return json_schema
    title = resolved.pop("title", None)
    description = resolved.pop("description", None)
    as_object = dict(resolved)
    resolved.clear()
    if title is not None:
        resolved["title"] = title
    if description is not None:
        resolved["description"] = description
    resolved["anyOf"] = [string_schema, as_object]
    return json_schema
