"""Ports: the Protocols the edge implements.

[Classifier][walletsupport.ports.Classifier] is any triage model: the shipped
[LinearClassifier][walletsupport.issues.LinearClassifier], one an integrator trained with
[fit][walletsupport.issues.fit], or a wrapper around a scikit-learn pipeline or a hosted model.

[WorkflowStore][walletsupport.ports.WorkflowStore] persists cases. Shipped adapters:
[MemoryStore][walletsupport.adapters.MemoryStore] (also the test fake) and
[SqliteStore][walletsupport.adapters.SqliteStore]. A store only stores: deciding what the next
snapshot is belongs to [WorkflowService][walletsupport.workflows.WorkflowService].

Examples:
    >>> from walletsupport.adapters import MemoryStore
    >>> isinstance(MemoryStore(), WorkflowStore)
    True
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from walletsupport.issues.classifier import Classifier

if TYPE_CHECKING:
    from walletsupport.workflows._claims import DeadlineClaim
    from walletsupport.workflows.audit import AuditEntry
    from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["Classifier", "DeadlineClaimStore", "WorkflowStore"]


@runtime_checkable
class WorkflowStore(Protocol):
    """Where case snapshots live. Implementations must be safe to share between threads.

    The contract (checked by ``tests/integration/test_store_contract.py`` for every store):

    * ``save(snapshot, expected_version=0)`` creates a case; it raises
      ``CaseAlreadyExistsError`` if the id is taken.
    * ``save(snapshot, expected_version=v)`` with ``snapshot.version == v + 1`` replaces version
      ``v`` atomically, or raises ``ConcurrencyConflictError`` (stored version is not ``v``)
      or ``CaseNotFoundError``; on any error nothing is written.
    * An idempotency key is unique per case: a save whose new entry repeats a key already
      stored for that case raises ``IdempotencyKeyReusedError`` and writes nothing.
    * ``load(case_id)`` returns the newest version; ``load(case_id, version=k)`` returns the
      case as it was at version ``k``. Either carries only the entry that produced it
      (``audit == (entry_k,)``): its cost does not grow with the history.
    * ``audit(case_id, after=a, limit=n)`` pages the trail: entries ``a+1, a+2, ...`` oldest
      first, at most ``n``; ``entry_for_key(case_id, key)`` finds one entry by its
      idempotency key through an index.
    * ``find(...)`` lists case ids by kind, state and ``next_due_at`` (indexed in real stores).
    * Every stored row is checked when read: a row that does not match its checksum, or a
      case row that disagrees with its versions, raises ``StorageError`` naming the case
      (never stale data).
    * Driver failures raise ``StorageError`` chained from the driver's error (never with a
      password in the chain).
    """

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        """The case at its newest version, or at ``version``.

        Raises:
            CaseNotFoundError: no such case (or no such version).
        """
        ...

    def save(self, snapshot: CaseSnapshot, *, expected_version: int) -> None:
        """Store ``snapshot`` if the stored version is still ``expected_version`` (0: new).

        Raises:
            InvalidInputError: ``snapshot.version`` is not ``expected_version + 1``.
            CaseAlreadyExistsError: ``expected_version`` is 0 and the id is taken.
            CaseNotFoundError: ``expected_version`` > 0 and there is no such case.
            ConcurrencyConflictError: the stored version is not ``expected_version``.
            IdempotencyKeyReusedError: the new entry's key is already used in this case.
        """
        ...

    def audit(self, case_id: str, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        """The audit entries of ``case_id`` with a version above ``after``, oldest first.

        Raises:
            CaseNotFoundError: no such case.
            InvalidInputError: ``after`` is negative or ``limit`` is not a non-negative int.
        """
        ...

    def entry_for_key(self, case_id: str, idempotency_key: str) -> AuditEntry | None:
        """The entry recorded under ``idempotency_key`` in ``case_id``, or ``None`` (indexed).

        Raises:
            CaseNotFoundError: no such case.
        """
        ...

    def find(
        self,
        *,
        kind: str | None = None,
        state: str | None = None,
        due_before: datetime | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Ids of the cases matching every given filter.

        With ``due_before``, only cases whose ``next_due_at`` is set and earlier than it,
        earliest first; otherwise ordered by id.
        """
        ...


@runtime_checkable
class DeadlineClaimStore(WorkflowStore, Protocol):
    """A store that lets many [DeadlineRunner][walletsupport.workflows.DeadlineRunner] share
    the due cases: each case is claimed by one runner at a time, under a lease.

    Every shipped store implements it (memory: within one process; SQLite: across the
    processes of one machine; PostgreSQL: across machines, ``FOR UPDATE SKIP LOCKED``). The
    contract (checked by ``tests/unit/workflows/test_workflows_runner.py`` and
    ``tests/integration/test_worker_*.py`` for every store):

    * ``claim_due`` returns at most ``limit`` cases whose ``next_due_at`` is at or before
      ``at``, earliest first, that no live lease holds (none, or ``lease_until <= now``) and
      that need a look: never finished by a runner, changed since (``seen_version`` is not
      the case version), or woken (``wake_at <= at``). Each returned case is leased to
      ``owner`` until ``lease_until``; two concurrent calls never return the same case
      while its lease runs.
    * ``release_claim`` ends ``owner``'s lease and records what the runner learned; it
      returns ``False`` (and writes nothing) when the lease is no longer ``owner``'s.
      ``retry_at`` keeps the case from being claimed before that instant (a back-off).
    """

    def claim_due(
        self,
        *,
        at: datetime,
        now: datetime,
        owner: str,
        lease_until: datetime,
        limit: int,
    ) -> list[DeadlineClaim]:
        """Lease up to ``limit`` due cases to ``owner`` (``at``: business time; ``now``:
        the lease clock).

        Raises:
            InvalidInputError: a bad argument.
            StorageError: the database failed (nothing was claimed).
        """
        ...

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
        """End ``claim``'s lease, recording what its runner handled; ``False`` if it lapsed
        and another runner holds the case now.

        Raises:
            InvalidInputError: a bad argument.
            StorageError: the database failed.
        """
        ...
