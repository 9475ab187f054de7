"""The engine's fast paths build exactly what validation would, and reuse machines safely."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import WorkflowError
from walletsupport.policies.sla import SlaPolicy
from walletsupport.workflows import WorkflowService
from walletsupport.workflows import _engine as engine
from walletsupport.workflows.definition import _POOL_SIZE, Deadline
from walletsupport.workflows.snapshot import CaseSnapshot
from walletsupport.workflows.ticket import (
    AskCustomer,
    CloseTicket,
    CustomerReplied,
    PutOnHold,
    ReopenTicket,
    ReplyToCustomer,
    ResumeTicket,
    SolveTicket,
    StartWork,
    TicketData,
    TicketPolicy,
    ticket_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

COMMANDS = [
    StartWork(),
    ReplyToCustomer(),
    AskCustomer(),
    CustomerReplied(),
    PutOnHold(reason="waiting on the bank"),
    ResumeTicket(),
    SolveTicket(resolution="card reissued"),
    ReopenTicket(),
    CloseTicket(),
]


def _same_as_validated(snapshot: CaseSnapshot) -> None:
    again = CaseSnapshot.model_validate(snapshot.model_dump())
    assert again == snapshot
    assert again.model_dump(mode="json") == snapshot.model_dump(mode="json")
    assert snapshot.model_fields_set == set(CaseSnapshot.model_fields)
    for entry in snapshot.audit:
        assert type(entry).model_validate(entry.model_dump()) == entry
        assert entry.model_fields_set == set(type(entry).model_fields)


def _expected_next_due(snapshot: CaseSnapshot, workflow: Any = None) -> datetime | None:
    workflow = workflow or ticket_workflow()
    deadlines = engine.compute_deadlines(workflow, snapshot, snapshot.updated_at)
    for deadline in deadlines:  # each is the model validation builds from the same fields
        given = deadline.model_dump(include=deadline.model_fields_set)
        assert Deadline(**given) == deadline
        assert Deadline(**given).model_fields_set == deadline.model_fields_set
        assert Deadline.model_validate(deadline.model_dump()) == deadline
    return min((d.due_at for d in deadlines if d.met_at is None), default=None)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(range(len(COMMANDS))), st.integers(min_value=0, max_value=90)),
        max_size=25,
    )
)
def test_every_step_is_the_validated_snapshot_with_its_next_deadline(steps):
    workflow = ticket_workflow()
    snapshot = engine.first_snapshot(
        workflow,
        case_id="T-1",
        data=TicketData(subject="card declined"),
        at=T0,
        actor="agent:1",
        idempotency_key=None,
    )
    _same_as_validated(snapshot)
    assert snapshot.next_due_at == _expected_next_due(snapshot)
    at = T0
    for i, (index, minutes) in enumerate(steps):
        at += timedelta(minutes=minutes)
        try:
            new = engine.step(
                workflow, snapshot, COMMANDS[index], at=at, actor="agent:1", idempotency_key=f"k{i}"
            )
        except WorkflowError:
            continue
        _same_as_validated(new)
        assert new.version == snapshot.version + 1
        assert new.next_due_at == _expected_next_due(new)
        assert new.data == TicketData.model_validate(new.data).model_dump(mode="json")
        snapshot = new


@pytest.mark.parametrize("priority", ["low", "normal", "high", "urgent"])
def test_deadlines_of_a_long_named_policy_are_the_validated_ones(priority: str):
    policy = TicketPolicy(
        sla=SlaPolicy(name="s" * 64),
        priority_sla=SlaPolicy(
            name="p" * 64, first_reply=timedelta(hours=1), resolution=timedelta(hours=4)
        ),
        reopen_window=timedelta(days=2),
    )
    workflow = ticket_workflow(policy=policy)
    snapshot = engine.first_snapshot(
        workflow,
        case_id="T-2",
        data=TicketData(subject="x", priority=priority),
        at=T0,
        actor="a",
        idempotency_key=None,
    )
    assert snapshot.next_due_at == _expected_next_due(snapshot, workflow)
    for i, command in enumerate([StartWork(), ReplyToCustomer(), SolveTicket(resolution="ok")]):
        snapshot = engine.step(
            workflow, snapshot, command, at=T0 + timedelta(hours=i), actor="a", idempotency_key=None
        )
        assert snapshot.next_due_at == _expected_next_due(snapshot, workflow)
    assert snapshot.next_due_at == T0 + timedelta(hours=2, days=2)  # auto-close


def test_a_machine_that_reached_a_final_state_is_reused_and_works_again():
    workflow = ticket_workflow()
    service = WorkflowService(MemoryStore(), FixedClock(T0), [workflow])
    for n in range(3):
        case_id = f"T-{n}"
        service.open("ticket", TicketData(subject="x"), case_id=case_id, actor="a")
        for key, command in enumerate([StartWork(), SolveTicket(resolution="done"), CloseTicket()]):
            service.apply(case_id, command, idempotency_key=str(key), actor="a")
        assert service.load(case_id).state == "closed"
        # the machine that entered the final state went back to the pool
        assert len(workflow._pool) == 1
    machine, _ = workflow._checkout("open")
    assert not machine.is_terminated
    workflow._checkin(machine, _)
    service.open("ticket", TicketData(subject="y"), case_id="T-9", actor="a")
    service.apply("T-9", StartWork(), idempotency_key="s", actor="a")
    held = service.apply("T-9", PutOnHold(reason="bank"), idempotency_key="h", actor="a")
    assert held.state == "on_hold"
    assert TicketData.model_validate(held.data).hold_reason == "bank"


def test_the_machine_pool_stays_bounded():
    workflow = ticket_workflow()
    machines = [workflow._checkout("open") for _ in range(3 * _POOL_SIZE)]
    for machine, model in machines:
        workflow._checkin(machine, model)
    assert len(workflow._pool) == _POOL_SIZE
