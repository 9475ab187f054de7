"""[SqliteStore][walletsupport.adapters.SqliteStore]: the embedded default store (stdlib sqlite3).

Layout (schema version 3, kept in ``PRAGMA user_version``):

* ``ws_cases``: one row per case with the current ``kind``, ``state``, ``version`` and
  ``next_due_at`` (indexed, for "which cases are due before T" and "which cases are in state S");
* ``ws_versions``: one row per version, primary key ``(case_id, version)`` and
  ``UNIQUE (case_id, idempotency_key)``, holding that version's header (state, data, times),
  its audit entry as JSON, and a SHA-256 checksum of both;
* ``ws_deadline_claims`` (version 3): the leases and progress of the deadline runners, one row
  per case they have seen (``claim_due`` / ``release_claim``).

Loading reads two rows (the case row and its newest version row) whatever the length of the
history; ``audit()`` pages the trail; ``entry_for_key()`` reads the idempotency index. Every row
read is checked: a row that does not match its checksum, or a case row that disagrees with its
versions, is a ``StorageError`` naming the case, never stale data.

Every save is one ``BEGIN IMMEDIATE`` transaction that checks the stored version, updates the
case row and inserts the version row, so a crash never leaves a partial save and two writers
never both win: the loser gets ``ConcurrencyConflictError``. The database runs in WAL mode with
a busy timeout, so threads (one connection per thread) and processes can share one file.
Opening a database written by an earlier version migrates it (``migrate()``).

Examples:
    >>> store = SqliteStore(":memory:")
    >>> store.find(), store.schema_version()
    ([], 3)
    >>> store.close()
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from os import PathLike

from walletsupport.adapters import _claims
from walletsupport.adapters._common import (
    ThreadConnections,
    case_key,
    check_find,
    check_page,
    check_save,
    check_text,
    check_version,
    corrupt,
    encode,
    entries_of,
    entry_of,
    find_query,
    snapshot_of,
    upgrade_rows,
)
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    StorageError,
)
from walletsupport.workflows._claims import DeadlineClaim
from walletsupport.workflows.audit import AuditEntry
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["SqliteStore"]

#: The schema version this library writes and reads (3 added ``ws_deadline_claims``).
SCHEMA_VERSION = 3

_TABLES = (
    """CREATE TABLE IF NOT EXISTS ws_cases (
    case_id     TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    next_due_at TEXT,
    updated_at  TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS ws_cases_kind_state ON ws_cases (kind, state)",
    "CREATE INDEX IF NOT EXISTS ws_cases_state ON ws_cases (state)",
    """CREATE INDEX IF NOT EXISTS ws_cases_next_due ON ws_cases (next_due_at)
    WHERE next_due_at IS NOT NULL""",
    _claims.SQLITE_TABLE,
    """CREATE TABLE IF NOT EXISTS ws_versions (
    case_id         TEXT NOT NULL REFERENCES ws_cases (case_id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    idempotency_key TEXT,
    header          TEXT NOT NULL,
    entry           TEXT NOT NULL,
    checksum        TEXT NOT NULL,
    PRIMARY KEY (case_id, version),
    UNIQUE (case_id, idempotency_key)
) WITHOUT ROWID""",
)

_LOAD = """
SELECT c.version, c.kind, c.state,
       (SELECT MAX(version) FROM ws_versions WHERE case_id = :id),
       v.version, v.header, v.entry, v.checksum
FROM ws_cases c
LEFT JOIN ws_versions v ON v.case_id = c.case_id AND v.version = COALESCE(:wanted, c.version)
WHERE c.case_id = :id
"""

_BY_KEY = """
SELECT c.version, v.version, v.header, v.entry, v.checksum
FROM ws_cases c
LEFT JOIN ws_versions v ON v.case_id = c.case_id AND v.idempotency_key = :key
WHERE c.case_id = :id
"""

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


def _instant(value: datetime) -> str:
    """A UTC timestamp whose text order is its time order."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _close(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()


@contextlib.contextmanager
def _driver(what: str, case_id: str | None = None) -> Iterator[None]:
    """Turn driver failures into ``StorageError``; undecodable text is corruption."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"{what}: {exc}") from exc
    except UnicodeError:
        if case_id is None:
            raise StorageError(f"{what}: the database holds undecodable text") from None
        raise corrupt(case_id, "a row holds undecodable text") from None


