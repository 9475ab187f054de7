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
* ``registry``: a fresh [default_registry()][walletsupport.issues.default_registry] with the
  installed categories (``load_entry_points()``) and ``walletsupport_categories``; you may
  ``register`` into it freely.
* ``directory``: ``walletsupport_lines`` loaded against ``registry``, or the example
  [sample_directory()][walletsupport.contact.sample_directory] when there are none.
* ``workflow_service``: a [WorkflowService][walletsupport.workflows.WorkflowService] serving
  ``walletsupport_workflows`` on ``memory_store`` and ``fixed_clock``.

Override these three in your ``conftest.py`` to serve your own (not installed) extensions:

* ``walletsupport_categories``: extra ``IssueCategory`` values for ``registry`` (default
  none; an installed category with the same id and content is not registered twice);
* ``walletsupport_workflows``: the workflows ``workflow_service`` serves (default
  [installed_workflows()][walletsupport.workflows.installed_workflows]: built-ins and the
  ``walletsupport.workflows`` entry points);
* ``walletsupport_lines``: your support lines, as a ``Directory``, a mapping (the JSON shape)
  or a path to a JSON file (default ``None``: the sample directory).

The marker PYTEST_DONT_REWRITE keeps pytest from warning when this module was imported
before it is registered as a plugin (it holds no asserts to rewrite).

Examples:
    >>> START.isoformat()
    '2026-01-05T09:00:00+00:00'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.contact import Directory, sample_directory
from walletsupport.errors import ConfigurationError
from walletsupport.issues import IssueCategory, IssueRegistry, default_registry
from walletsupport.workflows import Workflow, WorkflowService, installed_workflows

if TYPE_CHECKING:
    from walletsupport.adapters import SqliteStore

__all__ = [
    "START",
    "directory",
    "fixed_clock",
    "memory_store",
    "registry",
    "sqlite_store",
    "walletsupport_categories",
    "walletsupport_lines",
    "walletsupport_workflows",
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
def walletsupport_categories() -> Iterable[IssueCategory]:
    """Extra categories for ``registry``: override in your ``conftest.py`` (default none)."""
    return ()


@pytest.fixture
def walletsupport_workflows() -> Iterable[Workflow[Any, Any]]:
    """The workflows ``workflow_service`` serves: built-ins and installed ones by default."""
    return installed_workflows()


@pytest.fixture
def walletsupport_lines() -> Directory | Mapping[str, Any] | Path | str | None:
    """Your support lines for ``directory``: override in your ``conftest.py`` (default none)."""
    return None


@pytest.fixture
def registry(walletsupport_categories: Iterable[IssueCategory]) -> IssueRegistry:
    """Built-in, installed and ``walletsupport_categories`` categories, fresh for each test."""
    fresh = default_registry()
    fresh.load_entry_points()
    for category in walletsupport_categories:
        if category.id in fresh and fresh.get(category.id) == category:
            continue  # installed and also listed: the same category, once
        fresh.register(category)
    return fresh


@pytest.fixture
def directory(
    registry: IssueRegistry, walletsupport_lines: Directory | Mapping[str, Any] | Path | str | None
) -> Directory:
    """``walletsupport_lines`` loaded against ``registry``, else the sample directory."""
    lines = walletsupport_lines
    if lines is None:
        return sample_directory()
    if isinstance(lines, Directory):
        return lines
    if isinstance(lines, (str, Path)):
        lines = json.loads(Path(lines).read_text(encoding="utf-8"))
    if not isinstance(lines, Mapping):
        raise ConfigurationError("walletsupport_lines must be a Directory, a mapping or a path")
    return Directory.load(lines, registry=registry)


@pytest.fixture
def workflow_service(
    memory_store: MemoryStore,
    fixed_clock: FixedClock,
    walletsupport_workflows: Iterable[Workflow[Any, Any]],
) -> WorkflowService:
    """A service with ``walletsupport_workflows`` on ``memory_store`` and ``fixed_clock``."""
    return WorkflowService(memory_store, fixed_clock, tuple(walletsupport_workflows))
