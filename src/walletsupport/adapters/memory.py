"""[MemoryStore][walletsupport.adapters.MemoryStore]: thread-safe, in memory; also the fake."""

from __future__ import annotations

import threading
from datetime import datetime

from walletsupport.adapters._common import check_find, check_save, check_version
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    IdempotencyKeyReusedError,
)
from walletsupport.workflows.audit import AuditEntry
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["MemoryStore"]


class _Case:
    __slots__ = ("audit", "headers", "keys")

    def __init__(self) -> None:
        self.headers: list[CaseSnapshot] = []  # per version, with an empty audit
        self.audit: list[AuditEntry] = []
        self.keys: set[str] = set()


class MemoryStore:
    """A [WorkflowStore][walletsupport.ports.WorkflowStore] that keeps every version in memory.

    Thread-safe (one lock); shipped for tests, demos and single-process tools. Keeps the
    history, so ``load(case_id, version=k)`` works as in a real store.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> store = MemoryStore()
        >>> s = WorkflowService(store, FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc)))
        >>> _ = s.open("ticket", {"subject": "hi"}, case_id="T-1", actor="customer")
        >>> store.load("T-1").version, store.find(kind="ticket", state="new")
        (1, ['T-1'])
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cases: dict[str, _Case] = {}

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        """The case at its newest version, or at ``version``.

        Raises:
            CaseNotFoundError: no such case or version.

        Examples:
            >>> MemoryStore().load("x")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'x'
        """
        wanted = check_version(version)
        with self._lock:
            case = self._cases.get(case_id) if isinstance(case_id, str) else None
            if case is None:
                raise CaseNotFoundError(str(case_id))
            number = len(case.headers) if wanted is None else wanted
            if number > len(case.headers):
                raise CaseNotFoundError(f"{case_id}@{number}")
            header = case.headers[number - 1]
            audit = tuple(case.audit[:number])
        # Deep copies: a caller mutating a returned dict must not rewrite the stored history,
        # as it cannot with the stores that serialise.
        return header.model_copy(
            update={"audit": tuple(e.model_copy(deep=True) for e in audit)}, deep=True
        )

    def save(self, snapshot: CaseSnapshot, *, expected_version: int) -> None:
        """Store ``snapshot`` if the stored version is ``expected_version`` (0 creates).

        Raises:
            InvalidInputError: ``snapshot.version`` is not ``expected_version + 1``.
            CaseAlreadyExistsError: creating a case whose id is taken.
            CaseNotFoundError: updating a case that does not exist.
            ConcurrencyConflictError: the stored version is not ``expected_version``.
            IdempotencyKeyReusedError: the new entry's key is already used in this case.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.clock import FixedClock
            >>> from walletsupport.workflows import WorkflowService
            >>> store = MemoryStore()
            >>> s = WorkflowService(store, FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc)))
            >>> first = s.open("ticket", {"subject": "hi"}, case_id="T-1", actor="customer")
            >>> store.save(first, expected_version=0)
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseAlreadyExistsError: case 'T-1' already exists
        """
        snapshot = check_save(snapshot, expected_version)
        entry = snapshot.audit[-1].model_copy(deep=True)
        header = snapshot.model_copy(update={"audit": ()}, deep=True)
        with self._lock:
            case = self._cases.get(snapshot.id)
            if expected_version == 0:
                if case is not None:
                    raise CaseAlreadyExistsError(snapshot.id)
                case = _Case()
            elif case is None:
                raise CaseNotFoundError(snapshot.id)
            elif len(case.headers) != expected_version:
                raise ConcurrencyConflictError(
                    case_id=snapshot.id,
                    expected_version=expected_version,
                    actual_version=len(case.headers),
                )
            key = entry.idempotency_key
            if key is not None and key in case.keys:
                raise IdempotencyKeyReusedError(case_id=snapshot.id, idempotency_key=key)
            if key is not None:
                case.keys.add(key)
            case.headers.append(header)
            case.audit.append(entry)
            self._cases[snapshot.id] = case

    def find(
        self,
        *,
        kind: str | None = None,
        state: str | None = None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Ids of matching cases (earliest ``next_due_at`` first when ``due_before`` is given).

        Examples:
            >>> from datetime import datetime, timezone
            >>> MemoryStore().find(due_before=datetime(2026, 1, 1, tzinfo=timezone.utc))
            []
        """
        before = check_find(kind, state, due_before, limit)
        with self._lock:
            heads = [case.headers[-1] for case in self._cases.values()]
        chosen = [
            h
            for h in heads
            if (kind is None or h.kind == kind)
            and (state is None or h.state == state)
            and (before is None or (h.next_due_at is not None and h.next_due_at < before))
        ]
        if before is not None:
            chosen.sort(key=lambda h: (h.next_due_at, h.id))
        else:
            chosen.sort(key=lambda h: h.id)
        ids = [h.id for h in chosen]
        return ids if limit is None else ids[:limit]

    def __repr__(self) -> str:
        return f"MemoryStore(cases={len(self._cases)})"
