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
    "walletsupport.calendars",
    "walletsupport.issues",
    "walletsupport.verification",
    "walletsupport.regulation",
    "walletsupport.policies",
    "walletsupport.contact",
    "walletsupport.workflows",
    "walletsupport.adapters",
    "walletsupport.ports",
]

EXPECTED_TOP_LEVEL = {
    "Assistance",
    "CaseSnapshot",
    "CategoryMatch",
    "Clock",
    "Directory",
    "FixedClock",
    "IssueCategory",
    "IssueRegistry",
    "LegalWindow",
    "Schedule",
    "SupportLine",
    "SystemClock",
    "Triage",
    "VerificationPlan",
    "WalletSupportError",
    "WorkflowService",
    "__version__",
    "assist",
    "default_registry",
    "plan_verification",
    "regime_for",
    "route",
    "sample_directory",
    "triage",
}


def test_top_level_surface_is_pinned():
    # Adding or removing a name here is an API change: record it in CHANGELOG.md.
    assert set(walletsupport.__all__) == EXPECTED_TOP_LEVEL


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
    assert names == sorted(names, key=lambda n: (n[0].islower(), n))
    assert len(walletsupport.__all__) <= 40


def test_version_is_a_semver_string() -> None:
    major, minor, patch = walletsupport.__version__.split(".")
    assert all(part.isdigit() for part in (major, minor, patch))
