"""The base of walletsupport's pydantic models: bad input raises the library's own errors.

pydantic raises its ``ValidationError`` from constructors and ``model_validate``; a caller of
walletsupport catches one hierarchy, rooted at
[WalletSupportError][walletsupport.errors.WalletSupportError]. ``WalletModel`` converts at
the public entry points (``__init__``, ``model_validate``, ``model_validate_json``,
``model_validate_strings``) into the class's ``invalid_error`` (an ``InvalidInputError``
unless a class names a more precise one). The message lists each problem by location and
never quotes the input, so a secret in the input cannot leak into it.

Validation nested inside another model is untouched: there pydantic's own error is what the
outer model reports.

Examples:
    >>> from pydantic import Field
    >>> class Pin(WalletModel, frozen=True):
    ...     digits: str = Field(pattern=r"^[0-9]{4}$")
    >>> Pin(digits="12a4")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    walletsupport.errors.InvalidInputError: invalid Pin: digits: String should match pattern ...
    >>> Pin.model_validate({"digits": "1234"}).digits
    '1234'
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, SecretBytes, SecretStr, ValidationError

from walletsupport.errors import InvalidInputError, SecretNotPicklableError, WalletSupportError

__all__ = ["MAX_ITEMS", "WalletModel", "describe_validation_error"]

#: The most items any list, set or mapping field of a library model takes.
MAX_ITEMS = 100_000

_CONTAINERS = (list, tuple, set, frozenset, dict)
# each model class's item limits, worked out once (weak keys: a class that goes, goes)
_LIMITS: weakref.WeakKeyDictionary[type[BaseModel], dict[str, int]] = weakref.WeakKeyDictionary()


def _limits_of(model: type[BaseModel]) -> dict[str, int]:
    """The most items each field of ``model`` may hold: its ``max_length``, or ``MAX_ITEMS``."""
    limits: dict[str, int] = {}
    for name, field in model.model_fields.items():
        limit = MAX_ITEMS
        for rule in field.metadata:
            limit = min(limit, getattr(rule, "max_length", None) or limit)
        limits[name] = limit
    return limits


def describe_validation_error(exc: ValidationError, subject: str) -> str:
    """One line naming every problem of ``exc`` by location, without the input.

    Examples:
        >>> from pydantic import TypeAdapter
        >>> try:
        ...     TypeAdapter(int).validate_python("x")
        ... except ValidationError as exc:
        ...     print(describe_validation_error(exc, "count"))
        invalid count: Input should be a valid integer, unable to parse string as an integer
    """
    errors = exc.errors(include_input=False, include_url=False, include_context=False)
    failed = [error["loc"] for error in errors]
    parts: list[str] = []
    errors = [
        error
        for error in errors
        if not (
            error["type"] == "too_short"
            and any(f[: len(error["loc"])] == error["loc"] != f for f in failed)
        )  # a consequence of an item failing inside it: say only what is wrong there
    ]
    if len(errors) > 20:
        parts.append(f"{len(errors)} problems, the first 20")
        errors = errors[:20]
    for error in errors:
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else error["msg"])
    return f"invalid {subject}: " + "; ".join(parts)


def _holds_secret(value: object, depth: int = 0) -> bool:
    """Whether ``value`` is, or directly contains, a pydantic secret (models check themselves)."""
    if isinstance(value, SecretStr | SecretBytes):
        return True
    if depth > 4:
        return False
    if isinstance(value, dict):
        return any(_holds_secret(v, depth + 1) for v in value.values())
    if isinstance(value, tuple | list | set | frozenset):
        return any(_holds_secret(v, depth + 1) for v in value)
    return False


class WalletModel(BaseModel):
    """A pydantic model whose construction errors belong to the library's error tree.

    A model holding a secret (a ``SecretStr`` / ``SecretBytes`` field: a presented code, a
    token, a server key) refuses ``pickle`` with a
    [SecretNotPicklableError][walletsupport.errors.SecretNotPicklableError]; so do the secret
    values themselves (card number, CVC, password), wherever they are nested.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The error raised for invalid input; a subclass of ``WalletSupportError`` that takes a
    #: message. Classes narrow it (``InvalidMoneyError``, ``InvalidScheduleError``, ...).
    invalid_error: ClassVar[type[WalletSupportError]] = InvalidInputError

    @classmethod
    def _error_from(cls, exc: ValidationError) -> WalletSupportError:
        """The library error for ``exc``; override to add context (e.g. which line)."""
        return cls.invalid_error(describe_validation_error(exc, cls.__name__))

    @classmethod
    def _too_big(cls, data: object) -> WalletSupportError | None:
        """An error for a field given more items than it may hold (before pydantic sees it).

        pydantic reports every bad item of a list: 200,000 bad items cost a second and a
        9 MB message. A field's own ``max_length`` bounds it, and no field takes more than
        ``MAX_ITEMS``.
        """
        if not isinstance(data, dict):
            return None
        limits = _LIMITS.get(cls)
        if limits is None:
            limits = _LIMITS[cls] = _limits_of(cls)
        for name, value in data.items():
            if isinstance(value, _CONTAINERS):
                limit = limits.get(name, MAX_ITEMS) if isinstance(name, str) else MAX_ITEMS
                if len(value) > limit:
                    return cls.invalid_error(
                        f"invalid {cls.__name__}: {name}: at most {limit} items, got {len(value)}"
                    )
        return None

    @classmethod
    def _arithmetic_error(cls) -> WalletSupportError:
        return cls.invalid_error(f"invalid {cls.__name__}: a number or an instant is out of range")

    def __init__(self, /, **data: Any) -> None:
        error = type(self)._too_big(data)
        if error is not None:
            raise error
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise self._error_from(exc) from None
        except ArithmeticError:  # decimal traps, date overflow in a validator
            raise self._arithmetic_error() from None

    def __reduce_ex__(self, protocol: Any) -> Any:
        if any(_holds_secret(v) for v in self.__dict__.values()):
            raise SecretNotPicklableError(
                f"a {type(self).__name__} holds a secret and is never pickled"
            )
        return super().__reduce_ex__(protocol)

    # Tell pydantic this is still its own __init__: otherwise validation (model_validate, and
    # validation of this model nested in another) would call it, and nested errors would lose
    # their stable error types. pydantic marks BaseModel.__init__ and RootModel.__init__ so.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` into this model; raise ``invalid_error`` when it does not fit."""
        error = cls._too_big(obj)
        if error is not None:
            raise error
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise cls._error_from(exc) from None
        except ArithmeticError:
            raise cls._arithmetic_error() from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate a JSON document into this model; raise ``invalid_error`` if it does not fit."""
        try:
            return super().model_validate_json(json_data, **kwargs)
        except ValidationError as exc:
            raise cls._error_from(exc) from None
        except ArithmeticError:
            raise cls._arithmetic_error() from None

    @classmethod
    def model_validate_strings(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate string data into this model; raise ``invalid_error`` when it does not fit."""
        try:
            return super().model_validate_strings(obj, **kwargs)
        except ValidationError as exc:
            raise cls._error_from(exc) from None
