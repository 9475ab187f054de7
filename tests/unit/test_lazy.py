"""Lazy package attributes: a public function named like its module stays the function."""

from __future__ import annotations

import importlib
import sys
import types

import pytest

from walletsupport import _lazy


@pytest.fixture
def package(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    pkg = types.ModuleType("lazypkg")
    pkg.__path__ = []
    mod = types.ModuleType("lazypkg.answer")
    mod.answer = lambda: 42  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lazypkg", pkg)
    monkeypatch.setitem(sys.modules, "lazypkg.answer", mod)
    getattr_, dir_ = _lazy.exports("lazypkg", {"answer": ".answer"})
    pkg.__getattr__ = getattr_  # type: ignore[method-assign]
    pkg.__dir__ = dir_  # type: ignore[method-assign]
    return pkg


def test_binding_the_submodule_does_not_replace_the_function(package: types.ModuleType) -> None:
    package.answer = sys.modules["lazypkg.answer"]  # type: ignore[attr-defined]  # as import does
    assert package.answer() == 42
    assert "answer" in dir(package)


def test_the_real_packages_keep_their_functions_after_their_modules_load() -> None:
    importlib.import_module("walletsupport.issues.triage")
    importlib.import_module("walletsupport.verification.totp")
    import walletsupport.issues as issues
    import walletsupport.verification as verification

    assert not isinstance(issues.triage, types.ModuleType)
    assert not isinstance(verification.totp, types.ModuleType)
    assert issues.triage("my account is locked").top.category_id == "account_locked"
    assert callable(verification.totp)


def test_a_public_submodule_loads_on_first_use() -> None:
    import walletsupport.regulation as regulation

    assert isinstance(regulation.reg_e, types.ModuleType)
    assert {"cn", "psd2", "reg_e", "reg_z", "uk"} <= set(dir(regulation))
