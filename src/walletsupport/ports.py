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
    from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["Classifier", "WorkflowStore"]


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
      case as it was at version ``k`` (its audit cut to ``k`` entries).
    * ``find(...)`` lists case ids by kind, state and ``next_due_at`` (indexed in real stores).
    * Driver failures raise ``StorageError`` chained from the driver's error.
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
