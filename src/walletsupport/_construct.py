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


def built(model: type[M], fields: dict[str, Any], given: frozenset[str] | None = None) -> M:
    """An instance of ``model`` holding ``fields`` (every field, defaults included).

    ``given`` names the fields counted as explicitly set (``model_fields_set``), as if only
    those had been passed to the constructor; ``None`` counts every field given. A model with
    private attributes or a ``model_post_init`` goes through ``model_construct``, which
    sets them up.
    """
    if model.__private_attributes__ or model.__pydantic_post_init__ is not None:
        return model.model_construct(_fields_set=set(fields if given is None else given), **fields)
    instance = _new(model)
    _set_dict(instance, fields)
    _set_fields_set(instance, set(fields if given is None else given))
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance
