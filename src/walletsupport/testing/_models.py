"""Derive a hypothesis strategy for a pydantic model from its fields (used for commands and data).

Only public hypothesis APIs are used. Each field becomes a strategy from its annotation and
its constraints, read from the field's metadata whatever object carries them (``Field(...)``,
``annotated_types`` markers, ``StringConstraints``):

* ``pattern`` -> ``st.from_regex(pattern, fullmatch=True)`` (a full match also satisfies
  pydantic's search), filtered by ``min_length`` / ``max_length`` when both are given;
* ``min_length`` / ``max_length`` on strings, bytes, tuples, lists, sets and dicts;
* ``gt`` / ``ge`` / ``lt`` / ``le`` on ints, decimals, floats, datetimes, dates and timedeltas;
  ``multiple_of`` on ints; ``max_digits`` / ``decimal_places`` on decimals;
* ``Literal``, enums, unions, ``Optional``, nested models, ``JsonValue`` and type aliases.

The model is then validated. A field the model refuses is drawn again (a few times); when
its strategy never yields a value the model accepts, an ``InvalidInputError`` names the model
and the field, and says how to supply a strategy for it. A draw refused by a cross-field rule
(a ``model_validator``) is rejected with ``hypothesis.reject()``. Fields with a default are
sometimes left out, so the default is exercised too.
"""

from __future__ import annotations

import enum
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import AwareDatetime, BaseModel, JsonValue, SecretBytes, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from typing_extensions import TypeAliasType

from walletsupport.errors import InvalidInputError, WalletSupportError

__all__ = ["Overrides", "json_values", "model_strategy", "value_strategy"]

M = TypeVar("M", bound=BaseModel)

#: Strategies to use for particular types (our values) instead of deriving one.
Overrides = Mapping[type, Callable[[], st.SearchStrategy[Any]]]

_TEXT = st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\x00")
_MAX_TEXT = 24
_MAX_ITEMS = 3
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST = datetime(2099, 12, 31, tzinfo=UTC)
#: How many times a refused field is drawn again before the kit gives up and names it.
_FIELD_ATTEMPTS = 12
_CONSTRAINTS = (
    "min_length",
    "max_length",
    "gt",
    "ge",
    "lt",
    "le",
    "multiple_of",
    "pattern",
    "max_digits",
    "decimal_places",
)


def json_values() -> st.SearchStrategy[JsonValue]:
    """Small JSON values (``None``, booleans, numbers, text, lists and objects of them)."""
    leaves: st.SearchStrategy[JsonValue] = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-1_000, 1_000),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.text(_TEXT, max_size=8),
    )
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=_MAX_ITEMS)
            | st.dictionaries(st.text(_TEXT, max_size=6), inner, max_size=_MAX_ITEMS)
        ),
        max_leaves=6,
    )


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):  # ``Annotated[str, Field(...)]`` inside a container
            found.update(_constraints(list(item.metadata)))
            continue
        for name in _CONSTRAINTS:
            value = getattr(item, name, None)
            if value is not None and not callable(value):
                found[name] = value
    return found


def _ordered(bounds: Mapping[str, Any], low: Any, high: Any, step: Any) -> tuple[Any, Any]:
    """The inclusive range the bounds allow; ``step`` is the smallest move off an open end."""
    if "ge" in bounds:
        low = bounds["ge"]
    if "gt" in bounds:
        low = bounds["gt"] + step
    if "le" in bounds:
        high = bounds["le"]
    if "lt" in bounds:
        high = bounds["lt"] - step
    if high < low:  # a bound on one side only, beyond the default of the other side
        if any(name in bounds for name in ("ge", "gt")):
            high = low + step * 1_000
        else:
            low = high - step * 1_000
    return low, high


def _sized(bounds: Mapping[str, Any], default_high: int) -> tuple[int, int]:
    low = int(bounds.get("min_length", 0))
    high = int(bounds.get("max_length", max(low, default_high)))
    return low, min(high, max(low, default_high))


def _text(bounds: Mapping[str, Any]) -> st.SearchStrategy[str]:
    pattern = bounds.get("pattern")
    low, high = _sized(bounds, _MAX_TEXT)
    if pattern is None:
        return st.text(_TEXT, min_size=low, max_size=high)
    regex = pattern if isinstance(pattern, str) else pattern.pattern
    matches = st.from_regex(regex, fullmatch=True)
    if "min_length" in bounds or "max_length" in bounds:
        most = int(bounds.get("max_length", 1 << 30))
        return matches.filter(lambda s: low <= len(s) <= most)
    return matches