#: The longest busy timeout accepted (a day); beyond it a caller has made a mistake.
_MAX_TIMEOUT = 86_400.0


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
        StorageError: the database cannot be opened, initialised or migrated.

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
        check_text(str(path), "path")
        if "\x00" in str(path):
            raise InvalidInputError("path must not contain a NUL character")
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, (int, float))
            or not 0 <= timeout <= _MAX_TIMEOUT
        ):
            raise InvalidInputError(
                f"timeout must be a number of seconds from 0 to {_MAX_TIMEOUT:g}"
            )
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
        self.migrate()

    # --- connections -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        with _driver("cannot open the case database"):
            # Each connection is used by one thread (or under a lock, for :memory:); it may be
            # closed from another thread once its own has ended, hence check_same_thread=False.
            conn = sqlite3.connect(
                self._path,
                timeout=self._timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                if not self._memory:
                    conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f"PRAGMA synchronous={self._synchronous}")
                conn.execute("PRAGMA foreign_keys=ON")
            except BaseException:
                _close(conn)
                raise
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

    def _guard(self) -> contextlib.AbstractContextManager[object]:
        return self._shared_lock if self._memory else contextlib.nullcontext()

    def close(self) -> None:
        """Close every connection this store opened; using the store afterwards is a StorageError.

        Examples:
            >>> SqliteStore(":memory:").close()
        """
        self._closed = True
        self._connections.close_all()
        self._shared = None
        self._local = threading.local()

    # --- schema ------------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the database (``PRAGMA user_version``).

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.schema_version() == SCHEMA_VERSION
            True
            >>> store.close()
        """
        with self._guard(), _driver("cannot read the schema version"):
            row = self._connect().execute("PRAGMA user_version").fetchone()
        return int(row[0])

    def migrate(self) -> int:
        """Bring the database to ``SCHEMA_VERSION`` in one transaction; return that version.

        Version 1 (walletsupport 0.1) had no checksums: migrating computes one for every
        version row and fills what snapshots now carry (a ticket's SLA pauses, from its
        audit trail). Idempotent; a database newer than this library is refused. Run on open.

        Raises:
            StorageError: the database failed, or is newer than this library.

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.migrate()
            3
            >>> store.close()
        """
        with self._guard():
            conn = self._connect()
            with _driver("cannot initialise the case database"):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
                    if current > SCHEMA_VERSION:
                        raise StorageError(
                            f"the case database has schema version {current}; this "
                            f"walletsupport reads up to {SCHEMA_VERSION}: upgrade walletsupport"
                        )
                    if current < SCHEMA_VERSION:
                        self._upgrade(conn)
                        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        return SCHEMA_VERSION

    @staticmethod
    def _upgrade(conn: sqlite3.Connection) -> None:
        columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(ws_versions)")}
        if columns and "checksum" not in columns:  # a version 1 database
            conn.execute("ALTER TABLE ws_versions ADD COLUMN checksum TEXT NOT NULL DEFAULT ''")
            ids = [str(r[0]) for r in conn.execute("SELECT case_id FROM ws_cases")]
            for case_id in ids:
                rows = conn.execute(
                    "SELECT version, header, entry FROM ws_versions WHERE case_id = ?"
                    " ORDER BY version",
                    (case_id,),
                ).fetchall()
                conn.executemany(
                    "UPDATE ws_versions SET header = ?, entry = ?, checksum = ?"
                    " WHERE case_id = ? AND version = ?",
                    upgrade_rows(case_id, rows),
                )
        for statement in _TABLES:
            conn.execute(statement)

    # --- reads -------------------------------------------------------------------------------

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        """The case at its newest version, or at ``version`` (two rows read, checked).

        Raises:
            CaseNotFoundError: no such case or version.
            StorageError: the database failed, or the case's rows are corrupt.

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.load("nope")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'nope'
            >>> store.close()
        """
        wanted = check_version(version)
        case_id = case_key(case_id)
        with self._guard(), _driver(f"cannot load case {case_id!r}", case_id):
            row = self._connect().execute(_LOAD, {"id": case_id, "wanted": wanted}).fetchone()
        return snapshot_of(case_id, wanted, row)

    def audit(self, case_id: str, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """The entries above version ``after``, oldest first, at most ``limit`` (checked).

        Raises:
            CaseNotFoundError: no such case.
            InvalidInputError: a bad ``after`` or ``limit``.
            StorageError: the database failed, or a row is corrupt.

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.audit("nope")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'nope'
            >>> store.close()
        """
        start, limit = check_page(after, limit)
        case_id = case_key(case_id)
        with self._guard(), _driver(f"cannot read the audit of case {case_id!r}", case_id):
            conn = self._connect()
            rows = conn.execute(
                "SELECT version, header, entry, checksum FROM ws_versions"
                " WHERE case_id = ? AND version > ? ORDER BY version LIMIT ?",
                (case_id, start, -1 if limit is None else limit),
            ).fetchall()
            if not rows:
                exists = conn.execute(
                    "SELECT 1 FROM ws_cases WHERE case_id = ?", (case_id,)
                ).fetchone()
                if exists is None:
                    raise CaseNotFoundError(case_id)
        return entries_of(case_id, start, rows)

    def entry_for_key(self, case_id: str, idempotency_key: str) -> AuditEntry | None:
        """The entry recorded under ``idempotency_key``, or ``None`` (one indexed read).

        Raises:
            CaseNotFoundError: no such case.
            StorageError: the database failed, or the row is corrupt.

        Examples:
            >>> store = SqliteStore(":memory:")
            >>> store.entry_for_key("nope", "k")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'nope'
            >>> store.close()
        """
        case_id = case_key(case_id)
        if not isinstance(idempotency_key, str):
            return None
        check_text(idempotency_key, "idempotency key")
        with self._guard(), _driver(f"cannot load case {case_id!r}", case_id):
            row = (
                self._connect().execute(_BY_KEY, {"id": case_id, "key": idempotency_key}).fetchone()
            )
        return entry_of(case_id, idempotency_key, row)

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
        for name, value in (("kind", kind), ("state", state)):
            if value is not None:
                check_text(value, name)
        instant = None if before is None else _instant(before)
        sql, params = find_query("ws_cases", "?", kind, state, instant, limit)
        with self._guard(), _driver("cannot query cases"):
            rows = self._connect().execute(sql, params).fetchall()
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
        header, entry_json, stored_sum = encode(snapshot)
        due = None if snapshot.next_due_at is None else _instant(snapshot.next_due_at)
        with self._guard():
            conn = self._connect()
            with _driver("cannot start a transaction"):
                conn.execute("BEGIN IMMEDIATE")
            try:
                self._write(
                    conn, snapshot, expected_version, entry, (header, entry_json, stored_sum), due
                )
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
        row: tuple[str, str, str],
        due: str | None,
    ) -> None:
        try:
            found = conn.execute(
                "SELECT version FROM ws_cases WHERE case_id = ?", (snapshot.id,)
            ).fetchone()
            if expected_version == 0:
                if found is not None:
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
                if found is None:
                    raise CaseNotFoundError(snapshot.id)
                if int(found[0]) != expected_version:
                    raise ConcurrencyConflictError(
                        case_id=snapshot.id,
                        expected_version=expected_version,
                        actual_version=int(found[0]),
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
                "INSERT INTO ws_versions"
                " (case_id, version, idempotency_key, header, entry, checksum)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (snapshot.id, snapshot.version, entry.idempotency_key, *row),
            )
        except sqlite3.IntegrityError as exc:
            if entry.idempotency_key is not None and "idempotency_key" in str(exc):
                raise IdempotencyKeyReusedError(
                    case_id=snapshot.id, idempotency_key=entry.idempotency_key
                ) from exc
            if "ws_versions.case_id, ws_versions.version" in str(exc):
                raise corrupt(snapshot.id, "the case row is behind its versions") from exc
            raise ConcurrencyConflictError(
                case_id=snapshot.id, expected_version=expected_version, actual_version=None
            ) from exc
        except sqlite3.Error as exc:
            raise StorageError(f"cannot save case {snapshot.id!r}: {exc}") from exc
        except UnicodeError:
            raise corrupt(snapshot.id, "a row holds undecodable text") from None

    # --- deadline claims (DeadlineClaimStore) -------------------------------------------------

    def claim_due(
        self, *, at: datetime, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[DeadlineClaim]:
        """Lease up to ``limit`` due cases to ``owner`` (one ``BEGIN IMMEDIATE`` transaction:
        concurrent claimers, in any process, are serialised and never share a case).

        Raises:
            InvalidInputError: a bad argument.
            StorageError: the database failed (nothing was claimed).

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> store = SqliteStore(":memory:")
            >>> store.claim_due(at=t, now=t, owner="w1", lease_until=t, limit=10)
            []
            >>> store.close()
        """
        args = _claims.check_claim(at, now, owner, lease_until, limit)
        params = {
            "at": _instant(args.at),
            "now": _instant(args.now),
            "limit": args.limit,
        }
        with self._guard():
            conn = self._connect()
            with _driver("cannot claim due cases"):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    rows = conn.execute(_claims.SQLITE_CANDIDATES, params).fetchall()
                    conn.executemany(
                        _claims.SQLITE_LEASE,
                        [
                            {
                                "id": r[0],
                                "owner": args.owner,
                                "until": _instant(args.lease_until),
                                "version": r[1],
                            }
                            for r in rows
                        ],
                    )
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        return [_claims.claim_from(tuple(r), args.owner, args.lease_until) for r in rows]

    def release_claim(
        self,
        claim: DeadlineClaim,
        *,
        seen_version: int,
        handled_through: datetime | None,
        wake_at: datetime | None,
        failures: int,
        retry_at: datetime | None = None,
    ) -> bool:
        """End ``claim``'s lease and record what its runner handled (one statement).

        Raises:
            InvalidInputError: a bad argument.
            StorageError: the database failed.
        """
        args = _claims.check_release(
            claim, seen_version, handled_through, wake_at, failures, retry_at
        )

        def text(value: datetime | None) -> str | None:
            return None if value is None else _instant(value)

        params = {
            "retry": text(args.retry_at),
            "seen": args.seen_version,
            "handled": text(args.handled_through),
            "wake": text(args.wake_at),
            "failures": args.failures,
            "id": args.claim.case_id,
            "owner": args.claim.owner,
        }
        with self._guard(), _driver(f"cannot release case {args.claim.case_id!r}"):
            cursor = self._connect().execute(_claims.SQLITE_RELEASE, params)
        return cursor.rowcount == 1

    def __repr__(self) -> str:
        return f"SqliteStore({self._path!r})"
