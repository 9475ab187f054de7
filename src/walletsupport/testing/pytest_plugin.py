"""Opt-in pytest fixtures for suites that use walletsupport.

Enable them in your ``conftest.py`` (they are not auto-loaded through ``pytest11``, so
installing walletsupport never changes anyone's test run)::

    pytest_plugins = ["walletsupport.testing.pytest_plugin"]

Fixtures:

* ``fixed_clock``: a [FixedClock][walletsupport.clock.FixedClock] at 2026-01-05 09:00 UTC
  (a Monday); move it with ``advance``.
* ``memory_store``: a fresh [MemoryStore][walletsupport.adapters.MemoryStore].
* ``sqlite_store``: a [SqliteStore][walletsupport.adapters.SqliteStore] in a file under
  ``tmp_path``, closed after the test.
* ``registry``: a fresh [default_registry()][walletsupport.issues.default_registry] you may
  ``register`` into freely.
* ``directory``: the example [sample_directory()][walletsupport.contact.sample_directory].
* ``workflow_service``: a [WorkflowService][walletsupport.workflows.WorkflowService] with
  every built-in workflow on ``memory_store`` and ``fixed_clock``.

The marker PYTEST_DONT_REWRITE keeps pytest from warning when this module was imported
before it is registered as a plugin (it holds no asserts to rewrite).

Examples:
    >>> START.isoformat()
    '2026-01-05T09:00:00+00:00'
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.contact import Directory, sample_directory
from walletsupport.issues import IssueRegistry, default_registry
from walletsupport.workflows import WorkflowService

if TYPE_CHECKING:
    from walletsupport.adapters import SqliteStore

__all__ = [
    "START",
    "directory",
    "fixed_clock",
    "memory_store",
    "registry",
    "sqlite_store",
    "workflow_service",
]

#: Where ``fixed_clock`` starts: Monday 2026-01-05 09:00 UTC.
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock() -> FixedClock:
    """A clock standing at ``START`` until you ``advance`` it."""
    return FixedClock(START)


@pytest.fixture
def memory_store() -> MemoryStore:
    """A fresh, empty in-memory case store."""
    return MemoryStore()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A case store in a fresh SQLite file under ``tmp_path``; closed afterwards."""
    from walletsupport.adapters import SqliteStore

    store = SqliteStore(tmp_path / "walletsupport.sqlite3")
    try:
        yield store
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


@pytest.fixture
def registry() -> IssueRegistry:
    """A fresh registry with the built-in categories (changes stay inside the test)."""
    return default_registry()


@pytest.fixture
def directory() -> Directory:
    """The sample directory of example support lines."""
    return sample_directory()


@pytest.fixture
def workflow_service(memory_store: MemoryStore, fixed_clock: FixedClock) -> WorkflowService:
    """A service with every built-in workflow, on ``memory_store`` and ``fixed_clock``."""
    return WorkflowService(memory_store, fixed_clock)