def _integers(bounds: Mapping[str, Any]) -> st.SearchStrategy[int]:
    low, high = _ordered(bounds, 0, 1_000, 1)
    step = bounds.get("multiple_of")
    if step:
        return st.integers(math.ceil(low / step), math.floor(high / step)).map(lambda n: n * step)
    return st.integers(low, high)


def _decimals(bounds: Mapping[str, Any]) -> st.SearchStrategy[Decimal]:
    places = int(bounds.get("decimal_places", 2))
    unit = Decimal(1).scaleb(-places)
    default_high = Decimal(100_000)
    if "max_digits" in bounds:
        default_high = min(default_high, Decimal(10) ** (int(bounds["max_digits"]) - places) - unit)
    low, high = _ordered(
        {k: Decimal(str(v)) for k, v in bounds.items() if k in ("gt", "ge", "lt", "le")},
        Decimal(0),
        default_high,
        unit,
    )
    high = min(high, default_high) if "max_digits" in bounds else high
    return st.integers(math.ceil(low / unit), math.floor(high / unit)).map(
        lambda n: (Decimal(n) * unit).quantize(unit)
    )


def _floats(bounds: Mapping[str, Any]) -> st.SearchStrategy[float]:
    low = float(bounds.get("ge", bounds.get("gt", 0.0)))
    high = float(bounds.get("le", bounds.get("lt", max(low, 0.0) + 1_000.0)))
    return st.floats(
        low,
        high,
        exclude_min="gt" in bounds,
        exclude_max="lt" in bounds,
        allow_nan=False,
        allow_infinity=False,
    )


def _datetimes(bounds: Mapping[str, Any]) -> st.SearchStrategy[datetime]:
    low, high = _ordered(bounds, _EARLIEST, _LATEST, timedelta(seconds=1))
    span = int((high - low).total_seconds())
    return st.integers(0, max(span, 0)).map(lambda s: (low + timedelta(seconds=s)).astimezone(UTC))


def _dates(bounds: Mapping[str, Any]) -> st.SearchStrategy[date]:
    low, high = _ordered(bounds, _EARLIEST.date(), _LATEST.date(), timedelta(days=1))
    return st.dates(low, high)


def _timedeltas(bounds: Mapping[str, Any]) -> st.SearchStrategy[timedelta]:
    low, high = _ordered(bounds, timedelta(0), timedelta(days=30), timedelta(seconds=1))
    return st.integers(0, int((high - low).total_seconds())).map(
        lambda s: low + timedelta(seconds=s)
    )


def value_strategy(
    annotation: Any, metadata: list[Any], overrides: Overrides
) -> st.SearchStrategy[Any]:
    """A strategy for one annotation with its constraint metadata."""
    if annotation is JsonValue:
        return json_values()
    if isinstance(annotation, TypeAliasType):
        return value_strategy(annotation.__value__, metadata, overrides)
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
        return _datetimes(_constraints(metadata))
    bounds = _constraints(metadata)
    if origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            low, high = _sized(bounds, _MAX_ITEMS)
            element = value_strategy(args[0], [], overrides)
            return st.lists(element, min_size=low, max_size=high).map(tuple)
        return st.tuples(*(value_strategy(arg, [], overrides) for arg in args))
    if origin in (list, frozenset, set, typing.Sequence, typing.AbstractSet):
        (arg,) = typing.get_args(annotation)
        low, high = _sized(bounds, _MAX_ITEMS)
        element = value_strategy(arg, [], overrides)
        if origin in (list, typing.Sequence):
            return st.lists(element, min_size=low, max_size=high)
        items = st.frozensets(element, min_size=low, max_size=high)
        return items if origin is frozenset else items.map(set)
    if origin in (dict, typing.Mapping, Mapping):
        key, value = typing.get_args(annotation) or (str, Any)
        low, high = _sized(bounds, _MAX_ITEMS)
        return st.dictionaries(
            value_strategy(key, [], overrides),
            value_strategy(value, [], overrides),
            min_size=low,
            max_size=high,
        )
    if isinstance(annotation, type):
        for kind, make in overrides.items():
            if issubclass(annotation, kind):
                return make()
        if issubclass(annotation, bool):
            return st.booleans()
        if issubclass(annotation, enum.Enum):
            return st.sampled_from(list(annotation))
        if issubclass(annotation, str):
            return _text(bounds)
        if issubclass(annotation, bytes):
            low, high = _sized(bounds, _MAX_TEXT)
            return st.binary(min_size=low, max_size=high)
        if issubclass(annotation, int):
            return _integers(bounds)
        if issubclass(annotation, Decimal):
            return _decimals(bounds)
        if issubclass(annotation, float):
            return _floats(bounds)
        if issubclass(annotation, datetime):
            return _datetimes(bounds)
        if issubclass(annotation, date):
            return _dates(bounds)
        if issubclass(annotation, timedelta):
            return _timedeltas(bounds)
        if issubclass(annotation, SecretStr):
            return _text({"min_length": 1, **bounds}).map(SecretStr)
        if issubclass(annotation, SecretBytes):
            return st.binary(min_size=16, max_size=32).map(SecretBytes)
        if issubclass(annotation, BaseModel):
            model = annotation
            return st.deferred(lambda: model_strategy(model, overrides=overrides))
    if annotation is Any:
        return json_values()
    return st.from_type(annotation)


