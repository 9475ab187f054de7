"""Lazy package attributes: a package's public names load their module on first use.

A package ``__init__`` lists where each public name lives and hands the mapping to
[exports][walletsupport._lazy.exports]; ``import walletsupport`` (or any subpackage) then costs
almost nothing, and ``from walletsupport.calendars import Schedule`` loads only what
``Schedule`` needs. The same names are imported under ``TYPE_CHECKING`` so type checkers
and IDEs see them. To add a public name: add it to ``__all__``, to the mapping, and to the
``TYPE_CHECKING`` imports.

Examples:
    >>> import walletsupport.calendars as calendars
    >>> calendars.Schedule.__name__
    'Schedule'
    >>> "Schedule" in dir(calendars)
    True
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["exports"]


def exports(
    package: str, where: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``where`` maps a name to its module.

    A module path starting with ``.`` is relative to ``package``. A loaded name is kept in the
    package's namespace, so the module is looked up once.
    """
    table = {
        name: (package + module if module.startswith(".") else module)
        for name, module in where.items()
    }

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *table})

    return __getattr__, __dir__
