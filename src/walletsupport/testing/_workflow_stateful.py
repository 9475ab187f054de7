"""A reusable hypothesis ``RuleBasedStateMachine`` base for workflow tests (private for now).

Subclass [WorkflowRuleMachine][walletsupport.testing._workflow_stateful.WorkflowRuleMachine],
set ``workflows`` and ``kind``, implement ``initial_data``, ``commands`` and (optionally)
``expect`` — the tiny model: the state a command must lead to, ``None`` if it must be refused,
or ``ANY`` when a guard decides. The base opens one case through the real
[WorkflowService][walletsupport.workflows.WorkflowService] and checks, after every step:

* the audit trail has one entry per accepted command (plus the opening entry);
* versions strictly increase, and ``version == len(audit)``;
* final states absorb (every command is refused there);
* replaying an idempotency key returns the first result and changes nothing;
* a refused command changes nothing;
* no string listed in ``secrets`` appears in any snapshot JSON or error message;
* the snapshot round-trips through JSON.

Time is part of the rules, so the base moves ``self.clock`` (a
[FixedClock][walletsupport.clock.FixedClock] starting at ``start_at``) in three ways: small
random steps of at most ``max_advance``; random jumps sized from the workflow's own deadlines
(before a command it may jump to a running deadline's ``due_at`` plus one of
``deadline_offsets``: by default one hour and one second before, exactly at, one second, one
hour and three days after); and, with ``steer_to_deadlines`` (the default), steering: a
deadline not yet crossed in the example waits 0 to ``steer_patience`` commands, then the
clock is moved just before it for one command and past it for the next; a command that would
stop it is sent past it or (as drawn, if none was sent there yet) just before it, never in
between. Each run keeps a
[WorkflowCoverage][walletsupport.testing._workflow_stateful.WorkflowCoverage] record (states,
transitions, refusals, deadlines seen, crossed and jumped to), and the run fails when a
deadline the workflow listed was never crossed by a command (``require_deadlines_crossed``).
``run_checked(settings, seed=n)`` runs under an explicit seed.
"""

from __future__ import annotations

import unittest
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

import hypothesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from pydantic import BaseModel

from walletsupport.adapters.memory import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import GuardRejectedError, TransitionNotAllowedError, WalletSupportError
from walletsupport.ports import WorkflowStore
from walletsupport.regulation import Deadline
from walletsupport.workflows import _engine
from walletsupport.workflows.definition import Command, Workflow
from walletsupport.workflows.service import WorkflowService
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["ANY", "DEFAULT_DEADLINE_OFFSETS", "WorkflowCoverage", "WorkflowRuleMachine"]

#: Where the base jumps around each running deadline: before, at and after its ``due_at``.
DEFAULT_DEADLINE_OFFSETS: tuple[timedelta, ...] = (
    -timedelta(hours=1),
    -timedelta(seconds=1),
    timedelta(0),
    timedelta(seconds=1),
    timedelta(hours=1),
    timedelta(days=3),
)

Side = Literal["before", "at", "after"]


