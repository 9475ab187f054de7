"""[SqliteStore][walletsupport.adapters.SqliteStore]: the embedded default store (stdlib sqlite3).

Layout (two tables):

* ``ws_cases``: one row per case with the current ``kind``, ``state``, ``version`` and
  ``next_due_at`` (indexed, for "which cases are due before T" and "which cases are in state S");
* ``ws_versions``: one row per version, primary key ``(case_id, version)`` and
  ``UNIQUE (case_id, idempotency_key)``, holding that version's header (state, data, times)
  and its audit entry as JSON.

Every save is one ``BEGIN IMMEDIATE`` transaction that checks the stored version, updates the
case row and inserts the version row, so a crash never leaves a partial save and two writers
never both win: the loser gets ``ConcurrencyConflictError``. The database runs in WAL mode with
a busy timeout, so threads (one connection per thread) and processes can share one file.

Examples:
    >>> store = SqliteStore(":memory:")
    >>> store.find()
    []
    >>> store.close()
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from os import PathLike
from typing import Any

from walletsupport.adapters._common import (
    ThreadConnections,
    check_find,
    check_save,
    check_version,
    find_query,
)
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    StorageError,
)
from walletsupport.workflows.audit import AuditEntry
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["SqliteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ws_cases (
    case_id     TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    next_due_at TEXT,
    updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ws_cases_kind_state ON ws_cases (kind, state);
CREATE INDEX IF NOT EXISTS ws_cases_state ON ws_cases (state);
CREATE INDEX IF NOT EXISTS ws_cases_next_due ON ws_cases (next_due_at)
    WHERE next_due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS ws_versions (
    case_id         TEXT NOT NULL REFERENCES ws_cases (case_id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    idempotency_key TEXT,
    header          TEXT NOT NULL,
    entry           TEXT NOT NULL,
    PRIMARY KEY (case_id, version),
    UNIQUE (case_id, idempotency_key)
) WITHOUT ROWID;
"""

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


