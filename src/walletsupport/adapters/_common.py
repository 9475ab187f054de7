"""What every store shares: argument checks and per-thread connection bookkeeping."""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.workflows.snapshot import CaseSnapshot

C = TypeVar("C")


#: The largest integer the stores' INTEGER/BIGINT columns hold; larger ones are refused up front.
MAX_INT64 = 2**63 - 1


def check_save(snapshot: object, expected_version: object) -> CaseSnapshot:
    """Validate the arguments of ``save``; return the snapshot."""
    if not isinstance(snapshot, CaseSnapshot):
        raise InvalidInputError(f"expected a CaseSnapshot, got {type(snapshot).__name__}")
    if type(expected_version) is not int or not 0 <= expected_version < MAX_INT64:
        raise InvalidInputError("expected_version must be a non-negative int")
    if snapshot.version != expected_version + 1:
        raise InvalidInputError(
            f"a save advances one version: expected_version {expected_version} "
            f"needs snapshot version {expected_version + 1}, got {snapshot.version}"
        )
    return snapshot


def check_find(kind: object, state: object, due_before: object, limit: object) -> datetime | None:
    """Validate the arguments of ``find``; return ``due_before`` (aware) or ``None``."""
    for name, value in (("kind", kind), ("state", state)):
        if value is not None and not isinstance(value, str):
            raise InvalidInputError(f"{name} must be a string or None")
    if limit is not None and (type(limit) is not int or not 0 <= limit <= MAX_INT64):
        raise InvalidInputError("limit must be a non-negative int or None")
    return None if due_before is None else ensure_aware(due_before, "due_before")


def check_version(version: object) -> int | None:
    """Validate the ``version`` argument of ``load``."""
    if version is not None and (type(version) is not int or not 1 <= version <= MAX_INT64):
        raise InvalidInputError("version must be a positive int or None")
    return version if isinstance(version, int) else None


class ThreadConnections(Generic[C]):
    """The connections a store opened, one per thread, closed when their thread has ended.

    A store keeps one connection per thread (drivers' connections are not thread-safe). With a
    thread per request, holding every connection until ``close()`` would grow open files or
    server connections without bound, so each ``add`` first closes the connections of threads
    that have ended. ``closer`` must not raise for a connection that is already closed.
    """

    def __init__(self, closer: Callable[[C], None]) -> None:
        self._closer = closer
        self._lock = threading.Lock()
        self._entries: list[tuple[weakref.ref[threading.Thread], int, C]] = []

    def add(self, conn: C) -> C:
        """Register ``conn`` as the current thread's; close those of ended threads."""
        with self._lock:
            alive = []
            for owner, pid, other in self._entries:
                thread = owner()
                if pid == os.getpid() and (thread is None or not thread.is_alive()):
                    self._closer(other)
                else:
                    alive.append((owner, pid, other))
            alive.append((weakref.ref(threading.current_thread()), os.getpid(), conn))
            self._entries = alive
        return conn

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def close_all(self) -> None:
        """Close every registered connection opened by this process (never a parent's)."""
        with self._lock:
            entries, self._entries = self._entries, []
        for _, pid, conn in entries:
            if pid == os.getpid():
                self._closer(conn)


def find_query(
    table: str,
    placeholder: str,
    kind: str | None,
    state: str | None,
    before: object | None,
    limit: int | None,
) -> tuple[str, list[object]]:
    """The SQL and parameters of ``find`` for a store whose driver uses ``placeholder``.

    ``before`` is passed as the driver stores ``next_due_at`` (an ISO string, a datetime).
    Only the fixed ``table`` and ``placeholder`` enter the text; every value is a parameter.

    Examples:
        >>> find_query("ws_cases", "?", "ticket", None, None, 10)
        ('SELECT case_id FROM ws_cases WHERE kind = ? ORDER BY case_id LIMIT ?', ['ticket', 10])
    """
    clauses: list[str] = []
    params: list[object] = []
    if kind is not None:
        clauses.append(f"kind = {placeholder}")
        params.append(kind)
    if state is not None:
        clauses.append(f"state = {placeholder}")
        params.append(state)
    if before is not None:
        clauses.append(f"next_due_at IS NOT NULL AND next_due_at < {placeholder}")
        params.append(before)
    query = f"SELECT case_id FROM {table}"  # noqa: S608 - table and placeholder are constants
    if clauses:
        query += " WHERE " + " AND ".join(clauses)
    query += " ORDER BY next_due_at, case_id" if before is not None else " ORDER BY case_id"
    if limit is not None:
        query += f" LIMIT {placeholder}"
        params.append(limit)
    return query, params