@dataclass
class WorkflowCoverage:
    """What a stateful run exercised, across all its examples.

    Attributes:
        states: every state a case stood in when a command was sent.
        transitions: ``(state, event, new state)`` of every accepted command.
        refused: ``(state, event)`` of every refused command.
        deadlines_seen: the names of every deadline ``service.due`` listed.
        deadline_steps: how many commands were sent while each deadline was running.
        deadlines_crossed: deadlines a command was sent at or after (while still listed).
        deadline_jumps: ``(deadline, "before" | "at" | "after")`` of every clock jump.

    Examples:
        >>> record = WorkflowCoverage()
        >>> record.states.add("open")
        >>> record.uncrossed_deadlines()
        set()
    """

    states: set[str] = field(default_factory=set)
    transitions: set[tuple[str, str, str]] = field(default_factory=set)
    refused: set[tuple[str, str]] = field(default_factory=set)
    deadlines_seen: set[str] = field(default_factory=set)
    deadline_steps: dict[str, int] = field(default_factory=dict)
    deadlines_crossed: set[str] = field(default_factory=set)
    deadline_jumps: set[tuple[str, Side]] = field(default_factory=set)

    def merge(self, other: WorkflowCoverage) -> None:
        """Add everything ``other`` recorded to this record."""
        self.states |= other.states
        self.transitions |= other.transitions
        self.refused |= other.refused
        self.deadlines_seen |= other.deadlines_seen
        for name, steps in other.deadline_steps.items():
            self.deadline_steps[name] = self.deadline_steps.get(name, 0) + steps
        self.deadlines_crossed |= other.deadlines_crossed
        self.deadline_jumps |= other.deadline_jumps

    def uncrossed_deadlines(self, min_steps: int = 1) -> set[str]:
        """Deadlines never crossed by a command, though running for at least ``min_steps``."""
        return {
            name
            for name in self.deadlines_seen - self.deadlines_crossed
            if self.deadline_steps.get(name, 0) >= min_steps
        }


def _side(offset: timedelta) -> Side:
    return "before" if offset < timedelta(0) else "at" if offset == timedelta(0) else "after"


class _CheckedTestCase:
    """``Machine.TestCase``: a ``unittest.TestCase`` that runs the machine, then checks coverage.

    Built once per machine class (like hypothesis's own), on public hypothesis APIs only.
    """

    def __init__(self) -> None:
        self._made: dict[type[WorkflowRuleMachine], type[unittest.TestCase]] = {}

    def __get__(
        self, obj: WorkflowRuleMachine | None, owner: type[WorkflowRuleMachine] | None = None
    ) -> type[unittest.TestCase]:
        machine = owner if owner is not None else type(obj) if obj is not None else None
        if machine is None:  # pragma: no cover - Python always passes the owner
            raise AttributeError("TestCase")
        if machine not in self._made:
            self._made[machine] = _test_case_for(machine)
        return self._made[machine]


def _test_case_for(machine: type[WorkflowRuleMachine]) -> type[unittest.TestCase]:
    class MachineTestCase(unittest.TestCase):
        settings: ClassVar[Any] = settings(deadline=None, suppress_health_check=list(HealthCheck))

        def runTest(self) -> None:
            machine.run_checked(self.settings)

    MachineTestCase.__name__ = f"{machine.__name__}.TestCase"
    MachineTestCase.__qualname__ = f"{machine.__qualname__}.TestCase"
    return MachineTestCase


def _check(condition: bool, message: str = "invariant broken") -> None:
    """``assert`` that survives ``python -O``."""
    if not condition:
        raise AssertionError(message)


class _Any:
    def __repr__(self) -> str:
        return "ANY"


#: ``expect`` returns this when the model does not know (a guard decides).
ANY: Any = _Any()


