"""The ``chargeback_representment`` workflow: a merchant answers a chargeback with evidence.

A card network reverses a payment to the merchant's customer (a chargeback). The merchant may
accept it, or gather evidence and *re-present* the payment before a response deadline; the
issuer then decides. The rules here are Acme's own (fictional) merchant terms, not a card
network's.

```
received --start_gathering--> gathering --add_evidence--> gathering
gathering --submit--> submitted --decide--> won | lost
received | gathering --accept--> accepted
received | gathering --expire--> expired   (only after the response deadline)
```

Examples:
    >>> from datetime import datetime, timezone
    >>> from decimal import Decimal
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(MemoryStore(), clock, [chargeback_representment_workflow()])
    >>> data = ChargebackData(amount=Decimal("80.00"), reason_code="13.1")
    >>> case = service.open("chargeback_representment", data, case_id="CB-1", actor="acme")
    >>> [d.name for d in service.due(case)]
    ['representment_due']
    >>> for key, command in enumerate([StartGathering(), AddEvidence(kind="delivery_proof"),
    ...                                SubmitRepresentment(), RecordIssuerDecision(reversed=True)]):
    ...     case = service.apply("CB-1", command, idempotency_key=str(key), actor="acme")
    >>> case.state, case.version
    ('won', 5)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field
from statemachine import StateMachine
from statemachine.states import States

from walletsupport.workflows import CaseContext, CaseSnapshot, Command, Deadline, Workflow

__all__ = [
    "AcceptChargeback",
    "AddEvidence",
    "ChargebackData",
    "ChargebackPolicy",
    "ChargebackState",
    "EvidenceKind",
    "ExpireResponseWindow",
    "RecordIssuerDecision",
    "StartGathering",
    "SubmitRepresentment",
    "chargeback_representment_workflow",
]


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
    """Acme's (fictional) merchant terms: how long a merchant has to answer.

    Examples:
        >>> ChargebackPolicy().respond_within.days
        7
    """

    respond_within: timedelta = Field(default=timedelta(days=7), gt=timedelta(0))
    max_evidence: int = Field(default=10, ge=1, le=100)


class ChargebackData(BaseModel, frozen=True, extra="forbid"):
    """What a chargeback case stores (no card data: the network's case reference suffices)."""

    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    reason_code: str = Field(min_length=1, max_length=10)
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


class SubmitRepresentment(Command):
    """Send the evidence to the issuer (needs at least one piece, before the deadline)."""

    event: ClassVar[str] = "submit"


class AcceptChargeback(Command):
    """The merchant accepts the chargeback and keeps nothing."""

    event: ClassVar[str] = "accept"
    reason: str = Field(default="", max_length=200)


class RecordIssuerDecision(Command):
    """The issuer's answer to the representment."""

    event: ClassVar[str] = "decide"
    reversed: bool


class ExpireResponseWindow(Command):
    """Sent by a scheduler once ``representment_due`` has passed."""

    event: ClassVar[str] = "expire"


def _due(case_created: datetime, policy: ChargebackPolicy) -> datetime:
    return case_created + policy.respond_within


class ChargebackMachine(StateMachine):
    """The chargeback's states and transitions."""

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
        if case.at >= _due(case.created_at, case.policy):
            case.reject("the response deadline has passed")

    def deadline_passed(self, case: ChargebackCase) -> None:
        if case.at < _due(case.created_at, case.policy):
            case.reject("the response deadline has not passed yet")

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
    if snapshot.state in (ChargebackState.RECEIVED, ChargebackState.GATHERING):
        yield Deadline(
            name="representment_due",
            due_at=_due(snapshot.created_at, policy),
            source="Acme merchant terms §4 (fictional)",
            description="answer the chargeback or it is accepted by default",
        )


def chargeback_representment_workflow(
    *, policy: ChargebackPolicy | None = None
) -> Workflow[ChargebackData, ChargebackPolicy]:
    """The workflow definition, to hand to a ``WorkflowService``.

    Examples:
        >>> chargeback_representment_workflow().kind
        'chargeback_representment'
    """
    return Workflow(
        kind="chargeback_representment",
        machine=ChargebackMachine,
        data=ChargebackData,
        commands=(
            StartGathering,
            AddEvidence,
            SubmitRepresentment,
            AcceptChargeback,
            RecordIssuerDecision,
            ExpireResponseWindow,
        ),
        policy=policy or ChargebackPolicy(),
        deadlines=_deadlines,
        title="A merchant answers a chargeback",
    )
