"""Argument checks shared by the workflow modules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from walletsupport.errors import WalletSupportError

__all__ = ["items_of"]


def items_of(value: object, name: str, error: type[WalletSupportError]) -> tuple[object, ...]:
    """The items of ``value`` as a tuple; ``error`` if it is not a collection of items.

    A str, bytes or mapping is refused too: iterating one gives characters or keys, never the
    items the caller meant.

    Examples:
        >>> from walletsupport.errors import ConfigurationError
        >>> items_of([1, 2], "workflows", ConfigurationError)
        (1, 2)
        >>> items_of(3, "workflows", ConfigurationError)
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: workflows must be an iterable of items, got int
    """
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | Mapping):
        raise error(f"{name} must be an iterable of items, got {type(value).__name__}")
    return tuple(value)
