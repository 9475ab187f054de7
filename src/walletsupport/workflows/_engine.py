"""The engine: rebuild a machine at a stored state, send one command, produce the next snapshot.

Pure: no store, no clock. [WorkflowService][walletsupport.workflows.WorkflowService] wraps it.
Per-class facts (states, events per state, final states) are computed once per
[Workflow][walletsupport.workflows.Workflow]; rebuilding costs one ``StateMachine`` construction
with a model whose ``state`` already holds the stored value, so initial entry actions are skipped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, JsonValue, ValidationError
from statemachine.exceptions import TransitionNotAllowed

from walletsupport._construct import built
from walletsupport._model import describe_validation_error
from walletsupport._shown import shown
from walletsupport.errors import (
    ConfigurationError,
    GuardRejectedError,
    InvalidInputError,
    TransitionNotAllowedError,
)
from walletsupport.workflows.audit import AuditEntry
from walletsupport.workflows.definition import (
    CaseContext,
    Command,
    Deadline,
    Workflow,
    _Rejected,
    digest_of,
)
from walletsupport.workflows.snapshot import CaseSnapshot

OPEN_EVENT = "open"

_ENTRY_FIELDS = frozenset(AuditEntry.model_fields)
_SNAPSHOT_FIELDS = frozenset(CaseSnapshot.model_fields)


def _article(word: str) -> str:
    """'an' before a vowel sound ("an 'account_lock' case"), 'a' otherwise."""
    return "an" if word[:1].lower() in "aeio" else "a"


def _problems(exc: ValidationError | InvalidInputError) -> str:
    """What is wrong, without the input (data models may be plain pydantic or WalletModel)."""
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc, "data")
    return str(exc)


def load_data(workflow: Workflow[Any, Any], raw: dict[str, JsonValue]) -> BaseModel:
    """Validate stored JSON data into the workflow's data model."""
    try:
        data: BaseModel = workflow.data.model_validate(raw)
    except (ValidationError, InvalidInputError) as exc:
        raise ConfigurationError(
            f"stored data of {_article(workflow.kind)} {shown(workflow.kind)} case does not fit "
            f"{workflow.data.__name__}: {_problems(exc)}"
        ) from None
    return data


def build_data(workflow: Workflow[Any, Any], data: object) -> BaseModel:
    """Turn the caller's initial data (model instance or mapping) into the data model."""
    if isinstance(data, workflow.data):
        built: BaseModel = data
        return built
    try:
        raw = data.model_dump() if isinstance(data, BaseModel) else data
        built = workflow.data.model_validate(raw)
    except (ValidationError, InvalidInputError) as exc:
        raise InvalidInputError(
            f"invalid data for {_article(workflow.kind)} {shown(workflow.kind)} case: "
            f"{_problems(exc)}"
        ) from None
    return built


def compute_deadlines(
    workflow: Workflow[Any, Any],
    snapshot: CaseSnapshot,
    at: datetime,
    data: BaseModel | None = None,
) -> tuple[Deadline, ...]:
    """The workflow's running deadlines for ``snapshot`` at ``at``, earliest first."""
    if workflow.deadlines is None or snapshot.state in workflow.final_states:
        return ()
    if data is None:
        data = load_data(workflow, snapshot.data)
    found = tuple(workflow.deadlines(snapshot, data, workflow.policy, at))
    return tuple(sorted(found, key=lambda d: (d.due_at, d.name)))


def with_next_due(
    workflow: Workflow[Any, Any],
    snapshot: CaseSnapshot,
    at: datetime,
    data: BaseModel | None = None,
) -> CaseSnapshot:
    """``snapshot`` with ``next_due_at`` set to its earliest running deadline."""
    deadlines = compute_deadlines(workflow, snapshot, at, data)
    # a deadline met late (``met_at``) is listed as a violation but is no longer due
    next_due = next((d.due_at for d in deadlines if d.met_at is None), None)
    if next_due == snapshot.next_due_at:
        return snapshot
    return snapshot.model_copy(update={"next_due_at": next_due})


