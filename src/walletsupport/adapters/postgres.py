"""[PostgresStore][walletsupport.adapters.postgres.PostgresStore]: cases in a shared PostgreSQL.

For many stateless service instances on many machines sharing one database. Needs the
``postgres`` extra (``pip install 'walletsupport[postgres]'``, psycopg 3).

* **Schema.** The library owns it:
  [migrate()][walletsupport.adapters.postgres.PostgresStore.migrate] applies numbered
  plain-SQL migrations in one transaction under an advisory lock, records them in
  ``<schema>.ws_schema_migrations`` and is idempotent. The store migrates when
  constructed unless ``migrate=False`` (then run ``migrate()`` from a deploy step).
* **One save, one statement.** A save is a single ``UPDATE ... WHERE version = expected``
  (or ``INSERT ... ON CONFLICT DO NOTHING`` for a new case) chained, in the same statement,
  to the ``INSERT`` of the version row that holds the header and its audit entry. The case
  row and its audit entry are therefore written together or not at all; a writer holding a
  stale version updates nothing and gets
  [ConcurrencyConflictError][walletsupport.errors.ConcurrencyConflictError].
  ``UNIQUE (case_id, idempotency_key)`` makes idempotency keys unique per case.
* **Connections.** A DSN (the store opens one connection per thread and process), an open
  ``psycopg.Connection`` (shared under a lock; never closed by the store), or a pool: any
  object whose ``connection()`` returns a context manager yielding a ``psycopg.Connection``,
  such as ``psycopg_pool.ConnectionPool``.
* **Errors.** Driver failures raise [StorageError][walletsupport.errors.StorageError] chained
  from the psycopg error. Passwords never appear in messages, reprs or logs: the store keeps
  the DSN in a masked holder and scrubs it from any driver message it chains.

Why plain SQL and no ORM: the store has two tables and five statements; the statements *are*
the concurrency design (conditional update, unique constraints, one-statement save), which an
ORM would hide behind a unit of work and an extra dependency.

Examples:
    >>> store = PostgresStore("postgresql://app:s3cret@127.0.0.1:1/cases", migrate=False)
    >>> store
    PostgresStore(target='host=127.0.0.1 port=1 dbname=cases user=app', schema='walletsupport')
    >>> SCHEMA_VERSION
    3
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from types import TracebackType
from typing import Any, Final, Protocol, runtime_checkable

from walletsupport.adapters import _claims
from walletsupport.adapters._common import (
    ThreadConnections,
    case_key,
    check_find,
    check_page,
    check_save,
    check_text,
    check_version,
    encode,
    entries_of,
    entry_of,
    find_query,
    snapshot_of,
    upgrade_rows,
)
from walletsupport.adapters._postgres_schema import (
    IDEMPOTENCY_CONSTRAINT,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    SCHEMA_VERSION,
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

try:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    from psycopg.pq import TransactionStatus
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "PostgresStore needs psycopg 3: pip install 'walletsupport[postgres]'"
    ) from exc

__all__ = ["SCHEMA_VERSION", "ConnectionPoolLike", "PostgresStore"]

_log = logging.getLogger(__name__)

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SHOWN_PARAMS: Final = ("host", "hostaddr", "port", "dbname", "user")
#: Patterns that look like a password in free text (a DSN echoed by a driver message).
_PASSWORD_PATTERNS: Final = (
    re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE),
    re.compile(r"(://[^:/@\s]*:)([^@\s]*)(@)"),
)
_MIN_SCRUBBED_LENGTH: Final = 3


@runtime_checkable
class ConnectionPoolLike(Protocol):
    """What [PostgresStore][walletsupport.adapters.postgres.PostgresStore] needs of a pool.

    ``connection()`` returns a context manager that lends a ``psycopg.Connection`` and takes
    it back on exit, as ``psycopg_pool.ConnectionPool.connection()`` does. The store runs
    each operation inside ``connection.transaction()`` on the lent connection.

    Examples:
        >>> class NoPool:
        ...     pass
        >>> isinstance(NoPool(), ConnectionPoolLike)
        False
    """

    def connection(self) -> AbstractContextManager[Any]:
        """Lend a connection for the duration of a ``with`` block."""
        ...


class _Secret:
    """Holds a connection string; its repr never shows it (frames, debuggers, error reports)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "'***'"


