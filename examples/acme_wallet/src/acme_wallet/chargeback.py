"""The ``chargeback_review`` workflow: a merchant answers a chargeback with evidence.

A card network reverses a payment to the merchant's customer (a chargeback). The merchant may
accept it, or gather evidence and submit it before the evidence deadline; the issuer then
decides. The deadline is 7 business days on Acme's Singapore calendar (Monday to Friday,
closed on Singapore public holidays), counted by walletsupport's one deadline engine
(``TimeLimit`` on a ``Schedule``). The rules are Acme's own (fictional) merchant terms, not a
card network's.

```
received --start_gathering--> gathering --add_evidence--> gathering
gathering --submit--> submitted --decide--> won | lost
received | gathering --accept--> accepted
received | gathering --expire--> expired   (only once the evidence deadline has passed)
```

Examples:
    >>> from datetime import datetime, timezone
    >>> from decimal import Decimal
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 2, 13, 9, tzinfo=timezone.utc))  # a Friday
    >>> service = WorkflowService(MemoryStore(), clock, [chargeback_review_workflow()])
    >>> data = ChargebackData(amount=Decimal("80.00"), reason_code="13.1")
    >>> case = service.open("chargeback_review", data, case_id="CB-1", actor="acme")
    >>> [(d.name, d.due_at.isoformat()) for d in service.due(case)]  # Chinese New Year: 17-18 Feb
    [('evidence_due', '2026-02-27T00:00:00+08:00')]
    >>> for key, command in enumerate([StartGathering(), AddEvidence(kind="delivery_proof"),
    ...                                SubmitEvidence(), RecordIssuerDecision(reversed=True)]):
    ...     case = service.apply("CB-1", command, idempotency_key=str(key), actor="acme")
    >>> case.state, case.version
    ('won', 5)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field
from statemachine import StateMachine
from statemachine.states import States

from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.regulation import DayCount, TimeLimit
from walletsupport.workflows import CaseContext, CaseSnapshot, Command, Deadline, Workflow

__all__ = [
    "SG_BUSINESS_DAYS",
    "AcceptChargeback",
    "AddEvidence",
    "ChargebackData",
    "ChargebackPolicy",
    "ChargebackState",
    "EvidenceKind",
    "ExpireEvidenceWindow",
    "RecordIssuerDecision",
    "StartGathering",
    "SubmitEvidence",
    "chargeback_review_workflow",
    "evidence_due",
]

#: Acme's Singapore office days: Monday to Friday, closed on Singapore public holidays.
SG_BUSINESS_DAYS = Schedule.weekdays(
    "Asia/Singapore", "09:00", "18:00", holiday_calendar=HolidayCalendar(country="SG")
)


class ChargebackState(StrEnum):
    """Where a chargeback stands (the values are stored: never rename them)."""

    RECEIVED = "received"
    GATHERING = "gathering"
    SUBMITTED = "submitted"
    WON = "won"
    LOST = "lost"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


class EvidenceKind(StrEnum):
    """What a piece of evidence shows."""

    DELIVERY_PROOF = "delivery_proof"
    CUSTOMER_MESSAGES = "customer_messages"
    REFUND_POLICY = "refund_policy"
    INVOICE = "invoice"


class ChargebackPolicy(BaseModel, frozen=True, extra="forbid"):
    """Acme's (fictional) merchant terms: how long a merchant has, on which calendar.

    Examples:
        >>> str(ChargebackPolicy().respond_within), ChargebackPolicy().calendar.zone
        ('7 business days', 'Asia/Singapore')
    """

    respond_within: TimeLimit = TimeLimit(amount=7, unit=DayCount.BUSINESS_DAYS)
    calendar: Schedule = SG_BUSINESS_DAYS
    max_evidence: int = Field(default=10, ge=1, le=100)


class ChargebackData(BaseModel, frozen=True, extra="forbid"):
    """What a chargeback case stores (no card data: the network's reason code suffices)."""

    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="SGD", pattern=r"^[A-Z]{3}$")
    #: The card network's reason code, e.g. ``13.1`` (merchandise not received).
    reason_code: str = Field(pattern=r"^\d{1,2}\.\d{1,2}$")
    evidence: tuple[EvidenceKind, ...] = ()
    submitted_at: datetime | None = None
    reversed: bool | None = None
    acceptance_reason: str | None = None


ChargebackCase = CaseContext[ChargebackData, ChargebackPolicy]


class StartGathering(Command):
    """The merchant decides to fight the chargeback."""

    event: ClassVar[str] = "start_gathering"


class AddEvidence(Command):
    """Attach one piece of evidence."""

    event: ClassVar[str] = "add_evidence"
    kind: EvidenceKind


class SubmitEvidence(Command):
    """Send the evidence to the issuer (needs at least one piece, before the deadline)."""

    event: ClassVar[str] = "submit"


