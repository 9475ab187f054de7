"""The engine and service: open, apply, replay, refuse, conflict, deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field
from statemachine import StateMachine
from statemachine.exceptions import TransitionNotAllowed
from statemachine.states import States

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import (
    CaseAlreadyExistsError,
    CaseNotFoundError,
    ConcurrencyConflictError,
    ConfigurationError,
    GuardRejectedError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    NaiveDatetimeError,
    TransitionNotAllowedError,
    UnknownWorkflowError,
)
from walletsupport.workflows import (
    CaseContext,
    Command,
    Workflow,
    WorkflowService,
    builtin_workflows,
)
from walletsupport.workflows.ticket import (
    AskCustomer,
    CloseTicket,
    CustomerReplied,
    ReopenTicket,
    ReplyToCustomer,
    SolveTicket,
    StartWork,
    TicketData,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


# --- a small workflow built for these tests ---------------------------------------------------


class LampState(StrEnum):
    OFF = "off"
    ON = "on"
    BROKEN = "broken"


class LampData(BaseModel, frozen=True, extra="forbid"):
    switches: int = 0
    entered_off: int = 0


class LampMachine(StateMachine):
    _ = States.from_enum(LampState, initial=LampState.OFF, final=LampState.BROKEN)
    switch_on = _.OFF.to(_.ON, cond="has_power")
    switch_off = _.ON.to(_.OFF)
    smash = _.OFF.to(_.BROKEN, validators="must_be_sure") | _.ON.to(_.BROKEN)

    def has_power(self, command: SwitchOn) -> bool:
        return command.power

    def must_be_sure(self, case: CaseContext[LampData, None], command: Smash) -> None:
        if not command.sure:
            case.reject("not sure")

    def on_switch_on(self, case: CaseContext[LampData, None]) -> None:
        case.update(switches=case.data.switches + 1)

    def on_enter_OFF(self, case: CaseContext[LampData, None]) -> None:
        case.update(entered_off=case.data.entered_off + 1)


class SwitchOn(Command):
    event: ClassVar[str] = "switch_on"
    power: bool = True
    pin: str = Field(default="0000", repr=False)


class SwitchOff(Command):
    event: ClassVar[str] = "switch_off"


class Smash(Command):
    event: ClassVar[str] = "smash"
    sure: bool = True


def lamp_workflow() -> Workflow[LampData, None]:
    return Workflow(
        kind="lamp",
        machine=LampMachine,
        data=LampData,
        commands=(SwitchOn, SwitchOff, Smash),
        policy=None,
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def service(store: MemoryStore, clock: FixedClock) -> WorkflowService:
    return WorkflowService(store, clock, [lamp_workflow(), *builtin_workflows()])


def _open_lamp(service: WorkflowService, case_id: str = "L-1") -> None:
    service.open("lamp", LampData(), case_id=case_id, actor="test")


# --- opening ---------------------------------------------------------------------------------


def test_opening_a_case_stores_version_one_in_the_initial_state(service: WorkflowService):
    snap = service.open("lamp", {}, case_id="L-1", actor="test")
    assert (snap.state, snap.version, len(snap.audit)) == ("off", 1, 1)
    assert snap.audit[0].from_state is None
    assert service.load("L-1") == snap


def test_opening_does_not_run_initial_entry_actions(service: WorkflowService):
    _open_lamp(service)
    service.apply("L-1", SwitchOn(), idempotency_key="1", actor="t")
    snap = service.apply("L-1", SwitchOff(), idempotency_key="2", actor="t")
    assert snap.data["entered_off"] == 1  # only the real re-entry, not rebuilds or opening


def test_opening_an_existing_id_is_refused(service: WorkflowService):
    _open_lamp(service)
    with pytest.raises(CaseAlreadyExistsError):
        _open_lamp(service)


def test_opening_again_with_the_same_key_returns_the_stored_case(service: WorkflowService):
    first = service.open("lamp", {}, case_id="L-1", actor="t", idempotency_key="open-1")
    service.apply("L-1", SwitchOn(), idempotency_key="1", actor="t")
    again = service.open("lamp", {}, case_id="L-1", actor="t", idempotency_key="open-1")
    assert again == first


def test_opening_an_unknown_kind_is_refused(service: WorkflowService):
    with pytest.raises(UnknownWorkflowError) as info:
        service.open("spaceship", {}, case_id="x", actor="t")
    assert info.value.kind == "spaceship"


@pytest.mark.parametrize("case_id", ["", "has space", "x" * 129, "ünïcode"])
def test_opening_with_a_bad_case_id_is_invalid_input(service: WorkflowService, case_id: str):
    with pytest.raises(InvalidInputError):
        service.open("lamp", {}, case_id=case_id, actor="t")


def test_opening_with_bad_data_is_invalid_input(service: WorkflowService):
    with pytest.raises(InvalidInputError):
        service.open("lamp", {"switches": "many"}, case_id="L-1", actor="t")


def test_a_naive_clock_is_refused(store: MemoryStore):
    service = WorkflowService(store, FixedClock(T0), [lamp_workflow()])
    service._clock = type("Naive", (), {"now": lambda self: datetime(2026, 1, 1)})()  # type: ignore[attr-defined]
    with pytest.raises(NaiveDatetimeError):
        _open_lamp(service)


# --- applying --------------------------------------------------------------------------------


def test_an_accepted_command_adds_one_version_and_one_audit_entry(
    service: WorkflowService, clock: FixedClock
):
    _open_lamp(service)
    clock.advance(timedelta(minutes=5))
    snap = service.apply("L-1", SwitchOn(), idempotency_key="k1", actor="agent:1")
    entry = snap.last_entry
    assert (snap.state, snap.version, len(service.store.audit("L-1"))) == ("on", 2, 2)
    assert snap.audit == (snap.last_entry,)  # the snapshot carries its own entry only
    assert (entry.from_state, entry.to_state, entry.event, entry.actor) == (
        "off",
        "on",
        "switch_on",
        "agent:1",
    )
    assert entry.at == snap.updated_at == T0 + timedelta(minutes=5)
    assert snap.data["switches"] == 1


def test_secret_command_fields_never_reach_the_audit(service: WorkflowService):
    _open_lamp(service)
    snap = service.apply("L-1", SwitchOn(pin="8675309"), idempotency_key="k", actor="t")
    assert "8675309" not in snap.model_dump_json()
    assert snap.last_entry.details == {"power": True}


def test_an_event_not_allowed_in_the_state_raises_a_chained_typed_error(
    service: WorkflowService,
):
    _open_lamp(service)
    with pytest.raises(TransitionNotAllowedError) as info:
        service.apply("L-1", SwitchOff(), idempotency_key="k", actor="t")
    err = info.value
    assert (err.workflow, err.state, err.event) == ("lamp", "off", "switch_off")
    assert isinstance(err.__cause__, TransitionNotAllowed)
    assert service.load("L-1").version == 1


def test_a_guard_refusal_with_a_reason_raises_guard_rejected(service: WorkflowService):
    _open_lamp(service)
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L-1", Smash(sure=False), idempotency_key="k", actor="t")
    assert info.value.reason == "not sure"
    assert service.load("L-1").version == 1


def test_a_failed_condition_raises_guard_rejected(service: WorkflowService):
    _open_lamp(service)
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L-1", SwitchOn(power=False), idempotency_key="k", actor="t")
    assert info.value.event == "switch_on"
    assert isinstance(info.value.__cause__, TransitionNotAllowed)


def test_a_final_state_absorbs_every_command(service: WorkflowService):
    _open_lamp(service)
    service.apply("L-1", Smash(), idempotency_key="k", actor="t")
    for n, command in enumerate([SwitchOn(), SwitchOff(), Smash()]):
        with pytest.raises(TransitionNotAllowedError):
            service.apply("L-1", command, idempotency_key=f"after-{n}", actor="t")
    assert service.load("L-1").version == 2


def test_a_command_of_another_workflow_is_invalid_input(service: WorkflowService):
    _open_lamp(service)
    with pytest.raises(InvalidInputError):
        service.apply("L-1", StartWork(), idempotency_key="k", actor="t")


def test_applying_to_an_unknown_case_raises_case_not_found(service: WorkflowService):
    with pytest.raises(CaseNotFoundError) as info:
        service.apply("nope", SwitchOn(), idempotency_key="k", actor="t")
    assert info.value.case_id == "nope"


# --- idempotency and concurrency -------------------------------------------------------------


def test_replaying_a_key_returns_the_first_result_and_changes_nothing(
    service: WorkflowService, clock: FixedClock
):
    _open_lamp(service)
    first = service.apply("L-1", SwitchOn(), idempotency_key="k1", actor="t")
    clock.advance(timedelta(minutes=1))
    latest = service.apply("L-1", SwitchOff(), idempotency_key="k2", actor="t")
    assert service.apply("L-1", SwitchOn(), idempotency_key="k1", actor="t") == first
    assert service.load("L-1") == latest


def test_reusing_a_key_for_another_command_is_refused(service: WorkflowService):
    _open_lamp(service)
    service.apply("L-1", SwitchOn(), idempotency_key="k1", actor="t")
    with pytest.raises(IdempotencyKeyReusedError) as info:
        service.apply("L-1", SwitchOff(), idempotency_key="k1", actor="t")
    assert info.value.idempotency_key == "k1"


def test_a_save_against_a_stale_version_conflicts_and_loses_nothing(
    service: WorkflowService, store: MemoryStore
):
    _open_lamp(service)
    stale = store.load("L-1")
    service.apply("L-1", SwitchOn(), idempotency_key="k1", actor="t")
    other = stale.model_copy(update={"version": 2})
    other = other.model_copy(
        update={"audit": (*stale.audit, store.load("L-1").audit[-1].model_copy())}
    )
    with pytest.raises(ConcurrencyConflictError) as info:
        store.save(other, expected_version=1)
    assert (info.value.expected_version, info.value.actual_version) == (1, 2)
    assert store.load("L-1").state == "on"


# --- definitions -----------------------------------------------------------------------------


def test_a_command_with_an_unknown_event_is_a_configuration_error():
    class Dance(Command):
        event: ClassVar[str] = "dance"

    with pytest.raises(ConfigurationError):
        Workflow(kind="lamp", machine=LampMachine, data=LampData, commands=(Dance,), policy=None)


@pytest.mark.parametrize("kind", ["", "Lamp", "lamp-2", "9lamp"])
def test_a_bad_kind_is_a_configuration_error(kind: str):
    with pytest.raises(ConfigurationError):
        Workflow(kind=kind, machine=LampMachine, data=LampData, commands=(), policy=None)


def test_two_workflows_of_one_kind_are_a_configuration_error(store: MemoryStore):
    with pytest.raises(ConfigurationError):
        WorkflowService(store, FixedClock(T0), [lamp_workflow(), lamp_workflow()])


def test_the_definition_knows_states_events_and_final_states():
    lamp = lamp_workflow()
    assert lamp.states == ("off", "on", "broken")
    assert lamp.final_states == frozenset({"broken"})
    assert lamp.events_in("off") == frozenset({"switch_on", "smash"})


# --- deadlines through the service -----------------------------------------------------------


def test_next_due_at_is_the_earliest_running_deadline(service: WorkflowService):
    snap = service.open("ticket", TicketData(subject="x"), case_id="T-1", actor="t")
    due = service.due(snap, T0)
    assert snap.next_due_at == min(d.due_at for d in due)
    assert [d.source for d in due] == ["SLA first reply", "SLA resolution"]


def test_waiting_on_the_customer_pauses_the_ticket_sla(service: WorkflowService, clock: FixedClock):
    service.open("ticket", TicketData(subject="x"), case_id="T-1", actor="t")
    resolution_before = service.due(service.load("T-1"))[-1].due_at
    pending = service.apply("T-1", AskCustomer(), idempotency_key="1", actor="t")
    assert pending.next_due_at is None
    assert service.due(pending) == ()
    clock.advance(timedelta(hours=3))
    back = service.apply("T-1", CustomerReplied(), idempotency_key="2", actor="t")
    (resolution,) = service.due(back)
    assert resolution.due_at == resolution_before + timedelta(hours=3)


def test_a_solved_ticket_reopens_inside_the_window_and_closes_for_good(
    service: WorkflowService, clock: FixedClock
):
    service.open("ticket", TicketData(subject="x"), case_id="T-1", actor="t")
    service.apply("T-1", ReplyToCustomer(), idempotency_key="1", actor="t")
    service.apply("T-1", SolveTicket(resolution="done"), idempotency_key="2", actor="t")
    clock.advance(timedelta(days=6))
    reopened = service.apply("T-1", ReopenTicket(), idempotency_key="3", actor="t")
    assert (reopened.state, reopened.data["reopen_count"]) == ("open", 1)
    service.apply("T-1", SolveTicket(resolution="done"), idempotency_key="4", actor="t")
    closed = service.apply("T-1", CloseTicket(), idempotency_key="5", actor="t")
    assert closed.state == "closed"
    assert service.due(closed) == ()


def test_due_requires_an_aware_instant(service: WorkflowService):
    snap = service.open("ticket", TicketData(subject="x"), case_id="T-1", actor="t")
    with pytest.raises(NaiveDatetimeError):
        service.due(snap, datetime(2026, 1, 5))


def test_due_rejects_a_non_snapshot(service: WorkflowService):
    bad: Any = {"id": "x"}
    with pytest.raises(InvalidInputError):
        service.due(bad)
