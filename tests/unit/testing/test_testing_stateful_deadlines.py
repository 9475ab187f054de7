"""The stateful base crosses every deadline of the workflow and records what it exercised.

Issue 21, finding 2: with clock moves of at most three days no command came after a
seven-business-day deadline, so two deliberately broken ``expect`` models passed.
"""

from __future__ import annotations

import io
import unittest
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

import pytest
from hypothesis import Phase, settings
from pydantic import BaseModel, Field
from statemachine import StateMachine
from statemachine.states import States

from walletsupport.calendars import Schedule
from walletsupport.regulation import DayCount, TimeLimit
from walletsupport.testing.stateful import ANY, WorkflowCoverage, WorkflowStateMachine
from walletsupport.workflows import CaseContext, CaseSnapshot, Command, Deadline, Workflow

#: Singapore office days: Monday to Friday, closed on public holidays.
SG_DAYS = Schedule(
    zone="Asia/Singapore",
    hours={day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
    holidays=[date(2026, 1, 1), date(2026, 2, 17), date(2026, 2, 18)],
)
EVIDENCE = TimeLimit(amount=7, unit=DayCount.BUSINESS_DAYS)


class EvidenceState(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    EXPIRED = "expired"


class EvidenceData(BaseModel, frozen=True, extra="forbid"):
    reason_code: str = Field(pattern=r"^\d{1,2}\.\d{1,2}$")


def _due(created: datetime) -> datetime:
    return EVIDENCE.ends_at(created, SG_DAYS)


class EvidenceMachine(StateMachine):
    _ = States.from_enum(
        EvidenceState,
        initial=EvidenceState.OPEN,
        final=[EvidenceState.SUBMITTED, EvidenceState.EXPIRED],
    )
    submit = _.OPEN.to(_.SUBMITTED, validators="in_time")
    expire = _.OPEN.to(_.EXPIRED, validators="too_late")

    def in_time(self, case: CaseContext[EvidenceData, None]) -> None:
        if case.at >= _due(case.created_at):
            case.reject("the evidence deadline has passed")

    def too_late(self, case: CaseContext[EvidenceData, None]) -> None:
        if case.at < _due(case.created_at):
            case.reject("the evidence deadline has not passed yet")


class Submit(Command):
    event: ClassVar[str] = "submit"


class Expire(Command):
    event: ClassVar[str] = "expire"


def _deadlines(
    snapshot: CaseSnapshot, data: EvidenceData, policy: None, at: datetime
) -> list[Deadline]:
    if snapshot.state != EvidenceState.OPEN:
        return []
    return [Deadline(name="evidence_due", due_at=_due(snapshot.created_at), source="test §1")]


FLOW = Workflow(
    kind="evidence",
    machine=EvidenceMachine,
    data=EvidenceData,
    commands=(Submit, Expire),
    policy=None,
    deadlines=_deadlines,
)
RUN = settings(max_examples=60, stateful_step_count=12, deadline=None, database=None)
#: A run expected to fail: finding the failure is the point, shrinking it would only cost time.
NO_SHRINK = settings(RUN, phases=[Phase.generate])


class EvidenceRules(WorkflowStateMachine):
    workflows = (FLOW,)
    kind = "evidence"

    def initial_data(self) -> EvidenceData:
        return EvidenceData(reason_code="13.1")

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        late = self.clock.now() >= _due(snapshot.created_at)
        if snapshot.state != "open":
            return None
        if command.event == "submit":
            return None if late else "submitted"
        return "expired" if late else None


class ExpiryNeverAccepted(EvidenceRules):
    """Broken: forgets that expiry is accepted once the deadline has passed."""

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        if snapshot.state == "open" and command.event == "submit":
            return ANY
        return None


class SubmitAlwaysAccepted(EvidenceRules):
    """Broken: forgets that evidence is refused after the deadline."""

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        if snapshot.state == "open" and command.event == "submit":
            return "submitted"
        return ANY


def _run(machine: type[WorkflowStateMachine], how: settings = RUN) -> unittest.TestResult:
    case = machine.TestCase
    case.settings = how
    return unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(case)
    )


def _messages(result: unittest.TestResult) -> str:
    return "\n".join(text for _, text in [*result.failures, *result.errors])


def test_the_right_model_passes_and_the_coverage_record_shows_the_deadline_crossed() -> None:
    result = _run(EvidenceRules, settings(RUN, max_examples=150))
    assert result.wasSuccessful(), _messages(result)
    coverage = EvidenceRules.last_coverage
    assert isinstance(coverage, WorkflowCoverage)
    assert {"open", "submitted", "expired"} <= coverage.states
    assert ("open", "expire", "expired") in coverage.transitions
    assert ("open", "submit", "submitted") in coverage.transitions
    assert coverage.deadlines_seen == {"evidence_due"}
    assert coverage.deadlines_crossed == {"evidence_due"}
    assert len({side for _, side in coverage.deadline_jumps}) >= 2
    offsets = EvidenceRules.deadline_offsets
    assert min(offsets) < timedelta(0) == sorted(offsets)[2] < max(offsets)  # before, at, after


@pytest.mark.parametrize("broken", [ExpiryNeverAccepted, SubmitAlwaysAccepted])
def test_a_model_wrong_only_after_the_deadline_now_fails(broken: type[Any]) -> None:
    result = _run(broken, NO_SHRINK)
    assert not result.wasSuccessful()
    assert "the model expected" in _messages(result)


class NeverCrosses(EvidenceRules):
    """Clock jumps to deadlines switched off and tiny moves: the deadline is never reached."""

    deadline_offsets: ClassVar[tuple[timedelta, ...]] = ()
    max_advance: ClassVar[timedelta] = timedelta(minutes=5)


def test_a_run_that_never_crosses_a_deadline_fails_naming_it() -> None:
    result = _run(NeverCrosses)
    assert not result.wasSuccessful()
    assert "evidence_due" in _messages(result)
    assert "never crossed" in _messages(result)


class NotChecked(NeverCrosses):
    require_deadlines_crossed: ClassVar[bool] = False


def test_the_crossing_check_can_be_switched_off() -> None:
    result = _run(NotChecked)
    assert result.wasSuccessful(), _messages(result)
    assert NotChecked.last_coverage.deadlines_crossed == set()


# --- steering: every deadline is crossed deterministically, not by luck -------------------------
#
# A far deadline (30 business days) on a case that stays open through many commands, with a
# clock that moves at most an hour at a time: only the jumps can reach it.

REPLY = TimeLimit(amount=30, unit=DayCount.BUSINESS_DAYS)


class LongState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class LongMachine(StateMachine):
    _ = States.from_enum(LongState, initial=LongState.OPEN, final=[LongState.CLOSED])
    note = _.OPEN.to.itself()
    close = _.OPEN.to(_.CLOSED)


class Note(Command):
    event: ClassVar[str] = "note"


class Close(Command):
    event: ClassVar[str] = "close"


def _reply_deadlines(
    snapshot: CaseSnapshot, data: EvidenceData, policy: None, at: datetime
) -> list[Deadline]:
    if snapshot.state != LongState.OPEN:
        return []
    due = REPLY.ends_at(snapshot.created_at, SG_DAYS)
    return [Deadline(name="reply_due", due_at=due, source="test §2")]


LONG = Workflow(
    kind="long",
    machine=LongMachine,
    data=EvidenceData,
    commands=(Note, Close),
    policy=None,
    deadlines=_reply_deadlines,
)


class LongRules(WorkflowStateMachine):
    workflows = (LONG,)
    kind = "long"
    max_advance: ClassVar[timedelta] = timedelta(hours=1)

    def initial_data(self) -> EvidenceData:
        return EvidenceData(reason_code="1.1")

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        if snapshot.state != "open":
            return None
        return "open" if command.event == "note" else "closed"

    def teardown(self) -> None:
        """The guarantee, checked in every example: a deadline a command stopped was crossed
        or approached from just before first, and one that ran for ``steer_patience + 2``
        commands was crossed, in this very example."""
        limit = self.steer_patience + 2
        approached = {name for name, side in self.coverage.deadline_jumps if side == "before"}
        for name, steps in self.coverage.deadline_steps.items():
            if steps >= limit and name not in self.coverage.deadlines_crossed:
                raise AssertionError(f"{name} ran for {steps} commands, never crossed")
            stopped = name not in {d.name for d in self.service.due(self.current())}
            if stopped and name not in self.coverage.deadlines_crossed | approached:
                raise AssertionError(f"{name} stopped, neither crossed nor approached first")
        super().teardown()


def test_steering_crosses_a_deadline_in_every_example_where_it_runs_long_enough() -> None:
    assert LongRules.steer_to_deadlines is True  # on by default
    coverage = LongRules.run_checked(RUN)
    assert coverage.deadlines_crossed == {"reply_due"}
    assert {("reply_due", "before"), ("reply_due", "after")} <= coverage.deadline_jumps
    assert ("open", "close", "closed") in coverage.transitions


def test_the_guarantee_holds_under_every_seed_and_the_seeds_see_both_sides() -> None:
    few = settings(RUN, max_examples=10, derandomize=False)
    jumps: set[tuple[str, str]] = set()
    for seed in range(10):
        coverage = LongRules.run_checked(few, seed=seed)  # the teardown checks every example
        assert coverage.deadlines_seen == {"reply_due"}, seed
        jumps |= coverage.deadline_jumps
    assert {("reply_due", "before"), ("reply_due", "after")} <= jumps


def test_a_seeded_run_replays_and_other_seeds_explore_other_examples() -> None:
    few = settings(RUN, max_examples=5, derandomize=False)

    def record(seed: int) -> tuple[object, ...]:
        coverage = EvidenceRules.run_checked(few, seed=seed)
        return (coverage.transitions, coverage.deadline_jumps, coverage.deadline_steps)

    assert record(1) == record(1)
    assert len({record(seed).__repr__() for seed in range(4)}) > 1
