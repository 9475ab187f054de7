"""Stores for cases: [MemoryStore][walletsupport.adapters.MemoryStore],
[SqliteStore][walletsupport.adapters.SqliteStore] and ``PostgresStore``.

All implement [WorkflowStore][walletsupport.ports.WorkflowStore]. ``sqlite3`` and ``psycopg``
are imported only when ``SqliteStore`` or ``PostgresStore`` is first used, so
``import walletsupport`` never loads them; ``PostgresStore`` needs the ``postgres`` extra.

Examples:
    >>> store = MemoryStore()
    >>> store.find()
    []
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from walletsupport.adapters.memory import MemoryStore

if TYPE_CHECKING:
    from walletsupport.adapters.postgres import PostgresStore
    from walletsupport.adapters.sqlite import SqliteStore

__all__ = ["MemoryStore", "PostgresStore", "SqliteStore"]


def __getattr__(name: str) -> Any:
    if name == "SqliteStore":
        from walletsupport.adapters.sqlite import SqliteStore

        return SqliteStore
    if name == "PostgresStore":
        from walletsupport.adapters.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
