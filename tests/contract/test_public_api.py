"""The public surface is pinned: adding or removing a name is a deliberate, CHANGELOG'd act."""

from __future__ import annotations

import importlib

import pytest

import walletsupport

PUBLIC_SUBPACKAGES = [
    "walletsupport",
    "walletsupport.errors",
    "walletsupport.clock",
    "walletsupport.values",
    "walletsupport.verification",
    "walletsupport.policies",
]


@pytest.mark.parametrize("module_name", PUBLIC_SUBPACKAGES)
def test_every_name_in_all_exists(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


@pytest.mark.parametrize("module_name", PUBLIC_SUBPACKAGES)
def test_all_lists_every_public_class_and_function_defined_there(module_name: str) -> None:
    module = importlib.import_module(module_name)
    defined_here = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and callable(value)
        and getattr(value, "__module__", "").startswith(module_name)
    }
    assert defined_here <= set(module.__all__)


def test_top_level_all_is_short_and_sorted() -> None:
    names = [n for n in walletsupport.__all__ if n != "__version__"]
    assert names == sorted(names)
    assert len(walletsupport.__all__) <= 40


def test_version_is_a_semver_string() -> None:
    major, minor, patch = walletsupport.__version__.split(".")
    assert all(part.isdigit() for part in (major, minor, patch))
