"""The base of walletsupport's closed sets: an unknown value raises the library's own error."""

from __future__ import annotations

from enum import EnumType, StrEnum
from typing import Any

from walletsupport._shown import shown
from walletsupport.errors import InvalidInputError

__all__ = ["WalletEnum"]


class _WalletEnumType(EnumType):
    """Looks a non-text value up without ``Enum``'s own ``repr`` of it (which can raise)."""

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if not args and not kwargs and not isinstance(value, str):
            missing = getattr(cls, "_missing_", None)
            if missing is not None and cls._member_map_:
                missing(value)
        return super().__call__(value, *args, **kwargs)


class WalletEnum(StrEnum, metaclass=_WalletEnumType):
    """A ``StrEnum`` whose lookup of an unknown value raises ``InvalidInputError``.

    ``InvalidInputError`` is a ``ValueError``, so code that catches ``ValueError`` around an
    enum lookup keeps working. pydantic validates enum fields itself and is unaffected.

    Examples:
        >>> class Colour(WalletEnum):
        ...     RED = "red"
        >>> Colour("red") is Colour.RED
        True
        >>> Colour("blue")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: 'blue' is not a valid Colour; choose one of: 'red'
    """

    @classmethod
    def _missing_(cls, value: object) -> None:
        text = shown(value)
        choices = ", ".join(repr(member.value) for member in cls)
        raise InvalidInputError(f"{text} is not a valid {cls.__name__}; choose one of: {choices}")
