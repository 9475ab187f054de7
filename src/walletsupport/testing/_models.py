"""Derive a hypothesis strategy for a pydantic model from its fields (used for commands and data).

Only public hypothesis APIs are used. Each field becomes a strategy from its annotation and its
``annotated_types`` constraints (``MinLen``, ``MaxLen``, ``Gt``, ``Ge``, ``Lt``, ``Le``); the
model is then validated, and a draw the model refuses (a pattern, a cross-field rule) is
rejected with ``hypothesis.reject()``. Fields with a default are sometimes left out, so the
default is exercised too.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import annotated_types
from hypothesis import reject
from hypothesis import strategies as st
from pydantic import AwareDatetime, BaseModel, SecretBytes, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from walletsupport.errors import WalletSupportError

__all__ = ["Overrides", "model_strategy", "value_strategy"]

M = TypeVar("M", bound=BaseModel)

#: Strategies to use for particular types (our values) instead of deriving one.
Overrides = Mapping[type, Callable[[], st.SearchStrategy[Any]]]

_TEXT = st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\x00")
_MAX_TEXT = 24
_EARLIEST = datetime(2000, 1, 1)  # noqa: DTZ001 - st.datetimes takes naive bounds; zone added
_LATEST = datetime(2099, 12, 31)  # noqa: DTZ001 - same


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in ("min_length", "max_length", "gt", "ge", "lt", "le"):
            value = getattr(item, name, None)
            if value is not None and isinstance(item, annotated_types.BaseMetadata):
                found[name] = value
    return found


def _number_range(
    bounds: Mapping[str, Any], default_low: Any, default_high: Any
) -> tuple[Any, Any]:
    low = bounds.get("ge", bounds.get("gt", default_low))
    high = bounds.get("le", bounds.get("lt", default_high))
    if high < low:
        high = low
    return low, high


def value_strategy(
    annotation: Any, metadata: list[Any], overrides: Overrides
) -> st.SearchStrategy[Any]:
    """A strategy for one annotation with its constraint metadata."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return value_strategy(inner, [*metadata, *extra], overrides)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(
            *(value_strategy(arg, metadata, overrides) for arg in typing.get_args(annotation))
        )
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if annotation is type(None):
        return st.none()
    if annotation is AwareDatetime:
        return st.datetimes(_EARLIEST, _LATEST, timezones=st.just(UTC))
    bounds = _bounds(metadata)
    if origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            low = bounds.get("min_length", 0)
            high = min(bounds.get("max_length", low + 3), low + 3)
            element = value_strategy(args[0], [], overrides)
            return st.lists(element, min_size=low, max_size=high).map(tuple)
        return st.tuples(*(value_strategy(arg, [], overrides) for arg in args))
    if origin in (list, frozenset, set):
        (arg,) = typing.get_args(annotation)
        items = st.lists(value_strategy(arg, [], overrides), max_size=3)
        return items if origin is list else items.map(origin)
    if isinstance(annotation, type):
        for kind, make in overrides.items():
            if issubclass(annotation, kind):
                return make()
        if issubclass(annotation, bool):
            return st.booleans()
        if issubclass(annotation, enum.Enum):
            return st.sampled_from(list(annotation))
        if issubclass(annotation, str):
            low = bounds.get("min_length", 0)
            high = min(bounds.get("max_length", _MAX_TEXT), max(low, _MAX_TEXT))
            return st.text(_TEXT, min_size=low, max_size=high)
        if issubclass(annotation, int):
            low, high = _number_range(bounds, 0, 1_000)
            return st.integers(low + (1 if "gt" in bounds else 0), high)
        if issubclass(annotation, Decimal):
            low, high = _number_range(bounds, Decimal(0), Decimal(100_000))
            return st.decimals(
                min_value=Decimal(low), max_value=Decimal(high), places=2, allow_nan=False
            ).filter(lambda d: "gt" not in bounds or d > bounds["gt"])
        if issubclass(annotation, float):
            low, high = _number_range(bounds, 0.0, 1_000.0)
            return st.floats(float(low), float(high), allow_nan=False, allow_infinity=False)
        if issubclass(annotation, datetime):
            return st.datetimes(_EARLIEST, _LATEST, timezones=st.just(UTC))
        if issubclass(annotation, timedelta):
            return st.timedeltas(timedelta(0), timedelta(days=30))
        if issubclass(annotation, SecretStr):
            return st.text(_TEXT, min_size=1, max_size=16).map(SecretStr)
        if issubclass(annotation, SecretBytes):
            return st.binary(min_size=16, max_size=32).map(SecretBytes)
        if issubclass(annotation, BaseModel):
            return st.deferred(lambda: model_strategy(annotation, overrides=overrides))
    return st.from_type(annotation)


def _field_strategy(info: FieldInfo, overrides: Overrides) -> st.SearchStrategy[Any]:
    return value_strategy(info.annotation, list(info.metadata), overrides)


def model_strategy(
    model: type[M],
    *,
    overrides: Overrides,
    fixed: Mapping[str, st.SearchStrategy[Any]] | None = None,
    required_only: bool = False,
) -> st.SearchStrategy[M]:
    """Valid instances of ``model``; ``fixed`` gives strategies for particular fields."""
    fields = dict(model.model_fields)
    given = dict(fixed or {})

    @st.composite
    def build(draw: st.DrawFn) -> M:
        values: dict[str, Any] = {}
        for name, info in fields.items():
            if name in given:
                values[name] = draw(given[name], label=name)
                continue
            if not info.is_required() and (required_only or not draw(st.booleans())):
                continue
            values[name] = draw(_field_strategy(info, overrides), label=name)
        try:
            return model.model_validate(values)
        except (ValidationError, WalletSupportError):  # the model refused this combination
            reject()

    return build()
