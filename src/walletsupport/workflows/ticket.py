"""The support ticket itself: new -> open -> pending / on_hold -> solved -> closed.

* ``pending`` means waiting on the customer: the SLA clock is paused
  ([sla_due_at][walletsupport.policies.sla.sla_due_at]).
* ``on_hold`` means waiting on a third party (bank, card network): the SLA clock keeps running.
* A solved ticket may be reopened within ``reopen_window`` (7 days by default); after that
  the customer opens a new ticket. ``closed`` is absorbing.

Running deadlines: ``first_reply`` (until an agent replies), ``resolution`` (until solved;
paused while pending), ``auto_close`` (the end of the reopen window of a solved ticket).

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(MemoryStore(), clock, [ticket_workflow()])
    >>> data = TicketData(subject="refund missing")
    >>> _ = service.open("ticket", data, case_id="T-1", actor="customer")
    >>> _ = service.apply("T-1", ReplyToCustomer(), idempotency_key="1", actor="agent:4")
    >>> solve = SolveTicket(resolution="refunded")
    >>> case = service.apply("T-1", solve, idempotency_key="2", actor="agent:4")
    >>> _ = clock.advance(timedelta(days=8))
    >>> service.apply("T-1", ReopenTicket(), idempotency_key="3", actor="c")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    walletsupport.errors.GuardRejectedError: ticket: event 'reopen' refused in state 'solved': ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import AwareDatetime, Field
from statemachine import State, StateMachine
from statemachine.states import States

from walletsupport._construct import built
from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import ConfigurationError, WalletSupportError
from walletsupport.policies.sla import STANDARD_SLA, Pause, SlaPolicy
from walletsupport.values.text import FreeText
from walletsupport.workflows.audit import AuditEntry
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "AskCustomer",
    "CloseTicket",
    "CustomerReplied",
    "PutOnHold",
    "ReopenTicket",
    "ReplyToCustomer",
    "ResumeTicket",
    "SolveTicket",
    "StartWork",
    "TicketData",
    "TicketMachine",
    "TicketPolicy",
    "TicketPriority",
    "TicketState",
    "ticket_workflow",
]


class TicketState(WalletEnum):
    """The states of a ticket (stored values)."""

    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    ON_HOLD = "on_hold"
    SOLVED = "solved"
    CLOSED = "closed"


#: States in which the SLA clock runs.
RUNNING_STATES = frozenset({TicketState.NEW, TicketState.OPEN, TicketState.ON_HOLD})


class TicketPriority(WalletEnum):
    """How urgent the ticket is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TicketPolicy(WalletModel, frozen=True, extra="forbid"):
    """The ticket workflow's settings.

    Attributes:
        sla: first-reply and resolution targets (and the line's schedule).
        priority_sla: targets used instead for ``high`` and ``urgent`` tickets (``None``: ``sla``).
        reopen_window: how long after solving the customer may reopen.

    Examples:
        >>> from datetime import timedelta
        >>> TicketPolicy(reopen_window=timedelta(days=3)).reopen_window.days
        3
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    sla: SlaPolicy = STANDARD_SLA
    priority_sla: SlaPolicy | None = None
    reopen_window: timedelta = Field(default=timedelta(days=7), ge=timedelta(0))

    def sla_for(self, priority: TicketPriority) -> SlaPolicy:
        """The SLA that applies to a ticket of ``priority``.

        Examples:
            >>> TicketPolicy().sla_for(TicketPriority.URGENT).name
            'standard'
        """
        if priority in (TicketPriority.HIGH, TicketPriority.URGENT) and self.priority_sla:
            return self.priority_sla
        return self.sla


class TicketData(WalletModel, frozen=True, extra="forbid"):
    """What a ticket case stores.

    Examples:
        >>> TicketData(subject="card declined").priority
        <TicketPriority.NORMAL: 'normal'>
    """

    subject: FreeText = Field(min_length=1, max_length=200)
    channel: str = Field(default="chat", min_length=1, max_length=40)
    priority: TicketPriority = TicketPriority.NORMAL
    first_replied_at: AwareDatetime | None = None
    solved_at: AwareDatetime | None = None
    resolution: FreeText | None = None
    hold_reason: FreeText | None = None
    reopen_count: int = Field(default=0, ge=0)
    #: The intervals spent outside the SLA's running states (the last one may be open),
    #: kept here so that deadlines never walk the audit trail.
    pauses: tuple[tuple[AwareDatetime, AwareDatetime | None], ...] = ()


TicketCase = CaseContext[TicketData, TicketPolicy]


# --- commands --------------------------------------------------------------------------------


class StartWork(Command):
    """An agent picks the ticket up (new -> open)."""

    event: ClassVar[str] = "start_work"


class ReplyToCustomer(Command):
    """An agent replies publicly; the first one meets the first-reply SLA."""

    event: ClassVar[str] = "reply"


class AskCustomer(Command):
    """An agent asks the customer something and waits (-> pending; SLA paused)."""

    event: ClassVar[str] = "ask_customer"
    question: str = Field(default="", max_length=500)


class CustomerReplied(Command):
    """The customer answered (pending -> open)."""

    event: ClassVar[str] = "customer_replied"


class PutOnHold(Command):
    """Waiting on a third party (open -> on_hold; SLA keeps running)."""

    event: ClassVar[str] = "hold"
    reason: str = Field(min_length=1, max_length=200)


class ResumeTicket(Command):
    """The third party answered (on_hold -> open)."""

    event: ClassVar[str] = "resume"


class SolveTicket(Command):
    """The agent solved it (open / pending / on_hold -> solved)."""

    event: ClassVar[str] = "solve"
    resolution: str = Field(min_length=1, max_length=500)


class ReopenTicket(Command):
    """The customer says it is not solved (solved -> open, within the reopen window)."""

    event: ClassVar[str] = "reopen"
    reason: str = Field(default="", max_length=500)


class CloseTicket(Command):
    """Close a solved ticket for good (solved -> closed)."""

    event: ClassVar[str] = "close"


# --- machine ---------------------------------------------------------------------------------


class TicketMachine(StateMachine):
    """The ticket's states and transitions."""

    _ = States.from_enum(TicketState, initial=TicketState.NEW, final=TicketState.CLOSED)

    start_work = _.NEW.to(_.OPEN)
    reply = _.NEW.to(_.OPEN) | _.OPEN.to.itself() | _.ON_HOLD.to.itself()
    ask_customer = _.NEW.to(_.PENDING) | _.OPEN.to(_.PENDING)
    customer_replied = _.PENDING.to(_.OPEN)
    hold = _.OPEN.to(_.ON_HOLD)
    resume = _.ON_HOLD.to(_.OPEN)
    solve = _.OPEN.to(_.SOLVED) | _.PENDING.to(_.SOLVED) | _.ON_HOLD.to(_.SOLVED)
    reopen = _.SOLVED.to(_.OPEN, validators="within_reopen_window")
    close = _.SOLVED.to(_.CLOSED)

    def on_transition(self, case: TicketCase, source: State, target: State) -> None:
        """Open a pause when the SLA clock stops, close it when the clock runs again."""
        was, now = source.value in RUNNING_STATES, target.value in RUNNING_STATES
        pauses = case.data.pauses
        if was and not now:
            case.update(pauses=(*pauses, (case.at, None)))
        elif now and not was and pauses and pauses[-1][1] is None:
            case.update(pauses=(*pauses[:-1], (pauses[-1][0], case.at)))

    def within_reopen_window(self, case: TicketCase) -> None:
        """Reopening is allowed only until ``solved_at + reopen_window``."""
        solved_at = case.data.solved_at
        if solved_at is not None:
            closes = solved_at + case.policy.reopen_window
            if case.at > closes:
                case.reject(f"the reopen window closed at {closes.isoformat()}; open a new ticket")

    def on_reply(self, case: TicketCase) -> None:
        self._first_reply(case)

    def on_ask_customer(self, case: TicketCase) -> None:
        self._first_reply(case)

    @staticmethod
    def _first_reply(case: TicketCase) -> None:
        if case.data.first_replied_at is None:
            case.update(first_replied_at=case.at)
            case.note(first_reply=True)

    def on_hold(self, case: TicketCase, command: PutOnHold) -> None:
        case.update(hold_reason=command.reason)

    def on_resume(self, case: TicketCase) -> None:
        case.update(hold_reason=None)

    def on_solve(self, case: TicketCase, command: SolveTicket) -> None:
        case.update(solved_at=case.at, resolution=command.resolution, hold_reason=None)

    def on_reopen(self, case: TicketCase) -> None:
        case.update(solved_at=None, resolution=None, reopen_count=case.data.reopen_count + 1)


# --- deadlines -------------------------------------------------------------------------------


def paused_intervals(snapshot: CaseSnapshot) -> Iterator[Pause]:
    """The intervals the ticket spent outside the SLA's running states (kept in its data).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock)
        >>> case = s.open("ticket", {"subject": "x"}, case_id="T", actor="a")
        >>> case = s.apply("T", AskCustomer(), idempotency_key="1", actor="a")
        >>> [(start.day, end) for start, end in paused_intervals(case)]
        [(5, None)]
    """
    yield from TicketData.model_validate(snapshot.data).pauses


def pauses_from_audit(entries: Iterable[AuditEntry]) -> tuple[Pause, ...]:
    """The pauses an audit trail records (to fill ``pauses`` of tickets stored before it)."""
    return tuple(_walk(entries))


def _walk(entries: Iterable[AuditEntry]) -> Iterator[Pause]:
    started: datetime | None = None
    for entry in entries:
        running = entry.to_state in RUNNING_STATES
        if not running and started is None:
            started = entry.at
        elif running and started is not None:
            yield (started, entry.at)
            started = None
    if started is not None:
        yield (started, None)


_DEADLINE_GIVEN = frozenset({"name", "due_at", "source", "description"})


def _deadline(name: str, due_at: datetime, source: str, description: str) -> Deadline:
    """A deadline from values valid by construction, not validated again: a snake-case name,
    an aware instant (from an aware start), a short source and a description under 150
    characters (an SLA's name has at most 64)."""
    return built(
        Deadline,
        {
            "name": name,
            "due_at": due_at,
            "source": source,
            "rule_id": None,
            "description": description,
            "met_at": None,
        },
        _DEADLINE_GIVEN,
    )