class AcceptChargeback(Command):
    """The merchant accepts the chargeback and keeps nothing."""

    event: ClassVar[str] = "accept"
    reason: str = Field(default="", max_length=200)


class RecordIssuerDecision(Command):
    """The issuer's answer to the evidence."""

    event: ClassVar[str] = "decide"
    reversed: bool


class ExpireEvidenceWindow(Command):
    """Sent by a scheduler (or a worker) once ``evidence_due`` has passed."""

    event: ClassVar[str] = "expire"


def evidence_due(opened_at: datetime, policy: ChargebackPolicy) -> datetime:
    """When the evidence is due: the end of the 7th Singapore business day after opening.

    Examples:
        >>> from datetime import datetime, timezone
        >>> monday = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> evidence_due(monday, ChargebackPolicy()).isoformat()
        '2026-03-12T00:00:00+08:00'
    """
    return policy.respond_within.ends_at(opened_at, policy.calendar)


class ChargebackMachine(StateMachine):
    """The chargeback's states and transitions.

    ``validators=`` refuse a command with a reason (``case.reject`` raises
    ``GuardRejectedError``); ``cond=`` chooses between transitions of one event.
    """

    _ = States.from_enum(
        ChargebackState,
        initial=ChargebackState.RECEIVED,
        final=[
            ChargebackState.WON,
            ChargebackState.LOST,
            ChargebackState.ACCEPTED,
            ChargebackState.EXPIRED,
        ],
    )

    start_gathering = _.RECEIVED.to(_.GATHERING)
    add_evidence = _.GATHERING.to.itself(validators="room_for_evidence")
    submit = _.GATHERING.to(_.SUBMITTED, validators="ready_to_submit")
    accept = _.RECEIVED.to(_.ACCEPTED) | _.GATHERING.to(_.ACCEPTED)
    decide = _.SUBMITTED.to(_.WON, cond="issuer_reversed") | _.SUBMITTED.to(_.LOST)
    expire = _.RECEIVED.to(_.EXPIRED, validators="deadline_passed") | _.GATHERING.to(
        _.EXPIRED, validators="deadline_passed"
    )

    def room_for_evidence(self, case: ChargebackCase) -> None:
        if len(case.data.evidence) >= case.policy.max_evidence:
            case.reject(f"at most {case.policy.max_evidence} pieces of evidence")

    def ready_to_submit(self, case: ChargebackCase) -> None:
        if not case.data.evidence:
            case.reject("attach at least one piece of evidence first")
        if case.at >= evidence_due(case.created_at, case.policy):
            case.reject("the evidence deadline has passed")

    def deadline_passed(self, case: ChargebackCase) -> None:
        if case.at < evidence_due(case.created_at, case.policy):
            case.reject("the evidence deadline has not passed yet")

    def issuer_reversed(self, command: RecordIssuerDecision) -> bool:
        return command.reversed

    def on_add_evidence(self, case: ChargebackCase, command: AddEvidence) -> None:
        case.update(evidence=(*case.data.evidence, command.kind))

    def on_submit(self, case: ChargebackCase) -> None:
        case.update(submitted_at=case.at)

    def on_decide(self, case: ChargebackCase, command: RecordIssuerDecision) -> None:
        case.update(reversed=command.reversed)

    def on_accept(self, case: ChargebackCase, command: AcceptChargeback) -> None:
        case.update(acceptance_reason=command.reason)


def _deadlines(
    snapshot: CaseSnapshot, data: ChargebackData, policy: ChargebackPolicy, at: datetime
) -> Iterable[Deadline]:
    """The running deadlines: ``evidence_due`` until the case is submitted or closed.

    A deadline that has passed stays listed (overdue) until ``expire`` closes the case.
    """
    if snapshot.state in (ChargebackState.RECEIVED, ChargebackState.GATHERING):
        yield Deadline(
            name="evidence_due",
            due_at=evidence_due(snapshot.created_at, policy),
            source="Acme merchant terms §4 (fictional)",
            description="submit evidence or accept the chargeback within 7 business days",
        )


def chargeback_review_workflow(
    *, policy: ChargebackPolicy | None = None
) -> Workflow[ChargebackData, ChargebackPolicy]:
    """The workflow definition (also the ``walletsupport.workflows`` entry point).

    Examples:
        >>> chargeback_review_workflow().kind
        'chargeback_review'
    """
    return Workflow(
        kind="chargeback_review",
        machine=ChargebackMachine,
        data=ChargebackData,
        commands=(
            StartGathering,
            AddEvidence,
            SubmitEvidence,
            AcceptChargeback,
            RecordIssuerDecision,
            ExpireEvidenceWindow,
        ),
        policy=policy or ChargebackPolicy(),
        deadlines=_deadlines,
        title="A merchant answers a chargeback",
    )
