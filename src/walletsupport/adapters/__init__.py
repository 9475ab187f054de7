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

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.adapters.memory import MemoryStore
    from walletsupport.adapters.postgres import PostgresStore
    from walletsupport.adapters.sqlite import SqliteStore

__all__ = ["MemoryStore", "PostgresStore", "SqliteStore"]

# Each store loads its module (and its driver) on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {"MemoryStore": ".memory", "PostgresStore": ".postgres", "SqliteStore": ".sqlite"},
)
