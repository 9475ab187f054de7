"""Build a pydantic model instance from values that already satisfy it, without validation.

The engine makes each new snapshot and audit entry, and the ticket workflow its deadlines, from
values it validated or computed itself (a checked command, the service's clock, the validated
data dumped to JSON, a policy's bounded names); validating them again would only cost time.
pydantic keeps an instance's state in four slots: filling them through their descriptors is
what ``model_construct`` does, without its per-field default and alias bookkeeping.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["built"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def built(model: type[M], fields: dict[str, Any], given: frozenset[str]) -> M:
    """An instance of ``model`` holding ``fields`` (every field, defaults included).

    ``given`` names the fields counted as explicitly set (``model_fields_set``), as if only
    those had been passed to the constructor. The model must have no private attributes.
    """
    instance = _new(model)
    _set_dict(instance, fields)
    _set_fields_set(instance, set(given))
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance
