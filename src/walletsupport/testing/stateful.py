"""Stateful-test bases: check a custom workflow against the real engine in a few lines.

[WorkflowRuleMachine][walletsupport.testing.stateful.WorkflowRuleMachine] (from the engine's
own test suite) opens one case through a real
[WorkflowService][walletsupport.workflows.WorkflowService] and, after every random step,
checks that the audit trail has one entry per accepted command, that versions strictly
increase, that replaying an idempotency key changes nothing, that refused commands change
nothing, that final states absorb every command and that snapshots round-trip through JSON.
You give it ``workflows``, ``kind``, ``initial_data`` and ``commands`` (and optionally
``expect``, your tiny model of the rules).

[WorkflowStateMachine][walletsupport.testing.stateful.WorkflowStateMachine] needs even less:
``commands`` defaults to the kit's [commands][walletsupport.testing.strategies.commands]
strategy (mostly commands the current state has a transition for, so long paths get walked;
codes issued during the run are remembered so the right one can be sent), and it adds
invariants on deadlines and on secrets issued during the run.

Both move ``self.clock`` (a [FixedClock][walletsupport.clock.FixedClock]) by small steps, by
jumps sized from the workflow's own deadlines (just before, at and after each running
``due_at``) and by steering (each running deadline is approached from just before, then
crossed, by commands of the same example), record what a run exercised in a
[WorkflowCoverage][walletsupport.testing.stateful.WorkflowCoverage] (``Machine.last_coverage``)
and fail a run in which a deadline the workflow listed was never crossed by a command.

Knobs (class attributes):

* ``start_at``: where ``self.clock`` starts (default Monday 2026-01-05 09:00 UTC);
* ``max_advance``: the largest small step of the clock (default 3 days);
* ``deadline_offsets``: where jumps land around a deadline's ``due_at``
  ([DEFAULT_DEADLINE_OFFSETS][walletsupport.testing.stateful.DEFAULT_DEADLINE_OFFSETS];
  ``()`` switches jumps and steering off);
* ``steer_to_deadlines``: steer the clock to just before, then past, every running deadline
  not yet crossed in the example (default ``True``); ``steer_patience``: the most commands a
  deadline waits before that (drawn from 0 to it, default 6);
* ``require_deadlines_crossed``: fail a run that never crossed a listed deadline (default
  ``True``); ``min_deadline_steps``: only once it was running for that many commands
  (default 10);
* ``secrets``: strings that must never appear in a snapshot or an error message;
* ``case_id``: the id of the case under test.

Examples:
    >>> from walletsupport.workflows.ticket import TicketData, ticket_workflow
    >>> class TicketRules(WorkflowStateMachine):
    ...     workflows = (ticket_workflow(),)
    ...     kind = "ticket"
    ...     def initial_data(self):
    ...         return TicketData(subject="card declined")
    >>> import io, unittest
    >>> from hypothesis import settings
    >>> TicketRules.TestCase.settings = settings(
    ...     max_examples=20, stateful_step_count=10, deadline=None)
    >>> result = unittest.TextTestRunner(stream=io.StringIO()).run(
    ...     unittest.defaultTestLoader.loadTestsFromTestCase(TicketRules.TestCase))
    >>> result.wasSuccessful()
    True
    >>> coverage = TicketRules.last_coverage
    >>> "first_reply" in coverage.deadlines_crossed
    True
    >>> coverage.uncrossed_deadlines(min_steps=TicketRules.min_deadline_steps)
    set()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.stateful import invariant

from walletsupport.testing import _workflows
from walletsupport.testing._workflow_stateful import (
    ANY,
    DEFAULT_DEADLINE_OFFSETS,
    WorkflowCoverage,
    WorkflowRuleMachine,
)
from walletsupport.testing.strategies import _value_overrides
from walletsupport.workflows.definition import Command

__all__ = [
    "ANY",
    "DEFAULT_DEADLINE_OFFSETS",
    "WorkflowCoverage",
    "WorkflowRuleMachine",
    "WorkflowStateMachine",
]


def _check(condition: bool, message: str) -> None:
    """Fail the hypothesis step with ``message`` (works under ``python -O`` too)."""
    if not condition:
        raise AssertionError(message)


class WorkflowStateMachine(WorkflowRuleMachine):
    """A [WorkflowRuleMachine][walletsupport.testing.stateful.WorkflowRuleMachine] that makes
    its own commands and also checks deadlines and run-time secrets.

    Set ``workflows``, ``kind`` and ``initial_data``; optionally ``makers`` (command makers by
    class name, see [commands][walletsupport.testing.strategies.commands]), ``expect`` and
    ``secrets``. Extra invariants:

    * ``service.due`` answers for every snapshot; a case in a final state has no running
      deadline and no ``next_due_at``;
    * no code or token issued during the run (see
      [dynamic_secrets][walletsupport.testing.stateful.WorkflowStateMachine.dynamic_secrets])
      appears in any snapshot JSON, snapshot or audit ``repr``, or error message.

    Examples:
        >>> WorkflowStateMachine.makers
        {}
    """

    makers: ClassVar[Mapping[str, _workflows.Maker]] = {}

    def __init__(self) -> None:
        super().__init__()
        self._context = _workflows.Context(
            self.workflow,
            self.current(),
            self.clock.now(),
            _value_overrides(),
            case_id=self.case_id,
        )
        self._makers = _workflows.resolve_makers(self.workflow, self.makers)
        self._edges = _workflows.transition_edges(self.workflow)

    def dynamic_secrets(self) -> Iterable[str]:
        """Secrets that exist only at run time (codes and tokens issued by makers so far)."""
        return tuple(self._context.secrets.values())

    def commands(self) -> st.SearchStrategy[Command]:
        """Mostly commands with a transition out of the current state, sometimes any command.

        Among those, commands that keep the case open (a transition to a non-final state) are
        preferred half of the time, so that paths past an early way out (accept, cancel) get
        walked too.
        """
        snapshot = self.current()
        allowed = self.workflow.events_in(snapshot.state)
        relevant = [c for c in self.workflow.commands if c.event in allowed]
        final = self.workflow.final_states
        targets = self._edges.get(snapshot.state, {})
        onward = [c for c in relevant if targets.get(c.event, set()) - final] or relevant
        every = list(self.workflow.commands)
        context, makers = self._context, self._makers
        context.snapshot, context.at = snapshot, self.clock.now()

        @st.composite
        def build(draw: st.DrawFn) -> Command:
            choice = draw(st.integers(0, 3)) if relevant else 0
            pool = every if choice == 0 else relevant if choice == 1 else onward
            command = _workflows.make_command(draw, context, draw(st.sampled_from(pool)), makers)
            if command is None:
                reject()
            return command

        return build()

    @invariant()
    def deadlines_stop_in_final_states(self) -> None:
        snapshot = self.current()
        due = self.service.due(snapshot, self.clock.now())
        _check(list(due) == sorted(due, key=lambda d: d.due_at), "deadlines are not sorted")
        if snapshot.state in self.workflow.final_states:
            _check(due == (), f"final state {snapshot.state!r} still has deadlines")
            _check(snapshot.next_due_at is None, "a closed case keeps a next_due_at")

    @invariant()
    def no_run_time_secret_leaks(self) -> None:
        secrets = [s for s in self.dynamic_secrets() if len(s) >= 4]
        if not secrets:
            return
        snapshot = self.current()
        texts: list[Any] = [snapshot.model_dump_json(), repr(snapshot), *self.messages]
        texts += [repr(entry) for entry in self.service.store.audit(self.case_id)]
        for secret in secrets:
            _check(not any(secret in text for text in texts), "a run-time secret leaked")