def _scrub(text: str, password: str | None) -> str:
    """``text`` with every password-looking part replaced by ``***``."""
    if password and len(password) >= _MIN_SCRUBBED_LENGTH:
        text = text.replace(password, "***")
    for pattern in _PASSWORD_PATTERNS:
        text = pattern.sub(_mask_match, text)
    return text


def _mask_match(match: re.Match[str]) -> str:
    """Keep the text around a password-looking group; mask the group itself."""
    tail = match.group(3) if match.lastindex == 3 else ""
    return f"{match.group(1)}***{tail}"


def _describe(params: dict[str, Any]) -> str:
    """``host=... port=... dbname=... user=...`` (never the password)."""
    return " ".join(f"{k}={params[k]}" for k in _SHOWN_PARAMS if params.get(k) not in (None, ""))


def _lock_key(schema: str) -> int:
    """A stable advisory-lock key for migrating ``schema``."""
    digest = hashlib.sha256(f"walletsupport.migrate:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _close(conn: psycopg.Connection[Any]) -> None:
    with contextlib.suppress(psycopg.Error):
        conn.close()


class PostgresStore:
    """A [WorkflowStore][walletsupport.ports.WorkflowStore] in a PostgreSQL database.

    Args:
        source: a DSN (``"postgresql://user:pw@host:5432/db"`` or ``"host=... dbname=..."``),
            an open ``psycopg.Connection``, or a pool (see
            [ConnectionPoolLike][walletsupport.adapters.postgres.ConnectionPoolLike]). A
            connection or pool stays yours:
            [close()][walletsupport.adapters.postgres.PostgresStore.close] leaves it open.
            On a connection that is not in autocommit mode and already inside a
            transaction, a save joins that transaction and is durable only when you commit.
        schema: the PostgreSQL schema holding the tables (lowercase letters, digits, ``_``);
            several independent stores can share a database under different schemas.
        migrate: run [migrate()][walletsupport.adapters.postgres.PostgresStore.migrate] now.
            With ``False`` the constructor does no I/O.
        connect_timeout: seconds to wait for a new connection (a DSN's own
            ``connect_timeout`` wins).

    Raises:
        InvalidInputError: a bad argument (an unparsable DSN is described, never quoted).
        StorageError: ``migrate=True`` and the database cannot be reached or migrated.

    Examples:
        >>> store = PostgresStore("host=db.internal dbname=cases user=app password=s3cret",
        ...                       schema="support", migrate=False)
        >>> "s3cret" in repr(store)
        False
        >>> from walletsupport.errors import StorageError
        >>> try:
        ...     PostgresStore("postgresql://app:s3cret@127.0.0.1:1/cases", connect_timeout=2)
        ... except StorageError as exc:
        ...     print(str(exc)[:75], "s3cret" in str(exc))
        cannot migrate schema 'walletsupport' at host=127.0.0.1 port=1 dbname=cases False
    """

    def __init__(
        self,
        source: str | psycopg.Connection[Any] | ConnectionPoolLike,
        *,
        schema: str = "walletsupport",
        migrate: bool = True,
        connect_timeout: int = 10,
    ) -> None:
        if not isinstance(schema, str) or not _SCHEMA_NAME.match(schema):
            raise InvalidInputError(
                "schema must be 1-63 characters: lowercase letters, digits and '_', "
                "not starting with a digit"
            )
        if type(connect_timeout) is not int or connect_timeout < 1:
            raise InvalidInputError("connect_timeout must be a positive int of seconds")
        if not isinstance(migrate, bool):
            raise InvalidInputError("migrate must be a bool")
        self._schema = schema
        self._ident = sql.Identifier(schema)
        self._conninfo: _Secret | None = None
        self._password: _Secret | None = None
        self._conn: psycopg.Connection[Any] | None = None
        self._pool: ConnectionPoolLike | None = None
        self._lock = threading.RLock()
        self._local = threading.local()
        self._owned: ThreadConnections[psycopg.Connection[Any]] = ThreadConnections(_close)
        if isinstance(source, str):
            check_text(source, "the DSN")
            try:
                params = conninfo_to_dict(source)
            except psycopg.Error:
                raise InvalidInputError(
                    "the DSN cannot be parsed (it is not shown because it may hold a password)"
                ) from None
            password = params.get("password")
            self._password = None if password is None else _Secret(str(password))
            extra: dict[str, Any] = {}
            if "connect_timeout" not in params:
                extra["connect_timeout"] = connect_timeout
            if "application_name" not in params:
                extra["application_name"] = "walletsupport"
            self._conninfo = _Secret(make_conninfo(source, **extra))
            self._target = _describe(params)
        elif isinstance(source, psycopg.Connection):
            self._conn = source
            self._target = "connection " + _describe(source.info.get_parameters())
        elif isinstance(source, ConnectionPoolLike) and callable(source.connection):
            self._pool = source
            self._target = f"pool {type(source).__name__}"
        else:
            raise InvalidInputError(
                "source must be a DSN string, a psycopg.Connection or a pool with connection()"
            )
        if migrate:
            self.migrate()

    # --- connections -------------------------------------------------------------------------

    def _open(self) -> psycopg.Connection[Any]:
        assert self._conninfo is not None  # noqa: S101 - only called in DSN mode
        conn = psycopg.connect(self._conninfo.reveal(), autocommit=True)
        return self._owned.add(conn)

    def _own(self) -> psycopg.Connection[Any]:
        """This thread's connection (reopened after a fork or a broken connection)."""
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken or self._local.pid != os.getpid():
            conn = self._open()
            self._local.conn = conn
            self._local.pid = os.getpid()
        return conn

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        if self._pool is not None:
            with self._pool.connection() as conn:
                if not isinstance(conn, psycopg.Connection):
                    raise InvalidInputError("the pool lent something that is not a connection")
                yield conn
        elif self._conn is not None:
            with self._lock:
                yield self._conn
        else:
            yield self._own()

    @staticmethod
    def _atomic(conn: psycopg.Connection[Any]) -> AbstractContextManager[Any]:
        """A transaction block, skipped for one statement on an idle autocommit connection."""
        idle = conn.info.transaction_status == TransactionStatus.IDLE
        return nullcontext() if conn.autocommit and idle else conn.transaction()

    def _failure(self, what: str, exc: psycopg.Error) -> StorageError:
        """A StorageError for ``exc``; scrubs passwords from the driver's message in place."""
        password = None if self._password is None else self._password.reveal()
        seen: set[int] = set()
        link: BaseException | None = exc
        while link is not None and id(link) not in seen:  # the driver's whole chain
            seen.add(id(link))
            link.args = tuple(_scrub(a, password) if isinstance(a, str) else a for a in link.args)
            notes = getattr(link, "__notes__", None)
            if isinstance(notes, list):
                link.__notes__ = [_scrub(n, password) if isinstance(n, str) else n for n in notes]
            link = link.__cause__ or link.__context__
        first = (str(exc).strip().splitlines() or [""])[0]
        hint = ""
        if isinstance(exc, psycopg.errors.UndefinedTable):
            hint = " (has PostgresStore.migrate() been run for this schema?)"
        return StorageError(f"{what}: {type(exc).__name__}: {first}{hint}")

    def close(self) -> None:
        """Close the connections this store opened (a connection or pool you gave stays open).

        Examples:
            >>> PostgresStore("dbname=cases", migrate=False).close()
        """
        self._owned.close_all()  # never a parent's socket after a fork
        self._local = threading.local()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- schema ------------------------------------------------------------------------------

    @property
    def schema(self) -> str:
        """The PostgreSQL schema holding this store's tables.

        Examples:
            >>> PostgresStore("dbname=cases", schema="support", migrate=False).schema
            'support'
        """
        return self._schema

    def _q(self, template: str) -> sql.Composed:
        return sql.SQL(template).format(schema=self._ident)

    def migrate(self) -> int:
        """Bring the schema to [SCHEMA_VERSION][walletsupport.adapters.postgres.SCHEMA_VERSION].

        Creates the schema if missing and applies the migrations not yet recorded, all in one
        transaction holding an advisory lock, so concurrent callers (many instances starting
        at once) apply each migration exactly once. Calling it again changes nothing.

        Returns:
            The schema version now in effect.

        Raises:
            StorageError: the database failed, or its schema is newer than this library.

        Examples:
            >>> store = PostgresStore("postgresql://app:pw@127.0.0.1:1/x", migrate=False,
            ...                       connect_timeout=2)
            >>> store.migrate()  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            walletsupport.errors.StorageError: cannot migrate schema 'walletsupport' at ...
        """
        what = f"cannot migrate schema {self._schema!r} at {self._target}"
        applied: list[int] = []
        try:
            with self._connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(self._schema),))
                conn.execute(self._q("CREATE SCHEMA IF NOT EXISTS {schema}"))
                conn.execute(self._q(MIGRATIONS_TABLE))
                current = self._current_version(conn)
                if current > SCHEMA_VERSION:
                    raise StorageError(
                        f"{what}: the database is at schema version {current}, newer than "
                        f"this library's {SCHEMA_VERSION}; upgrade walletsupport"
                    )
                for migration in MIGRATIONS:
                    if migration.version <= current:
                        continue
                    for statement in migration.statements:
                        conn.execute(self._q(statement))
                    if migration.backfill:
                        self._backfill(conn)
                    conn.execute(
                        self._q(
                            "INSERT INTO {schema}.ws_schema_migrations (version, description)"
                            " VALUES (%s, %s)"
                        ),
                        (migration.version, migration.description),
                    )
                    applied.append(migration.version)
        except psycopg.Error as exc:
            raise self._failure(what, exc) from exc
        for number in applied:
            _log.info(
                "walletsupport: applied schema migration %d to %r at %s",
                number,
                self._schema,
                self._target,
            )
        return SCHEMA_VERSION

    def _backfill(self, conn: psycopg.Connection[Any]) -> None:
        """Rewrite every version row with its checksum (and what snapshots now carry)."""
        ids = [str(r[0]) for r in conn.execute(self._q("SELECT case_id FROM {schema}.ws_cases"))]
        for case_id in ids:
            rows = conn.execute(
                self._q(
                    "SELECT version, header::text, entry::text FROM {schema}.ws_versions"
                    " WHERE case_id = %s ORDER BY version"
                ),
                (case_id,),
            ).fetchall()
            with conn.cursor() as cursor:
                cursor.executemany(
                    self._q(
                        "UPDATE {schema}.ws_versions SET header = %s::json, entry = %s::json,"
                        " checksum = %s WHERE case_id = %s AND version = %s"
                    ),
                    upgrade_rows(case_id, rows),
                )

    def _current_version(self, conn: psycopg.Connection[Any]) -> int:
        row = conn.execute(
            self._q("SELECT coalesce(max(version), 0) FROM {schema}.ws_schema_migrations")
        ).fetchone()
        return int(row[0]) if row is not None else 0

    def schema_version(self) -> int:
        """The schema version recorded in the database (0: never migrated).

        Raises:
            StorageError: the database failed.

        Examples:
            >>> store = PostgresStore("postgresql://127.0.0.1:1/x", migrate=False,
            ...                       connect_timeout=2)
            >>> store.schema_version()  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            walletsupport.errors.StorageError: cannot read the schema version ...
        """
        try:
            with self._connection() as conn, self._atomic(conn):
                row = conn.execute(
                    "SELECT to_regclass(%s)",
                    (f'"{self._schema}".ws_schema_migrations',),
                ).fetchone()
                if row is None or row[0] is None:
                    return 0
                return self._current_version(conn)
        except psycopg.Error as exc:
            raise self._failure(f"cannot read the schema version at {self._target}", exc) from exc

    # --- reads -------------------------------------------------------------------------------

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        """The case at its newest version, or at ``version`` (one statement, one snapshot).

        Raises:
            CaseNotFoundError: no such case or version.
            StorageError: the database failed.

        Examples:
            >>> store = PostgresStore("dbname=cases", migrate=False)
            >>> store.load("T-1", version=0)
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: version must be a positive int or None
        """
        wanted = check_version(version)
        case_id = case_key(case_id)
        try:
            with self._connection() as conn, self._atomic(conn):
                row = conn.execute(
                    self._q(self._LOAD), {"id": case_id, "wanted": wanted}
                ).fetchone()
        except psycopg.Error as exc:
            raise self._failure(f"cannot load case {case_id!r}", exc) from exc
        return snapshot_of(case_id, wanted, row)

    _LOAD = """
        SELECT c.version, c.kind, c.state,
               (SELECT max(version) FROM {schema}.ws_versions WHERE case_id = %(id)s),
               v.version, v.header::text, v.entry::text, v.checksum
        FROM {schema}.ws_cases c
        LEFT JOIN {schema}.ws_versions v
            ON v.case_id = c.case_id AND v.version = coalesce(%(wanted)s::integer, c.version)
        WHERE c.case_id = %(id)s
        """

    _BY_KEY = """
        SELECT c.version, v.version, v.header::text, v.entry::text, v.checksum
        FROM {schema}.ws_cases c
        LEFT JOIN {schema}.ws_versions v
            ON v.case_id = c.case_id AND v.idempotency_key = %(key)s
        WHERE c.case_id = %(id)s
        """

    def audit(self, case_id: str, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """The entries above version ``after``, oldest first, at most ``limit`` (checked).

        Raises:
            CaseNotFoundError: no such case.
            InvalidInputError: a bad ``after`` or ``limit``.
            StorageError: the database failed, or a row is corrupt.

        Examples:
            >>> store = PostgresStore("dbname=cases", migrate=False)
            >>> store.audit("T-1", after=-1)
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: after must be a non-negative int
        """
        start, limit = check_page(after, limit)
        case_id = case_key(case_id)
        try:
            with self._connection() as conn, self._atomic(conn):
                rows = conn.execute(
                    self._q(
                        "SELECT version, header::text, entry::text, checksum"
                        " FROM {schema}.ws_versions WHERE case_id = %s AND version > %s"
                        " ORDER BY version LIMIT %s"
                    ),
                    (case_id, start, limit),
                ).fetchall()
                exists = bool(rows) or (
                    conn.execute(
                        self._q("SELECT 1 FROM {schema}.ws_cases WHERE case_id = %s"), (case_id,)
                    ).fetchone()
                    is not None
                )
        except psycopg.Error as exc:
            raise self._failure(f"cannot read the audit of case {case_id!r}", exc) from exc
        if not exists:
            raise CaseNotFoundError(case_id)
        return entries_of(case_id, start, rows)

    def entry_for_key(self, case_id: str, idempotency_key: str) -> AuditEntry | None:
        """The entry recorded under ``idempotency_key``, or ``None`` (one indexed read).

        Raises:
            CaseNotFoundError: no such case.
            StorageError: the database failed, or the row is corrupt.

        Examples:
            >>> store = PostgresStore("dbname=cases", migrate=False)
            >>> store.entry_for_key("T-\\ud800", "k")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'T-...ud800'
        """
        case_id = case_key(case_id)
        if not isinstance(idempotency_key, str):
            return None
        check_text(idempotency_key, "idempotency key")
        try:
            with self._connection() as conn, self._atomic(conn):
                row = conn.execute(
                    self._q(self._BY_KEY), {"id": case_id, "key": idempotency_key}
                ).fetchone()
        except psycopg.Error as exc:
            raise self._failure(f"cannot load case {case_id!r}", exc) from exc
        return entry_of(case_id, idempotency_key, row)

    def _find_query(
        self,
        kind: str | None,
        state: str | None,
        before: datetime | None,
        limit: int | None,
    ) -> tuple[sql.Composed, list[object]]:
        query, params = find_query("{schema}.ws_cases", "%s", kind, state, before, limit)
        return self._q(query), params

    def find(
        self,
        *,
        kind: str | None = None,
        state: str | None = None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Ids of matching cases (earliest ``next_due_at`` first when ``due_before`` is given).

        ``find(due_before=t, limit=n)`` is the scheduler's one query: it reads the partial
        index on ``next_due_at``.

        Raises:
            InvalidInputError: a bad filter.
            StorageError: the database failed.

        Examples:
            >>> from datetime import datetime
            >>> store = PostgresStore("dbname=cases", migrate=False)
            >>> store.find(due_before=datetime(2026, 1, 5))  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            walletsupport.errors.NaiveDatetimeError: ...
        """
        before = check_find(kind, state, due_before, limit)
        for name, value in (("kind", kind), ("state", state)):
            if value is not None:
                check_text(value, name)
        query, params = self._find_query(kind, state, before, limit)
        try:
            with self._connection() as conn, self._atomic(conn):
                rows = conn.execute(query, params).fetchall()
        except psycopg.Error as exc:
            raise self._failure("cannot query cases", exc) from exc
        return [str(r[0]) for r in rows]

    # --- writes ------------------------------------------------------------------------------

    _CREATE = """
        WITH new_case AS (
            INSERT INTO {schema}.ws_cases
                (case_id, kind, state, version, next_due_at, created_at, updated_at)
            VALUES (%(id)s, %(kind)s, %(state)s, %(version)s, %(due)s, %(created)s, %(updated)s)
            ON CONFLICT (case_id) DO NOTHING
            RETURNING case_id
        )
        INSERT INTO {schema}.ws_versions
            (case_id, version, idempotency_key, header, entry, checksum)
        SELECT case_id, %(version)s, %(key)s, %(header)s::json, %(entry)s::json, %(sum)s
        FROM new_case
        """

    _UPDATE = """
        WITH moved AS (
            UPDATE {schema}.ws_cases
            SET state = %(state)s, version = %(version)s, next_due_at = %(due)s,
                updated_at = %(updated)s
            WHERE case_id = %(id)s AND version = %(expected)s
            RETURNING case_id
        )
        INSERT INTO {schema}.ws_versions
            (case_id, version, idempotency_key, header, entry, checksum)
        SELECT case_id, %(version)s, %(key)s, %(header)s::json, %(entry)s::json, %(sum)s
        FROM moved
        """

    def save(self, snapshot: CaseSnapshot, *, expected_version: int) -> None:
        """Store ``snapshot`` if the stored version is ``expected_version`` (0 creates).

        The case row and the version row (header and audit entry) are written by one
        statement: both or neither.

        Raises:
            InvalidInputError: ``snapshot.version`` is not ``expected_version + 1``.
            CaseAlreadyExistsError: creating a case whose id is taken.
            CaseNotFoundError: updating a case that does not exist.
            ConcurrencyConflictError: the stored version is not ``expected_version``.
            IdempotencyKeyReusedError: the new entry's key is already used in this case.
            StorageError: the database failed (nothing was written).

        Examples:
            >>> store = PostgresStore("dbname=cases", migrate=False)
            >>> store.save("not a snapshot", expected_version=0)  # type: ignore[arg-type]
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: expected a CaseSnapshot, got str
        """
        snapshot = check_save(snapshot, expected_version)
        entry = snapshot.audit[-1]
        header, entry_json, stored_sum = encode(snapshot)
        params = {
            "id": snapshot.id,
            "kind": snapshot.kind,
            "state": snapshot.state,
            "version": snapshot.version,
            "expected": expected_version,
            "due": snapshot.next_due_at,
            "created": snapshot.created_at,
            "updated": snapshot.updated_at,
            "key": entry.idempotency_key,
            "header": header,
            "entry": entry_json,
            "sum": stored_sum,
        }
        query = self._q(self._CREATE if expected_version == 0 else self._UPDATE)
        try:
            with self._connection() as conn:
                with self._atomic(conn):
                    written = conn.execute(query, params).rowcount
                if written == 1:
                    return
                if expected_version == 0:
                    raise CaseAlreadyExistsError(snapshot.id)
                with self._atomic(conn):
                    row = conn.execute(
                        self._q("SELECT version FROM {schema}.ws_cases WHERE case_id = %s"),
                        (snapshot.id,),
                    ).fetchone()
        except psycopg.errors.UniqueViolation as exc:
            constraint = exc.diag.constraint_name
            if entry.idempotency_key is not None and constraint == IDEMPOTENCY_CONSTRAINT:
                raise IdempotencyKeyReusedError(
                    case_id=snapshot.id, idempotency_key=entry.idempotency_key
                ) from exc
            raise ConcurrencyConflictError(
                case_id=snapshot.id, expected_version=expected_version, actual_version=None
            ) from exc
        except psycopg.Error as exc:
            raise self._failure(f"cannot save case {snapshot.id!r}", exc) from exc
        if row is None:
            raise CaseNotFoundError(snapshot.id)
        raise ConcurrencyConflictError(
            case_id=snapshot.id, expected_version=expected_version, actual_version=int(row[0])
        )

    # --- deadline claims (DeadlineClaimStore) -------------------------------------------------

    def claim_due(
        self, *, at: datetime, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[DeadlineClaim]:
        """Lease up to ``limit`` due cases to ``owner``, in one statement.

        ``SELECT ... FOR UPDATE OF c SKIP LOCKED`` skips the cases other workers are claiming
        at the same moment, so workers on many machines share the queue without waiting
        for each other; the lease is re-checked on the claim row as it stands.

        Raises:
            InvalidInputError: a bad argument.
            StorageError: the database failed (nothing was claimed).

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> store = PostgresStore("dbname=cases", migrate=False)
            >>> store.claim_due(at=t, now=t, owner="", lease_until=t, limit=1)
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: owner must be 1-200 characters (no NUL)
        """
        args = _claims.check_claim(at, now, owner, lease_until, limit)
        params = {
            "at": args.at,
            "now": args.now,
            "owner": args.owner,
            "until": args.lease_until,
            "limit": args.limit,
        }
        try:
            with self._connection() as conn, self._atomic(conn):
                rows = conn.execute(self._q(_claims.POSTGRES_CLAIM), params).fetchall()
        except psycopg.Error as exc:
            raise self._failure("cannot claim due cases", exc) from exc
        claims = [_claims.claim_from(tuple(r), args.owner, args.lease_until) for r in rows]
        return sorted(claims, key=lambda c: c.case_id)

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
        params = {
            "retry": args.retry_at,
            "seen": args.seen_version,
            "handled": args.handled_through,
            "wake": args.wake_at,
            "failures": args.failures,
            "id": args.claim.case_id,
            "owner": args.claim.owner,
        }
        try:
            with self._connection() as conn, self._atomic(conn):
                written = conn.execute(self._q(_claims.POSTGRES_RELEASE), params).rowcount
        except psycopg.Error as exc:
            raise self._failure(f"cannot release case {args.claim.case_id!r}", exc) from exc
        return written == 1

    def __repr__(self) -> str:
        return f"PostgresStore(target={self._target!r}, schema={self._schema!r})"