def _instant(value: datetime) -> str:
    """A UTC timestamp whose text order is its time order."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _close(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()


class SqliteStore:
    """A [WorkflowStore][walletsupport.ports.WorkflowStore] in one SQLite file.

    Args:
        path: the database file (created if missing), or ``":memory:"`` for a private
            in-memory database (then one connection is shared by all threads, under a lock).
        timeout: seconds to wait for another writer's lock before failing.
        synchronous: SQLite's ``synchronous`` pragma: ``"NORMAL"`` (default; in WAL mode a
            commit survives an application crash, the last commits may be lost on power
            loss) or ``"FULL"`` (durable against power loss, slower).

    Raises:
        InvalidInputError: a bad argument.
        StorageError: the database cannot be opened or initialised.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> store = SqliteStore(":memory:")
        >>> s = WorkflowService(store, FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc)))
        >>> _ = s.open("ticket", {"subject": "hi"}, case_id="T-1", actor="customer")
        >>> store.load("T-1").state, store.find(state="new")
        ('new', ['T-1'])
        >>> store.close()
    """

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        timeout: float = 30.0,
        synchronous: str = "NORMAL",
    ) -> None:
        if not isinstance(path, (str, PathLike)):
            raise InvalidInputError("path must be a string or path-like")
        if "\x00" in str(path):
            raise InvalidInputError("path must not contain a NUL character")
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
            raise InvalidInputError("timeout must be a non-negative number of seconds")
        if synchronous not in _SYNCHRONOUS:
            raise InvalidInputError(f"synchronous must be one of {', '.join(_SYNCHRONOUS)}")
        self._path = str(path)
        self._timeout = float(timeout)
        self._synchronous = synchronous
        self._memory = self._path == ":memory:" or self._path.startswith("file::memory:")
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        self._shared_lock = threading.RLock()
        self._connections: ThreadConnections[sqlite3.Connection] = ThreadConnections(_close)
        self._closed = False
        conn = self._connect()
        try:
            conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot initialise the case database: {exc}") from exc

    # --- connections -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            # Each connection is used by one thread (or under a lock, for :memory:); it may be
            # closed from another thread once its own has ended, hence check_same_thread=False.
            conn = sqlite3.connect(
                self._path,
                timeout=self._timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            if not self._memory:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the case database: {exc}") from exc
        return self._connections.add(conn)

    def _connect(self) -> sqlite3.Connection:
        if self._closed:
            raise StorageError("this SqliteStore is closed")
        if self._memory:
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close every connection this store opened; using the store afterwards is a StorageError.

        Examples:
            >>> SqliteStore(":memory:").close()
        """
        self._closed = True
        self._connections.close_all()
        self._shared = None
        self._local = threading.local()

    # --- reads -------------------------------------------------------------------------------

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        """The case at its newest version, or at ``version``.

        Raises:
            CaseNotFoundError: no such case or version.
            StorageError: the database failed.

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.load("nope")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'nope'
            >>> store.close()
        """
        wanted = check_version(version)
        if not isinstance(case_id, str):
            raise CaseNotFoundError(str(case_id))
        with self._shared_lock if self._memory else _NULL:
            conn = self._connect()
            try:
                conn.execute("BEGIN")
                try:
                    if wanted is None:
                        row = conn.execute(
                            "SELECT version FROM ws_cases WHERE case_id = ?", (case_id,)
                        ).fetchone()
                        if row is None:
                            raise CaseNotFoundError(case_id)
                        wanted = int(row[0])
                    rows = conn.execute(
                        "SELECT header, entry FROM ws_versions "
                        "WHERE case_id = ? AND version <= ? ORDER BY version",
                        (case_id, wanted),
                    ).fetchall()
                finally:
                    conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(f"cannot load case {case_id!r}: {exc}") from exc
        if len(rows) != wanted or not rows:
            raise CaseNotFoundError(case_id if version is None else f"{case_id}@{version}")
        try:
            header: dict[str, Any] = json.loads(rows[-1][0])
            header["audit"] = [json.loads(entry) for _, entry in rows]
            return CaseSnapshot.model_validate(header)
        except (ValueError, InvalidInputError) as exc:  # JSONDecodeError is a ValueError
            raise StorageError(
                f"case {case_id!r} is stored in a form this version cannot read"
            ) from exc

    def find(
        self,
        *,
        kind: str | None = None,
        state: str | None = None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Ids of matching cases (earliest ``next_due_at`` first when ``due_before`` is given).

        Raises:
            InvalidInputError: a bad filter.
            StorageError: the database failed.

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.find(kind="ticket", state="open", limit=10)
            []
            >>> store.close()
        """
        before = check_find(kind, state, due_before, limit)
        instant = None if before is None else _instant(before)
        sql, params = find_query("ws_cases", "?", kind, state, instant, limit)
        with self._shared_lock if self._memory else _NULL:
            try:
                rows = self._connect().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StorageError(f"cannot query cases: {exc}") from exc
        return [str(r[0]) for r in rows]

    # --- writes ------------------------------------------------------------------------------

    def save(self, snapshot: CaseSnapshot, *, expected_version: int) -> None:
        """Store ``snapshot`` in one transaction if the stored version is ``expected_version``.

        Raises:
            InvalidInputError: ``snapshot.version`` is not ``expected_version + 1``.
            CaseAlreadyExistsError: creating a case whose id is taken.
            CaseNotFoundError: updating a case that does not exist.
            ConcurrencyConflictError: the stored version is not ``expected_version``.
            IdempotencyKeyReusedError: the new entry's key is already used in this case.
            StorageError: the database failed (nothing was written).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.clock import FixedClock
            >>> from walletsupport.workflows import WorkflowService
            >>> store = SqliteStore(":memory:")
            >>> s = WorkflowService(store, FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc)))
            >>> first = s.open("ticket", {"subject": "hi"}, case_id="T-1", actor="customer")
            >>> store.save(first, expected_version=0)
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseAlreadyExistsError: case 'T-1' already exists
            >>> store.close()
        """
        snapshot = check_save(snapshot, expected_version)
        entry = snapshot.audit[-1]
        header = snapshot.model_dump_json(exclude={"audit"})
        entry_json = entry.model_dump_json()
        due = None if snapshot.next_due_at is None else _instant(snapshot.next_due_at)
        with self._shared_lock if self._memory else _NULL:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StorageError(f"cannot start a transaction: {exc}") from exc
            try:
                self._write(conn, snapshot, expected_version, entry, header, entry_json, due)
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise StorageError(f"cannot commit case {snapshot.id!r}: {exc}") from exc

    @staticmethod
    def _write(
        conn: sqlite3.Connection,
        snapshot: CaseSnapshot,
        expected_version: int,
        entry: AuditEntry,
        header: str,
        entry_json: str,
        due: str | None,
    ) -> None:
        try:
            row = conn.execute(
                "SELECT version FROM ws_cases WHERE case_id = ?", (snapshot.id,)
            ).fetchone()
            if expected_version == 0:
                if row is not None:
                    raise CaseAlreadyExistsError(snapshot.id)
                conn.execute(
                    "INSERT INTO ws_cases (case_id, kind, state, version, next_due_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        snapshot.id,
                        snapshot.kind,
                        snapshot.state,
                        snapshot.version,
                        due,
                        _instant(snapshot.updated_at),
                    ),
                )
            else:
                if row is None:
                    raise CaseNotFoundError(snapshot.id)
                if int(row[0]) != expected_version:
                    raise ConcurrencyConflictError(
                        case_id=snapshot.id,
                        expected_version=expected_version,
                        actual_version=int(row[0]),
                    )
                conn.execute(
                    "UPDATE ws_cases SET state = ?, version = ?, next_due_at = ?, updated_at = ?"
                    " WHERE case_id = ? AND version = ?",
                    (
                        snapshot.state,
                        snapshot.version,
                        due,
                        _instant(snapshot.updated_at),
                        snapshot.id,
                        expected_version,
                    ),
                )
            conn.execute(
                "INSERT INTO ws_versions (case_id, version, idempotency_key, header, entry)"
                " VALUES (?, ?, ?, ?, ?)",
                (snapshot.id, snapshot.version, entry.idempotency_key, header, entry_json),
            )
        except sqlite3.IntegrityError as exc:
            if entry.idempotency_key is not None and "idempotency_key" in str(exc):
                raise IdempotencyKeyReusedError(
                    case_id=snapshot.id, idempotency_key=entry.idempotency_key
                ) from exc
            raise ConcurrencyConflictError(
                case_id=snapshot.id, expected_version=expected_version, actual_version=None
            ) from exc
        except sqlite3.Error as exc:
            raise StorageError(f"cannot save case {snapshot.id!r}: {exc}") from exc

    def __repr__(self) -> str:
        return f"SqliteStore({self._path!r})"


class _NullLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NULL = _NullLock()
