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
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["exports"]


class _LazyPackage(types.ModuleType):
    """A package whose public function shares its name with the module it lives in
    (``walletsupport.issues.triage``): importing that module must not rebind the package's
    name to the module, as the import system does for every submodule it loads."""

    __shadowed__: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            name in self.__shadowed__
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            return
        super().__setattr__(name, value)


def exports(
    package: str, where: Mapping[str, str], modules: Iterable[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``where`` maps a name to its module.

    A module path starting with ``.`` is relative to ``package``. ``modules`` names public
    submodules (``walletsupport.regulation.reg_e``), imported on first use. A loaded name is
    kept in the package's namespace, so the module is looked up once.
    """
    table = {
        name: (package + module if module.startswith(".") else module)
        for name, module in where.items()
    }
    submodules = frozenset(modules)
    shadowed = frozenset(name for name, module in table.items() if module == f"{package}.{name}")
    if shadowed:
        namespace = sys.modules[package]
        namespace.__class__ = _LazyPackage
        namespace.__shadowed__ = shadowed  # type: ignore[attr-defined]

    def __getattr__(name: str) -> Any:
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")  # binds it on the package
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *table, *submodules})

    return __getattr__, __dir__
