"""Stores for cases: [MemoryStore][walletsupport.adapters.MemoryStore] and
[SqliteStore][walletsupport.adapters.SqliteStore].

Both implement [WorkflowStore][walletsupport.ports.WorkflowStore]. ``sqlite3`` is imported
only when ``SqliteStore`` is first used, so ``import walletsupport`` never loads it.

Examples:
    >>> store = MemoryStore()
    >>> store.find()
    []
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from walletsupport.adapters.memory import MemoryStore

if TYPE_CHECKING:
    from walletsupport.adapters.sqlite import SqliteStore

__all__ = ["MemoryStore", "SqliteStore"]


def __getattr__(name: str) -> Any:
    if name == "SqliteStore":
        from walletsupport.adapters.sqlite import SqliteStore

        return SqliteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