def ticket_deadlines(
    snapshot: CaseSnapshot, data: TicketData, policy: TicketPolicy, at: datetime
) -> Iterable[Deadline]:
    """The ticket's running deadlines: first reply, resolution (SLA) and auto-close.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock)
        >>> case = s.open("ticket", {"subject": "x"}, case_id="T", actor="a")
        >>> [(d.name, d.due_at.hour) for d in s.due(case)]
        [('first_reply', 17), ('resolution', 1)]
    """
    sla = policy.sla_for(data.priority)
    if snapshot.state == TicketState.SOLVED and data.solved_at is not None:
        yield _deadline(
            "auto_close",
            data.solved_at + policy.reopen_window,
            "ticket policy reopen window",
            "close the solved ticket when the reopen window ends",
        )
        return
    pauses = data.pauses
    if data.first_replied_at is None:
        due = sla.due_at(sla.first_reply, snapshot.created_at, pauses)
        if due is not None:
            yield _deadline(
                "first_reply", due, "SLA first reply", f"first agent reply ({sla.name} SLA)"
            )
    due = sla.due_at(sla.resolution, snapshot.created_at, pauses)
    if due is not None:
        yield _deadline(
            "resolution",
            due,
            "SLA resolution",
            f"ticket solved ({sla.name} SLA; paused while waiting on the customer)",
        )


def ticket_workflow(*, policy: TicketPolicy | None = None) -> Workflow[TicketData, TicketPolicy]:
    """The ticket workflow definition.

    Args:
        policy: SLA targets and the reopen window; the defaults when ``None``.

    Examples:
        >>> w = ticket_workflow()
        >>> w.kind, w.initial_state, sorted(w.final_states)
        ('ticket', 'new', ['closed'])
    """
    return Workflow(
        kind="ticket",
        machine=TicketMachine,
        data=TicketData,
        commands=(
            StartWork,
            ReplyToCustomer,
            AskCustomer,
            CustomerReplied,
            PutOnHold,
            ResumeTicket,
            SolveTicket,
            ReopenTicket,
            CloseTicket,
        ),
        policy=policy if policy is not None else TicketPolicy(),
        deadlines=ticket_deadlines,
        on_deadline={"auto_close": CloseTicket},
        title="Support ticket",
    )