def _field_strategy(info: FieldInfo, overrides: Overrides) -> st.SearchStrategy[Any]:
    return value_strategy(info.annotation, list(info.metadata), overrides)


def _refused_fields(exc: ValidationError, fields: Mapping[str, FieldInfo]) -> dict[str, str]:
    """The fields ``exc`` blames, by field name (alias-aware), with pydantic's message."""
    by_alias = {info.alias or name: name for name, info in fields.items()}
    refused: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        loc = error.get("loc", ())
        if loc and isinstance(loc[0], str) and loc[0] in by_alias:
            refused.setdefault(by_alias[loc[0]], str(error.get("msg", "refused")))
    return refused


def _cannot(model: type[BaseModel], name: str, why: str) -> InvalidInputError:
    return InvalidInputError(
        f"cannot draw a valid {model.__name__}.{name}: {why}; give it a strategy, e.g. "
        f"models({model.__name__}, {name}=...) or fixed={{{name!r}: ...}}"
    )


def model_strategy(
    model: type[M],
    *,
    overrides: Overrides,
    fixed: Mapping[str, st.SearchStrategy[Any]] | None = None,
    required_only: bool = False,
) -> st.SearchStrategy[M]:
    """Valid instances of ``model``; ``fixed`` gives strategies for particular fields.

    Raises (when drawn from):
        InvalidInputError: a field's strategy cannot be built, or never yields a value the
            model accepts; the message names ``Model.field``.
    """
    fields = dict(model.model_fields)
    given = dict(fixed or {})
    strategies: dict[str, st.SearchStrategy[Any]] = {}

    def strategy_of(name: str) -> st.SearchStrategy[Any]:
        if name in given:
            return given[name]
        if name not in strategies:
            strategies[name] = _field_strategy(fields[name], overrides)
        return strategies[name]

    def draw_field(draw: st.DrawFn, name: str) -> Any:
        try:
            return draw(strategy_of(name), label=name)
        except WalletSupportError:  # a nested model already named its field
            raise
        except InvalidArgument as exc:  # an annotation hypothesis cannot resolve, a bad regex
            raise _cannot(model, name, f"no strategy for {fields[name].annotation!r}") from exc
        except (TypeError, ValueError) as exc:  # hypothesis could not construct the type
            raise _cannot(model, name, f"{type(exc).__name__} while drawing it") from exc

    @st.composite
    def build(draw: st.DrawFn) -> M:
        values: dict[str, Any] = {}
        for name, info in fields.items():
            if (
                name in given
                or info.is_required()
                or not (required_only or not draw(st.booleans()))
            ):
                values[info.alias or name] = draw_field(draw, name)
        last: dict[str, str] = {}
        for _ in range(_FIELD_ATTEMPTS):
            try:  # the core validator: pydantic's own error, with locations, even for WalletModel
                made: M = model.__pydantic_validator__.validate_python(values)
                return made
            except ValidationError as exc:
                refused = _refused_fields(exc, fields)
            except WalletSupportError:  # the model's own typed error: a cross-field rule
                reject()
            if not refused:  # a cross-field rule refused this combination
                reject()
            last = refused
            for name in refused:
                values[fields[name].alias or name] = draw_field(draw, name)
        name, why = next(iter(last.items()))
        raise _cannot(model, name, f"{_FIELD_ATTEMPTS} drawn values were refused ({why})")

    return build()
