"""What every store shares: argument checks, row checksums, per-thread connection bookkeeping."""

from __future__ import annotations

import hashlib
import os
import threading
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import JsonValue, ValidationError

from walletsupport._shown import shown
from walletsupport.clock import ensure_aware
from walletsupport.errors import CaseNotFoundError, InvalidInputError, StorageError
from walletsupport.workflows.audit import AuditEntry
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


def check_text(value: object, name: str) -> str:
    """``value`` if it is a string a database can store (UTF-8 encodable: no lone surrogate)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string")
    if not _encodable(value):  # raised outside the handler: nothing of the value on __context__
        raise InvalidInputError(f"{name} must be valid Unicode (no lone surrogate)")
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def case_key(case_id: object) -> str:
    """``case_id`` as a lookup key: a case that cannot exist is ``CaseNotFoundError``."""
    if not isinstance(case_id, str):
        raise CaseNotFoundError(shown(case_id))
    if not _encodable(case_id):
        raise CaseNotFoundError(case_id.encode("utf-8", "backslashreplace").decode("utf-8"))
    return case_id


def check_page(after: object, limit: object) -> tuple[int, int | None]:
    """Validate the ``after`` / ``limit`` arguments of ``audit``."""
    if type(after) is not int or not 0 <= after <= MAX_INT64:
        raise InvalidInputError("after must be a non-negative int")
    if limit is not None and (type(limit) is not int or not 0 <= limit <= MAX_INT64):
        raise InvalidInputError("limit must be a non-negative int or None")
    return after, limit


def checksum(case_id: str, version: int, header: str, entry: str) -> str:
    """The SHA-256 a stored version row carries: its case, number, header and entry.

    Examples:
        >>> len(checksum("T-1", 1, "{}", "{}"))
        64
        >>> checksum("T-1", 1, "{}", "{}") == checksum("T-1", 2, "{}", "{}")
        False
    """
    text = f"{case_id}\x00{version}\x00{header}\x00{entry}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def corrupt(case_id: str, what: str) -> StorageError:
    """The error for a stored row that fails its checks."""
    return StorageError(f"case {case_id!r} is corrupt in the store: {what}")


def decode_row(
    case_id: str, version: int, header: object, entry: object, stored_sum: object
) -> CaseSnapshot:
    """The snapshot of one version row, checked against its checksum.

    Raises:
        StorageError: the row was altered, or is not a snapshot this version can read.
    """
    if not (isinstance(header, str) and isinstance(entry, str) and isinstance(stored_sum, str)):
        raise corrupt(case_id, f"version {version} has a column of the wrong type")
    if checksum(case_id, version, header, entry) != stored_sum:
        raise corrupt(case_id, f"version {version} does not match its checksum")
    document = '{"audit":[' + entry + "]," + header[1:]
    try:
        snapshot = CaseSnapshot.model_validate_json(document)
    except (ValidationError, InvalidInputError, ValueError):
        raise corrupt(case_id, f"version {version} cannot be read") from None
    if snapshot.id != case_id or snapshot.version != version:
        raise corrupt(case_id, f"version {version} holds another case or version")
    return snapshot


def decode_entry(
    case_id: str, version: int, header: object, entry: object, stored_sum: object
) -> AuditEntry:
    """The audit entry of one version row, checked against its checksum."""
    return decode_row(case_id, version, header, entry, stored_sum).audit[-1]


def encode(snapshot: CaseSnapshot) -> tuple[str, str, str]:
    """``(header, entry, checksum)``: what a store writes for the snapshot's version row."""
    header = snapshot.model_dump_json(exclude={"audit"})
    entry = snapshot.audit[-1].model_dump_json()
    return header, entry, checksum(snapshot.id, snapshot.version, header, entry)


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


def upgraded(snapshot: CaseSnapshot, entries: list[AuditEntry]) -> CaseSnapshot:
    """``snapshot`` (stored by walletsupport 0.1) with what snapshots now carry in their data.

    ``entries`` is the audit trail up to the snapshot's version. Tickets keep their SLA
    pauses in their data instead of walking the trail at every deadline computation.
    """
    if snapshot.kind == "ticket" and "pauses" not in snapshot.data:
        from walletsupport.workflows.ticket import pauses_from_audit

        pauses = [
            [start.isoformat(), None if end is None else end.isoformat()]
            for start, end in pauses_from_audit(entries)
        ]
        data: dict[str, JsonValue] = {**snapshot.data, "pauses": pauses}  # type: ignore[dict-item]
        return snapshot.model_copy(update={"data": data})
    return snapshot


def upgrade_rows(
    case_id: str, rows: list[tuple[int, str, str]]
) -> list[tuple[str, str, str, str, int]]:
    """Version rows ``(version, header, entry)`` of schema 1 rewritten with their checksums.

    Returns ``(header, entry, checksum, case_id, version)`` per row, ready for an ``UPDATE``.
    """
    entries: list[AuditEntry] = []
    out = []
    for version, header_text, entry_text in rows:
        try:
            entries.append(AuditEntry.model_validate_json(entry_text))
            document = '{"audit":[' + entry_text + "]," + header_text.lstrip()[1:]
            snapshot = upgraded(CaseSnapshot.model_validate_json(document), entries)
        except (ValidationError, InvalidInputError, ValueError):
            raise corrupt(case_id, f"version {version} cannot be migrated") from None
        out.append((*encode(snapshot), case_id, version))
    return out


def snapshot_of(case_id: str, wanted: int | None, row: tuple[object, ...] | None) -> CaseSnapshot:
    """Check a load row ``(case version, kind, state, newest version row, version, header,
    entry, checksum)`` and decode it."""
    if row is None:
        raise CaseNotFoundError(case_id)
    current, kind, state, newest, number, header, entry, stored_sum = row
    if newest != current:
        raise corrupt(case_id, f"the case row is at version {current}, its versions at {newest}")
    if number is None:
        if wanted is not None and isinstance(current, int) and wanted > current:
            raise CaseNotFoundError(f"{case_id}@{wanted}")
        raise corrupt(case_id, f"version {wanted or current} is missing")
    snapshot = decode_row(case_id, int(str(number)), header, entry, stored_sum)
    if snapshot.version == current and (snapshot.kind, snapshot.state) != (kind, state):
        raise corrupt(case_id, "the case row disagrees with its newest version")
    return snapshot


def entry_of(case_id: str, key: str, row: tuple[object, ...] | None) -> AuditEntry | None:
    """Check a key-lookup row ``(case version, version, header, entry, checksum)``; decode it."""
    if row is None:
        raise CaseNotFoundError(case_id)
    current, number, header, entry, stored_sum = row
    if number is None:
        return None
    if not isinstance(number, int) or not isinstance(current, int) or number > current:
        raise corrupt(case_id, f"the case row is at version {current}, a key at {number}")
    found = decode_entry(case_id, number, header, entry, stored_sum)
    if found.idempotency_key != key:
        raise corrupt(case_id, f"version {number} is indexed under another key")
    return found


def entries_of(case_id: str, after: int, rows: list[tuple[object, ...]]) -> list[AuditEntry]:
    """Check audit rows ``(version, header, entry, checksum)`` (consecutive from ``after + 1``)."""
    entries = []
    for expected, (number, header, entry, stored_sum) in enumerate(rows, start=after + 1):
        if number != expected:
            raise corrupt(case_id, f"version {expected} is missing")
        entries.append(decode_entry(case_id, expected, header, entry, stored_sum))
    return entries
