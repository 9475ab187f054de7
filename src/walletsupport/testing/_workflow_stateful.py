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
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from pydantic import BaseModel

from walletsupport.adapters.memory import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import GuardRejectedError, TransitionNotAllowedError
from walletsupport.ports import WorkflowStore
from walletsupport.workflows.definition import Command, Workflow
from walletsupport.workflows.service import WorkflowService
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["ANY", "WorkflowRuleMachine"]


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
    case_id: ClassVar[str] = "case-1"

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

    def current(self) -> CaseSnapshot:
        """The stored snapshot of the case."""
        return self.service.load(self.case_id)

    @rule(data=st.data())
    def send_a_command(self, data: st.DataObject) -> None:
        command = data.draw(self.commands(), label="command")
        before = self.current()
        expected = self.expect(before, command)
        self.counter += 1
        key = f"key-{self.counter}"
        try:
            after = self.service.apply(
                self.case_id, command, idempotency_key=key, actor="test:agent"
            )
        except (TransitionNotAllowedError, GuardRejectedError) as exc:
            self.messages.append(str(exc))
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
        self.accepted += 1
        self.versions.append(after.version)
        self.sent[key] = (command, after)

    @rule(minutes=st.integers(min_value=0, max_value=10_000))
    def advance_the_clock(self, minutes: int) -> None:
        self.clock.advance(min(timedelta(minutes=minutes), self.max_advance))

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