def first_snapshot(
    workflow: Workflow[Any, Any],
    *,
    case_id: str,
    data: BaseModel,
    at: datetime,
    actor: str,
    idempotency_key: str | None,
) -> CaseSnapshot:
    """Version 1 of a new case, in the workflow's initial state."""
    dumped: dict[str, JsonValue] = data.model_dump(mode="json")
    entry = AuditEntry(
        version=1,
        at=at,
        actor=actor,
        event=OPEN_EVENT,
        command=OPEN_EVENT,
        from_state=None,
        to_state=workflow.initial_state,
        idempotency_key=idempotency_key,
        command_digest=digest_of(f"{OPEN_EVENT}:{workflow.kind}", dumped),
        details={},
    )
    snapshot = CaseSnapshot(
        id=case_id,
        kind=workflow.kind,
        state=workflow.initial_state,
        version=1,
        data=dumped,
        created_at=at,
        updated_at=at,
        audit=(entry,),
    )
    return with_next_due(workflow, snapshot, at, data)


def step(
    workflow: Workflow[Any, Any],
    snapshot: CaseSnapshot,
    command: Command,
    *,
    at: datetime,
    actor: str,
    idempotency_key: str | None,
) -> CaseSnapshot:
    """Apply ``command`` to ``snapshot``: the next snapshot (version + 1, carrying its entry).

    The cost does not depend on the history: the new snapshot carries only the entry it
    adds (the store appends it to the trail).

    Raises:
        InvalidInputError: ``command`` is not one of the workflow's commands.
        TransitionNotAllowedError: the event has no transition from the current state.
        GuardRejectedError: a transition exists but a guard refused it.
    """
    if not isinstance(command, workflow.commands):
        raise InvalidInputError(
            f"{type(command).__name__} is not a command of the {shown(workflow.kind)} workflow"
        )
    event = type(command).event
    state = snapshot.state
    context: CaseContext[Any, Any] = CaseContext(
        case_id=snapshot.id,
        kind=snapshot.kind,
        state=state,
        version=snapshot.version,
        created_at=snapshot.created_at,
        at=at,
        actor=actor,
        event=event,
        audit=snapshot.audit,
        data=load_data(workflow, snapshot.data),
        policy=workflow.policy,
    )
    machine, model = workflow._checkout(state)
    try:
        machine.send(event, case=context, command=command)
    except TransitionNotAllowed as exc:
        if event in workflow.events_in(state):
            raise GuardRejectedError(
                workflow=workflow.kind,
                state=state,
                event=event,
                reason="the conditions for this transition are not met",
            ) from exc
        raise TransitionNotAllowedError(workflow=workflow.kind, state=state, event=event) from exc
    except _Rejected as exc:
        raise GuardRejectedError(
            workflow=workflow.kind, state=state, event=event, reason=exc.reason
        ) from None
    new_state = str(model.state.value if hasattr(model.state, "value") else model.state)
    workflow._checkin(machine, model)
    details = command.audit_details()
    digest = digest_of(type(command).__name__, details)
    details.update(context.notes)
    version = snapshot.version + 1
    entry = built(
        AuditEntry,
        {
            "version": version,
            "at": at,
            "actor": actor,
            "event": event,
            "command": type(command).__name__,
            "from_state": state,
            "to_state": new_state,
            "idempotency_key": idempotency_key,
            "command_digest": digest,
            "details": details,
        },
        _ENTRY_FIELDS,
    )
    fields: dict[str, Any] = {
        "id": snapshot.id,
        "kind": snapshot.kind,
        "state": new_state,
        "version": version,
        "data": context.data.model_dump(mode="json"),
        "created_at": snapshot.created_at,
        "updated_at": at,
        "next_due_at": None,
        "audit": (entry,),
    }
    new = built(CaseSnapshot, fields, _SNAPSHOT_FIELDS)
    deadlines = compute_deadlines(workflow, new, at, context.data)
    next_due = next((d.due_at for d in deadlines if d.met_at is None), None)
    if next_due is None:
        return new
    # a new instance, not the one the deadline function saw, which may have kept it
    return built(CaseSnapshot, {**fields, "next_due_at": next_due}, _SNAPSHOT_FIELDS)
