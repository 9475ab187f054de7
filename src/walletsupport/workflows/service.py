"""``WorkflowService``: loads, decides and saves cases.

Examples:
    >>> from datetime import datetime, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows.ticket import TicketData, StartWork
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(MemoryStore(), clock)
    >>> data = TicketData(subject="card declined")
    >>> case = service.open("ticket", data, case_id="T-1", actor="agent:7")
    >>> case.state, case.version
    ('new', 1)
    >>> service.apply("T-1", StartWork(), idempotency_key="k-1", actor="agent:7").state
    'open'
    >>> service.apply("T-1", StartWork(), idempotency_key="k-1", actor="agent:7").version  # replay
    2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from walletsupport._shown import shown
from walletsupport.clock import Clock, ensure_aware
from walletsupport.errors import (
    CaseAlreadyExistsError,
    ConfigurationError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    UnknownWorkflowError,
)
from walletsupport.ports import WorkflowStore
from walletsupport.workflows import _engine
from walletsupport.workflows._checks import items_of
from walletsupport.workflows.audit import Actor, IdempotencyKey
from walletsupport.workflows.definition import Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseId, CaseSnapshot

__all__ = ["WorkflowService"]

_CASE_ID: TypeAdapter[str] = TypeAdapter(CaseId)
_ACTOR: TypeAdapter[str] = TypeAdapter(Actor)
_KEY: TypeAdapter[str] = TypeAdapter(IdempotencyKey)


def _checked(adapter: TypeAdapter[str], value: object, name: str) -> str:
    try:
        return adapter.validate_python(value, strict=True)
    except ValidationError as exc:
        messages = "; ".join(e["msg"] for e in exc.errors(include_input=False, include_url=False))
        raise InvalidInputError(f"invalid {name}: {messages}") from None


class WorkflowService:
    """Opens cases and applies commands to them, with idempotency, versions and an audit trail.

    The service is stateless apart from its store and clock: any number of service objects,
    threads or processes can share one store.

    Args:
        store: where snapshots live (a ``WorkflowStore``).
        clock: the clock that stamps every change.
        workflows: the workflow definitions to serve; ``None`` serves
            ``builtin_workflows()``.

    Raises:
        ConfigurationError: two workflows share a kind, or an argument has the wrong type.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> clock = FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc))
        >>> service = WorkflowService(MemoryStore(), clock)
        >>> "ticket" in service.kinds and "account_lock" in service.kinds
        True
    """

    def __init__(
        self,
        store: WorkflowStore,
        clock: Clock,
        workflows: Iterable[Workflow[Any, Any]] | None = None,
    ) -> None:
        if not isinstance(store, WorkflowStore):
            raise ConfigurationError(
                "store must implement WorkflowStore (load, save, find, audit, entry_for_key)"
            )
        if not isinstance(clock, Clock):
            raise ConfigurationError("clock must implement Clock (now)")
        if workflows is None:
            from walletsupport.workflows._builtin import builtin_workflows

            workflows = builtin_workflows()
        by_kind: dict[str, Workflow[Any, Any]] = {}
        for workflow in items_of(workflows, "workflows", ConfigurationError):
            if not isinstance(workflow, Workflow):
                raise ConfigurationError(f"not a Workflow definition: {shown(workflow)}")
            if workflow.kind in by_kind:
                raise ConfigurationError(f"two workflows share the kind {shown(workflow.kind)}")
            by_kind[workflow.kind] = workflow
        self._store = store
        self._clock = clock
        self._workflows: Mapping[str, Workflow[Any, Any]] = by_kind

    @property
    def store(self) -> WorkflowStore:
        """The store this service writes to."""
        return self._store

    @property
    def kinds(self) -> tuple[str, ...]:
        """The workflow kinds this service serves, sorted."""
        return tuple(sorted(self._workflows))

    def workflow(self, kind: str) -> Workflow[Any, Any]:
        """The definition of ``kind``.

        Raises:
            UnknownWorkflowError: no such kind is served.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.adapters import MemoryStore
            >>> from walletsupport.clock import FixedClock
            >>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> s = WorkflowService(MemoryStore(), clock)
            >>> s.workflow("ticket").initial_state
            'new'
        """
        try:
            return self._workflows[kind]
        except (KeyError, TypeError):
            raise UnknownWorkflowError(kind if isinstance(kind, str) else shown(kind)) from None

    def open(
        self,
        kind: str,
        data: BaseModel | Mapping[str, object],
        *,
        case_id: str,
        actor: str,
        idempotency_key: str | None = None,
    ) -> CaseSnapshot:
        """Create a case of ``kind`` in its initial state (version 1; no entry actions run).

        Opening again with the same ``idempotency_key`` and data returns the stored case.

        Raises:
            UnknownWorkflowError: ``kind`` is not served.
            InvalidInputError: bad id, actor, key or data.
            CaseAlreadyExistsError: ``case_id`` is taken (and this is not a replay).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.adapters import MemoryStore
            >>> from walletsupport.clock import FixedClock
            >>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> s = WorkflowService(MemoryStore(), clock)
            >>> s.open("account_lock", {"account_id": "acc-1"}, case_id="L-1", actor="system").state
            'active'
        """
        workflow = self.workflow(kind)
        case_id = _checked(_CASE_ID, case_id, "case id")
        actor = _checked(_ACTOR, actor, "actor")
        if idempotency_key is not None:
            idempotency_key = _checked(_KEY, idempotency_key, "idempotency key")
        model = _engine.build_data(workflow, data)
        at = ensure_aware(self._clock.now(), "clock.now()")
        snapshot = _engine.first_snapshot(
            workflow,
            case_id=case_id,
            data=model,
            at=at,
            actor=actor,
            idempotency_key=idempotency_key,
        )
        try:
            self._store.save(snapshot, expected_version=0)
        except CaseAlreadyExistsError:
            if idempotency_key is None:
                raise
            stored = self._store.load(case_id, version=1)
            first = stored.last_entry
            if (
                stored.kind == kind
                and first.idempotency_key == idempotency_key
                and first.command_digest == snapshot.audit[0].command_digest
            ):
                return stored
            raise
        return snapshot

    start = open

    def load(self, case_id: str) -> CaseSnapshot:
        """The newest snapshot of ``case_id``.

        Raises:
            CaseNotFoundError: no such case.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.adapters import MemoryStore
            >>> from walletsupport.clock import FixedClock
            >>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> s = WorkflowService(MemoryStore(), clock)
            >>> s.load("nope")
            Traceback (most recent call last):
            ...
            walletsupport.errors.CaseNotFoundError: no case 'nope'
        """
        return self._store.load(_checked(_CASE_ID, case_id, "case id"))

    def apply(
        self, case_id: str, command: Command, *, idempotency_key: str, actor: str
    ) -> CaseSnapshot:
        """Apply ``command`` to the case and save the result; return the new snapshot.

        Replaying ``idempotency_key`` with the same command returns the snapshot the first
        call produced and changes nothing. Secret fields (``repr=False``: codes, tokens,
        passwords) are left out of the command's digest, so that no hash of a short code is
        stored: a replay that differs only in a secret counts as the same command. Use a new
        key for every new attempt.

        Raises:
            CaseNotFoundError: no such case.
            InvalidInputError: bad key or actor, or a command of another workflow.
            IdempotencyKeyReusedError: the key was used for a different command.
            TransitionNotAllowedError: the event is not allowed in the case's state.
            GuardRejectedError: a guard refused the command (``.reason`` says why).
            ConcurrencyConflictError: another writer saved first; reload and retry.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.adapters import MemoryStore
            >>> from walletsupport.clock import FixedClock
            >>> from walletsupport.workflows.ticket import CloseTicket
            >>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
            >>> s = WorkflowService(MemoryStore(), clock)
            >>> _ = s.open("ticket", {"subject": "refund"}, case_id="T-9", actor="customer")
            >>> s.apply("T-9", CloseTicket(), idempotency_key="k", actor="a")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            walletsupport.errors.TransitionNotAllowedError: ticket: event 'close' is not allowed ...
        """
        case_id = _checked(_CASE_ID, case_id, "case id")
        idempotency_key = _checked(_KEY, idempotency_key, "idempotency key")
        actor = _checked(_ACTOR, actor, "actor")
        if not isinstance(command, Command):
            raise InvalidInputError(f"expected a Command, got {type(command).__name__}")
        snapshot = self._store.load(case_id)
        workflow = self.workflow(snapshot.kind)
        earlier = self._store.entry_for_key(case_id, idempotency_key)
        if earlier is not None:
            if earlier.command_digest != command.digest() or earlier.version == 1:
                raise IdempotencyKeyReusedError(case_id=case_id, idempotency_key=idempotency_key)
            if earlier.version == snapshot.version:
                return snapshot
            return self._store.load(case_id, version=earlier.version)
        # Workers' clocks drift: a case's time never runs backwards, so a command applied by a
        # worker whose clock is behind the last writer's is stamped at the last update.
        at = max(ensure_aware(self._clock.now(), "clock.now()"), snapshot.updated_at)
        new = _engine.step(
            workflow, snapshot, command, at=at, actor=actor, idempotency_key=idempotency_key
        )
        self._store.save(new, expected_version=snapshot.version)
        return new

    def due(self, snapshot: CaseSnapshot, at: datetime | None = None) -> tuple[Deadline, ...]:
        """The case's running deadlines at ``at`` (default: the clock's now), earliest first.

        Raises:
            UnknownWorkflowError: the snapshot's kind is not served.
            NaiveDatetimeError: ``at`` has no timezone.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.adapters import MemoryStore
            >>> from walletsupport.clock import FixedClock
            >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
            >>> s = WorkflowService(MemoryStore(), clock)
            >>> case = s.open("ticket", {"subject": "refund"}, case_id="T-2", actor="customer")
            >>> [d.name for d in s.due(case)]
            ['first_reply', 'resolution']
        """
        if not isinstance(snapshot, CaseSnapshot):
            raise InvalidInputError(f"expected a CaseSnapshot, got {type(snapshot).__name__}")
        when = self._clock.now() if at is None else at
        when = ensure_aware(when)
        return _engine.compute_deadlines(self.workflow(snapshot.kind), snapshot, when)

    def __repr__(self) -> str:
        return f"WorkflowService(store={self._store!r}, kinds={list(self.kinds)!r})"
