"""[MemoryStore][walletsupport.adapters.MemoryStore]: thread-safe, in memory; also the fake."""

from __future__ import annotations

import threading
from datetime import datetime

from pydantic import JsonValue

from walletsupport._construct import built
from walletsupport.adapters import _claims
from walletsupport.adapters._common import (
    case_key,
    check_find,
    check_page,
    check_save,
    check_version,
)
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    IdempotencyKeyReusedError,
)
from walletsupport.workflows._claims import DeadlineClaim
from walletsupport.workflows.audit import AuditEntry
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["MemoryStore"]


def _copy(value: JsonValue) -> JsonValue:
    """A copy of the mutable parts (dicts, lists) of a JSON value; scalars are shared."""
    if isinstance(value, dict):
        return _copy_dict(value)
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _copy_dict(value: dict[str, JsonValue]) -> dict[str, JsonValue]:
    return {k: _copy(v) for k, v in value.items()}


def _detached(snapshot: CaseSnapshot) -> CaseSnapshot:
    """``snapshot`` carrying only its newest entry, sharing no dict or list with it.

    Snapshots and entries are frozen, so only their JSON dicts (``data``, ``details``) need
    copying: a caller mutating a returned dict must not rewrite the stored history.
    """
    entry = snapshot.audit[-1]
    fresh = built(AuditEntry, {**entry.__dict__, "details": _copy_dict(entry.details)})
    return built(
        CaseSnapshot, {**snapshot.__dict__, "data": _copy_dict(snapshot.data), "audit": (fresh,)}
    )


class _Case:
    __slots__ = ("keys", "versions")

    def __init__(self) -> None:
        self.versions: list[CaseSnapshot] = []  # per version, carrying its own entry only
        self.keys: dict[str, int] = {}  # idempotency key -> version


class MemoryStore:
    """A [WorkflowStore][walletsupport.ports.WorkflowStore] that keeps every version in memory.

    Thread-safe (one lock); shipped for tests, demos and single-process tools. Keeps the
    history, so ``load(case_id, version=k)`` and ``audit(case_id)`` work as in a real store;
    every operation costs the same whatever the length of the history.

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
        self._claims: dict[str, dict[str, object]] = {}  # case id -> deadline claim row

    def _case(self, case_id: object) -> _Case:
        case = self._cases.get(case_key(case_id))
        if case is None:
            raise CaseNotFoundError(str(case_id))
        return case

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        """The case at its newest version, or at ``version`` (carrying that version's entry).

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
            case = self._case(case_id)
            number = len(case.versions) if wanted is None else wanted
            if number > len(case.versions):
                raise CaseNotFoundError(f"{case_id}@{number}")
            stored = case.versions[number - 1]
        return _detached(stored)

    def audit(self, case_id: str, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """The entries above version ``after``, oldest first, at most ``limit``.

        Raises:
            CaseNotFoundError: no such case.
            InvalidInputError: a bad ``after`` or ``limit``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.clock import FixedClock
            >>> from walletsupport.workflows import WorkflowService
            >>> store = MemoryStore()
            >>> s = WorkflowService(store, FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc)))
            >>> _ = s.open("ticket", {"subject": "hi"}, case_id="T-1", actor="customer")
            >>> [e.event for e in store.audit("T-1")], store.audit("T-1", after=1)
            (['open'], [])
        """
        start, limit = check_page(after, limit)
        with self._lock:
            case = self._case(case_id)
            end = len(case.versions) if limit is None else min(len(case.versions), start + limit)
            chosen = case.versions[start:end]
        return [_detached(s).audit[-1] for s in chosen]

    def entry_for_key(self, case_id: str, idempotency_key: str) -> AuditEntry | None:
        """The entry recorded under ``idempotency_key``, or ``None``.

        Raises:
            CaseNotFoundError: no such case.

        Examples:
            >>> MemoryStore().entry_for_key("x", "k")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'x'
        """
        with self._lock:
            case = self._case(case_id)
            number = case.keys.get(idempotency_key) if isinstance(idempotency_key, str) else None
            stored = None if number is None else case.versions[number - 1]
        return None if stored is None else _detached(stored).audit[-1]

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
        snapshot = _detached(check_save(snapshot, expected_version))
        key = snapshot.audit[-1].idempotency_key
        with self._lock:
            case = self._cases.get(snapshot.id)
            if expected_version == 0:
                if case is not None:
                    raise CaseAlreadyExistsError(snapshot.id)
                case = _Case()
            elif case is None:
                raise CaseNotFoundError(snapshot.id)
            elif len(case.versions) != expected_version:
                raise ConcurrencyConflictError(
                    case_id=snapshot.id,
                    expected_version=expected_version,
                    actual_version=len(case.versions),
                )
            if key is not None and key in case.keys:
                raise IdempotencyKeyReusedError(case_id=snapshot.id, idempotency_key=key)
            if key is not None:
                case.keys[key] = snapshot.version
            case.versions.append(snapshot)
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
            heads = [case.versions[-1] for case in self._cases.values()]
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

    # --- deadline claims (DeadlineClaimStore) -------------------------------------------------

    def claim_due(
        self, *, at: datetime, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[DeadlineClaim]:
        """Lease up to ``limit`` due cases to ``owner`` (runners of one process share them).

        Raises:
            InvalidInputError: a bad argument.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> MemoryStore().claim_due(at=t, now=t, owner="w1", lease_until=t, limit=10)
            []
        """
        args = _claims.check_claim(at, now, owner, lease_until, limit)
        with self._lock:
            heads = [
                case.versions[-1]
                for case_id, case in self._cases.items()
                if _claims.is_claimable(
                    len(case.versions),
                    case.versions[-1].next_due_at,
                    self._claims.get(case_id),
                    args,
                )
            ]
            heads.sort(key=lambda h: (h.next_due_at, h.id))
            rows = []
            for head in heads[: args.limit]:
                row = self._claims.setdefault(
                    head.id,
                    {"seen_version": 0, "handled_through": None, "wake_at": None, "failures": 0},
                )
                row.update(owner=args.owner, lease_until=args.lease_until)
                seen, handled, wake, failures = (
                    row[k] for k in ("seen_version", "handled_through", "wake_at", "failures")
                )
                rows.append((head.id, head.version, seen, handled, wake, failures))
        return [_claims.claim_from(r, args.owner, args.lease_until) for r in rows]

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
        """End ``claim``'s lease and record what its runner handled.

        Raises:
            InvalidInputError: a bad argument.
        """
        args = _claims.check_release(
            claim, seen_version, handled_through, wake_at, failures, retry_at
        )
        with self._lock:
            row = self._claims.get(args.claim.case_id)
            if row is None or row.get("owner") != args.claim.owner:
                return False
            row.update(
                owner=None,
                lease_until=args.retry_at,
                seen_version=args.seen_version,
                handled_through=args.handled_through,
                wake_at=args.wake_at,
                failures=args.failures,
            )
        return True

    def __repr__(self) -> str:
        return f"MemoryStore(cases={len(self._cases)})"
