"""Argument checks shared by the contact modules: each raises ``InvalidInputError``."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from walletsupport.errors import InvalidInputError
from walletsupport.issues.registry import IssueRegistry, default_registry

__all__ = ["check_instance", "check_local_datetime", "registry_or_default"]

T = TypeVar("T")


def registry_or_default(registry: object) -> IssueRegistry:
    """``registry`` if it is an ``IssueRegistry``, the built-in one for ``None``.

    Examples:
        >>> registry_or_default(None).get("app_crash").id
        'app_crash'
        >>> registry_or_default({})
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: registry must be an IssueRegistry or None, got dict
    """
    if registry is None:
        return default_registry()
    if not isinstance(registry, IssueRegistry):
        raise InvalidInputError(
            f"registry must be an IssueRegistry or None, got {type(registry).__name__}"
        )
    return registry


def check_instance(value: object, kind: type[T], name: str) -> T:
    """``value`` if it is a ``kind``; else ``InvalidInputError`` naming ``name``.

    Examples:
        >>> check_instance("en", str, "language")
        'en'
        >>> check_instance(None, str, "language")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: language must be a str, got NoneType
    """
    if not isinstance(value, kind):
        raise InvalidInputError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def check_local_datetime(value: object, name: str = "local") -> datetime:
    """``value`` if it is a datetime (a wall time: naive or aware, its fields are read as is).

    Examples:
        >>> check_local_datetime("09:00")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: local must be a datetime, got str
    """
    return check_instance(value, datetime, name)