class WorkflowRuleMachine(RuleBasedStateMachine):
    """Base class: random commands against the real service and a tiny model."""

    workflows: ClassVar[tuple[Workflow[Any, Any], ...]] = ()
    kind: ClassVar[str] = ""
    secrets: ClassVar[tuple[str, ...]] = ()
    start_at: ClassVar[datetime] = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    max_advance: ClassVar[timedelta] = timedelta(days=3)
    deadline_offsets: ClassVar[tuple[timedelta, ...]] = DEFAULT_DEADLINE_OFFSETS
    #: Steer the clock to every running deadline this example has not crossed yet: after at
    #: most ``steer_patience`` commands while it runs (how many is drawn), one command is sent
    #: just before it and the next at or after it, so it is crossed by the
    #: ``steer_patience + 2``-th command at the latest; a command that would stop it goes just
    #: before it or past it. ``False`` leaves crossing to the random jumps.
    steer_to_deadlines: ClassVar[bool] = True
    steer_patience: ClassVar[int] = 6
    require_deadlines_crossed: ClassVar[bool] = True
    #: A deadline must have been running for this many commands before never crossing it
    #: fails the run (a deadline reached once at the very end of one example is no evidence).
    min_deadline_steps: ClassVar[int] = 10
    case_id: ClassVar[str] = "case-1"

    #: The coverage of the last finished ``TestCase`` run of this class (``None`` before).
    last_coverage: ClassVar[WorkflowCoverage | None] = None
    _run_coverage: ClassVar[WorkflowCoverage | None] = None

    TestCase = _CheckedTestCase()  # type: ignore[assignment]

    @classmethod
    def run_checked(
        cls, run_settings: Any = None, *, seed: Hashable | None = None
    ) -> WorkflowCoverage:
        """Run the machine as a test (what ``TestCase`` does); return its coverage record.

        ``run_settings`` defaults to ``TestCase.settings``. With ``seed`` the run draws from
        that seed (hypothesis's ``@seed``, which overrides ``derandomize``): the same seed
        replays the same examples, another seed explores others.

        Raises:
            AssertionError: a step broke an invariant or the model, or (with
                ``require_deadlines_crossed``) a deadline the workflow listed was never
                crossed by a command in the whole run.
        """
        if run_settings is None:
            run_settings = getattr(cls.TestCase, "settings", None)
        machine: type[WorkflowRuleMachine] = cls
        if seed is not None:
            same = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
            machine = hypothesis.seed(seed)(type(cls.__name__, (cls,), same))
        record = WorkflowCoverage()
        machine._run_coverage = record
        try:
            run_state_machine_as_test(machine, settings=run_settings)
        finally:
            machine._run_coverage = None
            cls.last_coverage = record
        missed = sorted(record.uncrossed_deadlines(cls.min_deadline_steps))
        if cls.require_deadlines_crossed and missed:
            raise AssertionError(
                f"{cls.__name__}: deadline(s) {', '.join(map(repr, missed))} of workflow "
                f"{cls.kind!r} were listed but never crossed by a command in this run; "
                "keep deadline_offsets, raise max_examples or stateful_step_count, or set "
                "require_deadlines_crossed = False"
            )
        return record

    # --- hooks ------------------------------------------------------------------------------

    def make_store(self) -> WorkflowStore:
        """The store under test (a fresh ``MemoryStore`` by default)."""
        return MemoryStore()

    def initial_data(self) -> BaseModel | Mapping[str, object]:
        """The data the case is opened with."""
        raise NotImplementedError

    def commands(self) -> st.SearchStrategy[Command]:
        """Commands to send (may depend on ``self.clock.now()`` and the current snapshot)."""
        raise NotImplementedError

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        """The tiny model: the expected next state, ``None`` (refused) or ``ANY``."""
        return ANY

    # --- machinery --------------------------------------------------------------------------

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(self.start_at)
        self.store = self.make_store()
        self.service = WorkflowService(self.store, self.clock, self.workflows)
        self.workflow = self.service.workflow(self.kind)
        opened = self.service.open(
            self.kind, self.initial_data(), case_id=self.case_id, actor="test:opener"
        )
        self.accepted = 0
        self.versions = [opened.version]
        self.sent: dict[str, tuple[Command, CaseSnapshot]] = {}
        self.messages: list[str] = []
        self.counter = 0
        self.coverage = WorkflowCoverage()
        self._plans: dict[str, tuple[int, bool]] = {}
        self._approached: set[str] = set()

    def teardown(self) -> None:
        """Add this example's coverage to the run's record."""
        run = type(self)._run_coverage
        if run is not None:
            run.merge(self.coverage)

    def current(self) -> CaseSnapshot:
        """The stored snapshot of the case."""
        return self.service.load(self.case_id)

    def _jump_to_a_deadline(
        self, data: st.DataObject, snapshot: CaseSnapshot, *, crossing: bool = False
    ) -> bool:
        """Move the clock to just before, at or after one of the running deadlines.

        With ``crossing`` only offsets at or after the deadline are used. Returns whether the
        clock moved.
        """
        running = self.service.due(snapshot, self.clock.now())
        if not running or not self.deadline_offsets:
            return False
        # deadlines this example has not crossed yet come first (the choice depends only on
        # the example's own history, so a failing example replays the same way)
        # the latest first: a jump past it crosses every earlier one too
        fresh = [d for d in reversed(running) if d.name not in self.coverage.deadlines_crossed]
        deadline = data.draw(st.sampled_from(fresh or running[::-1]), label="deadline")
        # with steering, a deadline not crossed yet is not jumped past before a command was
        # sent just before it
        hold = False
        if self.steer_to_deadlines and deadline.name not in self.coverage.deadlines_crossed:
            if deadline.name not in self._plans:
                self._draw_plan(data, deadline)
            hold = deadline.name not in self._approached
        by_side: dict[Side, list[timedelta]] = {}
        for choice in self.deadline_offsets:
            if hold and choice >= timedelta(0):
                continue
            if not crossing or choice >= timedelta(0):
                by_side.setdefault(_side(choice), []).append(choice)
        if not by_side:
            return False
        sides = [side for side in ("before", "at", "after") if side in by_side]
        side = data.draw(st.sampled_from(sides), label="side")
        offset = data.draw(st.sampled_from(by_side[side]), label="offset")
        if deadline.due_at + offset <= self.clock.now():
            return False
        self._move_to(deadline, offset)
        return True

    def _steer_to_a_deadline(self, data: st.DataObject, snapshot: CaseSnapshot) -> Side | None:
        """Move the clock towards the running deadlines this example has not crossed.

        Once a deadline has run for the number of commands its plan waits (0 to
        ``steer_patience``), one command is sent just before
        it (unless one was already, or no negative offset lies ahead) and the next at or
        after it. Returns where the clock was moved to (``"before"``, ``"at"``, ``"after"``) or
        ``None``.
        """
        now = self.clock.now()
        ready: list[Deadline] = []
        for deadline in self.service.due(snapshot, now):
            if deadline.name in self.coverage.deadlines_crossed or deadline.due_at <= now:
                continue
            if deadline.name not in self._plans:
                self._draw_plan(data, deadline)
            patience, _ = self._plans[deadline.name]
            if self.coverage.deadline_steps.get(deadline.name, 0) >= patience:
                ready.append(deadline)
        if not ready:
            return None
        offsets = self.deadline_offsets
        # approach each (earliest first), then cross the latest: past every earlier one too
        for deadline in sorted(ready, key=lambda d: (d.due_at, d.name)):
            before = [o for o in offsets if o < timedelta(0) and deadline.due_at + o > now]
            if before and deadline.name not in self._approached:
                self._approached.add(deadline.name)
                self._move_to(deadline, data.draw(st.sampled_from(before), label="just before"))
                return "before"
        deadline = max(ready, key=lambda d: (d.due_at, d.name))
        across = [o for o in offsets if o >= timedelta(0)] or [timedelta(0)]
        offset = data.draw(st.sampled_from(across), label="at or after")
        self._move_to(deadline, offset)
        return _side(offset)

    def _before_it_ends(
        self, data: st.DataObject, snapshot: CaseSnapshot, command: Command
    ) -> bool:
        """``command`` would stop a running deadline this example has not crossed (a dry run
        through the engine says so): if the deadline was not approached yet and the plan's
        coin says so, the clock is moved just before it; otherwise at or after it, so the
        deadline is never let go at some time in between (crossing comes first: a command
        steered to just before a deadline that would stop it is sent past it instead).
        Nothing moves if ``command`` is refused.
        Returns whether the clock moved (the caller then draws the command again).
        """
        now = self.clock.now()
        open_ = [
            d
            for d in self.service.due(snapshot, now)
            if d.name not in self.coverage.deadlines_crossed and d.due_at > now
        ]
        if not open_:
            return False
        after = self._dry_run(snapshot, command)
        if after is None:
            return False
        still = {d.name for d in self.service.due(after, now)}
        ending = [d for d in open_ if d.name not in still]
        if not ending:
            return False
        # the latest: a command just before or past it is past every earlier one too
        deadline = max(ending, key=lambda d: (d.due_at, d.name))
        if deadline.name not in self._plans:
            self._draw_plan(data, deadline)
        offsets = self.deadline_offsets
        # a command already sent just before it (after a random jump) counts as an approach
        jumped_before = (deadline.name, "before") in self.coverage.deadline_jumps
        if jumped_before:
            self._approached.add(deadline.name)
        if self._plans[deadline.name][1] and deadline.name not in self._approached:
            before = [o for o in offsets if o < timedelta(0) and deadline.due_at + o > now]
            self._approached.add(deadline.name)
            if not before:
                return False  # it is already just before
            self._move_to(deadline, data.draw(st.sampled_from(before), label="just before"))
            return True
        across = [o for o in offsets if o >= timedelta(0)] or [timedelta(0)]
        self._move_to(deadline, data.draw(st.sampled_from(across), label="at or after"))
        return True

    def _dry_run(self, snapshot: CaseSnapshot, command: Command) -> CaseSnapshot | None:
        """What ``command`` would make of ``snapshot`` now (nothing is saved); ``None`` if the
        engine would refuse it."""
        at = max(self.clock.now(), snapshot.updated_at)
        try:
            return _engine.step(
                self.workflow, snapshot, command, at=at, actor="test:agent", idempotency_key=None
            )
        except WalletSupportError:
            return None

    def _draw_plan(self, data: st.DataObject, deadline: Deadline) -> None:
        """How long the deadline waits before it is steered to, and where the command that
        would stop it before it was approached goes (just before, or at or after it). Drawn
        through ``data``, so a failing example shrinks and replays."""
        patience = data.draw(st.integers(0, max(self.steer_patience, 0)), label="wait")
        before = data.draw(st.booleans(), label="last command just before")
        self._plans[deadline.name] = (patience, before)

    def _move_to(self, deadline: Deadline, offset: timedelta) -> None:
        self.clock.set(deadline.due_at + offset)
        self.coverage.deadline_jumps.add((deadline.name, _side(offset)))

    def _record_deadlines(self, snapshot: CaseSnapshot) -> None:
        """A command at ``now`` crosses every deadline that ran when the case last changed
        (or runs now) and is due at or before ``now``."""
        now = self.clock.now()
        running = {
            *self.service.due(snapshot, snapshot.updated_at),
            *self.service.due(snapshot, now),
        }
        for deadline in running:
            self.coverage.deadlines_seen.add(deadline.name)
        for name in {deadline.name for deadline in running}:
            self.coverage.deadline_steps[name] = self.coverage.deadline_steps.get(name, 0) + 1
        for deadline in running:
            if deadline.is_overdue(now):
                self.coverage.deadlines_crossed.add(deadline.name)

    def _has_running_deadline(self) -> bool:
        return bool(self.deadline_offsets) and bool(
            self.service.due(self.current(), self.clock.now())
        )

    @precondition(_has_running_deadline)
    @rule(data=st.data())
    def cross_a_deadline_then_send_a_command(self, data: st.DataObject) -> None:
        """Jump to (or past) a running deadline, then send a command there.

        With ``steer_to_deadlines`` a deadline this example has not crossed yet is left to the
        steering (a command just before it first, after its wait), so that the first commands
        of a case still happen well before its deadlines.
        """
        snapshot = self.current()
        now = self.clock.now()
        waiting = self.steer_to_deadlines and any(
            d.name not in self.coverage.deadlines_crossed and d.due_at > now
            for d in self.service.due(snapshot, now)
        )
        if waiting:
            self._send(data)
            return
        self._jump_to_a_deadline(data, snapshot, crossing=True)
        self._send(data, steer=False)

    @rule(data=st.data())
    def send_a_command(self, data: st.DataObject) -> None:
        """Send one command, sometimes after a jump to just before, at or after a deadline."""
        jumped = data.draw(st.integers(0, 3), label="jump") == 3
        self._send(data, steer=not (jumped and self._jump_to_a_deadline(data, self.current())))

    def _send(self, data: st.DataObject, *, steer: bool = True) -> None:
        """Send one command, steering the clock first unless it was just moved (a command
        sent just before a deadline is sent there, whatever it is)."""
        steering = steer and self.steer_to_deadlines and bool(self.deadline_offsets)
        if steering:
            self._steer_to_a_deadline(data, self.current())
        command = data.draw(self.commands(), label="command")
        before = self.current()
        if (
            steering
            and self._before_it_ends(data, before, command)
            and self._dry_run(before, command) is None
        ):
            # commands may depend on the time (a code valid for five minutes): one the engine
            # would now refuse is drawn again at the new time
            command = data.draw(self.commands(), label="command at the new time")
        self._record_deadlines(before)
        self.coverage.states.add(before.state)
        expected = self.expect(before, command)
        self.counter += 1
        key = f"key-{self.counter}"
        try:
            after = self.service.apply(
                self.case_id, command, idempotency_key=key, actor="test:agent"
            )
        except (TransitionNotAllowedError, GuardRejectedError) as exc:
            self.messages.append(str(exc))
            self.coverage.refused.add((before.state, command.event))
            _check(
                expected is None or expected is ANY,
                f"{type(command).__name__} in {before.state!r} was refused ({exc}); "
                f"the model expected {expected!r}",
            )
            _check(self.current() == before, "a refused command changed the case")
            return
        _check(
            before.state not in self.workflow.final_states,
            f"final state {before.state!r} accepted {type(command).__name__}",
        )
        _check(
            expected is ANY or expected == after.state,
            f"{type(command).__name__} in {before.state!r} led to {after.state!r}; "
            f"the model expected {expected!r}",
        )
        _check(after.version == before.version + 1, "the version did not advance by one")
        self.coverage.transitions.add((before.state, command.event, after.state))
        self.coverage.states.add(after.state)
        self.accepted += 1
        self.versions.append(after.version)
        self.sent[key] = (command, after)

    @rule(minutes=st.integers(min_value=0, max_value=10_000))
    def advance_the_clock(self, minutes: int) -> None:
        """A small step; with ``steer_to_deadlines`` it stops short of a deadline this example
        has not crossed (the earliest ``deadline_offsets`` before it), which the steering then
        crosses with a command just before it and one at or after it."""
        now = self.clock.now()
        target = now + min(timedelta(minutes=minutes), self.max_advance)
        earliest = min(self.deadline_offsets, default=timedelta(0))
        if self.steer_to_deadlines and earliest < timedelta(0):
            for deadline in self.service.due(self.current(), now):
                if deadline.name not in self.coverage.deadlines_crossed and deadline.due_at > now:
                    target = min(target, max(now, deadline.due_at + earliest))
        self.clock.set(target)

    @precondition(lambda self: bool(self.sent))
    @rule(data=st.data())
    def replay_an_earlier_key(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.sent)), label="key")
        command, first = self.sent[key]
        before = self.current()
        again = self.service.apply(self.case_id, command, idempotency_key=key, actor="test:agent")
        _check(again == first, "a replay did not return the first result")
        _check(self.current() == before, "a replay changed the case")

    @invariant()
    def audit_has_one_entry_per_accepted_command(self) -> None:
        trail = self.service.store.audit(self.case_id)
        _check(len(trail) == 1 + self.accepted == self.current().version)

    @invariant()
    def versions_strictly_increase(self) -> None:
        _check(all(a < b for a, b in zip(self.versions, self.versions[1:], strict=False)))
        _check(self.current().version == self.versions[-1])

    @invariant()
    def no_secret_in_any_snapshot_or_message(self) -> None:
        texts = [self.current().model_dump_json(), *self.messages]
        for secret in self.secrets:
            _check(not any(secret in text for text in texts), "a secret leaked")

    @invariant()
    def snapshot_round_trips_through_json(self) -> None:
        snapshot = self.current()
        _check(CaseSnapshot.model_validate_json(snapshot.model_dump_json()) == snapshot)
